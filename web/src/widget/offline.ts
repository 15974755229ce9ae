/**
 * The contact form the widget shows instead of the composer when nobody can answer
 * (`availability.offline_form`, docs/api.md "Automation"): name, e-mail and/or phone, the
 * question. The checks here catch the obvious slips before a round trip; the server is the
 * judge and names the field it refuses (`name`, `contact`, `email`, `phone`, `question`).
 */
import { oneOf, type OfflineRequest } from '../shared/api-types';
import { contactSlip } from './contact';
import type { WidgetKey } from './i18n';

export type OfflineField = 'name' | 'contact' | 'email' | 'phone' | 'question';
export const OFFLINE_FIELDS: readonly OfflineField[] = ['name', 'contact', 'email', 'phone', 'question'];

/** What the visitor typed. */
export interface OfflineFields {
  name: string;
  email: string;
  phone: string;
  question: string;
}

/** `required`: left empty; `too_long`: over the limit; `invalid`: anything else the server or a check refused. */
export type OfflineSlip = 'required' | 'too_long' | 'invalid';
export type OfflineErrors = Partial<Record<OfflineField, OfflineSlip>>;

/** The server's limit for a name (`Name`: 1–80 characters once trimmed), in characters as people count them. */
export const MAX_OFFLINE_NAME = 80;

const length = (s: string) => [...s].length;

/** Every slip in the form at once (empty when it may be sent). */
export function checkOffline(fields: OfflineFields): OfflineErrors {
  const errors: OfflineErrors = {};
  const name = fields.name.trim();
  if (!name) errors.name = 'required';
  else if (length(name) > MAX_OFFLINE_NAME) errors.name = 'too_long';
  const email = fields.email.trim();
  const phone = fields.phone.trim();
  if (!email && !phone) errors.contact = 'required';
  if (contactSlip('email', email)) errors.email = 'invalid';
  if (contactSlip('phone', phone)) errors.phone = 'invalid';
  if (!fields.question.trim()) errors.question = 'required';
  return errors;
}

/**
 * The body of `POST /widget/v1/offline`: trimmed, an empty e-mail or phone left out; null
 * without either (the server takes no question it cannot answer; `checkOffline` says so first).
 */
export function offlineRequest(client_id: string, fields: OfflineFields): OfflineRequest | null {
  const base = { client_id, name: fields.name.trim(), question: fields.question.trim() };
  const email = fields.email.trim();
  const phone = fields.phone.trim();
  if (email) return phone ? { ...base, email, phone } : { ...base, email };
  return phone ? { ...base, phone } : null;
}

/** The form field a refusal names in `details.field` (`email`, `offline.email`…), or null. */
export function offlineRefusedField(details: Record<string, unknown>): OfflineField | null {
  const field = details.field;
  if (typeof field !== 'string') return null;
  const last = field.split('.').pop() ?? '';
  return oneOf(last, OFFLINE_FIELDS);
}

const KEYS: Record<OfflineField, Partial<Record<OfflineSlip, WidgetKey>> & { invalid: WidgetKey }> = {
  name: { required: 'offline.name_required', too_long: 'offline.name_too_long', invalid: 'offline.name_invalid' },
  contact: { invalid: 'offline.contact_required' },
  email: { invalid: 'field.email' },
  phone: { invalid: 'field.phone' },
  question: { required: 'offline.question_required', invalid: 'offline.question_invalid' },
};

/** The words under a field for its slip. */
export function offlineErrorKey(field: OfflineField, slip: OfflineSlip): WidgetKey {
  const keys = KEYS[field];
  return keys[slip] ?? keys.invalid;
}
