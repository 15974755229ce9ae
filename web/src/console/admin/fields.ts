/**
 * Custom fields (issue 16) as admins define them on the «Поля» page beside tags and categories:
 * «Модель» of a repaired device on dialogs, «Город» on visitors. Here is the pure part: the
 * editor's draft (text as typed), a key suggested from the label (Cyrillic transliterated), the
 * checks the server runs (`frontline_domain::fields`) named with the server's fields (`key`,
 * `options[2]`, `pattern`, `required`), the body of `POST /api/v1/fields` or `PATCH
 * /api/v1/fields/{id}`, the server's refusals read back to the input they name, and a field in
 * plain words for the list («Текст · заглавными», «обязательно для: Цифровая техника»).
 *
 * What stays true: a key follows the label until the admin types one, and is fixed once the
 * field is made (as its target and kind); the body holds `format` and `pattern` for a text field
 * only, `options` for a choice only, `required` for a dialog field only, as the server demands;
 * the console's own check and the server's refusal land beside the same input.
 */
import type { CustomFieldInput, CustomFieldView, FieldKind, FieldRequired, FieldTarget } from '../../shared/api-types';
import type { Translate } from '../../shared/i18n';
import type { Problem } from '../console-state';
import type { ConsoleKey } from '../i18n';
import { transliterate, wholePattern } from './escalation-forms';
import { placeField, type FieldIssue } from './field-issues';
import { issueText } from './issue-text';
import { serverIssue } from './server-issues';

type T = Translate<ConsoleKey>;

export const FIELD_KINDS: readonly FieldKind[] = ['text', 'number', 'choice', 'date'];
export const FIELD_TARGETS: readonly FieldTarget[] = ['dialog', 'visitor'];

/** The server's limits (docs/api.md "Custom fields"). */
export const LIMITS = { key: 40, label: 100, options: 50, option: 100, pattern: 200, fields: 50 } as const;

/** Before which dialogs the field must be filled: never, always, or those of some channels or categories. */
export type RequireMode = 'never' | 'always' | 'some';
export const REQUIRE_MODES: readonly RequireMode[] = ['never', 'always', 'some'];

export interface OptionDraft {
  /** Stable across edits, for rendering. */
  id: string;
  text: string;
}

/** A field as the editor holds it. */
export interface FieldDraft {
  key: string;
  /** The key still follows the label (a new field whose key the admin has not typed). */
  keyAuto: boolean;
  label: string;
  target: FieldTarget;
  kind: FieldKind;
  /** A choice's options, blank ones too (they are refused where they stand). */
  options: OptionDraft[];
  /** A text kept in capitals. */
  upper: boolean;
  /** A text's pattern as typed; blank is none. */
  pattern: string;
  require: RequireMode;
  channels: string[];
  categories: string[];
}

let counter = 0;
const nextId = () => `field-option-${++counter}`;

export const optionDraft = (text = ''): OptionDraft => ({ id: nextId(), text });

const chars = (s: string) => [...s].length;

/** A date field's key ends in `_at`, no other's does (a visitor's dates are told by that ending). */
export const isDateKey = (key: string): boolean => key.trim().endsWith('_at');

/** `base`, else `base_2`, `base_3`… (a date's `_at` kept at the end) — the first none of `taken` has. */
function unique(stem: string, date: boolean, taken: readonly string[]): string {
  const tail = date ? '_at' : '';
  const fit = (s: string, extra: string) => `${s.slice(0, LIMITS.key - extra.length - tail.length).replace(/_+$/, '')}${extra}${tail}`;
  if (!taken.includes(fit(stem, ''))) return fit(stem, '');
  for (let n = 2; ; n++) if (!taken.includes(fit(stem, `_${n}`))) return fit(stem, `_${n}`);
}

/**
 * A key for a label: `Модель` → `model`, `Серийный номер` → `seriynyy_nomer`, a date's
 * `Дата покупки` → `data_pokupki_at`; one starting with a digit gets `f_` before it; unique
 * among `taken` (`model_2`); '' when the label has no letter or digit to take.
 */
