/**
 * The visitor's contact details (name, e-mail, phone): what the form sends and which field a
 * refusal points at. The server is the judge of what is valid; the checks here only catch
 * the obvious slip before a round trip.
 */
import { oneOf, type VisitorPatch } from '../shared/api-types';

/** The fields of `PATCH /widget/v1/visitor`. */
export type ContactField = keyof VisitorPatch;
export const CONTACT_FIELDS: readonly ContactField[] = ['name', 'email', 'phone'];

export type Contact = Record<ContactField, string>;

/** The fields that changed, trimmed; an emptied field is sent as null (cleared). */
export function contactPatch(before: Partial<Contact>, after: Contact): VisitorPatch {
  const patch: VisitorPatch = {};
  for (const field of CONTACT_FIELDS) {
    const next = after[field].trim();
    const prev = (before[field] ?? '').trim();
    if (next === prev) continue;
    // A name cannot be taken back (the visitor keeps his number as a fallback anyway).
    if (!next && field === 'name') continue;
    patch[field] = next || null;
  }
  return patch;
}

/** An obvious slip in a field, before asking the server; null when it looks fine. */
export function contactSlip(field: ContactField, value: string): 'email' | 'phone' | null {
  const v = value.trim();
  if (!v) return null;
  if (field === 'email' && !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(v)) return 'email';
  if (field === 'phone') {
    const digits = v.replace(/\D/g, '');
    if (!/^\+?[\d\s().-]+$/.test(v) || digits.length < 5 || digits.length > 15) return 'phone';
  }
  return null;
}

/** The form field a `validation_failed` names in `details.field` (`email`, `visitor.email`…). */
export function refusedField(details: Record<string, unknown>): ContactField | null {
  const field = details.field;
  if (typeof field !== 'string') return null;
  const last = field.split('.').pop() ?? '';
  return oneOf(last, CONTACT_FIELDS);
}
