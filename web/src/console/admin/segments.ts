/**
 * Segments (issue 16) as the console holds them: saved filters over what is known of the
 * workspace's visitors — attributes the site set, events he did, his visitor tags, when he was
 * last seen. Here is the pure part: the editor's draft (text as typed), its checks and the
 * request it makes (`POST/PATCH /api/v1/segments`, `POST /api/v1/segments/preview`), a
 * plain-language summary of a filter («plan = pro · сделал order_paid за 30 дней»), the
 * server's field paths (`filter.rules[2].value`) read back to the row and input they name, and
 * the Russian plural forms of the counts.
 *
 * What stays true: the console checks a rule the way the server does (docs/api.md "Segments",
 * `frontline_domain::segments`) and names its issues with the server's paths, so the console's
 * own check and the server's refusal land beside the same input; a draft with an incomplete
 * rule makes no request at all (`filterCheck` is not ok).
 */
import type { components } from '../../shared/api-schema.gen';
import type { Lang, Translate } from '../../shared/i18n';
import type { Problem } from '../console-state';
import type { ConsoleKey } from '../i18n';
import type { FieldIssue } from './field-issues';
import { issueText } from './issue-text';
import { serverIssue } from './server-issues';

type Schemas = components['schemas'];
type T = Translate<ConsoleKey>;

export type SegmentView = Schemas['SegmentView'];
export type SegmentFilter = Schemas['SegmentFilter'];
export type SegmentRule = Schemas['SegmentRule'];
export type SegmentPreview = Schemas['SegmentPreview'];
export type SegmentVisitor = Schemas['SegmentVisitor'];
export type SegmentRef = Schemas['SegmentRef'];
export type AttributeOp = Schemas['AttributeOp'];
export type SeenOp = Schemas['SeenOp'];
export type Match = Schemas['Match'];
export type RuleType = SegmentRule['type'];

/** What a rule may look at, in the order the editor offers them. */
export const RULE_TYPES: readonly RuleType[] = ['attribute', 'event', 'tag', 'last_seen'];
/** How an attribute that is not a date may be compared. */
export const VALUE_OPS: readonly AttributeOp[] = ['is', 'is_not', 'contains', 'gt', 'lt', 'exists', 'missing'];
/** How a date (an attribute whose name ends in `_at`) may be compared. */
export const DATE_OPS: readonly AttributeOp[] = ['within_days', 'older_than_days', 'exists', 'missing'];
export const SEEN_OPS: readonly SeenOp[] = ['within_days', 'older_than_days'];

export const SEGMENTS_MAX = 100;
export const RULES_MAX = 20;
export const NAME_MAX = 100;
export const TAG_MAX = 50;
export const TEXT_MAX = 1000;
export const DAYS_MAX = 3650;
export const TIMES_MAX = 1_000_000;

/** What an `is`/`is_not` value is: the server compares it with the attribute exactly, kind and all. */
export type ValueKind = 'text' | 'number' | 'boolean';
export const VALUE_KINDS: readonly ValueKind[] = ['text', 'number', 'boolean'];

/**
 * One rule as the editor holds it: every type's fields at once, as typed, so switching the
 * type back and forth keeps what was written.
 */
export interface RuleDraft {
  /** Stable across edits, for rendering. */
  key: string;
  type: RuleType;
  /** The attribute's or the event's name. */
  name: string;
  op: AttributeOp;
  /** The attribute's value as typed: text, a number, or whole days. */
  value: string;
  kind: ValueKind;
  /** A yes/no value of `is`/`is_not`. */
  flag: boolean;
  did: boolean;
  /** Times in all, as typed; blank is once. */
  atLeast: string;
  /** The event's last time within this many days, as typed; blank is any time. */
  withinDays: string;
  tag: string;
  has: boolean;
  seen: SeenOp;
  days: string;
}

export interface SegmentDraft {
  name: string;
  match: Match;
  rules: RuleDraft[];
}

