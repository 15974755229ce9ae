/**
 * Escalation forms (admins): what a visitor fills in when his question is for another
 * department (the kitchen maker's «Рекламация»: full name, contract number, e-mail, phone), where
 * the filled form is mailed, its subject, what the visitor is told with his request's number and
 * the due time, and how that time is counted. The pure rules the page needs live here — the
 * form as the editor holds it (text), each field's key made from its label, the checks the
 * server runs (`crates/domain/src/forms.rs`) with each bad value named as the server names it
 * (`fields[2].pattern`), the answer's preview — beside the controller (`FormsAdminState`) that
 * speaks to `/api/v1/forms` (read all; `POST` a new one, `PUT` one whole; none is ever deleted,
 * `enabled: false` retires it).
 *
 * What stays true: a field's key follows its label until the admin types a key of his own (a key
 * already saved never changes by itself); the body sent holds a `pattern` for a contract field
 * only; the console's own check and the server's refusal land beside the same input.
 */
import type { Requester } from '../../shared/api';
import type { FormFieldView, FormInput, FormView, Items } from '../../shared/api-types';
import type { Lang, Translate } from '../../shared/i18n';
import { Observable } from '../../shared/store';
import type { Problem } from '../console-state';
import type { ConsoleKey } from '../i18n';
import { withSaved } from './controllers';
import { placeField, type FieldIssue } from './field-issues';
import { issueText } from './issue-text';
import { looksLikeAddress } from './mail';
import { serverIssue } from './server-issues';

type T = Translate<ConsoleKey>;

// ---- the wire --------------------------------------------------------------------------------

/** A form as the API shows and admins write it, and one of its fields (api-types.ts says why by hand). */
export type { FormFieldView, FormInput, FormView };
export type FormList = Items<FormView>;

/** What a field takes: free text, a number matched whole by a pattern, an e-mail address, a phone. */
export const FIELD_KINDS = ['text', 'contract', 'email', 'phone'] as const;
export type FieldKind = (typeof FIELD_KINDS)[number];

/**
 * How the due time is counted: Monday to Friday around the clock in the channel's time zone
 * without its holidays (the default); the channel's business hours; every hour.
 */
export const COUNTINGS = ['weekdays', 'business_hours', 'calendar'] as const;
export type Counting = (typeof COUNTINGS)[number];

/** The department mail's language. */
export const MAIL_LANGS = ['ru', 'en'] as const;

/** The server's limits (crates/domain/src/forms.rs, crates/core/src/forms.rs). */
export const LIMITS = {
  name: 100,
  fieldsMin: 1,
  fieldsMax: 20,
  key: 32,
  label: 100,
  pattern: 200,
  address: 254,
  subject: 200,
  answer: 1000,
  dueMin: 1,
  dueMax: 720,
  forms: 50,
} as const;

/** What the answer's preview fills in: request №17, due 7 December 2026, 15:00 (the server's clock per language). */
export const PREVIEW_NUMBER = 17;
export const PREVIEW_DUE: Record<Lang, string> = { ru: '07.12.2026, 15:00', en: '7 Dec 2026, 15:00' };

/** The answer's placeholders. */
export const PLACEHOLDERS = ['{number}', '{due}'] as const;

export function isFieldKind(s: string): s is FieldKind {
  return (FIELD_KINDS as readonly string[]).includes(s);
}

// ---- keys from labels ------------------------------------------------------------------------

const CYRILLIC: Readonly<Record<string, string>> = {
  а: 'a', б: 'b', в: 'v', г: 'g', д: 'd', е: 'e', ё: 'e', ж: 'zh', з: 'z', и: 'i', й: 'y', к: 'k', л: 'l', м: 'm',
  н: 'n', о: 'o', п: 'p', р: 'r', с: 's', т: 't', у: 'u', ф: 'f', х: 'kh', ц: 'ts', ч: 'ch', ш: 'sh', щ: 'shch',
  ъ: '', ы: 'y', ь: '', э: 'e', ю: 'yu', я: 'ya', і: 'i', ї: 'yi', є: 'ye', ґ: 'g', ў: 'u',
};

