/**
 * Reports for admins and supervisors (`GET /api/v1/reports`, issue 17): the filters and their
 * place in the page's address, the words and numbers the page shows, the chart's series, and
 * the controller that reads a report and the reports' time zone (`/api/v1/reports/settings`).
 *
 * What stays true:
 * - the address keeps the filters (`?period=7d&group=week&channel_id=…`), so a reload or a
 *   link shows the same report; a period named by a preset moves with the calendar ("the last
 *   7 days" tomorrow are tomorrow's), one given by its dates does not;
 * - days are the reports' time zone's days: "today" is today there, not in the browser;
 * - the CSV link asks for exactly the report on screen (its from, to, group and filters);
 * - an answer arriving late for filters no longer asked about is dropped, and what was shown
 *   stays until the next answer;
 * - a report the server is still catching up on (`catching_up`: after a long stop or a new time
 *   zone) is asked again every few seconds until it is whole, while the page is open.
 */
import type { Requester } from '../shared/api';
import { query } from '../shared/api';
import type { components } from '../shared/api-schema.gen';
import type { Lang, Translate } from '../shared/i18n';
import { Observable } from '../shared/store';
import type { ConsoleState, Problem } from './console-state';
import type { ConsoleKey } from './i18n';

type Schemas = components['schemas'];
type T = Translate<ConsoleKey>;

// ---- the wire --------------------------------------------------------------------------------

export type Report = Schemas['Report'];
export type ReportRow = Schemas['ReportRow'];
export type FiguresView = Schemas['FiguresView'];
export type ClockedView = Schemas['ClockedView'];
export type TimingView = Schemas['TimingView'];
/** An SLA target's results in a report (measured, met, met_percent). */
export type SlaResults = FiguresView['sla_first_reply'];
export type CsatView = Schemas['CsatView'];
export type ReportSettings = Schemas['ReportSettings'];

/** The id a report row has for "none": dialogs nobody had, figures of no channel. */
export const NIL_ID = '00000000-0000-0000-0000-000000000000';

// ---- the host --------------------------------------------------------------------------------

export interface SupervisionHost {
  api: Requester;
  /** Turns a failure into a Problem (and signs out on 401). */
  guard: (e: unknown) => Problem;
}

/** The console's requester and its 401 guard, as the reports and the live board use them. */
export function supervisionHost(state: ConsoleState): SupervisionHost {
  return state.supervision;
}

// ---- the filters -----------------------------------------------------------------------------

export type ReportGroup = 'day' | 'week' | 'channel' | 'operator';
export const REPORT_GROUPS: readonly ReportGroup[] = ['day', 'week', 'channel', 'operator'];

export type PeriodPreset = 'today' | 'yesterday' | '7d' | '30d' | 'month';
export const PERIOD_PRESETS: readonly PeriodPreset[] = ['today', 'yesterday', '7d', '30d', 'month'];
export type Period = PeriodPreset | 'custom';

/** Which time the durations are counted in: all of it, or the channel's business hours. */
export type Clock = 'calendar' | 'business';

export interface ReportFilter {
  period: Period;
  /** The first and last day (`YYYY-MM-DD`) of a custom period; ignored for a preset. */
  from: string;
  to: string;
  group: ReportGroup;
  channelId: string | null;
  operatorId: string | null;
  clock: Clock;
}

export const DEFAULT_REPORT_FILTER: ReportFilter = {
  period: '7d',
  from: '',
  to: '',
  group: 'day',
  channelId: null,
  operatorId: null,
  clock: 'calendar',
};

/** How soon a report the server is still catching up on is asked again. */
export const CATCH_UP_MS = 3_000;

/** The longest period one report covers, in days (the server's limit). */
export const MAX_DAYS = 366;

const DAY_MS = 86_400_000;
const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** A real calendar date written `YYYY-MM-DD`. */
export function isDate(s: string | null | undefined): s is string {
  const m = DATE_RE.exec(s ?? '');
  if (!m) return false;
  const d = new Date(Date.UTC(+m[1], +m[2] - 1, +m[3]));
  return d.getUTCFullYear() === +m[1] && d.getUTCMonth() === +m[2] - 1 && d.getUTCDate() === +m[3];
}

/** Midnight UTC of a `YYYY-MM-DD` date, as ms: the dates' own arithmetic, free of any zone. */
export function dateMs(date: string): number {
  const m = DATE_RE.exec(date);
  return m ? Date.UTC(+m[1], +m[2] - 1, +m[3]) : NaN;
}