let counter = 0;
const nextKey = () => `s${++counter}`;

export function newRuleDraft(type: RuleType = 'attribute'): RuleDraft {
  return {
    key: nextKey(),
    type,
    name: '',
    op: 'is',
    value: '',
    kind: 'text',
    flag: true,
    did: true,
    atLeast: '',
    withinDays: '',
    tag: '',
    has: true,
    seen: 'within_days',
    days: '30',
  };
}

const numberText = (n: unknown): string => (typeof n === 'number' && Number.isFinite(n) ? String(n) : '');

/** A saved rule as the editor holds it. */
export function ruleDraftFrom(rule: SegmentRule): RuleDraft {
  const d = newRuleDraft(rule.type);
  switch (rule.type) {
    case 'attribute': {
      const v: unknown = rule.value;
      const kind: ValueKind = typeof v === 'boolean' ? 'boolean' : typeof v === 'number' ? 'number' : 'text';
      return { ...d, name: rule.name, op: rule.op, kind, flag: v !== false, value: typeof v === 'string' ? v : typeof v === 'number' ? numberText(v) : '' };
    }
    case 'event':
      return { ...d, name: rule.name, did: rule.did ?? true, atLeast: numberText(rule.at_least), withinDays: numberText(rule.within_days) };
    case 'tag':
      return { ...d, tag: rule.tag, has: rule.has ?? true };
    case 'last_seen':
      return { ...d, seen: rule.op, days: numberText(rule.days) };
  }
}

/** The editor's draft of a saved segment, or of a new one (one empty attribute rule). */
export function segmentDraft(s: SegmentView | null): SegmentDraft {
  if (!s) return { name: '', match: 'all', rules: [newRuleDraft('attribute')] };
  return { name: s.name, match: s.filter.match ?? 'all', rules: s.filter.rules.map(ruleDraftFrom) };
}

/** A date attribute: its name ends in `_at` (as the server reads it). */
export const isDateName = (name: string): boolean => name.trim().endsWith('_at');

/** The comparisons that make sense for an attribute of this name. */
export const opsFor = (name: string): readonly AttributeOp[] => (isDateName(name) ? DATE_OPS : VALUE_OPS);

/** The rule with its attribute renamed; a comparison that no longer fits becomes the first that does. */
export function withName(d: RuleDraft, name: string): RuleDraft {
  const ops = opsFor(name);
  return { ...d, name, op: d.type === 'attribute' && !ops.includes(d.op) ? ops[0] : d.op };
}

/** The rule looking at something else; what was typed stays, an attribute's comparison fits its name. */
export function retypeRule(d: RuleDraft, type: RuleType): RuleDraft {
  return type === 'attribute' ? withName({ ...d, type }, d.name) : { ...d, type };
}

/** What value an attribute comparison wants. */
export type ValueNeed = 'none' | 'any' | 'text' | 'number' | 'days';

export function valueNeed(op: AttributeOp): ValueNeed {
  switch (op) {
    case 'exists':
    case 'missing':
      return 'none';
    case 'contains':
      return 'text';
    case 'gt':
    case 'lt':
      return 'number';
    case 'within_days':
    case 'older_than_days':
      return 'days';
    default:
      return 'any';
  }
}

/** A number as typed: `3`, `-2`, `1234.5`, `1 234,5`; null for anything else. */
export function parseNumber(text: string): number | null {
  const s = text.trim().replace(/[\s\u00a0\u202f]/g, '').replace(',', '.');
  if (!/^-?\d+(?:\.\d+)?$/.test(s)) return null;
  const n = Number(s);
  return Number.isFinite(n) ? n : null;
}

/** A whole number as typed, or null. */
export function parseWhole(text: string): number | null {
  const s = text.trim();
  return /^\d{1,9}$/.test(s) ? Number(s) : null;
}

const chars = (s: string) => [...s].length;

