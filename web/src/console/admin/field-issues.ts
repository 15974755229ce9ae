/**
 * Field problems of an admin form, named as the server names its fields
 * (`business_hours.week[2].close`, `auto_close.hold_phrases[1]`, `conditions[0].pattern`), so
 * the console's own checks and the server's `validation_failed` land beside the same input.
 */

/** Why the console refuses a value before sending it. */
export type IssueReason =
  | 'required'
  | 'too_long'
  | 'range'
  | 'whole_number'
  | 'time'
  | 'order'
  | 'overlap'
  | 'no_intervals'
  | 'date'
  | 'time_zone'
  | 'hold_longer'
  | 'phrases_count'
  // Mostly the server's reasons (see server-issues.ts), worded by the console:
  | 'too_short'
  | 'length'
  | 'email'
  | 'origin'
  | 'regex'
  | 'choice'
  | 'control_chars'
  | 'too_many'
  | 'too_few'
  | 'duplicate'
  | 'taken'
  | 'language'
  | 'slug'
  | 'future'
  | 'not_found'
  | 'letter'
  | 'invalid';

export interface FieldIssue {
  field: string;
  reason: IssueReason;
  min?: number;
  max?: number;
}

/** `a.b[2].c` → `a.b[2]` → `a.b` → `a` → null. */
export function parentPath(path: string): string | null {
  const m = /^(.*?)(?:\.[^.[\]]+|\[\d+\])$/.exec(path);
  return m && m[1] ? m[1] : null;
}

/**
 * The place on the form for a field the server named: the field itself when the form shows it,
 * else its nearest enclosing part that the form shows (`business_hours.week[2]` for an
 * overlap, `business_hours.week` for "no interval"); null when none (shown under the form).
 */
export function placeField(field: string, anchors: ReadonlySet<string>): string | null {
  for (let p: string | null = field.trim(); p; p = parentPath(p)) if (anchors.has(p)) return p;
  return null;
}
