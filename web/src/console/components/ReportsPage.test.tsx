/**
 * The reports page in jsdom, in Russian and English: the totals' tiles, the table with its
 * totals row, the CSV link, the chart's series (uPlot stands in), the filters in the address
 * and a deep link, the calendar / business-hours switch, the empty period, the time zone an
 * admin changes, and the way there (supervisors and admins; operators are told it is not for
 * their role).
 */
import { render } from 'preact';
import { act } from 'preact/test-utils';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ApiError } from '../../shared/api';
import type { Role } from '../../shared/api-types';
import { fakeApi, settle } from '../../test/fake-api';
import { channel, FakeSocket, meView, operator } from '../../test/fixtures';
import { ConsoleState } from '../console-state';
import { ConsoleContext } from '../context';
import type { Report } from '../reports';
import { figures, report, row } from '../reports-fixtures';
import { AdminNav } from './AdminNav';
import { App } from './App';
import { ReportsPage } from './ReportsPage';

interface FakePlot {
  opts: { series: { label?: string }[]; axes: { values?: (u: unknown, splits: number[]) => string[] }[] };
  data: unknown[][];
  destroyed: boolean;
}
const chart = vi.hoisted(() => ({ plots: [] as FakePlot[] }));
vi.mock('uplot', () => {
  class Plot {
    destroyed = false;
    constructor(
      public opts: FakePlot['opts'],
      public data: unknown[][],
    ) {
      chart.plots.push(this);
    }
    setSize() {}
    destroy() {
      this.destroyed = true;
    }
    static paths = { bars: () => () => null };
  }
  return { default: Plot };
});

let host: HTMLDivElement;
let state: ConsoleState;
let api: ReturnType<typeof fakeApi>;
let answer: (path: string) => Report;
let zone: string;
/** The server folds the log again after the zone changed. */
let refolding = false;

const NOW = Date.UTC(2026, 0, 15, 9, 0); // 12:00 in Moscow

const busy = figures({
  dialogs_new: 12,
  closed_by_operator: 8,
  closed_automatically: 2,
  missed: 1,
  first: 65_000,
  firstBusiness: 30_000,
  reply: 125_000,
  resolution: 7_500_000,
  sla_first_reply: { measured: 10, met: 9, met_percent: 90 },
  sla_next_reply: { measured: 0, met: 0, met_percent: null },
  sla_resolution: { measured: 8, met: 6, met_percent: 75 },
  csat: { answered: 6, average: 4.5, good_percent: 83.3 },
  online_ms: 45_000_000,
  average_load: 1.25,
  load_percent: 41.7,
  guard_hits: 3,
});

function dayReport(path: string): Report {
  const q = new URLSearchParams(path.split('?')[1] ?? '');
  const group = q.get('group') ?? 'day';
  const rows =
    group === 'channel'
      ? [row('c1', busy, 'Сайт'), row('00000000-0000-0000-0000-000000000000', figures({ online_ms: 3_600_000 }), '—')]
      : [
          row('2026-01-13', figures({ dialogs_new: 5, closed_by_operator: 4, first: 40_000 })),
          row('2026-01-15', figures({ dialogs_new: 7, closed_by_operator: 4, closed_automatically: 2, missed: 1, first: 65_000 })),
        ];
  return report({ from: q.get('from')!, to: q.get('to')!, group, channel_id: q.get('channel_id'), operator_id: q.get('operator_id'), rows, totals: busy, time_zone: zone });
}

