/**
 * Snoozing a dialog: the presets' times (in the operator's local time; working hours come
 * later), the custom time from a `datetime-local` input, and whether a dialog is snoozed.
 * The server takes `until` in the future and within a year (docs/api.md).
 */
import type { DialogView } from '../shared/api-types';
import type { Lang } from '../shared/i18n';
import { formatClock } from '../shared/time';

export type SnoozePreset = '1h' | '3h' | 'tomorrow';
export const SNOOZE_PRESETS: readonly SnoozePreset[] = ['1h', '3h', 'tomorrow'];

/** When a preset wakes the dialog, from `now`: +1 h, +3 h, or tomorrow at 09:00 local. */
export function presetTime(preset: SnoozePreset, now: Date): Date {
  if (preset === '1h') return new Date(now.getTime() + 3_600_000);
  if (preset === '3h') return new Date(now.getTime() + 3 * 3_600_000);
  const d = new Date(now);
  d.setDate(d.getDate() + 1);
  d.setHours(9, 0, 0, 0);
  return d;
}

const pad = (n: number) => String(n).padStart(2, '0');

/** A local time as a `datetime-local` value (`2026-03-01T14:30`). */
export function toLocalInput(d: Date): string {
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

/** A `datetime-local` value read as local time, or null when it is not one. */
export function fromLocalInput(value: string): Date | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2}))?$/.exec(value.trim());
  if (!m) return null;
  const [, y, mo, d, h, mi, s] = m.map(Number);
  const date = new Date(y, mo - 1, d, h, mi, s || 0, 0);
  return date.getMonth() === mo - 1 && date.getDate() === d ? date : null;
}

/** Why a chosen time cannot be used, or null. */
export function snoozeProblem(until: Date | null, now: Date): 'invalid' | 'past' | 'too_far' | null {
  if (!until || Number.isNaN(until.getTime())) return 'invalid';
  if (until.getTime() <= now.getTime()) return 'past';
  if (until.getTime() > now.getTime() + 365 * 86_400_000) return 'too_far';
  return null;
}

/** Open but put aside until `snoozed_until`. */
export function isSnoozed(d: Pick<DialogView, 'status' | 'snoozed_until'>): boolean {
  return d.status === 'open' && !!d.snoozed_until;
}

/** Whether a time falls on `now`'s local day (then the clock is enough, else the date too). */
export function sameLocalDay(iso: string, now: number): boolean {
  const a = new Date(iso);
  const b = new Date(now);
  return a.getFullYear() === b.getFullYear() && a.getMonth() === b.getMonth() && a.getDate() === b.getDate();
}

/** When a snoozed dialog comes back: "15:30" today, else "11 мар., 09:00" / "11 Mar, 09:00". */
export function snoozeTime(iso: string, lang: Lang, now = Date.now()): string {
  if (sameLocalDay(iso, now)) return formatClock(iso, lang);
  return new Intl.DateTimeFormat(lang === 'ru' ? 'ru-RU' : 'en-GB', { day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit' }).format(new Date(iso));
}
