/** Dates for people: clock times and short relative ages, in the UI language. */
import type { Lang } from './i18n';

const locale = (lang: Lang) => (lang === 'ru' ? 'ru-RU' : 'en-GB');

export function parseTime(iso: string | null | undefined): number {
  const t = iso ? Date.parse(iso) : NaN;
  return Number.isFinite(t) ? t : 0;
}

export function formatClock(iso: string, lang: Lang): string {
  const t = parseTime(iso);
  if (!t) return '';
  return new Intl.DateTimeFormat(locale(lang), { hour: '2-digit', minute: '2-digit' }).format(t);
}

export function formatDay(iso: string, lang: Lang): string {
  const t = parseTime(iso);
  if (!t) return '';
  return new Intl.DateTimeFormat(locale(lang), { day: 'numeric', month: 'long', year: 'numeric' }).format(t);
}

/** The words a relative age needs from a language table. */
export interface AgeWords {
  now: string;
  /** With {n}. */
  minutes: string;
  hours: string;
  yesterday: string;
}

/** "now", "5 min", "3 h", "yesterday", then a short date. */
export function formatAge(iso: string, now: number, lang: Lang, words: AgeWords): string {
  const t = parseTime(iso);
  if (!t) return '';
  const diff = Math.max(0, now - t);
  const minutes = Math.floor(diff / 60_000);
  if (minutes < 1) return words.now;
  if (minutes < 60) return words.minutes.replace('{n}', String(minutes));
  const hours = Math.floor(minutes / 60);
  const startOfToday = new Date(now);
  startOfToday.setHours(0, 0, 0, 0);
  if (t >= startOfToday.getTime()) return words.hours.replace('{n}', String(hours));
  if (t >= startOfToday.getTime() - 86_400_000) return words.yesterday;
  const sameYear = new Date(t).getFullYear() === new Date(now).getFullYear();
  return new Intl.DateTimeFormat(locale(lang), sameYear ? { day: 'numeric', month: 'short' } : { day: 'numeric', month: 'short', year: 'numeric' }).format(t);
}

/** Local calendar day of a time, to put day separators into a timeline. */
export function dayKey(iso: string): string {
  const d = new Date(parseTime(iso));
  return `${d.getFullYear()}-${d.getMonth()}-${d.getDate()}`;
}