/** The server's name of a rule's field: `filter.rules[2].value`. */
export const rulePath = (index: number, field: string): string => `filter.rules[${index}].${field}`;

type Checked<V> = { ok: true; value: V } | { ok: false; issues: FieldIssue[] };

function wholeIn(field: string, text: string, min: number, max: number, issues: FieldIssue[]): number | null {
  const n = parseWhole(text);
  if (n === null) {
    issues.push(text.trim() ? { field, reason: 'whole_number' } : { field, reason: 'required' });
    return null;
  }
  if (n < min || n > max) {
    issues.push({ field, reason: 'range', min, max });
    return null;
  }
  return n;
}

function nameIn(field: string, text: string, issues: FieldIssue[]): string {
  const name = text.trim();
  if (!name) issues.push({ field, reason: 'required' });
  else if (chars(name) > NAME_MAX) issues.push({ field, reason: 'too_long', max: NAME_MAX });
  else if (name.includes('"')) issues.push({ field, reason: 'invalid' });
  return name;
}

/** One rule as the server takes it, or what is missing or wrong (named `filter.rules[i].…`). */
export function ruleCheck(d: RuleDraft, index: number): Checked<SegmentRule> {
  const issues: FieldIssue[] = [];
  const at = (field: string) => rulePath(index, field);
  let rule: SegmentRule | null = null;
  switch (d.type) {
    case 'attribute': {
      const name = nameIn(at('name'), d.name, issues);
      const op = opsFor(d.name).includes(d.op) ? d.op : opsFor(d.name)[0];
      const need = valueNeed(op);
      let value: string | number | boolean | undefined;
      if (need === 'days') value = wholeIn(at('value'), d.value, 1, DAYS_MAX, issues) ?? undefined;
      else if (need === 'number' || (need === 'any' && d.kind === 'number')) {
        const n = parseNumber(d.value);
        if (n === null) issues.push(d.value.trim() ? { field: at('value'), reason: 'invalid' } : { field: at('value'), reason: 'required' });
        else value = n;
      } else if (need === 'any' && d.kind === 'boolean') value = d.flag;
      else if (need === 'text' || need === 'any') {
        const text = d.value.trim();
        if (!text) issues.push({ field: at('value'), reason: 'required' });
        else if (chars(text) > TEXT_MAX) issues.push({ field: at('value'), reason: 'too_long', max: TEXT_MAX });
        else value = text;
      }
      rule = need === 'none' ? { type: 'attribute', name, op } : { type: 'attribute', name, op, value };
      break;
    }
    case 'event': {
      const name = nameIn(at('name'), d.name, issues);
      const atLeast = d.atLeast.trim() ? wholeIn(at('at_least'), d.atLeast, 1, TIMES_MAX, issues) : null;
      const within = d.withinDays.trim() ? wholeIn(at('within_days'), d.withinDays, 1, DAYS_MAX, issues) : null;
      rule = { type: 'event', name, did: d.did, ...(atLeast !== null ? { at_least: atLeast } : {}), ...(within !== null ? { within_days: within } : {}) };
      break;
    }
    case 'tag': {
      const tag = d.tag.trim();
      if (!tag) issues.push({ field: at('tag'), reason: 'required' });
      else if (chars(tag) > TAG_MAX) issues.push({ field: at('tag'), reason: 'too_long', max: TAG_MAX });
      else if (tag.includes(',')) issues.push({ field: at('tag'), reason: 'invalid' });
      rule = { type: 'tag', tag, has: d.has };
      break;
    }
    case 'last_seen': {
      const days = wholeIn(at('days'), d.days, 1, DAYS_MAX, issues);
      rule = { type: 'last_seen', op: d.seen, days: days ?? 0 };
      break;
    }
  }
  return issues.length > 0 || !rule ? { ok: false, issues } : { ok: true, value: rule };
}

