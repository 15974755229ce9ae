/**
 * The pure parts of adding and changing operators on the operators page: a strong first
 * password made in the browser, the form's checks before anything is sent (named as the server
 * names its fields, so its refusals land beside the same inputs), and what a change sends.
 *
 * What stays true: the password comes from `crypto.getRandomValues` without modulo bias, and
 * only the fields that changed are sent (`PATCH /api/v1/operators/{id}` takes either or both).
 */
import type { OperatorPatch, OperatorView, Role } from '../../shared/api-types';
import type { FieldIssue } from './field-issues';
import { CAPACITY_MAX, CAPACITY_MIN, parseCapacity, sameIds } from './forms';

/** No look-alikes (0/O, 1/l/I), so a password read aloud or retyped comes out right. */
const ALPHABET = 'abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789';
/** Four groups of four: about 93 bits, and easy to pass on in pieces. */
const GROUPS = 4;
const GROUP = 4;

export type RandomFill = (bytes: Uint8Array) => Uint8Array;

const browserRandom: RandomFill = (bytes) => crypto.getRandomValues(bytes);

/** A random password like `kX7p-Q2mZ-r9wT-e4Hn`; bytes past the alphabet's last full round are drawn again. */
export function generatePassword(random: RandomFill = browserRandom): string {
  const limit = 256 - (256 % ALPHABET.length);
  const chars: string[] = [];
  while (chars.length < GROUPS * GROUP) {
    for (const b of random(new Uint8Array(32))) {
      if (b < limit && chars.length < GROUPS * GROUP) chars.push(ALPHABET[b % ALPHABET.length]);
    }
  }
  const groups: string[] = [];
  for (let i = 0; i < GROUPS; i++) groups.push(chars.slice(i * GROUP, (i + 1) * GROUP).join(''));
  return groups.join('-');
}

/** The server's bounds of a display name (characters, trimmed). */
export const NAME_MAX = 80;
/** What the server gives a new operator (the form starts there; PATCHed only when changed). */
export const DEFAULT_CAPACITY = 4;

export interface OperatorDraft {
  display_name: string;
  email: string;
  role: Role;
  /** As typed. */
  capacity: string;
  channelIds: string[];
}

export function newOperatorDraft(defaultChannelIds: string[] = []): OperatorDraft {
  return { display_name: '', email: '', role: 'operator', capacity: String(DEFAULT_CAPACITY), channelIds: defaultChannelIds };
}

export function editOperatorDraft(o: OperatorView, channelIds: string[]): OperatorDraft {
  return { display_name: o.display_name, email: o.email, role: o.role, capacity: String(o.capacity), channelIds };
}

/** A loose check (something@something.tld): the server has the last word. */
export function looksLikeEmail(s: string): boolean {
  return /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(s.trim());
}

/** A name as the server takes it: 1–80 characters once trimmed; else the issue. */
export function nameIssue(name: string, field = 'display_name'): FieldIssue | null {
  const n = [...name.trim()].length;
  if (n === 0) return { field, reason: 'required' };
  if (n > NAME_MAX) return { field, reason: 'too_long', max: NAME_MAX };
  return null;
}

/** What the form refuses before sending (e-mail only when adding). */
export function operatorIssues(d: OperatorDraft, adding: boolean): FieldIssue[] {
  const issues: FieldIssue[] = [];
  const name = nameIssue(d.display_name);
  if (name) issues.push(name);
  if (adding) {
    if (!d.email.trim()) issues.push({ field: 'email', reason: 'required' });
    else if (!looksLikeEmail(d.email)) issues.push({ field: 'email', reason: 'email' });
  }
  if (parseCapacity(d.capacity) === null) issues.push({ field: 'capacity', reason: 'range', min: CAPACITY_MIN, max: CAPACITY_MAX });
  return issues;
}

/** The PATCH of an edit: only what differs from the operator as shown; null when nothing does. */
export function operatorPatch(o: OperatorView, d: OperatorDraft): OperatorPatch | null {
  const patch: OperatorPatch = {};
  const name = d.display_name.trim();
  if (name && name !== o.display_name) patch.display_name = name;
  const capacity = parseCapacity(d.capacity);
  if (capacity !== null && capacity !== o.capacity) patch.capacity = capacity;
  return Object.keys(patch).length ? patch : null;
}

/** Channels to join and to leave, from the ones he is in and the ones ticked. */
export function membershipChanges(before: readonly string[], after: readonly string[]): { join: string[]; leave: string[] } {
  if (sameIds(before, after)) return { join: [], leave: [] };
  return { join: after.filter((id) => !before.includes(id)), leave: before.filter((id) => !after.includes(id)) };
}
