/**
 * A channel's automation document (docs/api.md, "Automation") as the admin form holds it:
 * business hours (time zone, a week of open intervals, holidays), SLA targets (each shown in
 * minutes or seconds), auto-close (silence, hold phrases, the optional prompt), offline mode and
 * the persona of proactive messages. The form's text is checked and turned back into the whole
 * document for `PUT /api/v1/channels/{id}/automation`.
 *
 * What stays true: the draft's intervals are in the order they are sent, so `week[i]` of a
 * refusal is the draft's interval i; a document read and saved unchanged is sent back equal.
 */
import type { AutomationView, OpenInterval, Weekday } from '../../shared/api-types';
import type { FieldIssue } from './field-issues';

export const WEEKDAYS: readonly Weekday[] = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];

/** Suggestions for the time zone field (any IANA name is taken). */
export const TIME_ZONES: readonly string[] = [
  'Europe/Moscow',
  'Europe/Kaliningrad',
  'Europe/Samara',
  'Asia/Yekaterinburg',
  'Asia/Omsk',
  'Asia/Novosibirsk',
  'Asia/Krasnoyarsk',
  'Asia/Irkutsk',
  'Asia/Vladivostok',
  'Europe/Minsk',
  'Asia/Almaty',
  'Europe/London',
  'Europe/Berlin',
  'UTC',
];

const WORKDAYS: readonly Weekday[] = ['mon', 'tue', 'wed', 'thu', 'fri'];

/** The server's defaults, for the parts an answer leaves out. */
export const DEFAULT_AUTOMATION: AutomationView = {
  business_hours: {
    enabled: false,
    time_zone: 'Europe/Moscow',
    week: WORKDAYS.map((day) => ({ day, open: '09:00', close: '18:00' })),
    holidays: [],
  },
  sla: { enabled: false, first_reply_seconds: 60, next_reply_seconds: 300, resolution_seconds: 1800, business_hours: true },
  auto_close: {
    enabled: true,
    silence_minutes: 10,
    hold_phrases: ['минуту', 'минуты', 'минут', 'оформляю'],
    hold_minutes: 30,
    prompt: { enabled: false, text: 'Вопрос ещё актуален?', close_after_minutes: 5 },
  },
  offline: { enabled: false, message: 'Сейчас мы не на связи. Оставьте контакты — мы ответим в рабочее время.' },
  persona: { name: 'Служба поддержки' },
};

export const SLA_MIN_SECONDS = 10;
export const SLA_MAX_SECONDS = 604_800;
export const PHRASES_MAX = 50;
export const PHRASE_MAX_LENGTH = 100;
export const PERSONA_MAX_LENGTH = 100;

export interface IntervalDraft {
  key: string;
  day: Weekday;
  open: string;
  close: string;
}

export interface HolidayDraft {
  key: string;
  date: string;
}

export type DurationUnit = 'seconds' | 'minutes';

/** An SLA target as typed, in the unit picked beside it. */
export interface DurationDraft {
  value: string;
  unit: DurationUnit;
}

export type SlaTargetField = 'first_reply' | 'next_reply' | 'resolution';

export interface AutomationDraft {
  hours_enabled: boolean;
  time_zone: string;
  week: IntervalDraft[];
  holidays: HolidayDraft[];
  sla_enabled: boolean;
  first_reply: DurationDraft;
  next_reply: DurationDraft;
  resolution: DurationDraft;
  sla_business_hours: boolean;
  close_enabled: boolean;
  silence_minutes: string;
  hold_phrases: string[];
  hold_minutes: string;
  prompt_enabled: boolean;
  prompt_text: string;
  close_after_minutes: string;
  offline_enabled: boolean;
  offline_message: string;
  persona_name: string;
}

