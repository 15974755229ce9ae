/**
 * «Отчёты» / "Reports", for admins and supervisors (`/console/reports`): the figures of a
 * period (`GET /api/v1/reports`) as tiles for the totals, a chart of new and closed dialogs and
 * the first reply's median per day or week (uPlot), and a table with a row per day, week,
 * channel or operator and a totals row. The filters live in the address; the CSV link asks the
 * server for the same report. The reports' time zone is shown, and admins may change it; while
 * the server is still folding the log (`catching_up`) the page says so and asks again by itself.
 * Operators who open the address are told the page is not for their role.
 */
import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import type uPlot from 'uplot';
import { useObservable } from '../../shared/store';
import type { Lang, Translate } from '../../shared/i18n';
import { problemText, useConsole } from '../context';
import type { ConsoleKey } from '../i18n';
import { pathFor } from '../routes';
import {
  chartSeries,
  closedTotal,
  COMMON_ZONES,
  EMPTY,
  exportHref,
  exportName,
  filterFromSearch,
  formatAxisDuration,
  formatDate,
  formatDuration,
  formatHours,
  formatNumber,
  formatPercent,
  groupLabel,
  PERIOD_PRESETS,
  periodLabel,
  periodProblemText,
  REPORT_GROUPS,
  ReportsState,
  reportEmpty,
  rowLabel,
  searchOf,
  supervisionHost,
  timing,
  type ChartSeries,
  type Clock,
  type FiguresView,
  type Period,
  type Report,
  type ReportGroup,
} from '../reports';
import 'uplot/dist/uPlot.min.css';
import '../account.css';
import '../reports.css';

type T = Translate<ConsoleKey>;

/** What an operator sees at a supervisors' page: it is not for his role, and the way back. */
export function NotForRole({ testid }: { testid: string }) {
  const { state, t } = useConsole();
  const back = (e: MouseEvent) => {
    if (e.ctrlKey || e.metaKey || e.shiftKey || e.button !== 0) return;
    e.preventDefault();
    state.navigate({ view: 'dialogs', dialogId: null });
  };
  return (
    <main class="admin-page supervision-page" data-testid={testid}>
      <section class="admin-section">
        <div class="admin-card not-for-role" data-testid="not-for-role">
          <h1>{t('reports.not_for_role_title')}</h1>
          <p>{t('reports.not_for_role')}</p>
          <a class="link" href={pathFor({ view: 'dialogs', dialogId: null })} onClick={back}>
            {t('reports.back_to_dialogs')}
          </a>
        </div>
      </section>
    </main>
  );
}

export function ReportsPage() {
  const { state } = useConsole();
  if (!state.isSupervisor()) return <NotForRole testid="reports-page" />;
  return <Reports />;
}

