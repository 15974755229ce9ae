/**
 * The queue: open dialogs nobody holds. Which dialogs are in it, in what order, since when
 * each waits, and the count on the Queue tab.
 *
 * The count is the queued dialogs the console holds plus `beyond`, the ones the server
 * counted (`GET /api/v1/dialogs/counts`) but did not list in the first queue page. Socket
 * events move dialogs in and out of the held map, so the count follows them; `beyond` is
 * zero whenever the whole queue fits in one page, and then the count is exact.
 */
import type { DialogView } from '../shared/api-types';
import { parseTime } from '../shared/time';

/** Open, held by nobody and not snoozed: what the Queue tab shows and counts. */
export function isQueued(d: DialogView): boolean {
  return d.status === 'open' && !d.assignee && !d.snoozed_until;
}

/** Since when a dialog waits for somebody: its time in the queue, else the visitor's wait. */
export function waitingSince(d: DialogView): string | null {
  return d.queued_at ?? d.waiting_since ?? (isQueued(d) ? d.created_at : null);
}

/** The queued dialogs, the longest waiting first. */
export function queuedDialogs(map: ReadonlyMap<string, DialogView>): DialogView[] {
  return [...map.values()]
    .filter(isQueued)
    .sort((a, b) => parseTime(waitingSince(a)) - parseTime(waitingSince(b)) || a.number - b.number);
}

export function countQueued(map: ReadonlyMap<string, DialogView>): number {
  let n = 0;
  for (const d of map.values()) if (isQueued(d)) n++;
  return n;
}

/**
 * How many queued dialogs the server counted that the console does not hold: zero when the
 * loaded queue page was complete, else the difference (never negative).
 */
export function queueBeyond(serverCount: number, held: number, pageComplete: boolean): number {
  return pageComplete ? 0 : Math.max(0, serverCount - held);
}

/**
 * A waiting time that ticks: "0:07", "12:34", "1:02:03"; a day or more in words
 * (`dayWords` with {d} and {h}, e.g. "{d} д {h} ч").
 */
export function formatWaiting(ms: number, dayWords: string): string {
  const total = Math.max(0, Math.floor(ms / 1000));
  const s = total % 60;
  const m = Math.floor(total / 60) % 60;
  const h = Math.floor(total / 3600);
  if (h >= 24) return dayWords.replace('{d}', String(Math.floor(h / 24))).replace('{h}', String(h % 24));
  const ss = String(s).padStart(2, '0');
  if (h === 0) return `${m}:${ss}`;
  return `${h}:${String(m).padStart(2, '0')}:${ss}`;
}