function dateOf(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

export function addDays(date: string, n: number): string {
  return dateOf(dateMs(date) + n * DAY_MS);
}

/** Days from `a` to `b` (`b - a`). */
export function daysBetween(a: string, b: string): number {
  return Math.round((dateMs(b) - dateMs(a)) / DAY_MS);
}

/** The Monday of a date's week. */
export function mondayOf(date: string): string {
  const wd = new Date(dateMs(date)).getUTCDay(); // 0 = Sunday
  return addDays(date, -((wd + 6) % 7));
}

/** The calendar day at `now` in `zone` (the browser's own zone when the name is unknown). */
export function dayIn(zone: string | null | undefined, now: number): string {
  const opts = { year: 'numeric', month: '2-digit', day: '2-digit' } as const;
  let parts: Intl.DateTimeFormatPart[];
  try {
    parts = new Intl.DateTimeFormat('en-US', { ...opts, timeZone: zone || undefined }).formatToParts(now);
  } catch {
    parts = new Intl.DateTimeFormat('en-US', opts).formatToParts(now);
  }
  const part = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
  return `${part('year')}-${part('month')}-${part('day')}`;
}

/** The first and last day a filter covers, `today` being today in the reports' zone. */
export function periodDates(filter: Pick<ReportFilter, 'period' | 'from' | 'to'>, today: string): { from: string; to: string } {
  switch (filter.period) {
    case 'today':
      return { from: today, to: today };
    case 'yesterday': {
      const y = addDays(today, -1);
      return { from: y, to: y };
    }
    case '7d':
      return { from: addDays(today, -6), to: today };
    case '30d':
      return { from: addDays(today, -29), to: today };
    case 'month':
      return { from: `${today.slice(0, 8)}01`, to: today };
    case 'custom':
      return { from: filter.from, to: filter.to };
  }
}

/** Why a period cannot be asked for, or null. */
export type PeriodProblem = 'bad_date' | 'order' | 'too_long';

export function periodProblem(from: string, to: string): PeriodProblem | null {
  if (!isDate(from) || !isDate(to)) return 'bad_date';
  if (to < from) return 'order';
  if (daysBetween(from, to) >= MAX_DAYS) return 'too_long';
  return null;
}

const oneOf = <V extends string>(value: string | null, values: readonly V[]): V | null => values.find((v) => v === value) ?? null;

/**
 * The filters a page address holds (`location.search`). Dates without a period are a custom
 * period; anything unknown is the default.
 */
export function filterFromSearch(search: string): ReportFilter {
  const q = new URLSearchParams(search);
  const from = q.get('from') ?? '';
  const to = q.get('to') ?? '';
  const named = oneOf<Period>(q.get('period'), [...PERIOD_PRESETS, 'custom']);
  const custom = isDate(from) && isDate(to);
  let period: Period = named ?? (custom ? 'custom' : DEFAULT_REPORT_FILTER.period);
  if (period === 'custom' && !custom) period = DEFAULT_REPORT_FILTER.period;
  return {
    period,
    from: period === 'custom' ? from : '',
    to: period === 'custom' ? to : '',
    group: oneOf(q.get('group'), REPORT_GROUPS) ?? DEFAULT_REPORT_FILTER.group,
    channelId: q.get('channel_id') || null,
    operatorId: q.get('operator_id') || null,
    clock: oneOf<Clock>(q.get('clock'), ['calendar', 'business']) ?? DEFAULT_REPORT_FILTER.clock,
  };
}

/** The page address's query for a filter; the defaults are left out. */
export function searchOf(filter: ReportFilter): string {
  const custom = filter.period === 'custom';
  return query({
    period: custom || filter.period === DEFAULT_REPORT_FILTER.period ? undefined : filter.period,
    from: custom ? filter.from : undefined,
    to: custom ? filter.to : undefined,
    group: filter.group === DEFAULT_REPORT_FILTER.group ? undefined : filter.group,
    channel_id: filter.channelId,
    operator_id: filter.operatorId,
    clock: filter.clock === DEFAULT_REPORT_FILTER.clock ? undefined : filter.clock,
  });
}

export interface ReportParams {
  from: string;
  to: string;
  group: ReportGroup | string;
  channelId?: string | null;
  operatorId?: string | null;
}

/** `GET /api/v1/reports` and `/export`'s query. */
export function reportQuery(p: ReportParams): string {
  return query({ from: p.from, to: p.to, group: p.group, channel_id: p.channelId, operator_id: p.operatorId });
}

export const REPORTS_PATH = '/api/v1/reports';
export const EXPORT_PATH = '/api/v1/reports/export';
export const SETTINGS_PATH = '/api/v1/reports/settings';

/** The CSV of the report on screen: the same from, to, group and filters the server answered. */
export function exportHref(report: Pick<Report, 'from' | 'to' | 'group' | 'channel_id' | 'operator_id'>): string {
  return `${EXPORT_PATH}${reportQuery({ from: report.from, to: report.to, group: report.group, channelId: report.channel_id, operatorId: report.operator_id })}`;
}

/** The file name the server gives the CSV (the `download` attribute's suggestion). */
export function exportName(report: Pick<Report, 'from' | 'to' | 'group'>): string {
  return `frontline-report-${report.from}-${report.to}-${report.group}.csv`;
}

// ---- numbers and words -----------------------------------------------------------------------

const locale = (lang: Lang) => (lang === 'ru' ? 'ru-RU' : 'en-GB');

/** What an empty figure shows. */
export const EMPTY = '—';

/**
 * A duration as people read it: «45 с», «1 мин 05 с», «2 ч 05 мин», «1 д 3 ч» («< 1 с» under a
 * second). Seconds are cut, not rounded, as in the CSV.
 */
export function formatDuration(ms: number | null | undefined, t: T): string {
  if (ms === null || ms === undefined || !Number.isFinite(ms)) return EMPTY;
  if (ms < 1000) return t('reports.dur_under_s');
  const total = Math.floor(ms / 1000);
  const s = total % 60;
  const m = Math.floor(total / 60) % 60;
  const h = Math.floor(total / 3600) % 24;
  const d = Math.floor(total / 86_400);
  const two = (n: number) => String(n).padStart(2, '0');
  if (d > 0) return t('reports.dur_dh', { d, h });
  if (h > 0) return t('reports.dur_hm', { h, m: two(m) });
  if (m > 0) return t('reports.dur_ms', { m, s: two(s) });
  return t('reports.dur_s', { s });
}

/** A chart axis's duration: the largest unit or two, no padding («30 с», «2 мин», «1 ч 30 мин»). */
export function formatAxisDuration(seconds: number, t: T): string {
  if (!Number.isFinite(seconds) || seconds <= 0) return '0';
  const m = Math.floor(seconds / 60);
  const h = Math.floor(m / 60);
  if (h > 0) return m % 60 ? t('reports.dur_hm', { h, m: m % 60 }) : t('reports.dur_h', { h });
  if (m > 0) return seconds % 60 ? t('reports.dur_ms', { m, s: String(seconds % 60).padStart(2, '0') }) : t('reports.dur_m', { m });
  return t('reports.dur_s', { s: seconds });
}

/** A percentage with one decimal («42,0 %» / "42.0%"), or «—». */
export function formatPercent(value: number | null | undefined, lang: Lang): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return EMPTY;
  return new Intl.NumberFormat(locale(lang), { style: 'percent', minimumFractionDigits: 1, maximumFractionDigits: 1 }).format(value / 100);
}