function Reports() {
  const { state, t, lang } = useConsole('team');
  const reports = useMemo(() => new ReportsState(supervisionHost(state), filterFromSearch(location.search)), [state]);
  useObservable(reports);
  const [zoneOpen, setZoneOpen] = useState(false);
  const filter = reports.filter;
  const report = reports.report;
  const search = searchOf(filter);
  const dates = reports.dates();

  useEffect(() => {
    void reports.start();
    return () => reports.stop();
  }, [reports]);

  // The address keeps the filters: a reload or a link shows the same report.
  useEffect(() => {
    const path = pathFor({ view: 'reports' });
    if (location.pathname === path && location.search !== search) history.replaceState(history.state, '', `${path}${search}`);
  }, [search]);

  const channels = [...state.team.channels].sort((a, b) => a.name.localeCompare(b.name));
  const operators = [...state.team.operators.values()].sort((a, b) => a.display_name.localeCompare(b.display_name));
  const idOrNull = (v: string) => (v ? v : null);

  return (
    <main class="admin-page reports-page" data-testid="reports-page">
      <section class="admin-section">
        <header class="admin-head admin-head-row reports-head">
          <div>
            <h1>{t('reports.title')}</h1>
            <p class="reports-meta" data-testid="reports-meta">
              <span data-testid="reports-zone">{t('reports.zone', { zone: reports.zone ?? EMPTY })}</span>
              {report && (
                <>
                  <span aria-hidden="true"> · </span>
                  <span data-testid="reports-as-of">
                    {t('reports.as_of', { time: asOfText(report.as_of, lang) })}
                  </span>
                </>
              )}
              {state.isAdmin() && !zoneOpen && (
                <>
                  {' '}
                  <button type="button" class="link" onClick={() => setZoneOpen(true)} data-testid="reports-zone-edit">
                    {t('reports.zone_change')}
                  </button>
                </>
              )}
            </p>
          </div>
          <div class="reports-actions">
            {report && !reportEmpty(report) ? (
              <a class="btn btn-secondary" href={exportHref(report)} download={exportName(report)} data-testid="reports-csv">
                {t('reports.csv')}
              </a>
            ) : null}
            <button type="button" class="btn btn-secondary" disabled={reports.loading} onClick={() => void reports.load()} data-testid="reports-refresh">
              {t('reports.refresh')}
            </button>
          </div>
        </header>

        {zoneOpen && state.isAdmin() && <ZoneSettings reports={reports} onClose={() => setZoneOpen(false)} />}
        {report?.catching_up && (
          <p class="reports-catching-up" role="status" data-testid="reports-catching-up">
            {t('reports.catching_up')}
          </p>
        )}

        <div class="reports-filters" role="group" aria-label={t('reports.filters')}>
          <div class="reports-filter-row">
            <div class="field reports-period">
              <span id="reports-period-label">{t('reports.period')}</span>
              <div class="segmented reports-periods" role="group" aria-labelledby="reports-period-label">
                {PERIOD_PRESETS.map((p) => (
                  <PeriodButton key={p} period={p} current={filter.period} onPick={() => reports.setFilter({ period: p })} t={t} />
                ))}
                <PeriodButton period="custom" current={filter.period} onPick={() => reports.setFilter({ period: 'custom' })} t={t} />
              </div>
            </div>
            <label class="field reports-date">
              <span>{t('reports.from')}</span>
              <input
                type="date"
                value={dates.from}
                max={dates.to || undefined}
                onChange={(e) => reports.setFilter({ from: e.currentTarget.value, to: dates.to })}
                aria-invalid={!!reports.periodProblem}
                data-testid="reports-from"
              />
            </label>
            <label class="field reports-date">
              <span>{t('reports.to')}</span>
              <input
                type="date"
                value={dates.to}
                min={dates.from || undefined}
                onChange={(e) => reports.setFilter({ from: dates.from, to: e.currentTarget.value })}
                aria-invalid={!!reports.periodProblem}
                data-testid="reports-to"
              />
            </label>
          </div>
          <div class="reports-filter-row">
            <label class="field reports-select">
              <span>{t('reports.group')}</span>
              <select value={filter.group} onChange={(e) => reports.setFilter({ group: e.currentTarget.value as ReportGroup })} data-testid="reports-group">
                {REPORT_GROUPS.map((g) => (
                  <option key={g} value={g}>
                    {groupLabel(t, g)}
                  </option>
                ))}
              </select>
            </label>
            <label class="field reports-select">
              <span>{t('reports.channel')}</span>
              <select value={filter.channelId ?? ''} onChange={(e) => reports.setFilter({ channelId: idOrNull(e.currentTarget.value) })} data-testid="reports-channel">
                <option value="">{t('reports.all_channels')}</option>
                {filter.channelId && !channels.some((c) => c.id === filter.channelId) && <option value={filter.channelId}>{t('reports.unknown_channel')}</option>}
                {channels.map((c) => (
                  <option key={c.id} value={c.id}>
                    {c.name}
                  </option>
                ))}
              </select>
            </label>
            <label class="field reports-select">
              <span>{t('reports.operator')}</span>
              <select value={filter.operatorId ?? ''} onChange={(e) => reports.setFilter({ operatorId: idOrNull(e.currentTarget.value) })} data-testid="reports-operator">
                <option value="">{t('reports.all_operators')}</option>
                {filter.operatorId && !operators.some((o) => o.id === filter.operatorId) && <option value={filter.operatorId}>{t('reports.unknown_operator')}</option>}
                {operators.map((o) => (
                  <option key={o.id} value={o.id}>
                    {o.display_name}
                  </option>
                ))}
              </select>
            </label>
            <div class="field reports-clock">
              <span id="reports-clock-label">{t('reports.clock')}</span>
              <div class="segmented" role="group" aria-labelledby="reports-clock-label">
                {(['calendar', 'business'] as Clock[]).map((c) => (
                  <button
                    key={c}
                    type="button"
                    class={filter.clock === c ? 'active' : ''}
                    aria-pressed={filter.clock === c}
                    onClick={() => reports.setFilter({ clock: c })}
                    data-testid={`reports-clock-${c}`}
                  >
                    {c === 'calendar' ? t('reports.clock_calendar') : t('reports.clock_business')}
                  </button>
                ))}
              </div>
            </div>
          </div>
        </div>

        {reports.periodProblem && (
          <p class="form-error" role="alert" data-testid="reports-period-error">
            {periodProblemText(t, reports.periodProblem)}
          </p>
        )}
        {reports.problem && (
          <p class="form-error" role="alert" data-testid="reports-error">
            {reports.problem.code === 'forbidden' ? t('reports.not_for_role') : problemText(t, lang, reports.problem, (f) => fieldName(t, f))}{' '}
            <button type="button" class="link" onClick={() => void reports.load()}>
              {t('app.retry')}
            </button>
          </p>
        )}
        {!report && reports.loading && <p class="list-note">{t('reports.loading')}</p>}
        {report && reportEmpty(report) && (
          <div class="admin-card">
            <p class="list-note reports-empty" data-testid="reports-empty">
              {t('reports.empty')}
            </p>
          </div>
        )}
        {report && !reportEmpty(report) && (
          <div class="reports-body" aria-busy={reports.loading}>
            <Tiles totals={report.totals} clock={filter.clock} byChannel={!!report.channel_id} />
            {chartSeries(report, filter.clock) && <ReportChart report={report} clock={filter.clock} />}
            <ReportTable report={report} clock={filter.clock} />
          </div>
        )}
      </section>
    </main>
  );
}

