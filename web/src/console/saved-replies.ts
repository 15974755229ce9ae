/**
 * Saved replies in the composer: the one ordered list that both the "/" popup and
 * Ctrl+1..9 use (personal, then the dialog's channel's, then the workspace's; each by title),
 * searching it, and filling a reply's variables when it is inserted.
 *
 * What stays true: Ctrl+N inserts the reply the operator pinned to slot N in his profile
 * (`profile.shortcuts`, nine slots), in any channel; an empty slot inserts nothing and the other
 * numbers never shift. Only a server that keeps no profile (no `shortcuts` at all) numbers the
 * first nine of `orderedReplies` instead. The numbers shown in the popup and on the saved-replies
 * page are these same shortcuts. A variable with no value leaves no stray comma or double space
 * behind ("Здравствуйте, {visitor.first_name}!" → "Здравствуйте!").
 */
import { SHORTCUT_SLOTS, type SavedReplyView } from '../shared/api-types';

const byTitle = (a: SavedReplyView, b: SavedReplyView) => a.title.localeCompare(b.title) || a.id.localeCompare(b.id);

/** The replies usable in a dialog of `channelId`, in the order of the popup and the shortcuts. */
export function orderedReplies(all: readonly SavedReplyView[], channelId: string | null): SavedReplyView[] {
  const personal = all.filter((r) => r.scope === 'personal').sort(byTitle);
  const channel = all.filter((r) => r.scope === 'channel' && r.channel_id === channelId).sort(byTitle);
  const workspace = all.filter((r) => r.scope === 'workspace').sort(byTitle);
  return [...personal, ...channel, ...workspace];
}

const fold = (s: string) => s.toLowerCase().replace(/ё/g, 'е');

/** Replies whose title or text holds every word of `query`; title matches first, order kept. */
export function searchReplies(list: readonly SavedReplyView[], query: string): SavedReplyView[] {
  const words = fold(query).split(/\s+/).filter(Boolean);
  if (words.length === 0) return [...list];
  const hits = list.filter((r) => {
    const text = fold(`${r.title} ${r.body}`);
    return words.every((w) => text.includes(w));
  });
  const inTitle = (r: SavedReplyView) => words.every((w) => fold(r.title).includes(w));
  return [...hits.filter(inTitle), ...hits.filter((r) => !inTitle(r))];
}

/** The search text while the composer holds only "/…" (one line), else null. */
export function slashQuery(text: string): string | null {
  const m = /^\/([^\n]*)$/.exec(text);
  return m ? m[1] : null;
}

/** 1..9 for Ctrl+1..Ctrl+9 (no other modifier), else null. */
export function shortcutNumber(e: Pick<KeyboardEvent, 'ctrlKey' | 'altKey' | 'shiftKey' | 'metaKey' | 'key' | 'code'>): number | null {
  if (!e.ctrlKey || e.altKey || e.shiftKey || e.metaKey) return null;
  const m = /^(?:Digit|Numpad)?([1-9])$/.exec(e.code) ?? /^([1-9])$/.exec(e.key);
  return m ? Number(m[1]) : null;
}

/** The pins as nine slots, whatever came: ids kept, anything else (or missing) an empty slot. */
export function shortcutSlots(list: readonly unknown[] | null | undefined): (string | null)[] {
  const out: (string | null)[] = [];
  for (let i = 0; i < SHORTCUT_SLOTS; i++) {
    const v = list?.[i];
    out.push(typeof v === 'string' && v ? v : null);
  }
  return out;
}

/**
 * The reply Ctrl+`n` inserts: the one pinned to slot n (null for an empty slot or a reply that
 * is gone). `shortcuts` undefined means the server keeps no pins: the n-th of `ordered` then.
 */
export function shortcutReply(
  all: readonly SavedReplyView[],
  shortcuts: readonly (string | null)[] | null | undefined,
  n: number,
  ordered: readonly SavedReplyView[] = all,
): SavedReplyView | null {
  if (n < 1 || n > SHORTCUT_SLOTS) return null;
  if (!shortcuts) return ordered[n - 1] ?? null;
  const id = shortcuts[n - 1];
  return id ? (all.find((r) => r.id === id) ?? null) : null;
}

/** The shortcut number (1–9) of a reply, or null when it has none (see `shortcutReply`). */
export function shortcutOf(
  shortcuts: readonly (string | null)[] | null | undefined,
  reply: SavedReplyView,
  ordered: readonly SavedReplyView[] = [],
): number | null {
  const at = shortcuts ? shortcuts.indexOf(reply.id) : ordered.indexOf(reply);
  return at >= 0 && at < SHORTCUT_SLOTS ? at + 1 : null;
}

/** The slots with `id` pinned to `slot` (1–9; taken from any other slot), or unpinned with null. */
export function pinReply(shortcuts: readonly (string | null)[] | null | undefined, id: string, slot: number | null): (string | null)[] {
  const next = shortcutSlots(shortcuts).map((x) => (x === id ? null : x));
  if (slot !== null && slot >= 1 && slot <= SHORTCUT_SLOTS) next[slot - 1] = id;
  return next;
}

export interface ReplyContext {
  /** The visitor's own name; null or empty when he gave none (not "Посетитель 42"). */
  visitorName: string | null | undefined;
  operatorName: string | null | undefined;
}

const firstName = (name: string) => name.trim().split(/\s+/)[0] ?? '';

/** Marks where a variable turned out empty, so only the text around it is tidied. */
const GAP = '\u0000';

/**
 * The reply's text with `{visitor.name}`, `{visitor.first_name}`, `{operator.name}` and
 * `{operator.first_name}` filled. An empty one takes its comma and spaces with it; a sentence
 * that then starts lower case gets its capital back. Unknown `{…}` stay as written.
 */
export function fillReply(body: string, ctx: ReplyContext): string {
  const visitor = ctx.visitorName?.trim() ?? '';
  const operator = ctx.operatorName?.trim() ?? '';
  const values: Record<string, string> = {
    'visitor.name': visitor,
    'visitor.first_name': firstName(visitor),
    'operator.name': operator,
    'operator.first_name': firstName(operator),
  };
  let text = body.replace(/\{(visitor|operator)\.(name|first_name)\}/g, (_, who: string, part: string) => {
    const value = values[`${who}.${part}`];
    return value ? value : GAP;
  });
  if (!text.includes(GAP)) return text;
  text = text
    // "Здравствуйте, {имя}!" / "…, {имя}." / "…, {имя}" at the end → the comma goes too.
    .replace(/[ \t]*,[ \t]*\u0000[ \t]*(?=[!?.,;:…]|$|\n)/gm, '')
    // "{имя}, добрый день" at a sentence start → "Добрый день".
    .replace(/(^|[.!?…][ \t]+|\n)[ \t]*\u0000[ \t]*,?[ \t]*(\p{Ll})/gu, (_, before: string, letter: string) => before + letter.toUpperCase())
    // "…, {имя}, …" or "{имя}, …" elsewhere → the name and its comma go.
    .replace(/\u0000[ \t]*,[ \t]*/g, '')
    // Between words: one space stays; before punctuation or at a line's edge: none.
    .replace(/[ \t]+\u0000[ \t]+/g, ' ')
    .replace(/[ \t]*\u0000[ \t]*/g, '');
  return text.replace(/^[ \t]+|[ \t]+$/gm, '').replace(/[ \t]{2,}/g, ' ').replace(/[ \t]+([,.!?;:])/g, '$1');
}
