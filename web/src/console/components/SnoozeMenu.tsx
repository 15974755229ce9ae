/** Snooze presets (1 hour, 3 hours, tomorrow 09:00 local) and a chosen date and time. */
import { useEffect, useLayoutEffect, useRef, useState } from 'preact/hooks';
import type { DialogView } from '../../shared/api-types';
import type { Problem } from '../console-state';
import { problemText, useConsole } from '../context';
import { fromLocalInput, presetTime, SNOOZE_PRESETS, snoozeProblem, toLocalInput, type SnoozePreset } from '../snooze';

export function SnoozeMenu({ dialog, onClose }: { dialog: DialogView; onClose: () => void }) {
  const { state, t, lang } = useConsole();
  const [custom, setCustom] = useState(() => toLocalInput(presetTime('1h', new Date())));
  const [problem, setProblem] = useState<Problem | null>(null);
  const [localProblem, setLocalProblem] = useState<'invalid' | 'past' | 'too_far' | null>(null);
  const [busy, setBusy] = useState(false);
  const menu = useRef<HTMLDivElement>(null);

  // Opened (by a click or the S key): the first choice has the focus at once, before the next
  // key can land elsewhere (a layout effect runs before paint, a plain effect after it).
  useLayoutEffect(() => menu.current?.querySelector<HTMLElement>('.snooze-preset')?.focus(), []);

  useEffect(() => {
    const esc = (e: KeyboardEvent) => e.key === 'Escape' && onClose();
    addEventListener('keydown', esc);
    return () => removeEventListener('keydown', esc);
  }, [onClose]);

  const snooze = async (until: Date) => {
    const wrong = snoozeProblem(until, new Date());
    setLocalProblem(wrong);
    if (wrong) return;
    setBusy(true);
    setProblem(null);
    const refused = await state.snooze(dialog.id, until);
    setBusy(false);
    if (refused) setProblem(refused);
    else onClose();
  };

  const label = (p: SnoozePreset) => (p === '1h' ? t('snooze.1h') : p === '3h' ? t('snooze.3h') : t('snooze.tomorrow'));
  const clock = (d: Date) =>
    new Intl.DateTimeFormat(lang === 'ru' ? 'ru-RU' : 'en-GB', { weekday: 'short', hour: '2-digit', minute: '2-digit' }).format(d);

  return (
    <div ref={menu} class="popover snooze-menu" role="dialog" aria-label={t('snooze.title')} data-testid="snooze-menu">
      <strong>{t('snooze.title')}</strong>
      <div class="snooze-presets">
        {SNOOZE_PRESETS.map((p) => (
          <button key={p} type="button" class="snooze-preset" disabled={busy} onClick={() => void snooze(presetTime(p, new Date()))} data-testid={`snooze-${p}`}>
            <span>{label(p)}</span>
            <span class="muted">{clock(presetTime(p, new Date()))}</span>
          </button>
        ))}
      </div>
      <form
        class="snooze-custom"
        onSubmit={(e) => {
          e.preventDefault();
          void snooze(fromLocalInput(custom) ?? new Date(NaN));
        }}
      >
        <label class="field">
          <span>{t('snooze.custom')}</span>
          <input
            type="datetime-local"
            value={custom}
            min={toLocalInput(new Date())}
            onInput={(e) => setCustom(e.currentTarget.value)}
            aria-invalid={!!localProblem}
            data-testid="snooze-custom-input"
          />
        </label>
        <button type="submit" class="btn btn-primary btn-small" disabled={busy} data-testid="snooze-custom-apply">
          {t('snooze.apply')}
        </button>
      </form>
      {localProblem && (
        <p class="form-error" role="alert">
          {localProblem === 'past' ? t('snooze.past') : localProblem === 'too_far' ? t('snooze.too_far') : t('snooze.invalid')}
        </p>
      )}
      {problem && (
        <p class="form-error" role="alert">
          {problemText(t, lang, problem)}
        </p>
      )}
      <p class="muted snooze-hint">{t('snooze.hint')}</p>
      <div class="form-actions">
        <button type="button" class="btn btn-ghost btn-small" onClick={onClose}>
          {t('snooze.cancel')}
        </button>
      </div>
    </div>
  );
}
