/**
 * The dialog list as the console holds it: every dialog seen (from REST pages and socket
 * events) by id. Events may arrive out of order with a REST page, so a dialog is replaced only
 * by a version at least as new (`updated_at`).
 */
import type { DialogView, MessageView } from '../shared/api-types';
import { parseTime } from '../shared/time';
import { compareDialogs, matchesFilter, type ListFilter } from './filters';

/**
 * Puts `incoming` into `map` unless the held version is newer. Returns whether it changed: a
 * copy of the row held (a mention or a repeated event carries one) changes nothing, so the
 * list is not redrawn for it.
 */
export function mergeDialog(map: Map<string, DialogView>, incoming: DialogView): boolean {
  const held = map.get(incoming.id);
  if (held && parseTime(held.updated_at) > parseTime(incoming.updated_at)) return false;
  if (held && (held === incoming || JSON.stringify(held) === JSON.stringify(incoming))) return false;
  map.set(incoming.id, incoming);
  return true;
}

/** Dialogs matching the filter, in the filter's order (the server's, see filters.ts). */
export function visibleDialogs(map: Map<string, DialogView>, filter: ListFilter, meId: string | null, segmentVisitors?: ReadonlySet<string>): DialogView[] {
  return [...map.values()].filter((d) => matchesFilter(d, filter, meId, segmentVisitors)).sort(compareDialogs(filter.sort));
}

/** The operator's own open dialogs, snoozed ones aside (the tabs over the dialog pane), in the order he got them. */
export function activeDialogs(map: Map<string, DialogView>, meId: string | null): DialogView[] {
  if (!meId) return [];
  return [...map.values()]
    .filter((d) => d.status === 'open' && !d.snoozed_until && d.assignee?.id === meId)
    .sort((a, b) => parseTime(a.assigned_at) - parseTime(b.assigned_at) || a.number - b.number);
}

/**
 * The row of a dialog after a message arrived on the socket, before the server's own
 * `dialog.updated` comes: preview, last seq, activity time and who waits move forward.
 * System lines and internal notes move only the seq: they are no reply and not the
 * conversation's last words (the server counts them alike).
 */
export function withMessage(dialog: DialogView, m: MessageView): DialogView {
  const aside = m.author.kind === 'system' || m.audience === 'operators';
  if (m.seq <= dialog.last_seq && (dialog.last_message || aside)) return dialog;
  if (aside) return { ...dialog, last_seq: Math.max(dialog.last_seq, m.seq) };
  const newer = parseTime(m.created_at) > parseTime(dialog.updated_at);
  const fromVisitor = m.author.kind === 'visitor';
  const next: DialogView = {
    ...dialog,
    last_seq: Math.max(dialog.last_seq, m.seq),
    last_message: { author_kind: m.author.kind, preview: m.body.slice(0, 200), created_at: m.created_at },
    updated_at: newer ? m.created_at : dialog.updated_at,
    pending_count: fromVisitor ? dialog.pending_count + 1 : 0,
    waiting_since: fromVisitor ? dialog.waiting_since ?? m.created_at : null,
  };
  // An answer stops the reply countdown; a visitor's words stop the auto-close plan. The new
  // due time or plan is the server's to compute (business hours, hold phrases): it follows
  // in dialog.updated.
  if (!fromVisitor && next.sla?.reply_due_at) next.sla = { ...next.sla, reply_due_at: null, reply_target: null };
  if (fromVisitor && next.auto_close) next.auto_close = null;
  return next;
}

/** Unread count to show: zero once the operator has read up to the dialog's last seq. */
export function shownUnread(dialog: DialogView, readUpTo: ReadonlyMap<string, number>): number {
  const read = readUpTo.get(dialog.id) ?? 0;
  return read >= dialog.last_seq ? 0 : dialog.unread_count;
}

/** The browser tab's title: unread messages and the queue, when there are any. */
export function documentTitle(unread: number, queue: number, words: { plain: string; unread: string; queue: string; both: string }): string {
  const fill = (s: string) => s.replace('{n}', String(unread)).replace('{q}', String(queue));
  if (unread > 0 && queue > 0) return fill(words.both);
  if (unread > 0) return fill(words.unread);
  if (queue > 0) return fill(words.queue);
  return words.plain;
}

/** The number in the tab title: unread messages across open dialogs. */
export function totalUnread(map: Map<string, DialogView>, readUpTo: ReadonlyMap<string, number>): number {
  let total = 0;
  for (const d of map.values()) if (d.status === 'open') total += shownUnread(d, readUpTo);
  return total;
}
