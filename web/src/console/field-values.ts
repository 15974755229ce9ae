/**
 * Custom fields as operators fill them (docs/api.md "Custom fields"): which of the workspace's
 * fields a dialog or a visitor shows (the live ones, in the admin's order), which must hold a
 * value before this dialog closes (its channel's or category's, or always), a value as an input
 * shows it and as the server takes it (`PUT …/fields {values}`), the server's refusal of one
 * value (`values.<key>`) and of a close (`409 fields_required`) in the console's words, and the
 * dialog list's `field=key:value` filter.
 *
 * What stays true: a value is sent only when it differs from the kept one (an upper-case text
 * compared in capitals, as the server keeps it), and blank clears it (`null`); the server stays
 * the judge of a pattern, the console only reads numbers and dates before sending.
 */
import type { CustomFieldView, DialogView, FieldTarget } from '../shared/api-types';
import type { Lang, Translate } from '../shared/i18n';
import type { Problem } from './console-state';
import type { ConsoleKey } from './i18n';

type T = Translate<ConsoleKey>;

/** The longest text value (characters, once trimmed). */
export const VALUE_MAX = 500;

/** The workspace's fields of `target` an operator fills: not archived, in the admin's order. */
export function liveFields(fields: readonly CustomFieldView[], target: FieldTarget): CustomFieldView[] {
  return fields
    .filter((f) => !f.archived && f.target === target)
    .sort((a, b) => a.position - b.position || a.label.localeCompare(b.label));
}

/** Whether a dialog field must hold a value before this dialog closes (always, or for its channel or category). */
export function requiredFor(field: Pick<CustomFieldView, 'target' | 'required'>, dialog: Pick<DialogView, 'channel_id' | 'category'>): boolean {
  if (field.target !== 'dialog') return false;
  const r = field.required;
  return r.always || r.channels.includes(dialog.channel_id) || (!!dialog.category && r.categories.includes(dialog.category.id));
}

/** No value: missing, null or blank. */
export function isEmptyValue(v: unknown): boolean {
  return v === null || v === undefined || (typeof v === 'string' && !v.trim());
}

/** The dialog's live fields that must be filled before it closes and are not. */
export function missingFields(fields: readonly CustomFieldView[], dialog: Pick<DialogView, 'channel_id' | 'category' | 'fields'>): CustomFieldView[] {
  return liveFields(fields, 'dialog').filter((f) => requiredFor(f, dialog) && isEmptyValue(dialog.fields?.[f.key]));
}

/** A date as a date input holds it: `2026-03-05` of `2026-03-05T00:00:00Z` (the server keeps dates in UTC). */
function dateOf(v: string): string {
  const m = /^(\d{4}-\d{2}-\d{2})/.exec(v.trim());
  if (!m) return v;
  if (v.trim().length === 10) return m[1];
  const at = Date.parse(v);
  return Number.isFinite(at) ? new Date(at).toISOString().slice(0, 10) : m[1];
}

/** What an input shows of a kept value (blank when none). */
export function inputText(field: Pick<CustomFieldView, 'kind'>, value: unknown): string {
  if (isEmptyValue(value)) return '';
  if (field.kind === 'date' && typeof value === 'string') return dateOf(value);
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : '';
  return typeof value === 'string' ? value : String(value);
}

/** A number as typed: `3`, `-2`, `1234.5`, `1 234,5`; null for anything else. */
export function readNumber(text: string): number | null {
  const s = text.trim().replace(/[\s\u00a0\u202f]/g, '').replace(',', '.');
  if (!/^-?\d+(?:\.\d+)?$/.test(s)) return null;
  const n = Number(s);
  return Number.isFinite(n) ? n : null;
}

/** Why the console does not send a typed value. */
export type ValueTrouble = 'number' | 'date' | 'too_long' | 'choice';

export type TypedValue = { ok: true; value: string | number | null } | { ok: false; trouble: ValueTrouble };

/** A typed value as the server takes it: blank clears (`null`), a number read, a date `YYYY-MM-DD`. */
export function readValue(field: Pick<CustomFieldView, 'kind' | 'options'>, text: string): TypedValue {
  const s = text.trim();
  if (!s) return { ok: true, value: null };
  switch (field.kind) {
    case 'number': {
      const n = readNumber(s);
      return n === null ? { ok: false, trouble: 'number' } : { ok: true, value: n };
    }
    case 'date':
      return /^\d{4}-\d{2}-\d{2}$/.test(s) && Number.isFinite(Date.parse(`${s}T00:00:00Z`)) ? { ok: true, value: s } : { ok: false, trouble: 'date' };
    case 'choice':
      return field.options.includes(s) ? { ok: true, value: s } : { ok: false, trouble: 'choice' };
    default:
      return [...s].length > VALUE_MAX ? { ok: false, trouble: 'too_long' } : { ok: true, value: s };
  }
}

