/**
 * `@` mentions in an internal note: which part of the text is the name being typed, the
 * operators that fit it, and the text after one is picked (`@Display Name `). The server
 * finds the names in the note and notifies those operators (docs/api.md, "Conversation tools").
 */
import type { OperatorView } from '../shared/api-types';

export interface MentionQuery {
  /** Index of the `@`. */
  start: number;
  /** What follows it up to the caret. */
  query: string;
}

/** At most this much after `@` is read as a name being typed (names have spaces). */
const MAX_QUERY = 40;

/** The mention being typed at `caret`, or null: an `@` at a word start, no line break after it. */
export function mentionAt(text: string, caret: number): MentionQuery | null {
  const before = text.slice(0, caret);
  const at = before.lastIndexOf('@');
  if (at < 0 || caret - at - 1 > MAX_QUERY) return null;
  if (at > 0 && !/[\s(«"]/.test(before[at - 1])) return null; // an e-mail address, not a mention
  const query = before.slice(at + 1);
  if (/\n/.test(query) || /^\s/.test(query) || /\s{2,}/.test(query)) return null;
  return { start: at, query };
}

const fold = (s: string) => s.toLowerCase().replace(/ё/g, 'е');

/** Operators whose name (or a word of it) starts with the query, by name, without `meId`. */
export function matchOperators(operators: Iterable<OperatorView>, query: string, meId: string | null, limit = 8): OperatorView[] {
  const q = fold(query.trim());
  return [...operators]
    .filter((o) => o.id !== meId && !o.deactivated)
    .filter((o) => {
      const name = fold(o.display_name);
      return !q || name.startsWith(q) || name.split(/\s+/).some((w) => w.startsWith(q));
    })
    .sort((a, b) => a.display_name.localeCompare(b.display_name))
    .slice(0, limit);
}

/** Whether the query is a whole name already followed by a space: the mention is done, no popup. */
export function mentionDone(query: string, operators: Iterable<OperatorView>): boolean {
  if (!/\s$/.test(query)) return false;
  const q = fold(query.trim());
  for (const o of operators) if (fold(o.display_name) === q) return true;
  return false;
}

/** The text with the mention at `q` replaced by `@Name ` and the caret after it. */
export function insertMention(text: string, q: MentionQuery, caret: number, name: string): { value: string; caret: number } {
  const inserted = `@${name} `;
  const rest = text.slice(caret).replace(/^ /, '');
  return { value: text.slice(0, q.start) + inserted + rest, caret: q.start + inserted.length };
}