/** The server's name of each field of the form. */
export const FIELD = {
  hours: 'business_hours',
  hours_enabled: 'business_hours.enabled',
  time_zone: 'business_hours.time_zone',
  week: 'business_hours.week',
  interval: (i: number) => `business_hours.week[${i}]`,
  open: (i: number) => `business_hours.week[${i}].open`,
  close: (i: number) => `business_hours.week[${i}].close`,
  day: (i: number) => `business_hours.week[${i}].day`,
  holidays: 'business_hours.holidays',
  holiday: (i: number) => `business_hours.holidays[${i}]`,
  sla: 'sla',
  sla_target: (f: SlaTargetField) => `sla.${f}_seconds`,
  sla_business_hours: 'sla.business_hours',
  auto_close: 'auto_close',
  silence_minutes: 'auto_close.silence_minutes',
  hold_phrases: 'auto_close.hold_phrases',
  hold_phrase: (i: number) => `auto_close.hold_phrases[${i}]`,
  hold_minutes: 'auto_close.hold_minutes',
  prompt: 'auto_close.prompt',
  prompt_text: 'auto_close.prompt.text',
  close_after_minutes: 'auto_close.prompt.close_after_minutes',
  offline: 'offline',
  offline_message: 'offline.message',
  persona: 'persona',
  persona_name: 'persona.name',
} as const;

let counter = 0;
const nextKey = () => `a${++counter}`;

/** A document with the server's defaults for whatever part it lacks. */
export function withDefaults(view: Partial<AutomationView> | null | undefined): AutomationView {
  const d = DEFAULT_AUTOMATION;
  const v = view ?? {};
  return {
    business_hours: { ...d.business_hours, ...v.business_hours },
    sla: { ...d.sla, ...v.sla },
    auto_close: { ...d.auto_close, ...v.auto_close, prompt: { ...d.auto_close.prompt, ...v.auto_close?.prompt } },
    offline: { ...d.offline, ...v.offline },
    persona: { ...d.persona, ...v.persona },
  };
}

/** Seconds shown in minutes when whole minutes, else in seconds. */
export function durationDraft(seconds: number): DurationDraft {
  return seconds >= 60 && seconds % 60 === 0 ? { value: String(seconds / 60), unit: 'minutes' } : { value: String(seconds), unit: 'seconds' };
}

export function automationDraft(view: Partial<AutomationView> | null | undefined): AutomationDraft {
  const v = withDefaults(view);
  return {
    hours_enabled: v.business_hours.enabled,
    time_zone: v.business_hours.time_zone,
    week: v.business_hours.week.map((w) => ({ key: nextKey(), day: w.day, open: w.open, close: w.close })),
    holidays: v.business_hours.holidays.map((date) => ({ key: nextKey(), date })),
    sla_enabled: v.sla.enabled,
    first_reply: durationDraft(v.sla.first_reply_seconds),
    next_reply: durationDraft(v.sla.next_reply_seconds),
    resolution: durationDraft(v.sla.resolution_seconds),
    sla_business_hours: v.sla.business_hours,
    close_enabled: v.auto_close.enabled,
    silence_minutes: String(v.auto_close.silence_minutes),
    hold_phrases: [...v.auto_close.hold_phrases],
    hold_minutes: String(v.auto_close.hold_minutes),
    prompt_enabled: v.auto_close.prompt.enabled,
    prompt_text: v.auto_close.prompt.text,
    close_after_minutes: String(v.auto_close.prompt.close_after_minutes),
    offline_enabled: v.offline.enabled,
    offline_message: v.offline.message,
    persona_name: v.persona.name,
  };
}

// ---- reading the inputs -------------------------------------------------------------------

/** A whole number from its input, or null. */
export function wholeNumber(text: string): number | null {
  const s = text.trim();
  return /^\d{1,9}$/.test(s) ? Number(s) : null;
}

/** "9:00" or "09:00" → "09:00"; "24:00" allowed (end of day); null when not a time of day. */
export function normalizeTime(text: string): string | null {
  const m = /^(\d{1,2}):(\d{2})$/.exec(text.trim());
  if (!m) return null;
  const h = Number(m[1]);
  const min = Number(m[2]);
  if (h === 24 && min === 0) return '24:00';
  if (h > 23 || min > 59) return null;
  return `${String(h).padStart(2, '0')}:${m[2]}`;
}

/** A real calendar date "YYYY-MM-DD". */
export function isDate(text: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (!m) return false;
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return d.getUTCFullYear() === Number(m[1]) && d.getUTCMonth() === Number(m[2]) - 1 && d.getUTCDate() === Number(m[3]);
}

/** Whether this browser knows the IANA time zone (the server has the last word). */
export function isTimeZone(name: string): boolean {
  if (!name.trim() || /\s/.test(name.trim())) return false;
  try {
    new Intl.DateTimeFormat('en', { timeZone: name.trim() });
    return true;
  } catch {
    return false;
  }
}

