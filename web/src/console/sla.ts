/**
 * The SLA countdown of a dialog: how long until its reply is due (`sla.reply_due_at`), or how
 * long it has been overdue, ticking with the console's clock. Nothing to show when the
 * channel's SLA is off (`sla` null or absent), nobody waits for a reply (`reply_due_at` null)
 * or the dialog is closed.
 *
 * What stays true: a countdown never shows 0:00 while time remains (seconds are rounded up);
 * once due, or once the server says `reply_breached`, it is overdue and counts up.
 */
import { oneOf, type DialogView, type SlaTarget } from '../shared/api-types';
import { parseTime } from '../shared/time';
import { formatWaiting } from './queue';

type ReplyTarget = Exclude<SlaTarget, 'resolution'>;
const REPLY_TARGETS: readonly ReplyTarget[] = ['first_reply', 'next_reply'];

export interface SlaClock {
  /** The reply is late: the due time passed, or the server recorded the breach. */
  overdue: boolean;
  /** Until due (counting down), or since due (overdue), in ms, never negative. */
  ms: number;
  dueAt: string;
  target: ReplyTarget | null;
}

/** The reply countdown of `d` at `now`, or null when there is none to show. */
export function slaClock(d: Pick<DialogView, 'status' | 'sla'>, now: number): SlaClock | null {
  const sla = d.sla;
  if (!sla || !sla.reply_due_at || d.status !== 'open') return null;
  const due = parseTime(sla.reply_due_at);
  if (!due) return null;
  const left = due - now;
  const overdue = sla.reply_breached || left <= 0;
  return { overdue, ms: overdue ? Math.max(0, now - due) : left, dueAt: sla.reply_due_at, target: oneOf(sla.reply_target, REPLY_TARGETS) };
}

/**
 * A reply due more than an hour ahead (a channel counting business hours: a message at night
 * is due in the morning) reads better as the time it is due than as a long countdown.
 */
export const FAR_AHEAD_MS = 3_600_000;
export const farAhead = (clock: SlaClock): boolean => !clock.overdue && clock.ms > FAR_AHEAD_MS;

/** "0:42" left (rounded up to the second) or "3:10" overdue; a day or more in `dayWords`. */
export function formatSla(clock: SlaClock, dayWords: string): string {
  const ms = clock.overdue ? clock.ms : Math.ceil(clock.ms / 1000) * 1000;
  return formatWaiting(ms, dayWords);
}

/** When the reply of `d` is due (ms), or null: the order of `sort=due`. */
export function replyDue(d: Pick<DialogView, 'sla'>): number | null {
  const due = d.sla?.reply_due_at ? parseTime(d.sla.reply_due_at) : 0;
  return due || null;
}

/** An `sla.breached` frame shown in the console until dismissed. */
export interface SlaAlert {
  dialog: DialogView;
  target: SlaTarget;
  due_at: string;
}

/** One note per dialog and target (the server reports each target once). */
export const slaAlertKey = (a: Pick<SlaAlert, 'target'> & { dialog: Pick<DialogView, 'id'> }): string => `${a.dialog.id}:${a.target}`;

/** The notes with `next` added, or put in place of the one for the same dialog and target; the newest five. */
export function withSlaAlert(list: readonly SlaAlert[], next: SlaAlert): SlaAlert[] {
  const key = slaAlertKey(next);
  return [...list.filter((a) => slaAlertKey(a) !== key), next].slice(-5);
}
