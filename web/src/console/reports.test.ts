/** Reports, the pure part and the controller: periods, the address, the numbers' words, the chart's series, reading and the time zone. */
import { describe, expect, it, vi } from 'vitest';
import { ApiError } from '../shared/api';
import { fakeApi, settle } from '../test/fake-api';
import { makeT } from './i18n';
import {
  addDays,
  CATCH_UP_MS,
  chartSeries,
  dayIn,
  DEFAULT_REPORT_FILTER,
  exportHref,
  filterFromSearch,
  formatAxisDuration,
  formatDate,
  formatDuration,
  formatHours,
  formatNumber,
  formatPercent,
  isDate,
  mondayOf,
  NIL_ID,
  periodDates,
  periodProblem,
  reportQuery,
  ReportsState,
  rowLabel,
  searchOf,
  type ReportFilter,
} from './reports';
import { pathFor, routeFromPath } from './routes';
import { figures, report, row } from './reports-fixtures';

const ru = makeT('ru');
const en = makeT('en');

describe('periods', () => {
  it('know real dates and count days between them', () => {
    expect(isDate('2026-02-28')).toBe(true);
    expect(isDate('2026-02-30')).toBe(false);
    expect(isDate('2026-2-3')).toBe(false);
    expect(isDate('')).toBe(false);
    expect(addDays('2026-02-28', 1)).toBe('2026-03-01');
    expect(addDays('2026-01-01', -1)).toBe('2025-12-31');
    expect(mondayOf('2026-01-18')).toBe('2026-01-12'); // a Sunday
    expect(mondayOf('2026-01-12')).toBe('2026-01-12');
  });

  it('count "today" in the reports\' time zone, not the browser\'s', () => {
    const late = Date.UTC(2026, 0, 14, 22, 30); // 01:30 on the 15th in Moscow
    expect(dayIn('Europe/Moscow', late)).toBe('2026-01-15');
    expect(dayIn('UTC', late)).toBe('2026-01-14');
    expect(dayIn('America/New_York', late)).toBe('2026-01-14');
    expect(dayIn('No/Such_Zone', late)).toMatch(/^2026-01-1[45]$/);
  });

  it('turn each preset into its days', () => {
    const today = '2026-01-15';
    const of = (period: ReportFilter['period']) => periodDates({ period, from: '2025-01-01', to: '2025-01-31' }, today);
    expect(of('today')).toEqual({ from: today, to: today });
    expect(of('yesterday')).toEqual({ from: '2026-01-14', to: '2026-01-14' });
    expect(of('7d')).toEqual({ from: '2026-01-09', to: today });
    expect(of('30d')).toEqual({ from: '2025-12-17', to: today });
    expect(of('month')).toEqual({ from: '2026-01-01', to: today });
    expect(of('custom')).toEqual({ from: '2025-01-01', to: '2025-01-31' });
  });

  it('refuse what the server would: a bad date, the wrong order, more than 366 days', () => {
    expect(periodProblem('2026-01-01', '2026-01-31')).toBeNull();
    expect(periodProblem('2026-01-01', '2026-01-01')).toBeNull();
    expect(periodProblem('2026-01-01', '')).toBe('bad_date');
    expect(periodProblem('2026-01-31', '2026-01-01')).toBe('order');
    expect(periodProblem('2025-01-01', '2026-01-01')).toBeNull(); // 366 days
    expect(periodProblem('2025-01-01', '2026-01-02')).toBe('too_long');
  });
});