/** The filter as the server takes it, or every issue of its rules. */
export function filterCheck(d: Pick<SegmentDraft, 'match' | 'rules'>): Checked<SegmentFilter> {
  const issues: FieldIssue[] = [];
  const rules: SegmentRule[] = [];
  if (d.rules.length === 0) issues.push({ field: 'filter.rules', reason: 'too_few', min: 1 });
  if (d.rules.length > RULES_MAX) issues.push({ field: 'filter.rules', reason: 'too_many', max: RULES_MAX });
  d.rules.forEach((r, i) => {
    const c = ruleCheck(r, i);
    if (c.ok) rules.push(c.value);
    else issues.push(...c.issues);
  });
  return issues.length > 0 ? { ok: false, issues } : { ok: true, value: { match: d.match, rules } };
}

/** What the live count asks about: the draft's filter, or null while a rule is incomplete. */
export function previewFilter(d: Pick<SegmentDraft, 'match' | 'rules'>): SegmentFilter | null {
  const c = filterCheck(d);
  return c.ok ? c.value : null;
}

export interface SegmentBody {
  name: string;
  filter: SegmentFilter;
}

/** The body of `POST /api/v1/segments` (or `PATCH`), or every issue of the draft. */
export function segmentRequest(d: SegmentDraft): Checked<SegmentBody> {
  const issues: FieldIssue[] = [];
  const name = d.name.trim();
  if (!name) issues.push({ field: 'name', reason: 'required' });
  else if (chars(name) > NAME_MAX) issues.push({ field: 'name', reason: 'too_long', max: NAME_MAX });
  const filter = filterCheck(d);
  if (!filter.ok) issues.push(...filter.issues);
  return issues.length > 0 || !filter.ok ? { ok: false, issues } : { ok: true, value: { name, filter: filter.value } };
}

/** Whether two drafts ask the same of the server (the form is unchanged). */
export function sameDraft(a: SegmentDraft, b: SegmentDraft): boolean {
  const key = (d: SegmentDraft) => {
    const r = segmentRequest(d);
    return r.ok ? JSON.stringify(r.value) : JSON.stringify({ ...d, rules: d.rules.map((x) => ({ ...x, key: '' })) });
  };
  return key(a) === key(b);
}

// ---- the server's field paths -----------------------------------------------------------------

export interface SegmentFieldRef {
  /** The rule's index; null for the segment's own fields (`name`, `filter`, `filter.rules`). */
  rule: number | null;
  field: string;
}

/** `filter.rules[2].value` → rule 2, `value`; `name` → the name; null for a path the form has no place for. */
export function parseSegmentField(path: string): SegmentFieldRef | null {
  const p = path.trim();
  const m = /^filter\.rules\[(\d+)\](?:\.(\w+))?$/.exec(p);
  if (m) return { rule: Number(m[1]), field: m[2] ?? 'type' };
  if (p === 'name') return { rule: null, field: 'name' };
  if (p === 'filter' || p === 'filter.rules') return { rule: null, field: 'rules' };
  if (p === 'filter.match') return { rule: null, field: 'match' };
  return null;
}

/** The path of a refused field as the form shows it (a whole rule's refusal lands on its type). */
export function anchorOf(path: string): string | null {
  const ref = parseSegmentField(path);
  if (!ref) return null;
  if (ref.rule === null) return ref.field === 'rules' ? 'filter.rules' : ref.field === 'match' ? 'filter.match' : 'name';
  return rulePath(ref.rule, ref.field);
}

/** A field's issue in the console's words, with the rule's own sense (a number, days, a tag). */
export function segmentIssueText(t: T, issue: FieldIssue, draft: Pick<SegmentDraft, 'rules'>): string {
  const ref = parseSegmentField(issue.field);
  const rule = ref?.rule !== null && ref?.rule !== undefined ? draft.rules[ref.rule] : undefined;
  if (ref && rule) {
    if (ref.field === 'name' && issue.reason === 'invalid') return t('segments.issue_quote');
    if (ref.field === 'tag' && issue.reason === 'invalid') return t('segments.issue_comma');
    if (ref.field === 'op') return t('segments.issue_date_ops');
    if (ref.field === 'value' && rule.type === 'attribute' && issue.reason === 'invalid') {
      const need = valueNeed(rule.op);
      if (need === 'number' || (need === 'any' && rule.kind === 'number')) return t('segments.issue_number');
    }
  }
  if (ref?.field === 'rules' && issue.reason === 'too_few') return t('segments.issue_no_rules');
  return issueText(t, issue);
}