function PeriodButton({ period, current, onPick, t }: { period: Period; current: Period; onPick: () => void; t: T }) {
  return (
    <button type="button" class={current === period ? 'active' : ''} aria-pressed={current === period} onClick={onPick} data-testid={`reports-period-${period}`}>
      {periodLabel(t, period)}
    </button>
  );
}

function fieldName(t: T, field: string): string {
  if (field === 'from') return t('reports.from');
  if (field === 'to') return t('reports.to');
  if (field === 'time_zone') return t('reports.zone_label');
  return field;
}

/** When the report was folded: the time today, else the date too. */
function asOfText(iso: string, lang: Lang, now = Date.now()): string {
  const at = Date.parse(iso);
  if (!Number.isFinite(at)) return EMPTY;
  const locale = lang === 'ru' ? 'ru-RU' : 'en-GB';
  const sameDay = new Date(at).toDateString() === new Date(now).toDateString();
  return new Intl.DateTimeFormat(locale, sameDay ? { hour: '2-digit', minute: '2-digit' } : { day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit' }).format(at);
}

// ---- the time zone ---------------------------------------------------------------------------

function ZoneSettings({ reports, onClose }: { reports: ReportsState; onClose: () => void }) {
  const { t, lang } = useConsole();
  const [value, setValue] = useState(reports.zone ?? '');
  const input = useRef<HTMLInputElement>(null);
  useEffect(() => input.current?.focus(), []);
  const problem = reports.zoneProblem;
  const badZone = problem?.code === 'validation_failed' && problem.details.field === 'time_zone';

  const submit = async (e: Event) => {
    e.preventDefault();
    if (!value.trim() || value.trim() === reports.zone) {
      onClose();
      return;
    }
    if (!(await reports.saveZone(value))) onClose();
  };

  return (
    <form class="admin-card reports-zone-form" onSubmit={submit} data-testid="reports-zone-form">
      <label class="field">
        <span>{t('reports.zone_label')}</span>
        <input
          ref={input}
          value={value}
          list="reports-zones"
          autocomplete="off"
          spellcheck={false}
          aria-invalid={badZone}
          aria-describedby="reports-zone-warning"
          onInput={(e) => setValue(e.currentTarget.value)}
          data-testid="reports-zone-input"
        />
      </label>
      <datalist id="reports-zones">
        {COMMON_ZONES.map((z) => (
          <option key={z} value={z} />
        ))}
      </datalist>
      <p class="reports-zone-warning" id="reports-zone-warning">
        {t('reports.zone_warning')}
      </p>
      {problem && (
        <p class="form-error" role="alert" data-testid="reports-zone-error">
          {badZone ? t('reports.zone_bad') : problemText(t, lang, problem)}
        </p>
      )}
      <div class="reports-zone-actions">
        <button type="submit" class="btn btn-primary" disabled={reports.zoneSaving} data-testid="reports-zone-save">
          {reports.zoneSaving ? t('reports.zone_saving') : t('reports.zone_save')}
        </button>
        <button type="button" class="btn btn-ghost" onClick={onClose}>
          {t('reports.zone_cancel')}
        </button>
      </div>
    </form>
  );
}

// ---- the totals ------------------------------------------------------------------------------

interface TileProps {
  id: string;
  label: string;
  value: string;
  sub?: string;
  tone?: 'bad' | null;
}

function Tile({ id, label, value, sub, tone }: TileProps) {
  return (
    <li class={`kpi${tone ? ` kpi-${tone}` : ''}`} data-testid="kpi" data-kpi={id}>
      <span class="kpi-label">{label}</span>
      <span class="kpi-value" data-testid="kpi-value">
        {value}
      </span>
      {sub && <span class="kpi-sub">{sub}</span>}
    </li>
  );
}

/** A figure that keeps to one line inside a sentence («3 мин 36 с» is not cut after «мин»). */
const unbroken = (s: string) => s.replace(/ /g, '\u00a0');

function slaSub(t: T, s: FiguresView['sla_first_reply']): string {
  return s.measured > 0 ? t('reports.sla_of', { met: s.met, measured: s.measured }) : t('reports.sla_none');
}

/**
 * The totals. Operators' online time and load belong to no channel (the server keeps them per
 * operator): under a channel filter those two tiles say so rather than show an empty figure.
 */
function Tiles({ totals, clock, byChannel }: { totals: FiguresView; clock: Clock; byChannel: boolean }) {
  const { t, lang } = useConsole();
  const first = timing(totals.first_reply, clock);
  const reply = timing(totals.reply, clock);
  const resolution = timing(totals.resolution, clock);
  const n = (v: number) => formatNumber(v, lang);
  const tiles: TileProps[] = [
    { id: 'dialogs_new', label: t('reports.kpi_new'), value: n(totals.dialogs_new) },
    {
      id: 'closed',
      label: t('reports.kpi_closed'),
      value: n(closedTotal(totals)),
      sub: t('reports.kpi_closed_sub', { operator: n(totals.closed_by_operator), auto: n(totals.closed_automatically) }),
    },
    { id: 'missed', label: t('reports.kpi_missed'), value: n(totals.missed), sub: t('reports.kpi_missed_sub'), tone: totals.missed > 0 ? 'bad' : null },
    {
      id: 'first_reply',
      label: t('reports.kpi_first_reply'),
      value: formatDuration(first.median_ms, t),
      sub: t('reports.kpi_median_p90', { time: unbroken(formatDuration(first.p90_ms, t)) }),
    },
    { id: 'reply', label: t('reports.kpi_reply'), value: formatDuration(reply.median_ms, t), sub: t('reports.kpi_median_p90', { time: unbroken(formatDuration(reply.p90_ms, t)) }) },
    {
      id: 'resolution',
      label: t('reports.kpi_resolution'),
      value: formatDuration(resolution.median_ms, t),
      sub: t('reports.kpi_median_p90', { time: unbroken(formatDuration(resolution.p90_ms, t)) }),
    },
    { id: 'sla_first_reply', label: t('reports.kpi_sla_first'), value: formatPercent(totals.sla_first_reply.met_percent, lang), sub: slaSub(t, totals.sla_first_reply) },
    { id: 'sla_next_reply', label: t('reports.kpi_sla_next'), value: formatPercent(totals.sla_next_reply.met_percent, lang), sub: slaSub(t, totals.sla_next_reply) },
    { id: 'sla_resolution', label: t('reports.kpi_sla_resolution'), value: formatPercent(totals.sla_resolution.met_percent, lang), sub: slaSub(t, totals.sla_resolution) },
    {
      id: 'csat',
      label: t('reports.kpi_csat'),
      value: formatNumber(totals.csat.average, lang, 2),
      sub:
        totals.csat.answered > 0
          ? t('reports.kpi_csat_sub', { good: formatPercent(totals.csat.good_percent, lang), answered: n(totals.csat.answered) })
          : t('reports.kpi_csat_none'),
    },
    byChannel
      ? { id: 'online', label: t('reports.kpi_online'), value: EMPTY, sub: t('reports.kpi_team_no_channel') }
      : { id: 'online', label: t('reports.kpi_online'), value: formatHours(totals.online_ms, lang, t), sub: t('reports.kpi_online_sub') },
    byChannel
      ? { id: 'load', label: t('reports.kpi_load'), value: EMPTY, sub: t('reports.kpi_team_no_channel') }
      : {
          id: 'load',
          label: t('reports.kpi_load'),
          value: formatPercent(totals.load_percent, lang),
          sub: totals.average_load == null ? t('reports.kpi_load_none') : t('reports.kpi_load_sub', { load: formatNumber(totals.average_load, lang, 2) }),
        },
    { id: 'guard', label: t('reports.kpi_guard'), value: n(totals.guard_hits), sub: t('reports.kpi_guard_sub') },
  ];
  return (
    <section class="reports-totals" aria-labelledby="reports-totals-title">
      <h2 id="reports-totals-title" class="visually-hidden">
        {t('reports.totals_title')}
      </h2>
      <ul class="kpi-grid" data-testid="reports-kpis">
        {tiles.map((tile) => (
          <Tile key={tile.id} {...tile} />
        ))}
      </ul>
      <p class="reports-clock-note">{clock === 'business' ? t('reports.clock_note_business') : t('reports.clock_note_calendar')}</p>
    </section>
  );
}

// ---- the chart -------------------------------------------------------------------------------

const COLORS = { new: '#2563eb', closed: '#10b981', firstReply: '#d97706', grid: '#eef0f3', axis: '#5f6775' };
const CHART_HEIGHT = 260;

/** Steps of the axes: whole dialogs; seconds to days. */
const COUNT_STEPS = [1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1000, 2000, 5000, 10_000];
const TIME_STEPS = [1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 10_800, 21_600, 43_200, 86_400];
const X_STEPS = [1, 2, 3, 7, 14, 28, 56];

function chartOptions(series: ChartSeries, width: number, t: T, lang: Lang, clock: Clock, onHover: (idx: number | null) => void, paths: typeof uPlot.paths): uPlot.Options {
  const n = series.keys.length;
  const label = (i: number) => (Number.isInteger(i) && i >= 0 && i < n ? formatDate(series.keys[i], lang, false) : '');
  const maxCount = Math.max(1, ...series.dialogsNew, ...series.closed);
  const maxTime = Math.max(60, ...series.firstReplyS.map((s) => s ?? 0));
  const bars = paths.bars ? (align: -1 | 1) => paths.bars!({ size: [0.36, 36], align, gap: 1 }) : undefined;
  const font = '12px system-ui, -apple-system, "Segoe UI", Roboto, Arial, sans-serif';
  return {
    width,
    height: CHART_HEIGHT,
    legend: { show: false },
    cursor: { drag: { x: false, y: false, setScale: false }, points: { size: 7 } },
    scales: {
      x: { time: false, range: () => [-0.5, n - 0.5] },
      count: { range: () => [0, Math.ceil(maxCount * 1.15)] },
      time: { range: () => [0, Math.ceil(maxTime * 1.15)] },
    },
    axes: [
      { stroke: COLORS.axis, font, grid: { show: false }, ticks: { show: false }, incrs: X_STEPS, values: (_u, splits) => splits.map(label), gap: 6, size: 30 },
      {
        scale: 'count',
        stroke: COLORS.axis,
        font,
        incrs: COUNT_STEPS,
        grid: { stroke: COLORS.grid, width: 1 },
        ticks: { show: false },
        values: (_u, splits) => splits.map((v) => formatNumber(v, lang)),
        size: 44,
      },
      {
        scale: 'time',
        side: 1,
        stroke: COLORS.firstReply,
        font,
        incrs: TIME_STEPS,
        grid: { show: false },
        ticks: { show: false },
        values: (_u, splits) => splits.map((v) => formatAxisDuration(v, t)),
        size: 76,
      },
    ],
    series: [
      {},
      {
        label: t('reports.chart_new'),
        scale: 'count',
        stroke: COLORS.new,
        fill: 'rgba(37, 99, 235, .75)',
        width: 0,
        paths: bars?.(-1),
        points: { show: false },
      },
      {
        label: t('reports.chart_closed'),
        scale: 'count',
        stroke: COLORS.closed,
        fill: 'rgba(16, 185, 129, .75)',
        width: 0,
        paths: bars?.(1),
        points: { show: false },
      },
      {
        label: clock === 'business' ? t('reports.chart_first_reply_business') : t('reports.chart_first_reply'),
        scale: 'time',
        stroke: COLORS.firstReply,
        width: 2,
        dash: [6, 4],
        spanGaps: true,
        points: { show: true, size: 6, fill: COLORS.firstReply },
      },
    ],
    hooks: {
      setCursor: [(u) => onHover(u.cursor.idx ?? null)],
    },
  };
}

function ReportChart({ report, clock }: { report: Report; clock: Clock }) {
  const { t, lang } = useConsole();
  const holder = useRef<HTMLDivElement>(null);
  const [hover, setHover] = useState<number | null>(null);
  const [failed, setFailed] = useState(false);
  const series = useMemo(() => chartSeries(report, clock), [report, clock]);

  useEffect(() => {
    if (!series || !holder.current) return;
    let plot: uPlot | null = null;
    let observer: ResizeObserver | null = null;
    let cancelled = false;
    const el = holder.current;
    const fit = () => plot?.setSize({ width: Math.max(240, el.clientWidth), height: CHART_HEIGHT });
    import('uplot')
      .then(({ default: UPlot }) => {
        if (cancelled) return;
        const data: uPlot.AlignedData = [series.keys.map((_, i) => i), series.dialogsNew, series.closed, series.firstReplyS];
        plot = new UPlot(chartOptions(series, Math.max(240, el.clientWidth), t, lang, clock, setHover, UPlot.paths), data, el);
        if (typeof ResizeObserver !== 'undefined') {
          observer = new ResizeObserver(fit);
          observer.observe(el);
        } else addEventListener('resize', fit);
      })
      .catch(() => !cancelled && setFailed(true));
    return () => {
      cancelled = true;
      observer?.disconnect();
      removeEventListener('resize', fit);
      plot?.destroy();
      setHover(null);
    };
  }, [series, lang]);

  if (!series) return null;
  const i = hover !== null && hover >= 0 && hover < series.keys.length ? hover : null;
  const when = (key: string) =>
    report.group === 'week' ? rowLabel({ key, label: key }, 'week', lang, t, { from: report.from, to: report.to }) : formatDate(key, lang);
  const firstS = i !== null ? series.firstReplyS[i] : null;
  return (
    <figure class="admin-card report-chart" data-testid="report-chart" aria-labelledby="report-chart-title">
      <figcaption id="report-chart-title" class="report-chart-head">
        <span class="report-chart-title">{report.group === 'week' ? t('reports.chart_title_week') : t('reports.chart_title_day')}</span>
        <span class="report-chart-legend" aria-hidden="true">
          <span class="legend-item">
            <span class="legend-swatch swatch-new" />
            {t('reports.chart_new')}
          </span>
          <span class="legend-item">
            <span class="legend-swatch swatch-closed" />
            {t('reports.chart_closed')}
          </span>
          <span class="legend-item">
            <span class="legend-swatch swatch-first" />
            {clock === 'business' ? t('reports.chart_first_reply_business') : t('reports.chart_first_reply')}
          </span>
        </span>
      </figcaption>
      <div class="report-chart-plot" ref={holder} aria-hidden="true" data-testid="report-chart-plot" />
      {failed && <p class="muted">{t('reports.chart_failed')}</p>}
      <p class="report-chart-readout" data-testid="report-chart-readout">
        {i !== null
          ? t('reports.chart_readout', {
              when: when(series.keys[i]),
              new: formatNumber(series.dialogsNew[i], lang),
              closed: formatNumber(series.closed[i], lang),
              first: firstS === null ? EMPTY : formatDuration(firstS * 1000, t),
            })
          : t('reports.chart_hint')}
      </p>
    </figure>
  );
}

// ---- the table -------------------------------------------------------------------------------

/** How wide a column's figures are: the table's fixed layout sizes it by its kind (reports.css). */
type ColumnKind = 'count' | 'count-wide' | 'time' | 'percent' | 'number';

interface Column {
  id: string;
  label: ConsoleKey;
  kind: ColumnKind;
  /** The figure as shown, and its raw value (for tests and the CSV's check). */
  cell: (f: FiguresView, clock: Clock, t: T, lang: Lang) => { text: string; raw: number | null };
}

interface ColumnGroup {
  label: ConsoleKey;
  columns: Column[];
}

const count = (v: number, lang: Lang) => ({ text: formatNumber(v, lang), raw: v });
const duration = (ms: number | null | undefined, t: T) => ({ text: formatDuration(ms, t), raw: ms ?? null });
const percent = (v: number | null | undefined, lang: Lang) => ({ text: formatPercent(v, lang), raw: v ?? null });

const COLUMN_GROUPS: ColumnGroup[] = [
  {
    label: 'reports.col_dialogs',
    columns: [
      { id: 'dialogs_new', label: 'reports.col_new', kind: 'count', cell: (f, _c, _t, l) => count(f.dialogs_new, l) },
      { id: 'closed_by_operator', label: 'reports.col_closed_operator', kind: 'count-wide', cell: (f, _c, _t, l) => count(f.closed_by_operator, l) },
      { id: 'closed_automatically', label: 'reports.col_closed_auto', kind: 'count-wide', cell: (f, _c, _t, l) => count(f.closed_automatically, l) },
      { id: 'missed', label: 'reports.col_missed', kind: 'count-wide', cell: (f, _c, _t, l) => count(f.missed, l) },
    ],
  },
  {
    label: 'reports.col_first_reply',
    columns: [
      { id: 'first_reply_median', label: 'reports.col_median', kind: 'time', cell: (f, c, t) => duration(timing(f.first_reply, c).median_ms, t) },
      { id: 'first_reply_p90', label: 'reports.col_p90', kind: 'time', cell: (f, c, t) => duration(timing(f.first_reply, c).p90_ms, t) },
    ],
  },
  {
    label: 'reports.col_reply',
    columns: [{ id: 'reply_median', label: 'reports.col_median', kind: 'time', cell: (f, c, t) => duration(timing(f.reply, c).median_ms, t) }],
  },
  {
    label: 'reports.col_resolution',
    columns: [{ id: 'resolution_median', label: 'reports.col_median', kind: 'time', cell: (f, c, t) => duration(timing(f.resolution, c).median_ms, t) }],
  },
  {
    label: 'reports.col_sla',
    columns: [
      { id: 'sla_first_reply', label: 'reports.col_sla_first', kind: 'percent', cell: (f, _c, _t, l) => percent(f.sla_first_reply.met_percent, l) },
      { id: 'sla_next_reply', label: 'reports.col_sla_next', kind: 'percent', cell: (f, _c, _t, l) => percent(f.sla_next_reply.met_percent, l) },
      { id: 'sla_resolution', label: 'reports.col_sla_resolution', kind: 'percent', cell: (f, _c, _t, l) => percent(f.sla_resolution.met_percent, l) },
    ],
  },
  {
    label: 'reports.col_csat',
    columns: [
      { id: 'csat_average', label: 'reports.col_csat_average', kind: 'number', cell: (f, _c, _t, l) => ({ text: formatNumber(f.csat.average, l, 2), raw: f.csat.average ?? null }) },
      { id: 'csat_good', label: 'reports.col_csat_good', kind: 'percent', cell: (f, _c, _t, l) => percent(f.csat.good_percent, l) },
      { id: 'csat_answered', label: 'reports.col_csat_answered', kind: 'count', cell: (f, _c, _t, l) => count(f.csat.answered, l) },
    ],
  },
  {
    label: 'reports.col_team',
    columns: [
      { id: 'online_hours', label: 'reports.col_online', kind: 'number', cell: (f, _c, _t, l) => ({ text: formatNumber(f.online_ms / 3_600_000, l, 1), raw: f.online_ms }) },
      { id: 'load_percent', label: 'reports.col_load', kind: 'percent', cell: (f, _c, _t, l) => percent(f.load_percent, l) },
    ],
  },
  {
    label: 'reports.col_guard',
    columns: [{ id: 'guard_hits', label: 'reports.col_guard_hits', kind: 'count-wide', cell: (f, _c, _t, l) => count(f.guard_hits, l) }],
  },
];

function Cells({ figures, clock }: { figures: FiguresView; clock: Clock }) {
  const { t, lang } = useConsole();
  return (
    <>
      {COLUMN_GROUPS.flatMap((g, gi) =>
        g.columns.map((c, ci) => {
          const { text, raw } = c.cell(figures, clock, t, lang);
          return (
            <td key={c.id} class={`num${ci === 0 && gi > 0 ? ' group-start' : ''}${text === EMPTY ? ' is-empty' : ''}`} data-col={c.id} data-raw={raw ?? ''}>
              {text}
            </td>
          );
        }),
      )}
    </>
  );
}

function ReportTable({ report, clock }: { report: Report; clock: Clock }) {
  const { t, lang } = useConsole();
  const firstHead = report.group === 'day' ? t('reports.col_day') : report.group === 'week' ? t('reports.col_week') : report.group === 'channel' ? t('reports.col_channel') : t('reports.col_operator');
  const period = { from: report.from, to: report.to };
  return (
    <div class="admin-card reports-table-card">
      <h2 id="reports-table-title" class="reports-table-title">
        {groupLabel(t, REPORT_GROUPS.find((g) => g === report.group) ?? 'day')}
        <span class="muted reports-table-clock">{clock === 'business' ? t('reports.table_business') : t('reports.table_calendar')}</span>
      </h2>
      <div class="reports-table-wrap" tabIndex={0} role="region" aria-labelledby="reports-table-title">
        <table class={`admin-table reports-table reports-table-${report.group}`} data-testid="reports-table">
          <colgroup>
            <col class="col-label" />
            {COLUMN_GROUPS.flatMap((g) => g.columns.map((c) => <col key={c.id} class={`col-${c.kind}`} />))}
          </colgroup>
          <thead>
            <tr>
              <th scope="col" rowSpan={2} class="reports-label-col">
                {firstHead}
              </th>
              {COLUMN_GROUPS.map((g, gi) => (
                <th key={g.label} scope="colgroup" colSpan={g.columns.length} class={`group-head${gi > 0 ? ' group-start' : ''}`}>
                  {t(g.label)}
                </th>
              ))}
            </tr>
            <tr>
              {COLUMN_GROUPS.flatMap((g, gi) =>
                g.columns.map((c, ci) => (
                  <th key={c.id} scope="col" class={`num${ci === 0 && gi > 0 ? ' group-start' : ''}`}>
                    {t(c.label)}
                  </th>
                )),
              )}
            </tr>
          </thead>
          <tbody>
            {report.rows.map((row) => (
              <tr key={row.key} data-testid="report-row" data-key={row.key}>
                <th scope="row" class="reports-label-col">
                  {rowLabel(row, report.group, lang, t, period)}
                </th>
                <Cells figures={row.figures} clock={clock} />
              </tr>
            ))}
          </tbody>
          <tfoot>
            <tr data-testid="report-totals-row">
              <th scope="row" class="reports-label-col">
                {t('reports.total')}
              </th>
              <Cells figures={report.totals} clock={clock} />
            </tr>
          </tfoot>
        </table>
      </div>
    </div>
  );
}