function setup(role: Role, lang: 'ru' | 'en') {
  localStorage.setItem('frontline.console.lang', lang);
  api = fakeApi({
    'GET /api/v1/me': () => meView({ operator: operator('me', { display_name: 'Анна', role }) }),
    'GET /api/v1/dialogs/counts': () => ({ queue: 0, mine: 0, unanswered_mine: 0 }),
    'GET /api/v1/dialogs': () => ({ items: [], next_cursor: null }),
    'GET /api/v1/operators': () => ({ items: [operator('me', { display_name: 'Анна', role }), operator('o2', { display_name: 'Борис' })] }),
    'GET /api/v1/channels': () => ({ items: [channel('c1', { name: 'Сайт' }), channel('c2', { name: 'Доставка' })] }),
    'GET /api/v1/saved-replies': () => ({ items: [] }),
    'GET /api/v1/tags': () => ({ items: [] }),
    'GET /api/v1/categories': () => ({ items: [] }),
    'GET /api/v1/reports/settings': () => ({ time_zone: zone }),
    'PUT /api/v1/reports/settings': (_p, o) => {
      const next = (o.body as { time_zone: string }).time_zone;
      if (next === 'Mars/Olympus') throw new ApiError(400, 'validation_failed', 'time_zone: an IANA time zone', { field: 'time_zone' });
      zone = next;
      refolding = true;
      return { time_zone: zone };
    },
    'GET /api/v1/reports': (path) => ({ ...answer(path), catching_up: refolding }),
  });
  state = new ConsoleState({ api: api.request, WebSocketImpl: FakeSocket as unknown as typeof WebSocket, watching: () => true });
}

async function mount(node: preact.ComponentChild, { role = 'admin', lang = 'ru' }: { role?: Role; lang?: 'ru' | 'en' } = {}) {
  setup(role, lang);
  await state.start();
  await settle();
  host = document.createElement('div');
  document.body.appendChild(host);
  await act(async () => {
    render(<ConsoleContext.Provider value={state}>{node}</ConsoleContext.Provider>, host);
    await settle();
  });
  await drawn();
}

/** Waits for the report's answer and for its chart, whose library comes by a dynamic import. */
async function drawn() {
  const waiting = () => {
    const shown = ['not-for-role', 'reports-table', 'reports-empty', 'reports-error', 'reports-period-error'].some((id) => byId(id));
    if (byId('reports-page') && !shown) return 'no report yet';
    if (host.querySelector('.reports-body[aria-busy="true"]')) return 'reading';
    if (byId('report-chart-plot') && !chart.plots.some((p) => !p.destroyed)) return 'no chart yet';
    return null;
  };
  for (let i = 0; i < 100 && waiting(); i++) {
    await act(async () => {
      await new Promise((r) => setTimeout(r, 5));
      await settle();
    });
  }
  expect(waiting()).toBeNull();
}

const byId = <T extends HTMLElement = HTMLElement>(testid: string, from: ParentNode = host) => from.querySelector<T>(`[data-testid="${testid}"]`);
const allById = (testid: string, from: ParentNode = host) => [...from.querySelectorAll<HTMLElement>(`[data-testid="${testid}"]`)];
const text = (el: Element | null | undefined) => el?.textContent?.replace(/\s+/g, ' ').trim() ?? null;
const kpi = (id: string) => host.querySelector<HTMLElement>(`[data-kpi="${id}"]`);
const kpiValue = (id: string) => text(byId('kpi-value', kpi(id)!));
const reportCalls = () => api.callsTo('GET', '/api/v1/reports?').map((c) => c.path);

async function click(el: HTMLElement) {
  await act(async () => {
    el.click();
    await settle();
  });
  await drawn();
}
async function choose(select: HTMLSelectElement, value: string) {
  await act(async () => {
    select.value = value;
    select.dispatchEvent(new Event('change', { bubbles: true }));
    await settle();
  });
}

beforeEach(() => {
  vi.useFakeTimers({ now: NOW, toFake: ['Date'] });
  chart.plots = [];
  FakeSocket.instances = [];
  zone = 'Europe/Moscow';
  refolding = false;
  answer = dayReport;
  history.replaceState(null, '', '/console/reports');
});
afterEach(() => {
  act(() => render(null, host));
  host?.remove();
  localStorage.clear();
  vi.useRealTimers();
});