/**
 * What to show beside each input, by the path the form gives it: the console's own issues, then
 * the server's refusal of a field (worded by the console), and a name taken in words.
 */
export function segmentMessages(t: T, issues: readonly FieldIssue[], problem: Problem | null, draft: Pick<SegmentDraft, 'rules'>): Map<string, string> {
  const out = new Map<string, string>();
  for (const issue of issues) {
    const at = anchorOf(issue.field) ?? issue.field;
    if (!out.has(at)) out.set(at, segmentIssueText(t, issue, draft));
  }
  if (problem?.code === 'name_taken') out.set('name', t('segments.name_taken'));
  const refused = serverIssue(problem);
  if (refused) {
    const at = anchorOf(refused.field);
    if (at) out.set(at, segmentIssueText(t, refused, draft));
  }
  return out;
}

/** Whether the form shows the refusal beside an input (else it is told under the form). */
export function refusedAtField(problem: Problem | null): boolean {
  if (problem?.code === 'name_taken') return true;
  const refused = serverIssue(problem);
  return !!refused && anchorOf(refused.field) !== null;
}

// ---- words ------------------------------------------------------------------------------------

export type PluralForm = 'one' | 'few' | 'many';

/** Russian: 1 посетитель, 2 посетителя, 5 посетителей (21, 22, 25 alike; 11–14 many); English: 1 or more. */
export function pluralForm(lang: Lang, n: number): PluralForm {
  const whole = Math.abs(Math.trunc(n));
  if (lang === 'en') return whole === 1 && Number.isInteger(n) ? 'one' : 'many';
  if (!Number.isInteger(n)) return 'few';
  const n10 = whole % 10;
  const n100 = whole % 100;
  if (n10 === 1 && n100 !== 11) return 'one';
  if (n10 >= 2 && n10 <= 4 && (n100 < 12 || n100 > 14)) return 'few';
  return 'many';
}

const locale = (lang: Lang) => (lang === 'ru' ? 'ru-RU' : 'en-GB');
const formatNumber = (lang: Lang, n: number) => new Intl.NumberFormat(locale(lang), { maximumFractionDigits: 6 }).format(n);

const VISITORS: Record<PluralForm, ConsoleKey> = { one: 'segments.visitors_one', few: 'segments.visitors_few', many: 'segments.visitors_many' };
const DAYS: Record<PluralForm, ConsoleKey> = { one: 'segments.days_one', few: 'segments.days_few', many: 'segments.days_many' };
const TIMES: Record<PluralForm, ConsoleKey> = { one: 'segments.times_one', few: 'segments.times_few', many: 'segments.times_many' };

/** «5 посетителей», "1 visitor". */
export const visitorsText = (t: T, lang: Lang, n: number): string => t(VISITORS[pluralForm(lang, n)], { n: formatNumber(lang, n) });
/** «30 дней», "1 day". */
export const daysText = (t: T, lang: Lang, n: number): string => t(DAYS[pluralForm(lang, n)], { n: formatNumber(lang, n) });
/** «3 раза», "3 times". */
export const timesText = (t: T, lang: Lang, n: number): string => t(TIMES[pluralForm(lang, n)], { n: formatNumber(lang, n) });

/** A value of an attribute rule as the summary shows it: yes/no, a number in the language's way, text as it is. */
function valueWords(t: T, lang: Lang, v: unknown): string {
  if (typeof v === 'boolean') return v ? t('card.yes') : t('card.no');
  if (typeof v === 'number') return formatNumber(lang, v);
  return typeof v === 'string' ? v : '';
}

