/**
 * Escalation forms in the visitor's chat (issue 15, item 5): an operator sends a form, the
 * dialog holds a `form_sent` system line, and the widget draws it as a card to fill
 * (`GET /widget/v1/forms/{request}`), sent once (`POST …`, 409 `form_sent_already` after).
 * Once sent, a `form_submitted` line tells him the form's answer (system-line.ts).
 *
 * The checks here are the server's (crates/domain/src/forms.rs `check_answers`), all fields
 * at once, so the card names every slip before a round trip; the server stays the judge and
 * names the first field it refuses (`details.field = "answers.<key>"`).
 */
import type { components } from '../shared/api-schema.gen';
import type { FormFieldView, FormRequestView, MessageView } from '../shared/api-types';
import { refName } from '../shared/names';
import { contactSlip } from './contact';
import type { WidgetKey } from './i18n';

type Schemas = components['schemas'];

/** A form sent into one of his dialogs (with his answers once he sent it), and one of its fields. */
export type { FormFieldView, FormRequestView };
// The generated views; api-types.ts does not name them (yet), and the widget does not edit it.
/** The body of `POST /widget/v1/forms/{request}`. */
export type FormAnswers = Schemas['FormAnswers'];
/** What `POST /widget/v1/forms/{request}` answers: his ticket's number, the due time, the answer text. */
export type SubmittedView = Schemas['SubmittedView'];

/** `FormFieldView.kind` (a `string` in the document); a kind the widget does not know is taken as text. */
export type FieldKind = 'text' | 'contract' | 'email' | 'phone';
/** `FormRequestView.status`. */
export type FormStatus = 'sent' | 'submitted';

/** The server's limits: a text answer, and any answer. */
export const MAX_TEXT = 1000;
export const MAX_ANSWER = 2000;
/** `Email::parse` and `Phone::parse` refuse longer values before anything else. */
const MAX_EMAIL = 254;
const MAX_PHONE = 32;

export function fieldKind(field: Pick<FormFieldView, 'kind'>): FieldKind {
  const kind = field.kind;
  return kind === 'contract' || kind === 'email' || kind === 'phone' ? kind : 'text';
}

/** Whether the form was sent already (a status the widget does not know counts as not). */
export function isSubmitted(view: Pick<FormRequestView, 'status'>): boolean {
  return view.status === 'submitted';
}

// ---- the system lines ------------------------------------------------------------------

/** What a `form_sent` line says: the request to load, the form's name, who sent it. */
export interface FormSent {
  request: string;
  form: string;
  by: string | null;
}

/** A `form_sent` line's event, or null for any other line (or one without a request). */
export function formSentOf(m: Pick<MessageView, 'event'>): FormSent | null {
  const e = m.event;
  if (!e || e.kind !== 'form_sent' || typeof e.request !== 'string' || !e.request) return null;
  return { request: e.request, form: typeof e.form === 'string' ? e.form.trim() : '', by: refName(e.by) };
}

/** The `form_submitted` line of `request` among `messages`, as its answer text ('' when it has none); null if none. */
export function submittedAnswer(messages: readonly Pick<MessageView, 'event'>[], request: string): string | null {
  for (const m of messages) {
    const e = m.event;
    if (e && e.kind === 'form_submitted' && e.request === request) return typeof e.answer === 'string' ? e.answer.trim() : '';
  }
  return null;
}

// ---- checking the answers --------------------------------------------------------------

/**
 * `required`: left blank; `too_long`: over the limit; `format`: a contract number not matching
 * its pattern; `email`, `phone`: not one; `invalid`: anything else (a control character, a
 * refusal the widget cannot read).
 */
export type FormSlip = 'required' | 'too_long' | 'format' | 'email' | 'phone' | 'invalid';
export type FormErrors = Record<string, FormSlip>;

const length = (s: string) => [...s].length;
/** Rust's `char::is_control` is Unicode's Cc; a text answer may hold line breaks only. */
const CONTROL = /[\p{Cc}]/u;

/**
 * The contract pattern as the server matches it (`^(?:pattern)$`), or null when JavaScript
 * cannot compile it (the two regex dialects differ at the edges): then the server decides.
 */
export function wholePattern(pattern: string | null | undefined): RegExp | null {
  if (!pattern) return null;
  try {
    return new RegExp(`^(?:${pattern})$`, 'u');
  } catch {
    return null;
  }
}