/** A number with `digits` decimals («4,50»), or «—». */
export function formatNumber(value: number | null | undefined, lang: Lang, digits = 0): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return EMPTY;
  return new Intl.NumberFormat(locale(lang), { minimumFractionDigits: digits, maximumFractionDigits: digits }).format(value);
}

/** Online time in hours with one decimal («12,5 ч»). */
export function formatHours(ms: number, lang: Lang, t: T): string {
  return t('reports.hours', { h: formatNumber(ms / 3_600_000, lang, 1) });
}

function dayFormat(lang: Lang, withWeekday: boolean): Intl.DateTimeFormat {
  return new Intl.DateTimeFormat(locale(lang), withWeekday ? { weekday: 'short', day: 'numeric', month: 'short', timeZone: 'UTC' } : { day: 'numeric', month: 'short', timeZone: 'UTC' });
}

/** A date as a row shows it: «пн, 12 янв.» / "Mon 12 Jan". */
export function formatDate(date: string, lang: Lang, withWeekday = true): string {
  const ms = dateMs(date);
  return Number.isFinite(ms) ? dayFormat(lang, withWeekday).format(ms) : date;
}

/** Two dates as a range: «12–18 янв.»; one date when they are the same. */
export function formatRange(from: string, to: string, lang: Lang): string {
  const a = dateMs(from);
  const b = dateMs(to);
  if (!Number.isFinite(a) || !Number.isFinite(b)) return `${from} – ${to}`;
  const f = dayFormat(lang, false);
  return a === b ? f.format(a) : f.formatRange(a, b);
}