/** Latin letters for a label: Cyrillic transliterated, accents dropped, lower case. */
export function transliterate(text: string): string {
  return [...text.toLowerCase()]
    .map((c) => CYRILLIC[c] ?? c)
    .join('')
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase();
}

/** A key for a label: `Номер договора` → `nomer_dogovora`, `E-mail` → `e_mail`; '' when nothing is left. */
export function keyFromLabel(label: string): string {
  return transliterate(label)
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '')
    .slice(0, LIMITS.key)
    .replace(/_+$/, '');
}

/** `base`, else `base_2`, `base_3`… — the first that no other field has (within 32 characters). */
function unique(base: string, taken: readonly string[]): string {
  if (!taken.includes(base)) return base;
  for (let n = 2; ; n++) {
    const tail = `_${n}`;
    const key = `${base.slice(0, LIMITS.key - tail.length).replace(/_+$/, '')}${tail}`;
    if (!taken.includes(key)) return key;
  }
}

/** The key a field gets from its label: transliterated, or `field_N` (N its place); unique in the form. */
export function autoKey(label: string, index: number, taken: readonly string[]): string {
  const fromLabel = keyFromLabel(label);
  if (fromLabel) return unique(fromLabel, taken);
  for (let n = index + 1; ; n++) if (!taken.includes(`field_${n}`)) return `field_${n}`;
}

// ---- the form --------------------------------------------------------------------------------

export interface FieldDraft {
  /** Stable across edits and moves, for rendering. */
  id: string;
  key: string;
  /** The key still follows the label (a new field whose key the admin has not typed). */
  keyAuto: boolean;
  label: string;
  /** As stored; a kind the console does not know is kept (and sent back) as it is. */
  kind: string;
  /** Kept while another kind is chosen, so choosing `contract` again brings it back; sent for a contract field only. */
  pattern: string;
  required: boolean;
}

export interface FormDraft {
  name: string;
  fields: FieldDraft[];
  department_email: string;
  subject: string;
  answer: string;
  /** As typed. */
  due_hours: string;
  counting: string;
  language: string;
  enabled: boolean;
}

let counter = 0;
const nextId = () => `form-field-${++counter}`;

/** A new text field at the end, its key `field_N` until it has a label. */
export function newField(fields: readonly FieldDraft[]): FieldDraft {
  const key = autoKey('', fields.length, fields.map((f) => f.key));
  return { id: nextId(), key, keyAuto: true, label: '', kind: 'text', pattern: '', required: false };
}

/** The fields with field `index` relabelled; its key follows while it is automatic. */
export function withLabel(fields: readonly FieldDraft[], index: number, label: string): FieldDraft[] {
  return fields.map((f, i) => {
    if (i !== index) return f;
    if (!f.keyAuto) return { ...f, label };
    const taken = fields.filter((_, j) => j !== index).map((g) => g.key);
    return { ...f, label, key: autoKey(label, index, taken) };
  });
}

/** The fields with field `index` given a key of the admin's own (it no longer follows the label). */
export function withKey(fields: readonly FieldDraft[], index: number, key: string): FieldDraft[] {
  return fields.map((f, i) => (i === index ? { ...f, key, keyAuto: false } : f));
}

/** What a new form starts with: one field, 24 hours on weekdays, the answer worded, the mail in the console's language. */
export function newFormDraft(t: T, lang: Lang): FormDraft {
  return {
    name: '',
    fields: [newField([])],
    department_email: '',
    subject: '',
    answer: t('forms.admin.answer_default'),
    due_hours: '24',
    counting: 'weekdays',
    language: lang,
    enabled: true,
  };
}