/** The slip in one answer (trimmed first), or null when it may be sent. */
export function checkField(field: FormFieldView, raw: string): FormSlip | null {
  const value = raw.trim();
  if (!value) return field.required ? 'required' : null;
  if (length(value) > MAX_ANSWER) return 'too_long';
  switch (fieldKind(field)) {
    case 'text':
      if (length(value) > MAX_TEXT) return 'too_long';
      return CONTROL.test(value.replace(/\n/g, '')) ? 'invalid' : null;
    case 'contract': {
      const re = wholePattern(field.pattern);
      return re && !re.test(value) ? 'format' : null;
    }
    case 'email':
      return length(value) > MAX_EMAIL || contactSlip('email', value) ? 'email' : null;
    case 'phone':
      return length(value) > MAX_PHONE || contactSlip('phone', value) ? 'phone' : null;
  }
}

/** Every slip in the form at once, by field key (empty when it may be sent). */
export function checkForm(fields: readonly FormFieldView[], values: Record<string, string>): FormErrors {
  const errors: FormErrors = {};
  for (const field of fields) {
    const slip = checkField(field, values[field.key] ?? '');
    if (slip) errors[field.key] = slip;
  }
  return errors;
}

/** The body's answers: the form's fields only, trimmed, blank ones left out. */
export function formAnswers(fields: readonly FormFieldView[], values: Record<string, string>): Record<string, string> {
  const answers: Record<string, string> = {};
  for (const field of fields) {
    const value = (values[field.key] ?? '').trim();
    if (value) answers[field.key] = value;
  }
  return answers;
}

/**
 * The field a `validation_failed` names (`details.field = "answers.<key>"`) and its slip:
 * read from the server's reason (`message` is `"answers.<key>: <reason>"`), else guessed from
 * the field's kind and what was sent. Null when it names no field of the form.
 */
export function refusedAnswer(
  fields: readonly FormFieldView[],
  details: Record<string, unknown>,
  message: string,
  sent: Record<string, string>,
): { key: string; slip: FormSlip } | null {
  const named = details.field;
  if (typeof named !== 'string' || !named.startsWith('answers.')) return null;
  const key = named.slice('answers.'.length);
  const field = fields.find((f) => f.key === key);
  if (!field) return null;
  const reason = (typeof details.reason === 'string' ? details.reason : message).toLowerCase();
  if (/\brequired\b/.test(reason)) return { key, slip: 'required' };
  if (/at most|too long/.test(reason)) return { key, slip: 'too_long' };
  if (/format|match/.test(reason)) return { key, slip: 'format' };
  if (/e-?mail/.test(reason)) return { key, slip: 'email' };
  if (/phone/.test(reason)) return { key, slip: 'phone' };
  const value = sent[key] ?? '';
  if (!value.trim()) return { key, slip: 'required' };
  const kind = fieldKind(field);
  return { key, slip: kind === 'contract' ? 'format' : kind === 'text' ? 'invalid' : kind };
}

const KEYS: Record<FormSlip, WidgetKey> = {
  required: 'form.required',
  too_long: 'form.too_long',
  format: 'form.format',
  email: 'field.email',
  phone: 'field.phone',
  invalid: 'form.invalid',
};

/** The words under a field for its slip (`{limit}` for `too_long`). */
export function formErrorKey(slip: FormSlip): WidgetKey {
  return KEYS[slip];
}

/** The limit to say for a field that is too long. */
export function limitOf(field: Pick<FormFieldView, 'kind'>): number {
  return fieldKind(field) === 'text' ? MAX_TEXT : MAX_ANSWER;
}

/** Whether a contract pattern takes digits only (`\d{6}`, `[0-9]{4,8}`): the phone's keypad suits it. */
export function digitsOnly(pattern: string | null | undefined): boolean {
  return !!pattern && /^(?:\\d|\[0-9\]|\{\d+(?:,\d*)?\}|[+*?])+$/.test(pattern);
}

/**
 * What the card starts with: the e-mail and phone he already gave the chat, in the form's
 * e-mail and phone fields; what he typed (`typed`) stays as it is.
 */
export function startValues(
  fields: readonly FormFieldView[],
  contact: { email: string; phone: string },
  typed: Record<string, string> = {},
): Record<string, string> {
  const values: Record<string, string> = { ...typed };
  for (const field of fields) {
    if (values[field.key] !== undefined) continue;
    const kind = fieldKind(field);
    values[field.key] = kind === 'email' ? contact.email.trim() : kind === 'phone' ? contact.phone.trim() : '';
  }
  return values;
}