export function suggestKey(label: string, kind: FieldKind, taken: readonly string[] = []): string {
  let stem = transliterate(label)
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '');
  if (!stem) return '';
  if (/^\d/.test(stem)) stem = `f_${stem}`;
  // Neither kind may end up with a stray `_at`: a date gets it added, another loses it.
  stem = stem.replace(/(?:_at)+$/, '');
  if (!stem) return '';
  return unique(stem, kind === 'date', taken);
}

/** A new field of `target`: text, nothing required. */
export function newFieldDraft(target: FieldTarget = 'dialog'): FieldDraft {
  return { key: '', keyAuto: true, label: '', target, kind: 'text', options: [optionDraft()], upper: false, pattern: '', require: 'never', channels: [], categories: [] };
}

export function requireMode(r: FieldRequired): RequireMode {
  if (r.always) return 'always';
  return r.channels.length > 0 || r.categories.length > 0 ? 'some' : 'never';
}

/** The editor's draft of a saved field, or of a new one. */
export function fieldDraft(f: CustomFieldView | null, target: FieldTarget = 'dialog'): FieldDraft {
  if (!f) return newFieldDraft(target);
  return {
    key: f.key,
    keyAuto: false,
    label: f.label,
    target: f.target,
    kind: f.kind,
    options: f.options.length > 0 ? f.options.map((o) => optionDraft(o)) : [optionDraft()],
    upper: f.format === 'upper',
    pattern: f.pattern ?? '',
    require: requireMode(f.required),
    channels: [...f.required.channels],
    categories: [...f.required.categories],
  };
}

/** The keys a new field of `target` may not take (archived fields keep theirs). */
export const takenKeys = (fields: readonly CustomFieldView[], target: FieldTarget): string[] => fields.filter((f) => f.target === target).map((f) => f.key);

/** The draft relabelled; its key follows while it is automatic. */
export function withLabel(d: FieldDraft, label: string, taken: readonly string[]): FieldDraft {
  return d.keyAuto ? { ...d, label, key: suggestKey(label, d.kind, taken) } : { ...d, label };
}

/** The draft of another kind (a new field only); an automatic key follows (a date's ends in `_at`). */
export function withKind(d: FieldDraft, kind: FieldKind, taken: readonly string[]): FieldDraft {
  const next = { ...d, kind };
  return d.keyAuto ? { ...next, key: suggestKey(d.label, kind, taken) } : next;
}

/** The draft for another target (a new field only): a visitor's field is never required. */
export function withTarget(d: FieldDraft, target: FieldTarget, taken: readonly string[]): FieldDraft {
  const next = { ...d, target };
  return d.keyAuto ? { ...next, key: suggestKey(d.label, d.kind, taken) } : next;
}

/** The draft with a key of the admin's own (it no longer follows the label). */
export const withKey = (d: FieldDraft, key: string): FieldDraft => ({ ...d, key, keyAuto: false });

/** The server's name of an option: `options[2]`. */
export const optionPath = (i: number): string => `options[${i}]`;

type Checked<V> = { ok: true; value: V } | { ok: false; issues: FieldIssue[] };