/**
 * What a row is called: the day, the week's days within the period, or the channel's or
 * operator's name («Без канала» / «Без оператора» for the nil id).
 */
export function rowLabel(row: Pick<ReportRow, 'key' | 'label'>, group: string, lang: Lang, t: T, period?: { from: string; to: string }): string {
  if (group === 'day' && isDate(row.key)) return formatDate(row.key, lang);
  if (group === 'week' && isDate(row.key)) {
    let from = row.key;
    let to = addDays(row.key, 6);
    if (period && isDate(period.from) && from < period.from) from = period.from;
    if (period && isDate(period.to) && to > period.to) to = period.to;
    return formatRange(from, to, lang);
  }
  if (row.key === NIL_ID) return group === 'channel' ? t('reports.no_channel') : group === 'operator' ? t('reports.no_operator') : row.label;
  return row.label || row.key;
}

export function groupLabel(t: T, group: ReportGroup): string {
  return t(`reports.group_${group}` as ConsoleKey);
}

export function periodLabel(t: T, period: Period): string {
  return t(`reports.period_${period}` as ConsoleKey);
}

export function periodProblemText(t: T, problem: PeriodProblem): string {
  return problem === 'bad_date' ? t('reports.period_bad_date') : problem === 'order' ? t('reports.period_order') : t('reports.period_too_long', { days: MAX_DAYS });
}

/** A duration's figures in the chosen clock. */
export function timing(c: ClockedView, clock: Clock): TimingView {
  return clock === 'business' ? c.business : c.calendar;
}

/** Closed by operators and by the automation, together. */
export const closedTotal = (f: Pick<FiguresView, 'closed_by_operator' | 'closed_automatically'>): number => f.closed_by_operator + f.closed_automatically;

/** Whether a report has nothing to show: no row at all. */
export const reportEmpty = (r: Pick<Report, 'rows'>): boolean => r.rows.length === 0;

// ---- the chart -------------------------------------------------------------------------------

export interface ChartSeries {
  /** The days (or the weeks' Mondays) along the x axis, every one of the period. */
  keys: string[];
  dialogsNew: number[];
  closed: number[];
  /** The first reply's median in seconds, null for a day without one. */
  firstReplyS: (number | null)[];
}

/**
 * The chart's series for a day or week report: every day (week) of the period in order, those
 * without a row at zero (the median: a gap). Null for a report cut by channel or operator.
 */
export function chartSeries(report: Pick<Report, 'group' | 'from' | 'to' | 'rows'>, clock: Clock): ChartSeries | null {
  if (report.group !== 'day' && report.group !== 'week') return null;
  if (!isDate(report.from) || !isDate(report.to) || report.to < report.from) return null;
  const step = report.group === 'week' ? 7 : 1;
  const first = report.group === 'week' ? mondayOf(report.from) : report.from;
  const last = report.group === 'week' ? mondayOf(report.to) : report.to;
  const byKey = new Map(report.rows.map((r) => [r.key, r.figures]));
  const out: ChartSeries = { keys: [], dialogsNew: [], closed: [], firstReplyS: [] };
  for (let key = first; key <= last && out.keys.length <= MAX_DAYS; key = addDays(key, step)) {
    const f = byKey.get(key);
    const median = f ? timing(f.first_reply, clock).median_ms : null;
    out.keys.push(key);
    out.dialogsNew.push(f?.dialogs_new ?? 0);
    out.closed.push(f ? closedTotal(f) : 0);
    out.firstReplyS.push(median === null || median === undefined ? null : Math.floor(median / 1000));
  }
  return out;
}

/** The reports' time zones offered in the settings' list (any IANA name may be typed). */
export const COMMON_ZONES: readonly string[] = [
  'Europe/Kaliningrad',
  'Europe/Moscow',
  'Europe/Samara',
  'Asia/Yekaterinburg',
  'Asia/Omsk',
  'Asia/Novosibirsk',
  'Asia/Krasnoyarsk',
  'Asia/Irkutsk',
  'Asia/Yakutsk',
  'Asia/Vladivostok',
  'Asia/Magadan',
  'Asia/Kamchatka',
  'Europe/Minsk',
  'Europe/Kyiv',
  'Asia/Almaty',
  'Asia/Tashkent',
  'Asia/Tbilisi',
  'Asia/Yerevan',
  'Asia/Baku',
  'Europe/Istanbul',
  'Europe/Berlin',
  'Europe/London',
  'America/New_York',
  'UTC',
];

