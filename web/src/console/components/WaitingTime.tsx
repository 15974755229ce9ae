/** A waiting time that ticks with `now` ("3:07"); its tooltip is the moment the wait began. */
import { parseTime } from '../../shared/time';
import { useConsole } from '../context';
import { formatWaiting } from '../queue';

export function WaitingTime({ since, now, label, testid }: { since: string; now: number; label?: 'row' | 'queue'; testid?: string }) {
  const { t, lang } = useConsole();
  const time = formatWaiting(now - parseTime(since), t('time.days'));
  const text = label === 'row' ? t('row.waiting', { time }) : label === 'queue' ? t('queue.waiting', { time }) : time;
  return (
    <time class="waiting-time" dateTime={since} title={new Date(parseTime(since)).toLocaleString(lang)} data-testid={testid}>
      <svg viewBox="0 0 16 16" width="12" height="12" aria-hidden="true">
        <circle cx="8" cy="8" r="6.5" fill="none" stroke="currentColor" stroke-width="1.6" />
        <path d="M8 4.5V8l2.5 1.5" fill="none" stroke="currentColor" stroke-width="1.6" stroke-linecap="round" />
      </svg>
      <span class="visually-hidden">{text}</span>
      <span aria-hidden="true">{time}</span>
    </time>
  );
}
