/**
 * The dialog list as the console holds it: every dialog seen (from REST pages and socket
 * events) by id. Events may arrive out of order with a REST page, so a dialog is replaced only
 * by a version at least as new (`updated_at`).
 */
import type { DialogStatusFilter, DialogView, MessageView } from '../shared/api-types';
import { parseTime } from '../shared/time';

/** Puts `incoming` into `map` unless the held version is newer. Returns whether it changed. */
export function mergeDialog(map: Map<string, DialogView>, incoming: DialogView): boolean {
  const held = map.get(incoming.id);
  if (held && parseTime(held.updated_at) > parseTime(incoming.updated_at)) return false;
  map.set(incoming.id, incoming);
  return true;
}

/** Dialogs matching the filter, newest activity first (ties: higher number first). */
export function visibleDialogs(map: Map<string, DialogView>, filter: DialogStatusFilter): DialogView[] {
  return [...map.values()]
    .filter((d) => filter === 'all' || d.status === filter)
    .sort((a, b) => parseTime(b.updated_at) - parseTime(a.updated_at) || b.number - a.number);
}

/**
 * The row of a dialog after a message arrived on the socket, before the server's own
 * `dialog.updated` comes: preview, last seq and activity time move forward, nothing else.
 */
export function withMessage(dialog: DialogView, m: MessageView): DialogView {
  if (m.seq <= dialog.last_seq && dialog.last_message) return dialog;
  const newer = parseTime(m.created_at) > parseTime(dialog.updated_at);
  return {
    ...dialog,
    last_seq: Math.max(dialog.last_seq, m.seq),
    last_message: { author_kind: m.author.kind, preview: m.body.slice(0, 200), created_at: m.created_at },
    updated_at: newer ? m.created_at : dialog.updated_at,
  };
}

/** Unread count to show: zero once the operator has read up to the dialog's last seq. */
export function shownUnread(dialog: DialogView, readUpTo: ReadonlyMap<string, number>): number {
  const read = readUpTo.get(dialog.id) ?? 0;
  return read >= dialog.last_seq ? 0 : dialog.unread_count;
}

/** The number in the tab title: unread messages across open dialogs. */
export function totalUnread(map: Map<string, DialogView>, readUpTo: ReadonlyMap<string, number>): number {
  let total = 0;
  for (const d of map.values()) if (d.status === 'open') total += shownUnread(d, readUpTo);
  return total;
}
