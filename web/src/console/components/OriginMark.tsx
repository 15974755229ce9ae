/**
 * Where the visitor writes from when it is not the site's widget (a "Telegram" badge), and how
 * a dialog began when not by the visitor writing first: an "Offline request" badge (the contact
 * form), or the proactive message he answered — short on a list row, in words in the header.
 */
import type { DialogView } from '../../shared/api-types';
import { useConsole } from '../context';

export function OriginMark({ dialog, variant }: { dialog: DialogView; variant: 'row' | 'header' }) {
  return (
    <>
      <SourceMark dialog={dialog} variant={variant} />
      <HowItBegan dialog={dialog} variant={variant} />
    </>
  );
}

/** Where the visitor writes from, when not the site's widget: a "Telegram" badge. */
function SourceMark({ dialog, variant }: { dialog: DialogView; variant: 'row' | 'header' }) {
  const { t } = useConsole();
  if (dialog.visitor.source !== 'telegram') return null;
  return (
    <span class={`origin-badge origin-telegram origin-${variant}`} title={t('source.telegram_hint')} data-testid="source-telegram">
      Telegram
    </span>
  );
}

function HowItBegan({ dialog, variant }: { dialog: DialogView; variant: 'row' | 'header' }) {
  const { t } = useConsole();
  if (dialog.origin === 'offline') {
    return (
      <span class={`origin-badge origin-offline origin-${variant}`} title={t('origin.offline_hint')} data-testid="origin-offline">
        {t('origin.offline')}
      </span>
    );
  }
  if (dialog.origin === 'proactive') {
    const name = dialog.trigger?.name?.trim();
    const words = name ? t('origin.proactive', { name }) : t('origin.proactive_unnamed');
    return variant === 'row' ? (
      <span class="origin-badge origin-proactive origin-row" title={words} data-testid="origin-proactive">
        {t('origin.proactive_short')}
      </span>
    ) : (
      <span class="meta-origin" data-testid="origin-proactive">
        {words}
      </span>
    );
  }
  return null;
}