/** A pattern the console can read and an empty value would not match; null when it cannot tell. */
function patternIssue(pattern: string): FieldIssue | null {
  if (chars(pattern) > LIMITS.pattern) return { field: 'pattern', reason: 'too_long', max: LIMITS.pattern };
  const re = wholePattern(pattern);
  // regex-lite reads a few things JavaScript does not (inline flags): the server judges those.
  if (!re) return /\(\?[a-zA-Z]/.test(pattern) ? null : { field: 'pattern', reason: 'regex' };
  return re.test('') ? { field: 'pattern', reason: 'invalid' } : null;
}

/**
 * The body of `POST /api/v1/fields` (`saved` null) or of `PATCH /api/v1/fields/{id}`, or every
 * issue of the draft. `taken`: the keys other fields of the target hold.
 */
export function fieldRequest(d: FieldDraft, saved: CustomFieldView | null, taken: readonly string[] = []): Checked<CustomFieldInput> {
  const issues: FieldIssue[] = [];
  const key = d.key.trim();
  if (!saved) {
    if (!key) issues.push({ field: 'key', reason: 'required' });
    else if (key.length > LIMITS.key || !/^[a-z][a-z0-9_]*$/.test(key)) issues.push({ field: 'key', reason: 'slug' });
    else if ((d.kind === 'date') !== isDateKey(key)) issues.push({ field: 'key', reason: 'invalid' });
    else if (taken.includes(key)) issues.push({ field: 'key', reason: 'taken' });
  }
  const label = d.label.trim();
  if (!label) issues.push({ field: 'label', reason: 'required' });
  else if (chars(label) > LIMITS.label) issues.push({ field: 'label', reason: 'too_long', max: LIMITS.label });

  const body: CustomFieldInput = saved ? { label } : { key, label, target: d.target, kind: d.kind };
  if (d.kind === 'choice') {
    const options = d.options.map((o) => o.text.trim());
    if (options.every((o) => !o)) issues.push({ field: 'options', reason: 'too_few', min: 1 });
    else if (options.length > LIMITS.options) issues.push({ field: 'options', reason: 'too_many', max: LIMITS.options });
    else {
      options.forEach((o, i) => {
        if (!o) issues.push({ field: optionPath(i), reason: 'required' });
        else if (chars(o) > LIMITS.option) issues.push({ field: optionPath(i), reason: 'too_long', max: LIMITS.option });
        else if (options.indexOf(o) < i) issues.push({ field: optionPath(i), reason: 'duplicate' });
      });
    }
    body.options = options;
  }
  if (d.kind === 'text') {
    const pattern = d.pattern.trim();
    const bad = pattern ? patternIssue(pattern) : null;
    if (bad) issues.push(bad);
    body.format = d.upper ? 'upper' : 'none';
    // Blank clears a saved one; a new field without one sends none.
    if (pattern || saved) body.pattern = pattern;
  }
  if (d.target === 'dialog') {
    if (d.require === 'some' && d.channels.length === 0 && d.categories.length === 0) issues.push({ field: 'required', reason: 'too_few', min: 1 });
    body.required =
      d.require === 'always'
        ? { always: true, channels: [], categories: [] }
        : d.require === 'some'
          ? { always: false, channels: [...d.channels], categories: [...d.categories] }
          : { always: false, channels: [], categories: [] };
  }
  return issues.length > 0 ? { ok: false, issues } : { ok: true, value: body };
}

/** Whether two drafts ask the same of the server (the form is unchanged). */
export function sameDraft(a: FieldDraft, b: FieldDraft): boolean {
  const key = (d: FieldDraft) =>
    JSON.stringify({
      ...d,
      keyAuto: undefined,
      key: d.key.trim(),
      label: d.label.trim(),
      pattern: d.kind === 'text' ? d.pattern.trim() : '',
      upper: d.kind === 'text' && d.upper,
      options: d.kind === 'choice' ? d.options.map((o) => o.text.trim()).filter(Boolean) : [],
      require: d.target === 'dialog' ? d.require : 'never',
      channels: d.target === 'dialog' && d.require === 'some' ? [...d.channels].sort() : [],
      categories: d.target === 'dialog' && d.require === 'some' ? [...d.categories].sort() : [],
    });
  return key(a) === key(b);
}

// ---- the server's refusals, and words ----------------------------------------------------------

/** The places on the form a refusal may land: the inputs, each option, the requirement. */
export function anchorsOf(d: Pick<FieldDraft, 'options'>): Set<string> {
  return new Set(['key', 'label', 'target', 'kind', 'options', 'format', 'pattern', 'required', ...d.options.map((_, i) => optionPath(i))]);
}

/** A field's issue in the console's words, with the field's own sense (a date's key, an option listed twice). */
export function fieldIssueText(t: T, issue: FieldIssue, d: Pick<FieldDraft, 'kind'>): string {
  const f = issue.field;
  if (f === 'key') {
    if (issue.reason === 'slug' || issue.reason === 'length' || issue.reason === 'too_long') return t('fields.key_slug', { max: LIMITS.key });
    // The server says "a date field's key ends in _at" (read as `date`); the console, `invalid`.
    if (issue.reason === 'invalid' || issue.reason === 'date') return d.kind === 'date' ? t('fields.key_date') : t('fields.key_not_date');
    if (issue.reason === 'taken' || issue.reason === 'duplicate') return t('fields.key_taken');
  }
  if (f === 'pattern' && issue.reason === 'invalid') return t('fields.pattern_empty');
  if (f === 'pattern' && issue.reason === 'choice') return t('fields.text_only');
  if (f === 'format') return t('fields.text_only');
  if (f === 'required' && (issue.reason === 'too_few' || issue.reason === 'required')) return t('fields.require_pick');
  if (f === 'required') return t('fields.require_dialog_only');
  if (f === 'options' && issue.reason === 'too_few') return t('fields.options_none');
  if (/^options\[\d+\]$/.test(f) && issue.reason === 'duplicate') return t('fields.option_twice');
  if (f === 'kind' || f === 'target') return t('fields.fixed');
  return issueText(t, issue);
}

/**
 * What to show beside each input (by the path the form gives it): the console's own issues, then
 * the server's refusal of a field worded by the console — a channel or category gone meanwhile
 * (`404`, `required.channels[0]`) lands on the requirement.
 */
export function fieldMessages(t: T, issues: readonly FieldIssue[], problem: Problem | null, d: FieldDraft): Map<string, string> {
  const anchors = anchorsOf(d);
  const out = new Map<string, string>();
  for (const issue of issues) {
    const at = placeField(issue.field, anchors) ?? issue.field;
    if (!out.has(at)) out.set(at, fieldIssueText(t, issue, d));
  }
  const at = refusedAt(problem, d);
  if (problem && at) {
    if (problem.code === 'not_found') out.set(at, t('fields.require_gone'));
    else {
      const refused = serverIssue(problem);
      if (refused) out.set(at, fieldIssueText(t, { ...refused, field: at }, d));
    }
  }
  return out;
}

/** The input a refusal names, or null when the form has no place for it (told under the form). */
export function refusedAt(problem: Problem | null, d: Pick<FieldDraft, 'options'>): string | null {
  const field = typeof problem?.details.field === 'string' ? problem.details.field.trim() : '';
  if (!problem || !field) return null;
  if (problem.code === 'not_found' && /^required\.(channels|categories)\[\d+\]$/.test(field)) return 'required';
  if (problem.code !== 'validation_failed') return null;
  if (tooManyFields(problem)) return null;
  return placeField(field, anchorsOf(d));
}

/** The workspace has as many live fields as it may (`key`: "at most 50 live fields"). */
export function tooManyFields(problem: Problem | null): boolean {
  return problem?.code === 'validation_failed' && /live fields/.test(`${problem.details.reason ?? ''} ${problem.message ?? ''}`);
}

const KIND_WORDS: Record<FieldKind, ConsoleKey> = {
  text: 'fields.kind_text',
  number: 'fields.kind_number',
  choice: 'fields.kind_choice',
  date: 'fields.kind_date',
};

export const kindWords = (t: T, kind: FieldKind): string => t(KIND_WORDS[kind]);

/** What a field takes, short: «Текст · заглавными», «Список: 3 варианта», «Дата». */
export function kindSummary(t: T, f: Pick<CustomFieldView, 'kind' | 'format' | 'pattern' | 'options'>): string {
  const parts = [kindWords(t, f.kind)];
  if (f.kind === 'text' && f.format === 'upper') parts.push(t('fields.sum_upper'));
  if (f.kind === 'text' && f.pattern) parts.push(t('fields.sum_pattern'));
  if (f.kind === 'choice') parts.push(f.options.join(', '));
  return parts.join(' · ');
}

/** When it must be filled, in words: «обязательно всегда», «обязательно для: Поддержка, Ремонт»; '' when never. */
export function requiredSummary(
  t: T,
  r: FieldRequired,
  names: { channel: (id: string) => string | null; category: (id: string) => string | null },
): string {
  if (r.always) return t('fields.sum_required_always');
  const list = [...r.channels.map((id) => names.channel(id) ?? '…'), ...r.categories.map((id) => names.category(id) ?? '…')];
  return list.length > 0 ? t('fields.sum_required_for', { list: list.join(', ') }) : '';
}