export function durationSeconds(d: DurationDraft): number | null {
  const n = wholeNumber(d.value);
  if (n === null) return null;
  return d.unit === 'minutes' ? n * 60 : n;
}

export type AutomationResult = { ok: true; body: AutomationView } | { ok: false; issues: FieldIssue[] };

/** The document to PUT, or every field the console refuses (named as the server names them). */
export function automationRequest(d: AutomationDraft): AutomationResult {
  const issues: FieldIssue[] = [];
  const minutes = (text: string, field: string, min: number, max: number): number => {
    const n = wholeNumber(text);
    if (n === null) issues.push({ field, reason: 'whole_number' });
    else if (n < min || n > max) issues.push({ field, reason: 'range', min, max });
    return n ?? 0;
  };

  // Business hours.
  const timeZone = d.time_zone.trim();
  if (!isTimeZone(timeZone)) issues.push({ field: FIELD.time_zone, reason: 'time_zone' });
  const week: OpenInterval[] = d.week.map((w, i) => {
    const open = normalizeTime(w.open);
    const close = normalizeTime(w.close);
    const openOk = open !== null && open !== '24:00';
    if (!openOk) issues.push({ field: FIELD.open(i), reason: 'time' });
    if (close === null) issues.push({ field: FIELD.close(i), reason: 'time' });
    else if (openOk && close <= open) issues.push({ field: FIELD.close(i), reason: 'order' });
    return { day: w.day, open: open ?? w.open.trim(), close: close ?? w.close.trim() };
  });
  for (const day of WEEKDAYS) {
    const ofDay = week
      .map((w, i) => ({ ...w, i }))
      .filter((w) => w.day === day && normalizeTime(w.open) && normalizeTime(w.close) && w.open < w.close)
      .sort((a, b) => (a.open < b.open ? -1 : a.open > b.open ? 1 : a.i - b.i));
    for (let k = 1; k < ofDay.length; k++) {
      if (ofDay[k].open < ofDay[k - 1].close) issues.push({ field: FIELD.open(ofDay[k].i), reason: 'overlap' });
    }
  }
  if (d.hours_enabled && week.length === 0) issues.push({ field: FIELD.week, reason: 'no_intervals' });
  const holidays = d.holidays.map((h, i) => {
    if (!isDate(h.date.trim())) issues.push({ field: FIELD.holiday(i), reason: 'date' });
    return h.date.trim();
  });

  // SLA.
  const target = (f: SlaTargetField): number => {
    const field = FIELD.sla_target(f);
    const seconds = durationSeconds(d[f]);
    if (seconds === null) issues.push({ field, reason: 'whole_number' });
    else if (seconds < SLA_MIN_SECONDS || seconds > SLA_MAX_SECONDS) issues.push({ field, reason: 'range', min: SLA_MIN_SECONDS, max: SLA_MAX_SECONDS });
    return seconds ?? 0;
  };
  const first = target('first_reply');
  const next = target('next_reply');
  const resolution = target('resolution');

  // Auto-close.
  const silence = minutes(d.silence_minutes, FIELD.silence_minutes, 1, 1440);
  const hold = minutes(d.hold_minutes, FIELD.hold_minutes, 1, 10_080);
  if (wholeNumber(d.silence_minutes) !== null && wholeNumber(d.hold_minutes) !== null && hold <= silence && !issues.some((x) => x.field === FIELD.hold_minutes)) {
    issues.push({ field: FIELD.hold_minutes, reason: 'hold_longer' });
  }
  const phrases = d.hold_phrases.map((p, i) => {
    const s = p.trim();
    if (!s) issues.push({ field: FIELD.hold_phrase(i), reason: 'required' });
    else if (s.length > PHRASE_MAX_LENGTH) issues.push({ field: FIELD.hold_phrase(i), reason: 'too_long', max: PHRASE_MAX_LENGTH });
    return s;
  });
  if (phrases.length < 1 || phrases.length > PHRASES_MAX) issues.push({ field: FIELD.hold_phrases, reason: 'phrases_count', min: 1, max: PHRASES_MAX });
  const closeAfter = minutes(d.close_after_minutes, FIELD.close_after_minutes, 1, 1440);
  const promptText = d.prompt_text.trim();
  if (d.prompt_enabled && !promptText) issues.push({ field: FIELD.prompt_text, reason: 'required' });

  // Offline mode and persona.
  const offlineMessage = d.offline_message.trim();
  if (d.offline_enabled && !offlineMessage) issues.push({ field: FIELD.offline_message, reason: 'required' });
  const persona = d.persona_name.trim();
  if (!persona) issues.push({ field: FIELD.persona_name, reason: 'required' });
  else if (persona.length > PERSONA_MAX_LENGTH) issues.push({ field: FIELD.persona_name, reason: 'too_long', max: PERSONA_MAX_LENGTH });

  if (issues.length > 0) return { ok: false, issues };
  return {
    ok: true,
    body: {
      business_hours: { enabled: d.hours_enabled, time_zone: timeZone, week, holidays },
      sla: {
        enabled: d.sla_enabled,
        first_reply_seconds: first,
        next_reply_seconds: next,
        resolution_seconds: resolution,
        business_hours: d.sla_business_hours,
      },
      auto_close: {
        enabled: d.close_enabled,
        silence_minutes: silence,
        hold_phrases: phrases,
        hold_minutes: hold,
        prompt: { enabled: d.prompt_enabled, text: promptText, close_after_minutes: closeAfter },
      },
      offline: { enabled: d.offline_enabled, message: offlineMessage },
      persona: { name: persona },
    },
  };
}