describe('the reports page', () => {
  it('shows the last 7 days in tiles, a chart and a table with its totals, in Russian', async () => {
    await mount(<ReportsPage />);
    expect(reportCalls()).toEqual(['/api/v1/reports?from=2026-01-09&to=2026-01-15&group=day']);
    const page = byId('reports-page')!;
    expect(text(page.querySelector('h1'))).toBe('Отчёты');
    expect(text(byId('reports-zone'))).toBe('Часовой пояс: Europe/Moscow');
    expect(text(byId('reports-as-of'))).toMatch(/^данные на \d\d:\d\d$/);
    expect(byId('reports-period-7d')!.getAttribute('aria-pressed')).toBe('true');
    expect(byId<HTMLInputElement>('reports-from')!.value).toBe('2026-01-09');
    expect(byId<HTMLInputElement>('reports-to')!.value).toBe('2026-01-15');

    expect(kpiValue('dialogs_new')).toBe('12');
    expect(kpiValue('closed')).toBe('10');
    expect(text(kpi('closed')!.querySelector('.kpi-sub'))).toBe('оператором 8 · автоматически 2');
    expect(kpiValue('missed')).toBe('1');
    expect(kpiValue('first_reply')).toBe('1 мин 05 с');
    expect(text(kpi('first_reply')!.querySelector('.kpi-sub'))).toBe('медиана · p90: 1 мин 05 с');
    expect(kpiValue('reply')).toBe('2 мин 05 с');
    expect(kpiValue('resolution')).toBe('2 ч 05 мин');
    expect(kpiValue('sla_first_reply')).toBe('90,0 %');
    expect(text(kpi('sla_first_reply')!.querySelector('.kpi-sub'))).toBe('в срок 9 из 10');
    expect(kpiValue('sla_next_reply')).toBe('—');
    expect(text(kpi('sla_next_reply')!.querySelector('.kpi-sub'))).toBe('не измерялось');
    expect(kpiValue('csat')).toBe('4,50');
    expect(text(kpi('csat')!.querySelector('.kpi-sub'))).toBe('4–5: 83,3 % · оценок 6');
    expect(kpiValue('online')).toBe('12,5 ч');
    expect(kpiValue('load')).toBe('41,7 %');
    expect(text(kpi('load')!.querySelector('.kpi-sub'))).toBe('от ёмкости · в среднем 1,25 диалога');
    expect(kpiValue('guard')).toBe('3');

    const table = byId('reports-table')!;
    const rows = allById('report-row', table);
    expect(rows.map((r) => text(r.querySelector('th')))).toEqual([expect.stringMatching(/^вт, 13 янв\.?$/), expect.stringMatching(/^чт, 15 янв\.?$/)]);
    const cell = (tr: HTMLElement, col: string) => tr.querySelector<HTMLElement>(`[data-col="${col}"]`)!;
    expect(text(cell(rows[0], 'first_reply_median'))).toBe('40 с');
    expect(text(cell(rows[1], 'sla_first_reply'))).toBe('—');
    const totals = byId('report-totals-row', table)!;
    expect(text(totals.querySelector('th'))).toBe('Итого');
    expect(text(cell(totals, 'dialogs_new'))).toBe('12');
    expect(cell(totals, 'first_reply_median').dataset.raw).toBe('65000');
    expect(text(cell(totals, 'online_hours'))).toBe('12,5');
    expect([...table.querySelectorAll('thead tr:first-child th')].map((th) => text(th))).toEqual([
      'День',
      'Диалоги',
      'Первый ответ',
      'Все ответы',
      'Решение',
      'SLA в срок',
      'Оценки',
      'Операторы',
      'Качество',
    ]);

    const csv = byId<HTMLAnchorElement>('reports-csv')!;
    expect(csv.getAttribute('href')).toBe('/api/v1/reports/export?from=2026-01-09&to=2026-01-15&group=day');
    expect(csv.getAttribute('download')).toBe('frontline-report-2026-01-09-2026-01-15-day.csv');
    expect(text(csv)).toBe('Скачать CSV');
  });

  it('draws new and closed dialogs per day and the first reply\'s median on a second axis', async () => {
    await mount(<ReportsPage />);
    expect(chart.plots).toHaveLength(1);
    const [plot] = chart.plots;
    expect(plot.data).toEqual([
      [0, 1, 2, 3, 4, 5, 6],
      [0, 0, 0, 0, 5, 0, 7],
      [0, 0, 0, 0, 4, 0, 6],
      [null, null, null, null, 40, null, 65],
    ]);
    expect(plot.opts.series.slice(1).map((s) => s.label)).toEqual(['Новые', 'Закрытые', 'Первый ответ, медиана (правая шкала)']);
    expect(plot.opts.axes[0].values!(null, [0, 6, 7])).toEqual([expect.stringMatching(/^9 янв\.?$/), expect.stringMatching(/^15 янв\.?$/), '']);
    expect(plot.opts.axes[2].values!(null, [0, 30, 90])).toEqual(['0', '30 с', '1 мин 30 с']);
    expect(text(byId('report-chart')!.querySelector('figcaption'))).toContain('Диалоги по дням');
    expect(byId('report-chart-plot')!.getAttribute('aria-hidden')).toBe('true');
  });

  it('keeps the filters in the address, and a channel report has no chart', async () => {
    await mount(<ReportsPage />);
    await click(byId('reports-period-month')!);
    expect(location.pathname + location.search).toBe('/console/reports?period=month');
    expect(reportCalls().at(-1)).toBe('/api/v1/reports?from=2026-01-01&to=2026-01-15&group=day');
    await choose(byId<HTMLSelectElement>('reports-channel')!, 'c1');
    expect(location.search).toBe('?period=month&channel_id=c1');
    await choose(byId<HTMLSelectElement>('reports-group')!, 'channel');
    expect(location.search).toBe('?period=month&group=channel&channel_id=c1');
    expect(reportCalls().at(-1)).toBe('/api/v1/reports?from=2026-01-01&to=2026-01-15&group=channel&channel_id=c1');
    expect(byId('report-chart')).toBeNull();
    expect(allById('report-row').map((r) => text(r.querySelector('th')))).toEqual(['Сайт', 'Без канала']);
    expect(text(byId('reports-table')!.querySelector('thead th'))).toBe('Канал');
    expect(byId<HTMLAnchorElement>('reports-csv')!.getAttribute('href')).toBe('/api/v1/reports/export?from=2026-01-01&to=2026-01-15&group=channel&channel_id=c1');
    // Operators' time belongs to no channel: under a channel filter the tiles say so.
    expect(kpiValue('online')).toBe('—');
    expect(text(kpi('load')!.querySelector('.kpi-sub'))).toBe('не делится по каналам: снимите фильтр канала');
    const options = [...byId<HTMLSelectElement>('reports-operator')!.options].map((o) => o.text);
    expect(options).toEqual(['Все операторы', 'Анна', 'Борис']);
  });

  it('takes custom dates, and refuses a period it cannot be without asking', async () => {
    await mount(<ReportsPage />);
    const from = byId<HTMLInputElement>('reports-from')!;
    await act(async () => {
      from.value = '2026-01-02';
      from.dispatchEvent(new Event('change', { bubbles: true }));
      await settle();
    });
    expect(byId('reports-period-custom')!.getAttribute('aria-pressed')).toBe('true');
    expect(location.search).toBe('?from=2026-01-02&to=2026-01-15');
    expect(reportCalls().at(-1)).toBe('/api/v1/reports?from=2026-01-02&to=2026-01-15&group=day');
    const calls = reportCalls().length;
    await act(async () => {
      from.value = '2026-01-20';
      from.dispatchEvent(new Event('change', { bubbles: true }));
      await settle();
    });
    expect(text(byId('reports-period-error'))).toBe('Начало периода позже его конца.');
    expect(reportCalls()).toHaveLength(calls);
    expect(from.getAttribute('aria-invalid')).toBe('true');
  });

  it('opens a deep link as it was left: the period, the rows, the business-hours clock', async () => {
    history.replaceState(null, '', '/console/reports?from=2026-01-05&to=2026-01-18&group=week&clock=business');
    await mount(<App />, { lang: 'en' });
    expect(byId('reports-page')).not.toBeNull();
    expect(reportCalls()).toEqual(['/api/v1/reports?from=2026-01-05&to=2026-01-18&group=week']);
    expect(byId('reports-clock-business')!.getAttribute('aria-pressed')).toBe('true');
    expect(kpiValue('first_reply')).toBe('30 s');
    expect(text(byId('nav-reports'))).toBe('Reports');
    expect(byId('nav-reports')!.getAttribute('aria-current')).toBe('page');
    expect(location.search).toBe('?from=2026-01-05&to=2026-01-18&group=week&clock=business');
  });

  it('switches every time figure between calendar time and business hours without asking again', async () => {
    await mount(<ReportsPage />, { lang: 'en' });
    expect(kpiValue('first_reply')).toBe('1 min 05 s');
    await click(byId('reports-clock-business')!);
    expect(kpiValue('first_reply')).toBe('30 s');
    expect(byId('report-totals-row')!.querySelector<HTMLElement>('[data-col="first_reply_median"]')!.dataset.raw).toBe('30000');
    expect(text(byId('reports-page')!.querySelector('.reports-clock-note'))).toBe('Reply and resolution times within the channel’s business hours only.');
    expect(chart.plots.at(-1)!.opts.series[3].label).toBe('First reply in business hours, median (right scale)');
    expect(reportCalls()).toHaveLength(1);
    expect(location.search).toBe('?clock=business');
  });

  it('speaks English', async () => {
    await mount(<ReportsPage />, { lang: 'en' });
    expect(text(byId('reports-page')!.querySelector('h1'))).toBe('Reports');
    expect([...host.querySelectorAll('.kpi-label')].map((l) => text(l))).toEqual([
      'New dialogs',
      'Closed',
      'Missed',
      'First reply',
      'All replies',
      'Resolution',
      'SLA: first reply',
      'SLA: next reply',
      'SLA: resolution',
      'Rating (CSAT)',
      'Time online',
      'Load',
      'Quality guard',
    ]);
    expect(text(kpi('reply')!.querySelector('.kpi-sub'))).toBe('median · p90: 2 min 05 s');
    expect(text(kpi('closed')!.querySelector('.kpi-sub'))).toBe('by operators 8 · automatically 2');
    expect(kpiValue('sla_first_reply')).toBe('90.0%');
    expect(kpiValue('csat')).toBe('4.50');
    expect(kpiValue('online')).toBe('12.5 h');
    expect(allById('report-row').map((r) => text(r.querySelector('th')))).toEqual(['Tue 13 Jan', 'Thu 15 Jan']);
    expect(text(byId('report-totals-row')!.querySelector('th'))).toBe('Total');
    expect([...host.querySelectorAll('.reports-periods button')].map((b) => text(b))).toEqual([
      'Today',
      'Yesterday',
      '7 days',
      '30 days',
      'This month',
      'Custom',
    ]);
  });

  it('says so plainly when the period had nothing, with no link to an empty CSV', async () => {
    answer = (path) => ({ ...dayReport(path), rows: [], totals: figures() });
    await mount(<ReportsPage />);
    expect(text(byId('reports-empty'))).toBe(
      'За этот период ничего не было: ни диалогов, ни операторов в сети. Выберите другой период или снимите фильтры.',
    );
    expect(byId('reports-table')).toBeNull();
    expect(byId('report-chart')).toBeNull();
    expect(byId('reports-csv')).toBeNull();
  });

  it('draws a single day too', async () => {
    answer = (path) => ({ ...dayReport(path), rows: [row('2026-01-15', figures({ dialogs_new: 2, first: 5_000 }))] });
    await mount(<ReportsPage />);
    await click(byId('reports-period-today')!);
    expect(chart.plots.at(-1)!.data).toEqual([[0], [2], [0], [5]]);
    expect(chart.plots[0].destroyed).toBe(true);
  });

  it('names the field of a refused period', async () => {
    answer = () => {
      throw new ApiError(400, 'validation_failed', 'to: at most 366 days after from', { field: 'to' });
    };
    await mount(<ReportsPage />);
    expect(text(byId('reports-error'))).toBe('Проверьте поле «По». Повторить');
  });
});

