/**
 * The server's refusal of one field (`validation_failed`, `details: {field, reason}`) read as a
 * `FieldIssue`, so the console words it in the operator's language instead of showing the
 * server's English. `reason` may be a stable code (`too_long`, with `min`/`max`/`limit` beside
 * it) or the server's English phrase ("1–80 characters", "not an e-mail address"); without it
 * the message's tail after "field: " is read the same way.
 *
 * What stays true: whatever the server says, the result is an issue the console has words for;
 * a reason it cannot read becomes `invalid` ("not an allowed value"), never the English text.
 */
import type { Problem } from '../console-state';
import type { FieldIssue, IssueReason } from './field-issues';

/** Stable reason codes the server may send, mapped to the console's reasons. */
const CODES: Record<string, IssueReason> = {
  required: 'required',
  empty: 'required',
  missing: 'required',
  too_long: 'too_long',
  too_short: 'too_short',
  length: 'length',
  range: 'range',
  out_of_range: 'range',
  whole_number: 'whole_number',
  not_integer: 'whole_number',
  email: 'email',
  invalid_email: 'email',
  origin: 'origin',
  invalid_origin: 'origin',
  url: 'origin',
  regex: 'regex',
  invalid_regex: 'regex',
  choice: 'choice',
  unknown_value: 'choice',
  not_allowed: 'choice',
  control_characters: 'control_chars',
  control_chars: 'control_chars',
  too_many: 'too_many',
  too_few: 'too_few',
  duplicate: 'duplicate',
  taken: 'taken',
  language: 'language',
  time_zone: 'time_zone',
  time: 'time',
  date: 'date',
  order: 'order',
  overlap: 'overlap',
  not_found: 'not_found',
  unknown: 'not_found',
  invalid: 'invalid',
  format: 'invalid',
};

const num = (v: unknown): number | undefined => {
  const n = typeof v === 'number' ? v : typeof v === 'string' && /^\d+$/.test(v.trim()) ? Number(v) : NaN;
  return Number.isFinite(n) ? n : undefined;
};

/** Reads the server's English phrase of a reason ("1–80 characters", "must be 0 to 10080"…). */
export function reasonFromText(field: string, text: string): Omit<FieldIssue, 'field'> {
  const s = text.trim().toLowerCase();
  let m: RegExpExecArray | null;
  if (!s) return { reason: 'invalid' };
  if (/must not be empty|is empty|\brequired\b|must be given|missing/.test(s)) return { reason: 'required' };
  if (/control character/.test(s)) return { reason: 'control_chars' };
  if (/must be after open|after the opening|before close/.test(s)) return { reason: 'order' };
  if (/overlap/.test(s)) return { reason: 'overlap' };
  if (/hh:mm/.test(s)) return { reason: 'time' };
  if (/yyyy-mm-dd|a date\b/.test(s)) return { reason: 'date' };
  if (/at least one open interval/.test(s)) return { reason: 'no_intervals' };
  if (/longer than silence/.test(s)) return { reason: 'hold_longer' };
  if (/letter or a digit/.test(s)) return { reason: 'letter' };
  if (/regular expression|regex/.test(s)) return { reason: 'regex' };
  if (/e-?mail/.test(s)) return { reason: 'email' };
  if (/https?:\/\/|origin|scheme|host/.test(s)) return { reason: 'origin' };
  if (/already|taken|duplicate|twice|unique/.test(s)) return { reason: s.includes('taken') ? 'taken' : 'duplicate' };
  if (/language code|such as ru or en/.test(s)) return { reason: 'language' };
  if (/a-z, 0-9/.test(s)) return { reason: 'slug' };
  if (/time zone|timezone/.test(s)) return { reason: 'time_zone' };
  if (/in the future|within a year/.test(s)) return { reason: 'future' };
  if (/digits/.test(s)) return { reason: 'invalid' };
  if (/not (?:an?|the) .*\bid\b|no such|not found/.test(s)) return { reason: 'not_found' };
  // "1–80 characters", "2–40 characters: a-z…"
  if ((m = /(\d+)\s*[–-]\s*(\d+)\s*characters/.exec(s))) return { reason: 'length', min: Number(m[1]), max: Number(m[2]) };
  if ((m = /at most (\d+) characters/.exec(s))) return { reason: 'too_long', max: Number(m[1]) };
  if ((m = /at least (\d+) characters/.exec(s))) return { reason: 'too_short', min: Number(m[1]) };
  // "at most 10 conditions", "1 to 100 dialogs" of a list, "a rule needs at least one condition"
  if ((m = /at most (\d+) (?!characters)[a-z]+s\b/.exec(s)) && !/seconds|minutes|hours|dialogs/.test(s)) return { reason: 'too_many', max: Number(m[1]) };
  if (/at least one/.test(s)) return { reason: 'too_few', min: 1 };
  // "1–50 dialogs", "10–86400 seconds", "must be 0 to 10080", "must be 1 to 5"
  if ((m = /(\d+)\s*(?:[–-]|to)\s*(\d+)/.exec(s))) return { reason: 'range', min: Number(m[1]), max: Number(m[2]) };
  if (/must not be negative/.test(s)) return { reason: 'range', min: 0 };
  if (/whole number|integer/.test(s)) return { reason: 'whole_number' };
  if (/too long/.test(s)) return { reason: 'too_long' };
  if (/too short/.test(s)) return { reason: 'too_short' };
  // "queue or auto", "must be admin, supervisor or operator"
  if (/\bor\b/.test(s) && !/\d/.test(s)) return { reason: 'choice' };
  void field;
  return { reason: 'invalid' };
}

/** The field the server refused and why, or null when the refusal names no field. */
export function serverIssue(problem: Problem | null | undefined): FieldIssue | null {
  if (!problem || problem.code !== 'validation_failed') return null;
  const rawField = problem.details.field;
  if (typeof rawField !== 'string' || !rawField.trim()) return null;
  const field = rawField.trim();
  const d = problem.details;
  const bounds = { min: num(d.min), max: num(d.max ?? d.limit) };
  const reason = typeof d.reason === 'string' ? d.reason.trim() : '';
  if (/^[a-z_]+$/.test(reason) && CODES[reason]) {
    const fromCode: FieldIssue = { field, reason: CODES[reason] };
    if (bounds.min !== undefined) fromCode.min = bounds.min;
    if (bounds.max !== undefined) fromCode.max = bounds.max;
    // A code without its bounds: the message may still carry them ("1–80 characters").
    if (bounds.min === undefined && bounds.max === undefined && problem.message) {
      const read = reasonFromText(field, tail(problem.message, field));
      if (read.min !== undefined) fromCode.min = read.min;
      if (read.max !== undefined) fromCode.max = read.max;
    }
    return fromCode;
  }
  const text = reason || tail(problem.message ?? '', field);
  const read = reasonFromText(field, text);
  const issue: FieldIssue = { field, reason: read.reason };
  if (read.min !== undefined || bounds.min !== undefined) issue.min = read.min ?? bounds.min;
  if (read.max !== undefined || bounds.max !== undefined) issue.max = read.max ?? bounds.max;
  return issue;
}

/** "capacity: 1–50 dialogs" → "1–50 dialogs". */
function tail(message: string, field: string): string {
  const m = message.trim();
  if (m.startsWith(`${field}:`)) return m.slice(field.length + 1);
  const colon = m.indexOf(': ');
  return colon > 0 && !/\s/.test(m.slice(0, colon)) ? m.slice(colon + 2) : m;
}