describe('the address', () => {
  it('keeps the filters, leaving the defaults out', () => {
    expect(searchOf(DEFAULT_REPORT_FILTER)).toBe('');
    const f: ReportFilter = { ...DEFAULT_REPORT_FILTER, period: 'month', group: 'week', channelId: 'c1', clock: 'business' };
    expect(searchOf(f)).toBe('?period=month&group=week&channel_id=c1&clock=business');
    expect(filterFromSearch(searchOf(f))).toEqual(f);
    const custom: ReportFilter = { ...DEFAULT_REPORT_FILTER, period: 'custom', from: '2026-01-01', to: '2026-01-31', operatorId: 'o 1' };
    expect(searchOf(custom)).toBe('?from=2026-01-01&to=2026-01-31&operator_id=o%201');
    expect(filterFromSearch(searchOf(custom))).toEqual(custom);
  });

  it('reads a link with dates as a custom period and anything unknown as the default', () => {
    expect(filterFromSearch('?from=2026-01-01&to=2026-01-07')).toMatchObject({ period: 'custom', from: '2026-01-01', to: '2026-01-07' });
    expect(filterFromSearch('?period=custom&from=2026-13-01&to=x')).toMatchObject({ period: '7d', from: '', to: '' });
    expect(filterFromSearch('?period=yesterday&from=2026-01-01&to=2026-01-07')).toMatchObject({ period: 'yesterday', from: '', to: '' });
    expect(filterFromSearch('?group=month&clock=night&period=year')).toEqual(DEFAULT_REPORT_FILTER);
  });

  it('asks the server and the CSV with the same parameters', () => {
    expect(reportQuery({ from: '2026-01-01', to: '2026-01-07', group: 'day', channelId: null, operatorId: 'o1' })).toBe('?from=2026-01-01&to=2026-01-07&group=day&operator_id=o1');
    const r = report({ from: '2026-01-01', to: '2026-01-07', group: 'channel', channel_id: 'c1' });
    expect(exportHref(r)).toBe('/api/v1/reports/export?from=2026-01-01&to=2026-01-07&group=channel&channel_id=c1');
  });

  it('has pages of its own: /console/reports and /console/board', () => {
    expect(routeFromPath('/console/reports')).toEqual({ view: 'reports' });
    expect(routeFromPath('/console/reports?period=30d')).toEqual({ view: 'reports' });
    expect(routeFromPath('/console/board')).toEqual({ view: 'board' });
    expect(routeFromPath('/console/boards')).toEqual({ view: 'dialogs', dialogId: null });
    expect(pathFor({ view: 'reports' })).toBe('/console/reports');
    expect(pathFor({ view: 'board' })).toBe('/console/board');
  });
});

describe('numbers in words', () => {
  it('word durations in both languages, seconds cut as in the CSV', () => {
    expect(formatDuration(65_000, ru)).toBe('1 мин 05 с');
    expect(formatDuration(65_999, en)).toBe('1 min 05 s');
    expect(formatDuration(45_000, ru)).toBe('45 с');
    expect(formatDuration(400, ru)).toBe('< 1 с');
    expect(formatDuration(0, en)).toBe('< 1 s');
    expect(formatDuration(7_500_000, ru)).toBe('2 ч 05 мин');
    expect(formatDuration(97_200_000, en)).toBe('1 d 3 h');
    expect(formatDuration(null, ru)).toBe('—');
    expect(formatDuration(undefined, en)).toBe('—');
  });

  it('word an axis\'s steps without padding', () => {
    expect(formatAxisDuration(0, ru)).toBe('0');
    expect(formatAxisDuration(30, ru)).toBe('30 с');
    expect(formatAxisDuration(120, en)).toBe('2 min');
    expect(formatAxisDuration(90, en)).toBe('1 min 30 s');
    expect(formatAxisDuration(5400, ru)).toBe('1 ч 30 мин');
    expect(formatAxisDuration(7200, en)).toBe('2 h');
  });

  it('show percentages with one decimal, numbers in the language\'s way, and «—» for nothing', () => {
    expect(formatPercent(42, 'ru')).toBe('42,0\u00a0%');
    expect(formatPercent(87.55, 'en')).toBe('87.6%');
    expect(formatPercent(null, 'en')).toBe('—');
    expect(formatNumber(4.5, 'ru', 2)).toBe('4,50');
    expect(formatNumber(12345, 'en')).toBe('12,345');
    expect(formatNumber(undefined, 'ru')).toBe('—');
    expect(formatHours(45_000_000, 'ru', ru)).toBe('12,5 ч');
    expect(formatHours(0, 'en', en)).toBe('0.0 h');
  });

  it('name rows: the day, the week within the period, the channel or operator (none in words)', () => {
    expect(formatDate('2026-01-12', 'ru')).toMatch(/^пн, 12 янв\.?$/);
    expect(formatDate('2026-01-12', 'en')).toBe('Mon 12 Jan');
    expect(rowLabel({ key: '2026-01-12', label: '2026-01-12' }, 'day', 'en', en)).toBe('Mon 12 Jan');
    expect(rowLabel({ key: '2026-01-12', label: '2026-01-12' }, 'week', 'ru', ru)).toMatch(/^12\s?–\s?18 янв\.?$/);
    // A week cut by the period shows the days the report covers.
    expect(rowLabel({ key: '2026-01-12', label: '2026-01-12' }, 'week', 'en', en, { from: '2026-01-14', to: '2026-01-16' })).toMatch(/^14\s?–\s?16 Jan$/);
    expect(rowLabel({ key: 'c1', label: 'Сайт' }, 'channel', 'ru', ru)).toBe('Сайт');
    expect(rowLabel({ key: NIL_ID, label: '—' }, 'channel', 'ru', ru)).toBe('Без канала');
    expect(rowLabel({ key: NIL_ID, label: '—' }, 'operator', 'en', en)).toBe('No operator');
  });
});

