/**
 * How upset the visitor reads (`DialogView.tone`, 0–3: a point each for capitals, «!!!» and
 * rude words in his messages): nothing when calm, "Tense" at 1, "Upset" at 2–3. Words and a
 * mark of their own (one or two bars), not colour alone; the title says what is counted.
 */
import type { DialogView } from '../../shared/api-types';
import { useConsole } from '../context';
import { toneLevel } from '../quality';
import '../quality.css';

export function ToneBadge({ dialog, variant }: { dialog: Pick<DialogView, 'tone'>; variant: 'row' | 'header' }) {
  const { t } = useConsole();
  const level = toneLevel(dialog.tone);
  if (!level) return null;
  const words = level === 'upset' ? t('tone.upset') : t('tone.tense');
  const title = t('tone.title', { level: words, n: Math.min(3, Math.max(1, Math.round(dialog.tone))) });
  return (
    <span class={`tone-badge tone-${level} tone-${variant}`} title={title} aria-label={title} role="img" data-testid={`tone-${variant}`} data-tone={dialog.tone}>
      <svg viewBox="0 0 12 12" width="10" height="10" aria-hidden="true">
        <path d="M4 2v5.2M4 9.4v.6" stroke="currentColor" stroke-width="1.8" stroke-linecap="round" />
        {level === 'upset' && <path d="M8 2v5.2M8 9.4v.6" stroke="currentColor" stroke-width="1.8" stroke-linecap="round" />}
      </svg>
      <span aria-hidden="true">{words}</span>
    </span>
  );
}