/** The form as saved. */
export function formDraft(v: FormView): FormDraft {
  return {
    name: v.name,
    fields: v.fields.map((f) => ({
      id: nextId(),
      key: f.key,
      keyAuto: false,
      label: f.label,
      kind: f.kind,
      pattern: f.pattern ?? '',
      required: f.required ?? false,
    })),
    department_email: v.department_email,
    subject: v.subject,
    answer: v.answer,
    due_hours: String(v.due_hours),
    counting: v.counting,
    language: v.language,
    enabled: v.enabled,
  };
}

/**
 * The kitchen maker's form, in the console's language: full name, a six-digit contract number and
 * an e-mail (required), a phone; 24 hours on weekdays. The department's address the admin already
 * typed stays (else it is left for him to give); the switch stays as it was.
 */
export function exampleDraft(t: T, lang: Lang, keep: FormDraft): FormDraft {
  const field = (key: string, label: ConsoleKey, kind: FieldKind, required: boolean, pattern = ''): FieldDraft => ({
    id: nextId(),
    key,
    keyAuto: false,
    label: t(label),
    kind,
    pattern,
    required,
  });
  return {
    name: t('forms.admin.example_name'),
    fields: [
      field('name', 'forms.admin.example_full_name', 'text', true),
      field('contract', 'forms.admin.example_contract', 'contract', true, '\\d{6}'),
      field('email', 'forms.admin.example_email', 'email', true),
      field('phone', 'forms.admin.example_phone', 'phone', false),
    ],
    department_email: keep.department_email,
    subject: t('forms.admin.example_subject'),
    answer: t('forms.admin.example_answer'),
    due_hours: '24',
    counting: 'weekdays',
    language: lang,
    enabled: keep.enabled,
  };
}

/** The form as it would be compared: trimmed text, no render ids, a pattern only where it is sent. */
function comparable(d: FormDraft): string {
  return JSON.stringify([
    d.name.trim(),
    d.fields.map((f) => [f.key.trim(), f.label.trim(), f.kind, f.kind === 'contract' ? f.pattern.trim() : '', f.required]),
    d.department_email.trim().toLowerCase(),
    d.subject.trim(),
    d.answer.trim(),
    d.due_hours.trim(),
    d.counting,
    d.language,
    d.enabled,
  ]);
}

/** Whether the form differs from how it started (the saved one, or a new one's defaults). */
export function draftChanged(from: FormDraft, to: FormDraft): boolean {
  return comparable(from) !== comparable(to);
}

// ---- the checks ------------------------------------------------------------------------------

/** The server's name of each field of the form. */
export const FIELD = {
  name: 'name',
  fields: 'fields',
  field: (i: number) => `fields[${i}]`,
  key: (i: number) => `fields[${i}].key`,
  label: (i: number) => `fields[${i}].label`,
  kind: (i: number) => `fields[${i}].kind`,
  pattern: (i: number) => `fields[${i}].pattern`,
  departmentEmail: 'department_email',
  subject: 'subject',
  answer: 'answer',
  dueHours: 'due_hours',
  counting: 'counting',
  language: 'language',
  enabled: 'enabled',
  forms: 'forms',
} as const;

/** Every place of the form a message shows at (a contract field's pattern only while it is shown). */
export function formAnchors(d: FormDraft): Set<string> {
  const set = new Set<string>([
    FIELD.name,
    FIELD.fields,
    FIELD.departmentEmail,
    FIELD.subject,
    FIELD.answer,
    FIELD.dueHours,
    FIELD.counting,
    FIELD.language,
    FIELD.enabled,
    FIELD.forms,
  ]);
  d.fields.forEach((f, i) => {
    set.add(FIELD.field(i));
    set.add(FIELD.key(i));
    set.add(FIELD.label(i));
    set.add(FIELD.kind(i));
    if (f.kind === 'contract') set.add(FIELD.pattern(i));
  });
  return set;
}