describe('the chart\'s series', () => {
  it('has every day of the period, a day without a row at zero and no median', () => {
    const r = report({
      from: '2026-01-10',
      to: '2026-01-13',
      rows: [
        row('2026-01-10', figures({ dialogs_new: 3, closed_by_operator: 2, closed_automatically: 1, first: 65_000 })),
        row('2026-01-12', figures({ dialogs_new: 1, first: 400, firstBusiness: 30_000 })),
      ],
    });
    expect(chartSeries(r, 'calendar')).toEqual({
      keys: ['2026-01-10', '2026-01-11', '2026-01-12', '2026-01-13'],
      dialogsNew: [3, 0, 1, 0],
      closed: [3, 0, 0, 0],
      firstReplyS: [65, null, 0, null],
    });
    expect(chartSeries(r, 'business')?.firstReplyS).toEqual([65, null, 30, null]);
  });

  it('has the weeks\' Mondays for a week report, one point for one day, and none for channels', () => {
    const weeks = report({ group: 'week', from: '2026-01-07', to: '2026-01-20', rows: [row('2026-01-12', figures({ dialogs_new: 4 }))] });
    expect(chartSeries(weeks, 'calendar')).toMatchObject({ keys: ['2026-01-05', '2026-01-12', '2026-01-19'], dialogsNew: [0, 4, 0] });
    const one = report({ from: '2026-01-15', to: '2026-01-15', rows: [] });
    expect(chartSeries(one, 'calendar')).toEqual({ keys: ['2026-01-15'], dialogsNew: [0], closed: [0], firstReplyS: [null] });
    expect(chartSeries(report({ group: 'channel' }), 'calendar')).toBeNull();
    expect(chartSeries(report({ group: 'operator' }), 'calendar')).toBeNull();
  });
});

