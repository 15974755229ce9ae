/**
 * What a site tells about its visitors (the Web API, issue 16), as the visitor card shows it: his
 * id on the site, typed attributes (dates in the operator's own time, numbers and yes/no in the
 * console's language), events counted per name with the latest ones and their properties, and
 * visitor tags — his, not the dialog's — checked the way the server checks them before they are
 * sent.
 */
import type { AttributeView } from '../shared/api-types';
import type { Lang, Translate } from '../shared/i18n';
import { parseTime } from '../shared/time';
import type { Problem } from './console-state';
import { problemText } from './context';
import type { ConsoleKey } from './i18n';
import { serverIssue } from './admin/server-issues';

type T = Translate<ConsoleKey>;

const locale = (lang: Lang) => (lang === 'ru' ? 'ru-RU' : 'en-GB');

/** The longest visitor tag (characters, once trimmed) and the most tags a visitor has. */
export const TAG_MAX = 50;
export const TAGS_MAX = 50;

/** A time the site gave: an RFC 3339 string or Unix seconds; 0 when it is neither. */
function timeOf(value: unknown): number {
  if (typeof value === 'number' && Number.isFinite(value)) return value * 1000;
  if (typeof value === 'string') return parseTime(value);
  return 0;
}

/** A date and time in the operator's own time zone: "6 дек. 2026 г., 14:05". */
export function formatDateTime(at: number, lang: Lang): string {
  return new Intl.DateTimeFormat(locale(lang), { day: 'numeric', month: 'short', year: 'numeric', hour: '2-digit', minute: '2-digit' }).format(at);
}

/** When an event happened, short: "6 дек., 14:05" this year, with the year before it. */
export function formatEventTime(iso: string, lang: Lang, now: number = Date.now()): string {
  const at = parseTime(iso);
  if (!at) return '';
  const sameYear = new Date(at).getFullYear() === new Date(now).getFullYear();
  return new Intl.DateTimeFormat(
    locale(lang),
    sameYear ? { day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit' } : { day: 'numeric', month: 'short', year: 'numeric', hour: '2-digit', minute: '2-digit' },
  ).format(at);
}

/** A value of the site's in the console's words: yes/no, a number with the language's separators, text as it is. */
export function valueText(t: T, lang: Lang, value: unknown): string {
  if (typeof value === 'boolean') return value ? t('card.yes') : t('card.no');
  if (typeof value === 'number') return Number.isFinite(value) ? new Intl.NumberFormat(locale(lang), { maximumFractionDigits: 6 }).format(value) : String(value);
  if (typeof value === 'string') return value;
  if (value === null || value === undefined) return '';
  return JSON.stringify(value);
}

/** An attribute's value by its kind: a date in the operator's time, else as `valueText` says. */
export function attributeText(t: T, lang: Lang, a: Pick<AttributeView, 'kind' | 'value'>): string {
  const value: unknown = a.value;
  if (a.kind === 'date') {
    const at = timeOf(value);
    return at ? formatDateTime(at, lang) : valueText(t, lang, value);
  }
  if (a.kind === 'number' && typeof value === 'string' && value.trim() !== '' && Number.isFinite(Number(value))) return valueText(t, lang, Number(value));
  return valueText(t, lang, value);
}

/** An event's properties as `key: value` lines (a name ending in `_at` holding a time is a date). */
export function propertyLines(t: T, lang: Lang, properties: Record<string, unknown> | null | undefined): string[] {
  return Object.entries(properties ?? {}).map(([k, v]) => {
    const at = k.endsWith('_at') ? timeOf(v) : 0;
    return `${k}: ${at ? formatDateTime(at, lang) : valueText(t, lang, v)}`;
  });
}

// ---- visitor tags ------------------------------------------------------------------------------

export type TagTrouble = 'empty' | 'comma' | 'too_long';

/** Why a typed tag would be refused (the server's own rule: 1–50 characters, no commas), or null. */
export function tagTrouble(text: string): TagTrouble | null {
  const s = text.trim();
  if (!s) return 'empty';
  if (s.includes(',')) return 'comma';
  if ([...s].length > TAG_MAX) return 'too_long';
  return null;
}

/** A tag as the server keeps it: inner white space folded, lower-cased (to tell one he has already). */
export function normalTag(text: string): string {
  return text.trim().split(/\s+/).join(' ').toLowerCase();
}

export function tagTroubleText(t: T, trouble: TagTrouble): string {
  if (trouble === 'comma') return t('card.vtag_comma');
  if (trouble === 'too_long') return t('card.vtag_too_long', { max: TAG_MAX });
  return t('card.vtag_empty');
}

/** The server's refusal of a tag change in words: the tag's rule, the most tags, or the code's text. */
export function tagProblemText(t: T, lang: Lang, problem: Problem): string {
  const issue = serverIssue(problem);
  if (issue && /^(add|remove)(\[\d+\])?$/.test(issue.field)) {
    if (issue.reason === 'too_many') return t('card.vtags_too_many', { max: issue.max ?? TAGS_MAX });
    return t('card.vtag_rule', { max: TAG_MAX });
  }
  return problemText(t, lang, problem);
}