/** One rule in plain words: «plan = pro», «сделал order_paid за 30 дней», «с меткой «vip»». */
export function ruleSummary(t: T, lang: Lang, rule: SegmentRule): string {
  switch (rule.type) {
    case 'attribute': {
      const v: unknown = rule.value;
      const name = rule.name;
      switch (rule.op) {
        case 'is':
          return t('segments.sum_is', { name, value: valueWords(t, lang, v) });
        case 'is_not':
          return t('segments.sum_is_not', { name, value: valueWords(t, lang, v) });
        case 'contains':
          return t('segments.sum_contains', { name, value: valueWords(t, lang, v) });
        case 'gt':
          return t('segments.sum_gt', { name, value: valueWords(t, lang, v) });
        case 'lt':
          return t('segments.sum_lt', { name, value: valueWords(t, lang, v) });
        case 'exists':
          return t('segments.sum_exists', { name });
        case 'missing':
          return t('segments.sum_missing', { name });
        case 'within_days':
          return t('segments.sum_date_within', { name, days: daysText(t, lang, Number(v)) });
        case 'older_than_days':
          return t('segments.sum_date_older', { name, days: daysText(t, lang, Number(v)) });
        default:
          return name;
      }
    }
    case 'event': {
      const did = rule.did ?? true;
      let text = t(did ? 'segments.sum_did' : 'segments.sum_did_not', { name: rule.name });
      if (rule.at_least && rule.at_least > 1) text += t('segments.sum_times', { times: timesText(t, lang, rule.at_least) });
      if (rule.within_days) text += t('segments.sum_within', { days: daysText(t, lang, rule.within_days) });
      return text;
    }
    case 'tag':
      return t(rule.has ?? true ? 'segments.sum_tag' : 'segments.sum_no_tag', { tag: rule.tag });
    case 'last_seen':
      return t(rule.op === 'within_days' ? 'segments.sum_seen_within' : 'segments.sum_seen_older', { days: daysText(t, lang, rule.days) });
  }
}

/** A filter in plain words: all rules joined by «·», any by «или». */
export function filterSummary(t: T, lang: Lang, filter: SegmentFilter): string {
  return filter.rules.map((r) => ruleSummary(t, lang, r)).join((filter.match ?? 'all') === 'any' ? t('segments.join_any') : t('segments.join_all'));
}

/** A visitor of a preview: his name, else «Посетитель №N». */
export function previewVisitorName(t: T, v: Pick<SegmentVisitor, 'name' | 'number'>): string {
  return v.name?.trim() || t('segments.visitor_numbered', { n: v.number });
}

/** A refusal of the whole page in words: where a segment is used, the limit of segments. */
export function segmentProblemText(t: T, problem: Problem): string | null {
  if (problem.code === 'segment_in_use') {
    const by = typeof problem.details.used_by === 'string' ? problem.details.used_by.trim() : '';
    return by ? t('segments.in_use_by', { by: usedByWords(t, by) }) : t('segments.in_use');
  }
  if (problem.code === 'too_many_segments') {
    const limit = Number(problem.details.limit) || SEGMENTS_MAX;
    return t('segments.too_many', { limit });
  }
  if (problem.code === 'rate_limited') return t('segments.rate_limited');
  return null;
}

/**
 * Where a segment is used, as the server names it («routing rule «Покупатели»», «proactive
 * message «Отзыв»»), in the console's words; anything else as the server wrote it.
 */
export function usedByWords(t: T, by: string): string {
  const m = /^(routing rule|proactive message)\s+(.*)$/.exec(by.trim());
  if (!m) return by;
  const name = m[2].replace(/^[«"]|[»"]$/g, '');
  return t(m[1] === 'routing rule' ? 'segments.used_by_rule' : 'segments.used_by_trigger', { name });
}