/** Whether the typed text leaves the kept value as it is (so nothing is sent). */
export function unchanged(field: Pick<CustomFieldView, 'kind' | 'format' | 'options'>, kept: unknown, text: string): boolean {
  const typed = readValue(field, text);
  if (!typed.ok) return false;
  if (typed.value === null) return isEmptyValue(kept);
  if (isEmptyValue(kept)) return false;
  if (field.kind === 'number') return typeof kept === 'number' && kept === typed.value;
  const now = inputText(field, kept);
  const wanted = String(typed.value);
  return field.kind === 'text' && field.format === 'upper' ? now === wanted.toUpperCase() : now === wanted;
}

const TROUBLE: Record<ValueTrouble, ConsoleKey> = {
  number: 'fields.value_number',
  date: 'fields.value_date',
  too_long: 'fields.value_too_long',
  choice: 'fields.value_choice',
};

/** Why a typed value is not sent, in words. */
export function troubleText(t: T, trouble: ValueTrouble): string {
  return t(TROUBLE[trouble], { max: VALUE_MAX });
}

/**
 * The server's refusal of one value (`values.<key>`) in the field's own terms: a text that does
 * not match its pattern, not a number, not one of the options, not a date, a field archived
 * meanwhile; null for any other refusal (the console words it as any other).
 */
export function valueProblemText(t: T, field: Pick<CustomFieldView, 'key' | 'kind' | 'pattern'>, problem: Problem): string | null {
  const named = problem.code === 'validation_failed' && problem.details.field === `values.${field.key}`;
  if (!named) return null;
  const said = `${typeof problem.details.reason === 'string' ? problem.details.reason : ''} ${problem.message ?? ''}`.toLowerCase();
  if (/no such field/.test(said)) return t('fields.value_gone');
  switch (field.kind) {
    case 'number':
      return t('fields.value_number');
    case 'choice':
      return t('fields.value_choice');
    case 'date':
      return t('fields.value_date');
    default:
      if (/must match/.test(said) && field.pattern) return t('fields.value_pattern', { pattern: field.pattern });
      if (/characters/.test(said)) return t('fields.value_too_long', { max: VALUE_MAX });
      return t('fields.value_invalid');
  }
}

// ---- closing ------------------------------------------------------------------------------------

export interface NamedField {
  key: string;
  label: string;
}

/** The fields a `fields_required` refusal names (`details.fields: [{key, label}]`). */
export function requiredOf(problem: Problem | null | undefined): NamedField[] {
  if (problem?.code !== 'fields_required' || !Array.isArray(problem.details.fields)) return [];
  return (problem.details.fields as unknown[]).flatMap((f) => {
    if (!f || typeof f !== 'object') return [];
    const { key, label } = f as Record<string, unknown>;
    return typeof key === 'string' && key ? [{ key, label: typeof label === 'string' && label.trim() ? label.trim() : key }] : [];
  });
}

/** «Модель», «Серийный номер» — the labels in the language's quotes. */
export function labelList(lang: Lang, labels: readonly string[]): string {
  const quoted = labels.map((l) => (lang === 'ru' ? `«${l}»` : `“${l}”`));
  return quoted.join(', ');
}

/** A refused close in words: «Перед закрытием заполните поле «Модель».» */
export function fieldsRequiredText(t: T, lang: Lang, problem: Problem): string {
  const named = requiredOf(problem);
  if (named.length === 0) return t('fields.close_refused');
  const list = labelList(lang, named.map((f) => f.label));
  return named.length === 1 ? t('fields.close_refused_one', { field: list }) : t('fields.close_refused_many', { fields: list });
}

// ---- the list filter ----------------------------------------------------------------------------

/** The list's `field=key:value`. */
export const fieldFilter = (key: string, value: string): string => `${key}:${value}`;

/** `model:IPHONE 15` → key and value (split at the first colon); null for anything else. */
export function parseFieldFilter(raw: string | null | undefined): { key: string; value: string } | null {
  if (!raw) return null;
  const at = raw.indexOf(':');
  if (at <= 0 || at === raw.length - 1) return null;
  return { key: raw.slice(0, at), value: raw.slice(at + 1) };
}

/** Whether a dialog holds the filter's value (a number compared as the server writes it). */
export function holdsFieldValue(d: Pick<DialogView, 'fields'>, raw: string): boolean {
  const f = parseFieldFilter(raw);
  if (!f) return true;
  const v: unknown = d.fields?.[f.key];
  if (isEmptyValue(v)) return false;
  return typeof v === 'number' ? readNumber(f.value) === v : String(v) === f.value;
}

/** The fields the list filter offers: live dialog fields of kind choice, with their options. */
export function filterFields(fields: readonly CustomFieldView[]): CustomFieldView[] {
  return liveFields(fields, 'dialog').filter((f) => f.kind === 'choice' && f.options.length > 0);
}