// ---- the controller --------------------------------------------------------------------------

export class ReportsState extends Observable {
  filter: ReportFilter;
  /** The zone report days are counted in (settings, then each report's own), null until known. */
  zone: string | null = null;
  report: Report | null = null;
  loading = false;
  problem: Problem | null = null;
  /** The filters' period cannot be asked for (custom dates). */
  periodProblem: PeriodProblem | null = null;

  zoneSaving = false;
  zoneProblem: Problem | null = null;

  private request = 0;
  private again: ReturnType<typeof setTimeout> | undefined;
  private stopped = false;

  constructor(
    private readonly host: SupervisionHost & { now?: () => number },
    filter: ReportFilter = { ...DEFAULT_REPORT_FILTER },
  ) {
    super();
    this.filter = filter;
  }

  private now(): number {
    return this.host.now ? this.host.now() : Date.now();
  }

  /** The days the filters cover now. */
  dates(): { from: string; to: string } {
    return periodDates(this.filter, dayIn(this.zone, this.now()));
  }

  /** Reads the zone (the presets' "today" is its today), then the report. */
  async start(): Promise<void> {
    this.stopped = false;
    if (this.zone === null) await this.loadZone();
    await this.load();
  }

  /** The page was left: a report still catching up is not asked again. */
  stop(): void {
    this.stopped = true;
    clearTimeout(this.again);
    this.again = undefined;
  }

  async loadZone(): Promise<void> {
    try {
      const s = await this.host.api<ReportSettings>('GET', SETTINGS_PATH);
      this.zone = s.time_zone;
    } catch (e) {
      // The report names its zone too; a refusal (403) shows with the report's.
      this.host.guard(e);
    }
    this.changed();
  }

  /**
   * Changes the filters; the report is read anew unless only the clock changed (the report
   * holds both). Choosing a custom period starts from the dates shown.
   */
  setFilter(patch: Partial<ReportFilter>): void {
    const next = { ...this.filter, ...patch };
    if (patch.period === 'custom' && this.filter.period !== 'custom' && !patch.from && !patch.to) {
      const shown = this.dates();
      next.from = shown.from;
      next.to = shown.to;
    }
    if (patch.from !== undefined || patch.to !== undefined) next.period = 'custom';
    if (next.period !== 'custom') {
      next.from = '';
      next.to = '';
    }
    const onlyClock = (Object.keys(next) as (keyof ReportFilter)[]).every((k) => k === 'clock' || next[k] === this.filter[k]);
    this.filter = next;
    if (onlyClock) this.changed();
    else void this.load();
  }

  /** The report for the filters. */
  async load(): Promise<void> {
    const request = ++this.request;
    clearTimeout(this.again);
    this.again = undefined;
    const { from, to } = this.dates();
    this.periodProblem = periodProblem(from, to);
    if (this.periodProblem) {
      this.loading = false;
      this.changed();
      return;
    }
    this.loading = true;
    this.problem = null;
    this.changed();
    try {
      const path = `${REPORTS_PATH}${reportQuery({ from, to, group: this.filter.group, channelId: this.filter.channelId, operatorId: this.filter.operatorId })}`;
      const report = await this.host.api<Report>('GET', path);
      if (request !== this.request) return;
      this.report = report;
      this.zone = report.time_zone || this.zone;
      if (report.catching_up && !this.stopped) this.again = setTimeout(() => void this.load(), CATCH_UP_MS);
    } catch (e) {
      if (request === this.request) this.problem = this.host.guard(e);
    } finally {
      if (request === this.request) this.loading = false;
      this.changed();
    }
  }

  /** Sets the reports' zone (admins); the reports are folded again and read anew. Resolves to the refusal or null. */
  async saveZone(zone: string): Promise<Problem | null> {
    const name = zone.trim();
    if (!name || this.zoneSaving) return null;
    this.zoneSaving = true;
    this.zoneProblem = null;
    this.changed();
    try {
      const body: ReportSettings = { time_zone: name };
      const saved = await this.host.api<ReportSettings>('PUT', SETTINGS_PATH, { body });
      this.zone = saved.time_zone;
      void this.load();
      return null;
    } catch (e) {
      this.zoneProblem = this.host.guard(e);
      return this.zoneProblem;
    } finally {
      this.zoneSaving = false;
      this.changed();
    }
  }
}