describe('the reports\' time zone', () => {
  it('is changed by an admin, with a warning that the reports are rebuilt', async () => {
    await mount(<ReportsPage />);
    await click(byId('reports-zone-edit')!);
    const form = byId('reports-zone-form')!;
    const input = byId<HTMLInputElement>('reports-zone-input', form)!;
    expect(input.value).toBe('Europe/Moscow');
    expect(document.activeElement).toBe(input);
    expect(input.getAttribute('list')).toBe('reports-zones');
    expect([...form.querySelectorAll('datalist option')].map((o) => o.getAttribute('value'))).toContain('Asia/Yekaterinburg');
    expect(text(form.querySelector('.reports-zone-warning'))).toMatch(/^Смена пояса пересоберёт все отчёты из журнала событий\. Журнал хранит события за последние 30 дней/);

    await act(async () => {
      input.value = 'Mars/Olympus';
      input.dispatchEvent(new Event('input', { bubbles: true }));
      await settle();
    });
    await click(byId('reports-zone-save')!);
    expect(text(byId('reports-zone-error'))).toBe('Такого часового пояса нет. Введите название IANA, например Europe/Moscow.');
    expect(input.getAttribute('aria-invalid')).toBe('true');

    await act(async () => {
      input.value = 'Asia/Yekaterinburg';
      input.dispatchEvent(new Event('input', { bubbles: true }));
      await settle();
    });
    await click(byId('reports-zone-save')!);
    expect(api.callsTo('PUT', '/api/v1/reports/settings').at(-1)?.options.body).toEqual({ time_zone: 'Asia/Yekaterinburg' });
    expect(byId('reports-zone-form')).toBeNull();
    expect(text(byId('reports-zone'))).toBe('Часовой пояс: Asia/Yekaterinburg');
    // The server is folding the log again in the new zone: the page says so.
    expect(text(byId('reports-catching-up'))).toBe('Отчёты ещё собираются из журнала событий — цифры будут расти и обновятся сами через несколько секунд.');
    expect(reportCalls()).toHaveLength(2);
  });

  it('is only shown to a supervisor', async () => {
    await mount(<ReportsPage />, { role: 'supervisor' });
    expect(text(byId('reports-zone'))).toBe('Часовой пояс: Europe/Moscow');
    expect(byId('reports-zone-edit')).toBeNull();
    expect(byId('reports-table')).not.toBeNull();
  });
});

