/**
 * Small rules of the conversation tools that components show: search snippets, the tags a
 * dialog can still get, time on site, the visitor card's inline edits, the "read" mark and
 * the bulk close's summary.
 */
import type { BulkCloseResult, DialogView, MessageView, TagView, VisitorPatch } from '../shared/api-types';

export interface SnippetPart {
  text: string;
  mark: boolean;
}

/** A search snippet split into plain and marked parts (`[` … `]` mark the matched words). */
export function snippetParts(snippet: string): SnippetPart[] {
  const parts: SnippetPart[] = [];
  const push = (text: string, mark: boolean) => {
    if (!text) return;
    const last = parts[parts.length - 1];
    if (last && last.mark === mark) last.text += text;
    else parts.push({ text, mark });
  };
  let rest = snippet;
  for (;;) {
    const open = rest.indexOf('[');
    const close = open < 0 ? -1 : rest.indexOf(']', open + 1);
    if (open < 0 || close < 0) {
      push(rest, false);
      break;
    }
    push(rest.slice(0, open), false);
    push(rest.slice(open + 1, close), true);
    rest = rest.slice(close + 1);
  }
  return parts;
}

const fold = (s: string) => s.toLowerCase().replace(/ё/g, 'е');

/** Dictionary tags the dialog does not have yet, not archived, matching the search, by name. */
export function tagChoices(dictionary: readonly TagView[], held: readonly { id: string }[], query: string): TagView[] {
  const have = new Set(held.map((t) => t.id));
  const q = fold(query.trim());
  return dictionary
    .filter((t) => !t.archived && !have.has(t.id) && (!q || fold(t.name).includes(q)))
    .sort((a, b) => a.name.localeCompare(b.name));
}

/** How long the visitor has been on the site: hours and minutes, minutes and seconds, or seconds. */
export function timeOnSite(since: string | null | undefined, now: number, words: { hm: string; ms: string; s: string }): string | null {
  const start = since ? Date.parse(since) : NaN;
  if (!Number.isFinite(start)) return null;
  const total = Math.max(0, Math.floor((now - start) / 1000));
  const h = Math.floor(total / 3600);
  const m = Math.floor(total / 60) % 60;
  const s = total % 60;
  if (h > 0) return words.hm.replace('{h}', String(h)).replace('{m}', String(m).padStart(2, '0'));
  if (m === 0) return words.s.replace('{s}', String(s));
  return words.ms.replace('{m}', String(m)).replace('{s}', String(s).padStart(2, '0'));
}

export type CardField = 'name' | 'email' | 'phone';

/** The PATCH for one edited field of the visitor card: blank clears it (null). */
export function visitorPatch(field: CardField, value: string): VisitorPatch {
  const v = value.trim();
  return { [field]: v ? v : null };
}

/**
 * The operator message to mark "read": the latest visitor-visible message of an operator
 * with `seq` up to what the visitor has read; null when none is read yet.
 */
export function readMarkSeq(messages: readonly MessageView[], visitorReadSeq: number | null | undefined): number | null {
  const upTo = visitorReadSeq ?? 0;
  let found: number | null = null;
  for (const m of messages) {
    if (m.seq > upTo) break;
    if (m.author.kind === 'operator' && m.audience === 'all') found = m.seq;
  }
  return found;
}

/** A dialog with a newer read mark (marks never go back). */
export function withVisitorRead(d: DialogView, seq: number): DialogView {
  return seq > (d.visitor_read_seq ?? 0) ? { ...d, visitor_read_seq: seq } : d;
}

export interface BulkSummary {
  closed: number;
  refused: BulkCloseResult[];
}

export function bulkSummary(results: readonly BulkCloseResult[]): BulkSummary {
  return { closed: results.filter((r) => r.ok).length, refused: results.filter((r) => !r.ok) };
}

/** Whether an internal note (not a system line): an operator's words for operators only. */
export function isNote(m: Pick<MessageView, 'author' | 'audience'>): boolean {
  return m.author.kind === 'operator' && m.audience === 'operators';
}

/** A page address shortened for a narrow column: host and path, no scheme, no trailing slash. */
export function shortUrl(url: string): string {
  try {
    const u = new URL(url);
    const path = `${u.pathname}${u.search}`.replace(/\/$/, '');
    return `${u.host}${path}`;
  } catch {
    return url;
  }
}