const chars = (s: string) => [...s].length;
const hasControl = (s: string) => /\p{Cc}/u.test(s);
/** Control characters other than a line break (the answer may have several lines). */
const hasControlBesideNewline = (s: string) => /\p{Cc}/u.test(s.replace(/\n/g, ''));

/** The due hours from its input: a whole number 1–720, or null. */
export function dueHours(text: string): number | null {
  const s = text.trim();
  if (!/^\d{1,4}$/.test(s)) return null;
  const n = Number(s);
  return n >= LIMITS.dueMin && n <= LIMITS.dueMax ? n : null;
}

/** A key as the server takes it: 1–32 of a-z, 0-9 and _. */
export function isKey(key: string): boolean {
  return new RegExp(`^[a-z0-9_]{1,${LIMITS.key}}$`).test(key);
}

/**
 * A contract pattern as a whole-value JavaScript regular expression, or null when JavaScript
 * cannot read it. The server reads it with Rust's syntax, which mostly agrees; where it does not,
 * its refusal comes back at the same field.
 */
export function wholePattern(pattern: string): RegExp | null {
  const source = `^(?:${pattern})$`;
  try {
    return new RegExp(source, 'u');
  } catch {
    try {
      return new RegExp(source);
    } catch {
      return null;
    }
  }
}

/** Whether a sample value matches a pattern whole; null when the pattern cannot be read. */
export function patternMatches(pattern: string, value: string): boolean | null {
  const re = wholePattern(pattern.trim());
  return re ? re.test(value.trim()) : null;
}

/** A text field's issue, or null: 1–max characters once trimmed, no control characters. */
function textIssue(field: string, value: string, max: number, multiline = false): FieldIssue | null {
  if (!value) return { field, reason: 'required' };
  if (chars(value) > max) return { field, reason: 'too_long', max };
  if (multiline ? hasControlBesideNewline(value) : hasControl(value)) return { field, reason: 'control_chars' };
  return null;
}

export type FormResult = { ok: true; body: FormInput } | { ok: false; issues: FieldIssue[] };

/**
 * The body of `POST`/`PUT /api/v1/forms`, or every value the console refuses, named as the
 * server names it. `count` is how many forms the workspace has (a new one may not be the 51st).
 */
export function formRequest(d: FormDraft, opts: { isNew: boolean; count: number }): FormResult {
  const issues: FieldIssue[] = [];
  const push = (issue: FieldIssue | null) => issue && issues.push(issue);
  const name = d.name.trim();
  push(textIssue(FIELD.name, name, LIMITS.name));
  if (d.fields.length < LIMITS.fieldsMin) issues.push({ field: FIELD.fields, reason: 'too_few', min: LIMITS.fieldsMin });
  if (d.fields.length > LIMITS.fieldsMax) issues.push({ field: FIELD.fields, reason: 'too_many', max: LIMITS.fieldsMax });
  const seen: string[] = [];
  const fields: FormFieldView[] = d.fields.map((f, i) => {
    const key = f.key.trim();
    if (!key) issues.push({ field: FIELD.key(i), reason: 'required' });
    else if (!isKey(key)) issues.push({ field: FIELD.key(i), reason: 'slug' });
    else if (seen.includes(key)) issues.push({ field: FIELD.key(i), reason: 'duplicate' });
    seen.push(key);
    const label = f.label.trim();
    push(textIssue(FIELD.label(i), label, LIMITS.label));
    if (!isFieldKind(f.kind)) issues.push({ field: FIELD.kind(i), reason: 'choice' });
    const out: FormFieldView = { key, label, kind: f.kind, required: f.required };
    if (f.kind === 'contract') {
      const pattern = f.pattern.trim();
      if (!pattern) issues.push({ field: FIELD.pattern(i), reason: 'required' });
      else if (chars(pattern) > LIMITS.pattern) issues.push({ field: FIELD.pattern(i), reason: 'too_long', max: LIMITS.pattern });
      else if (!wholePattern(pattern)) issues.push({ field: FIELD.pattern(i), reason: 'regex' });
      out.pattern = pattern;
    }
    return out;
  });
  const department_email = d.department_email.trim();
  if (!department_email) issues.push({ field: FIELD.departmentEmail, reason: 'required' });
  else if (!looksLikeAddress(department_email)) issues.push({ field: FIELD.departmentEmail, reason: 'email' });
  const subject = d.subject.trim();
  push(textIssue(FIELD.subject, subject, LIMITS.subject));
  const answer = d.answer.trim();
  push(textIssue(FIELD.answer, answer, LIMITS.answer, true));
  const due = dueHours(d.due_hours);
  if (due === null) issues.push({ field: FIELD.dueHours, reason: 'range', min: LIMITS.dueMin, max: LIMITS.dueMax });
  if (!(COUNTINGS as readonly string[]).includes(d.counting)) issues.push({ field: FIELD.counting, reason: 'choice' });
  if (!(MAIL_LANGS as readonly string[]).includes(d.language)) issues.push({ field: FIELD.language, reason: 'choice' });
  if (opts.isNew && opts.count >= LIMITS.forms) issues.push({ field: FIELD.forms, reason: 'too_many', max: LIMITS.forms });
  if (issues.length > 0 || due === null) return { ok: false, issues };
  return {
    ok: true,
    body: { name, fields, department_email, subject, answer, due_hours: due, counting: d.counting, language: d.language, enabled: d.enabled },
  };
}

