/**
 * The SLA reply countdown of a dialog: "0:42" until the reply is due ("by 09:01" when that is
 * more than an hour ahead), then a red "overdue 3:10". Nothing when the dialog has no reply due. Ticks with `now` (the list's
 * one-second clock); `LiveSlaCountdown` brings its own clock for the header.
 */
import type { DialogView } from '../../shared/api-types';
import { useNow } from '../../shared/store';
import { useConsole } from '../context';
import { farAhead, formatSla, slaClock } from '../sla';
import { snoozeTime } from '../snooze';

interface Props {
  dialog: DialogView;
  now: number;
  /** `row`: the short form of a list row; `header`: words for the dialog's header. */
  variant?: 'row' | 'header';
  testid?: string;
}

export function SlaCountdown({ dialog, now, variant = 'row', testid = 'sla-countdown' }: Props) {
  const { t, lang } = useConsole();
  const clock = slaClock(dialog, now);
  if (!clock) return null;
  const time = formatSla(clock, t('time.days'));
  const due = snoozeTime(clock.dueAt, lang, now);
  const far = farAhead(clock);
  const label = clock.overdue ? t('sla.overdue_label', { time }) : t('sla.left_label', { time });
  const shown =
    variant === 'header'
      ? clock.overdue
        ? t('sla.header_overdue', { time })
        : far
          ? t('sla.header_until', { time: due })
          : t('sla.header_left', { time })
      : clock.overdue
        ? t('sla.overdue', { time })
        : far
          ? t('sla.until', { time: due })
          : time;
  const title = clock.target === 'first_reply' ? t('sla.due_first', { time: due }) : t('sla.due_next', { time: due });
  return (
    <time
      class={`sla-countdown sla-${variant}${clock.overdue ? ' overdue' : ''}`}
      dateTime={clock.dueAt}
      title={title}
      data-testid={testid}
      data-overdue={clock.overdue}
      data-target={clock.target ?? ''}
    >
      <svg viewBox="0 0 16 16" width="12" height="12" aria-hidden="true">
        <path d="M6 1.5h4M8 1.5v2" fill="none" stroke="currentColor" stroke-width="1.6" stroke-linecap="round" />
        <circle cx="8" cy="9.5" r="5.5" fill="none" stroke="currentColor" stroke-width="1.6" />
        <path d="M8 6.8v2.9" fill="none" stroke="currentColor" stroke-width="1.6" stroke-linecap="round" />
      </svg>
      <span class="visually-hidden">{label}</span>
      <span aria-hidden="true">{shown}</span>
    </time>
  );
}

/** The countdown with its own one-second clock (the header has no list clock). */
export function LiveSlaCountdown({ dialog }: { dialog: DialogView }) {
  const now = useNow(1000);
  return <SlaCountdown dialog={dialog} now={now} variant="header" testid="dialog-sla" />;
}