/** The paths the form shows a message beside (inputs and the groups around them). */
export function automationAnchors(d: AutomationDraft): Set<string> {
  const set = new Set<string>([
    FIELD.hours,
    FIELD.hours_enabled,
    FIELD.time_zone,
    FIELD.week,
    FIELD.holidays,
    FIELD.sla,
    FIELD.sla_business_hours,
    ...(['first_reply', 'next_reply', 'resolution'] as const).map(FIELD.sla_target),
    FIELD.auto_close,
    FIELD.silence_minutes,
    FIELD.hold_phrases,
    FIELD.hold_minutes,
    FIELD.prompt,
    FIELD.prompt_text,
    FIELD.close_after_minutes,
    FIELD.offline,
    FIELD.offline_message,
    FIELD.persona,
    FIELD.persona_name,
  ]);
  d.week.forEach((_, i) => {
    set.add(FIELD.interval(i));
    set.add(FIELD.open(i));
    set.add(FIELD.close(i));
  });
  d.holidays.forEach((_, i) => set.add(FIELD.holiday(i)));
  d.hold_phrases.forEach((_, i) => set.add(FIELD.hold_phrase(i)));
  return set;
}

// ---- editing the week, holidays and phrases ---------------------------------------------------

/**
 * The week with one more interval on `day`, placed after that day's last one (or where the
 * day falls in the week): 09:00–18:00 for a closed day, else from the last one's close on.
 */
export function addInterval(week: readonly IntervalDraft[], day: Weekday): IntervalDraft[] {
  const ofDay = week.filter((w) => w.day === day);
  const last = ofDay[ofDay.length - 1];
  const lastClose = last ? normalizeTime(last.close) : null;
  const fresh: IntervalDraft = last
    ? { key: nextKey(), day, open: lastClose && lastClose !== '24:00' ? lastClose : '', close: lastClose && lastClose !== '24:00' ? '24:00' : '' }
    : { key: nextKey(), day, open: '09:00', close: '18:00' };
  const order = WEEKDAYS.indexOf(day);
  let at = week.length;
  if (last) at = week.lastIndexOf(last) + 1;
  else {
    const later = week.findIndex((w) => WEEKDAYS.indexOf(w.day) > order);
    if (later >= 0) at = later;
  }
  return [...week.slice(0, at), fresh, ...week.slice(at)];
}

export function newHoliday(date = ''): HolidayDraft {
  return { key: nextKey(), date };
}

/** The phrases with `text` added (trimmed), unless empty or there already (in any case). */
export function addPhrase(phrases: readonly string[], text: string): string[] {
  const s = text.trim();
  if (!s || phrases.some((p) => p.trim().toLowerCase() === s.toLowerCase())) return [...phrases];
  return [...phrases, s];
}