// ---- the answer ------------------------------------------------------------------------------

/** A piece of the answer's preview: text as written, or a placeholder filled in. */
export type PreviewPart = { text: string; filled: boolean };

/** The answer as the visitor reads it: `{number}` → 17, `{due}` → the example due time. */
export function answerPreview(answer: string, lang: Lang): PreviewPart[] {
  const parts: PreviewPart[] = [];
  for (const piece of answer.trim().split(/(\{number\}|\{due\})/)) {
    if (!piece) continue;
    if (piece === '{number}') parts.push({ text: String(PREVIEW_NUMBER), filled: true });
    else if (piece === '{due}') parts.push({ text: PREVIEW_DUE[lang], filled: true });
    else parts.push({ text: piece, filled: false });
  }
  return parts;
}

/** Placeholders the server does not fill (`{numbr}`): the visitor would read them as written. */
export function unknownPlaceholders(answer: string): string[] {
  const found = answer.match(/\{[^{}\s]{1,40}\}/g) ?? [];
  return [...new Set(found.filter((p) => !(PLACEHOLDERS as readonly string[]).includes(p)))];
}

/** The answer with `text` put in place of the selection (`start`–`end`), and where the caret goes. */
export function insertAt(answer: string, start: number, end: number, text: string): { value: string; caret: number } {
  const a = Math.max(0, Math.min(start, answer.length));
  const b = Math.max(a, Math.min(end, answer.length));
  return { value: answer.slice(0, a) + text + answer.slice(b), caret: a + text.length };
}

// ---- refusals in the console's words ------------------------------------------------------------

/** The server's refusal of a field, with "another field has this key" read as a duplicate. */
export function formIssue(problem: Problem | null): FieldIssue | null {
  const issue = serverIssue(problem);
  if (!issue) return null;
  if (/^fields\[\d+\]\.key$/.test(issue.field) && /another field/i.test(problem?.message ?? '')) return { ...issue, reason: 'duplicate' };
  return issue;
}