describe('the way to the reports and the board', () => {
  it('is in the header of admins and supervisors, beside the tickets', async () => {
    await mount(<AdminNav />, { role: 'supervisor' });
    const links = [...byId('admin-nav')!.querySelectorAll('a')].map((a) => a.dataset.testid);
    expect(links.slice(0, 4)).toEqual(['nav-dialogs', 'nav-tickets', 'nav-reports', 'nav-board']);
    expect(text(byId('nav-reports'))).toBe('Отчёты');
    expect(text(byId('nav-board'))).toBe('Монитор');
    expect(byId('nav-board')!.getAttribute('href')).toBe('/console/board');
    await click(byId('nav-reports')!);
    expect(location.pathname).toBe('/console/reports');
    expect(state.session.route).toEqual({ view: 'reports' });
    expect(byId('nav-reports')!.getAttribute('aria-current')).toBe('page');
  });

  it('is not offered to an operator, and the page tells him it is not for his role', async () => {
    await mount(<App />, { role: 'operator' });
    expect(byId('nav-reports')).toBeNull();
    expect(byId('nav-board')).toBeNull();
    expect(byId('nav-tickets')).not.toBeNull();
    expect(text(byId('not-for-role')!.querySelector('h1'))).toBe('Эта страница — для старших операторов и администраторов');
    expect(api.callsTo('GET', '/api/v1/reports')).toHaveLength(0);
    const back = byId('not-for-role')!.querySelector<HTMLAnchorElement>('a')!;
    expect(back.getAttribute('href')).toBe('/console/');
    await click(back);
    expect(state.session.route).toEqual({ view: 'dialogs', dialogId: null });
  });
});