describe('ReportsState', () => {
  function setup(filter: Partial<ReportFilter> = {}, now = Date.UTC(2026, 0, 14, 22, 30)) {
    let zone = 'Europe/Moscow';
    const api = fakeApi({
      'GET /api/v1/reports/settings': () => ({ time_zone: zone }),
      'PUT /api/v1/reports/settings': (_p, o) => {
        const next = (o.body as { time_zone: string }).time_zone;
        if (next === 'Mars/Olympus') throw new ApiError(400, 'validation_failed', 'time_zone', { field: 'time_zone' });
        zone = next;
        return { time_zone: zone };
      },
      'GET /api/v1/reports': (path) => {
        const q = new URLSearchParams(path.split('?')[1]);
        return report({ from: q.get('from')!, to: q.get('to')!, group: q.get('group')!, time_zone: zone });
      },
    });
    const reports = new ReportsState(
      { api: api.request, guard: (e) => ({ code: (e as ApiError).code, details: (e as ApiError).details }), now: () => now },
      { ...DEFAULT_REPORT_FILTER, ...filter },
    );
    return { api, reports };
  }

  it('reads the zone first, so "today" is the zone\'s today, then the report', async () => {
    const { api, reports } = setup({ period: 'today' });
    await reports.start();
    expect(api.calls.map((c) => `${c.method} ${c.path}`)).toEqual(['GET /api/v1/reports/settings', 'GET /api/v1/reports?from=2026-01-15&to=2026-01-15&group=day']);
    expect(reports.zone).toBe('Europe/Moscow');
    expect(reports.report?.from).toBe('2026-01-15');
  });

  it('reads anew when the filters change, but not for the clock alone', async () => {
    const { api, reports } = setup();
    await reports.start();
    expect(api.calls.at(-1)?.path).toBe('/api/v1/reports?from=2026-01-09&to=2026-01-15&group=day');
    reports.setFilter({ clock: 'business' });
    await settle();
    expect(api.callsTo('GET', '/api/v1/reports?')).toHaveLength(1);
    reports.setFilter({ group: 'operator', channelId: 'c1' });
    await settle();
    expect(api.calls.at(-1)?.path).toBe('/api/v1/reports?from=2026-01-09&to=2026-01-15&group=operator&channel_id=c1');
  });

  it('starts a custom period from the days shown, and asks nothing for a period it cannot be', async () => {
    const { api, reports } = setup({ period: '30d' });
    await reports.start();
    reports.setFilter({ period: 'custom' });
    await settle();
    expect(reports.filter).toMatchObject({ period: 'custom', from: '2025-12-17', to: '2026-01-15' });
    const asked = api.calls.length;
    reports.setFilter({ from: '2026-01-20', to: '2026-01-10' });
    await settle();
    expect(reports.periodProblem).toBe('order');
    expect(api.calls).toHaveLength(asked);
    // What was shown stays.
    expect(reports.report?.from).toBe('2025-12-17');
    reports.setFilter({ period: 'yesterday' });
    await settle();
    expect(reports.periodProblem).toBeNull();
    expect(reports.filter).toMatchObject({ period: 'yesterday', from: '', to: '' });
    expect(api.calls.at(-1)?.path).toBe('/api/v1/reports?from=2026-01-14&to=2026-01-14&group=day');
  });

  it('drops an answer that comes late for filters no longer asked about', async () => {
    const held: (() => void)[] = [];
    const api = fakeApi({
      'GET /api/v1/reports': (path) =>
        new Promise((done) => held.push(() => done(report({ group: new URLSearchParams(path.split('?')[1]).get('group')! })))),
    });
    const reports = new ReportsState({ api: api.request, guard: (e) => ({ code: String(e), details: {} }) });
    reports.zone = 'UTC';
    void reports.load();
    reports.setFilter({ group: 'week' });
    held[1]();
    await settle();
    held[0]();
    await settle();
    expect(reports.report?.group).toBe('week');
    expect(reports.loading).toBe(false);
  });

  it('sets the time zone and reads the report again; a bad zone is refused', async () => {
    const { api, reports } = setup();
    await reports.start();
    expect((await reports.saveZone('Mars/Olympus'))?.details.field).toBe('time_zone');
    expect(reports.zone).toBe('Europe/Moscow');
    expect(await reports.saveZone(' Asia/Yekaterinburg ')).toBeNull();
    expect(api.callsTo('PUT', '/api/v1/reports/settings').at(-1)?.options.body).toEqual({ time_zone: 'Asia/Yekaterinburg' });
    await settle();
    expect(reports.zone).toBe('Asia/Yekaterinburg');
    expect(reports.report?.time_zone).toBe('Asia/Yekaterinburg');
    expect(api.callsTo('GET', '/api/v1/reports?')).toHaveLength(2);
  });

  it('asks again while the server is still catching up, and not after the page is left', async () => {
    vi.useFakeTimers();
    try {
      let behind = 2;
      const api = fakeApi({
        'GET /api/v1/reports': () => report({ catching_up: behind-- > 0 }),
      });
      const reports = new ReportsState({ api: api.request, guard: (e) => ({ code: String(e), details: {} }) });
      reports.zone = 'UTC';
      await reports.load();
      expect(reports.report?.catching_up).toBe(true);
      await vi.advanceTimersByTimeAsync(CATCH_UP_MS);
      await vi.advanceTimersByTimeAsync(CATCH_UP_MS);
      expect(api.calls).toHaveLength(3);
      expect(reports.report?.catching_up).toBe(false);
      await vi.advanceTimersByTimeAsync(CATCH_UP_MS * 5);
      expect(api.calls).toHaveLength(3);

      behind = 5;
      await reports.load();
      reports.stop();
      await vi.advanceTimersByTimeAsync(CATCH_UP_MS * 5);
      expect(api.calls).toHaveLength(4);
    } finally {
      vi.useRealTimers();
    }
  });

  it('keeps a refusal, and the report shown before it', async () => {
    let down = false;
    const api = fakeApi({
      'GET /api/v1/reports/settings': () => ({ time_zone: 'UTC' }),
      'GET /api/v1/reports': () => {
        if (down) throw new ApiError(503, 'unavailable', 'down');
        return report();
      },
    });
    const reports = new ReportsState({ api: api.request, guard: (e) => ({ code: (e as ApiError).code, details: {} }) });
    await reports.start();
    down = true;
    await reports.load();
    expect(reports.problem?.code).toBe('unavailable');
    expect(reports.report).not.toBeNull();
  });
});