/** An issue of the form in the console's words (keys, patterns, addresses, hours and the limits have their own). */
export function formIssueText(t: T, issue: FieldIssue): string {
  const f = issue.field;
  if (/^fields\[\d+\]\.key$/.test(f)) {
    if (issue.reason === 'required') return t('forms.admin.issue_key_required');
    if (issue.reason === 'duplicate' || issue.reason === 'taken') return t('forms.admin.issue_key_duplicate');
    return t('forms.admin.issue_key');
  }
  if (/^fields\[\d+\]\.pattern$/.test(f)) return issue.reason === 'required' ? t('forms.admin.issue_pattern_required') : t('forms.admin.issue_pattern');
  if (/^fields\[\d+\]\.kind$/.test(f)) return t('forms.admin.issue_kind');
  if (f === FIELD.fields) return t('forms.admin.issue_fields');
  if (f === FIELD.departmentEmail && issue.reason !== 'required') return t('forms.admin.issue_email');
  if (f === FIELD.subject && issue.reason !== 'required') return t('forms.admin.issue_subject');
  if (f === FIELD.dueHours) return t('forms.admin.issue_due_hours');
  if (f === FIELD.forms) return t('forms.admin.issue_limit');
  return issueText(t, issue);
}

/**
 * What to show beside each place of the form: its own checks (once the admin tried to save), then
 * the server's refusal (placed at the field, or the nearest part around it: `fields[3].required`
 * at its row, a field the form no longer has at the list). What has no place is listed apart.
 */
export function formFieldMessages(
  t: T,
  issues: readonly FieldIssue[],
  problem: Problem | null,
  anchors: ReadonlySet<string>,
): { at: Map<string, string>; elsewhere: [string, string][] } {
  const at = new Map<string, string>();
  const elsewhere: [string, string][] = [];
  const put = (issue: FieldIssue, over: boolean) => {
    const place = placeField(issue.field, anchors);
    const text = formIssueText(t, issue);
    if (!place) elsewhere.push([issue.field, text]);
    else if (over || !at.has(place)) at.set(place, text);
  };
  for (const issue of issues) put(issue, false);
  const refused = formIssue(problem);
  if (refused) put(refused, true);
  return { at, elsewhere };
}

/** Whether a refusal of a save names a field (shown beside it, or named under the form). */
export function namesField(problem: Problem | null): boolean {
  return !!formIssue(problem);
}

// ---- the controller ---------------------------------------------------------------------------

export interface FormsHost {
  api: Requester;
  /** Turns a failure into a Problem (and signs out on 401). */
  guard: (e: unknown) => Problem;
}

const FORMS = '/api/v1/forms';

export class FormsAdminState extends Observable {
  /** Every form of the workspace, enabled or not, as the server lists them. */
  forms: FormView[] = [];
  loaded = false;
  loading = false;
  problem: Problem | null = null;
  private request = 0;

  constructor(private readonly host: FormsHost) {
    super();
  }

  /** The page opened: nothing of an earlier visit shows, then the forms. */
  open(): Promise<void> {
    this.forms = [];
    this.loaded = false;
    return this.load();
  }

  async load(): Promise<void> {
    const request = ++this.request;
    this.loading = true;
    this.problem = null;
    this.changed();
    try {
      const list = await this.host.api<FormList>('GET', FORMS);
      if (request !== this.request) return;
      this.forms = list.items;
      this.loaded = true;
    } catch (e) {
      if (request === this.request) this.problem = this.host.guard(e);
    } finally {
      if (request === this.request) this.loading = false;
      this.changed();
    }
  }

  /** Adds a form; resolves to it as saved, or the refusal. */
  async create(body: FormInput): Promise<FormView | Problem> {
    try {
      const made = await this.host.api<FormView>('POST', FORMS, { body });
      this.forms = withSaved(this.forms, made);
      return made;
    } catch (e) {
      return this.host.guard(e);
    } finally {
      this.changed();
    }
  }

  /** Writes a form whole; resolves to it as saved, or the refusal. */
  async update(id: string, body: FormInput): Promise<FormView | Problem> {
    try {
      const done = await this.host.api<FormView>('PUT', `${FORMS}/${encodeURIComponent(id)}`, { body });
      this.forms = withSaved(this.forms, done);
      return done;
    } catch (e) {
      return this.host.guard(e);
    } finally {
      this.changed();
    }
  }
}
