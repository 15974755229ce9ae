/**
 * Supervision in a real browser against a real server: the reports page and the live board.
 *
 * Set up over REST: the default channel gets an SLA (first reply in 2 minutes, calendar time);
 * the admin goes online; a visitor writes through the widget's API, the admin
 * takes the dialog, answers a couple of seconds later and closes it, and the visitor rates it;
 * a second visitor writes and is left waiting in the queue. The admin opens the reports in
 * Russian at 1366×768: the totals show the two new dialogs and a first-reply time; the CSV the
 * link downloads has the same totals as the page's totals row; the page reads in English too.
 * The live board shows the waiting dialog in its channel's queue, the admin online with his
 * load, and the waiting dialog among those close to an SLA breach, counting down. Both pages pass axe, and nothing overflows sideways (the Russian header included).
 * Screenshots go to ../artifacts/screenshots/.
 */
import { mkdirSync, readFileSync } from 'node:fs';
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { axeCheck, blocking, type AxeReport } from './axe';
import { launchBrowser, watchErrors } from './browser';
import { adminSession, reportFailure, shot, shotsDir, signIn, WAIT } from './helpers';
import type { AdminApi } from './helpers';
import { startServer, type RunningServer } from './server';

let server: RunningServer;
let browser: Browser;
let context: BrowserContext;
let admin: Page;
let api: AdminApi;
let me: any;
const errors: string[] = [];
const reports: Record<string, AxeReport> = {};
const ids: { answered?: string; waiting?: string; channel?: string } = {};

const byId = (id: string): Locator => admin.getByTestId(id);
/** The page's own heading (the header has a hidden one of the console's). */
const pageTitle = () => admin.locator('main h1').textContent();

/** A visitor opens the widget over its API and writes; answers his token. */
async function visitorWrites(text: string): Promise<string> {
  const key = (await api('GET', '/api/v1/sites')).items[0].key;
  const session = await fetch(`${server.origin}/widget/v1/session`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ key, origin: new URL(server.demoUrl).origin, page_url: server.demoUrl, language: 'ru' }),
  });
  expect(session.status).toBe(200);
  const { token } = await session.json();
  const sent = await fetch(`${server.origin}/widget/v1/messages`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ client_id: `c-${Math.random().toString(36).slice(2)}`, body: text }),
  });
  expect(sent.status).toBe(201);
  return token;
}

async function dialogIdOf(text: string): Promise<string> {
  const list = await api('GET', '/api/v1/dialogs?status=all&limit=50');
  const found = list.items.find((d: any) => d.last_message?.preview?.includes(text));
  expect(found, `a dialog whose last message is "${text}"`).toBeTruthy();
  return found.id;
}

/** The cells of the page's totals row: column id → raw value and the text shown. */
function totalsRow(): Promise<Record<string, { raw: string; text: string }>> {
  return byId('report-totals-row').evaluate((tr) => {
    const out: Record<string, { raw: string; text: string }> = {};
    for (const td of tr.querySelectorAll<HTMLElement>('td[data-col]')) out[td.dataset.col!] = { raw: td.dataset.raw ?? '', text: (td.textContent ?? '').trim() };
    return out;
  });
}

/** A CSV line's cells (the server quotes a cell with a comma, a quote or a line break). */
function csvCells(line: string): string[] {
  const cells: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i];
    if (quoted) {
      if (ch === '"' && line[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else cell += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      cells.push(cell);
      cell = '';
    } else cell += ch;
  }
  cells.push(cell);
  return cells;
}

/** Nothing on the page is wider than its box (the header's links included). */
async function noSidewaysOverflow(page: Page, selectors: string): Promise<void> {
  const wide = await page.evaluate(
    (sel) =>
      [document.documentElement, ...document.querySelectorAll<HTMLElement>(sel)]
        .filter((el) => el.scrollWidth > el.clientWidth + 1)
        .map((el) => `${el.className || el.tagName}: ${el.scrollWidth} > ${el.clientWidth}`),
    selectors,
  );
  expect(wide).toEqual([]);
}

describe('supervision: the reports page and the live board', () => {
  beforeAll(async () => {
    mkdirSync(shotsDir, { recursive: true });
    server = await startServer();
    const session = await adminSession(server);
    api = session.api;
    me = session.me;
    ids.channel = (await api('GET', '/api/v1/channels')).items.find((c: { is_default: boolean }) => c.is_default).id;
    // An SLA in calendar time: the waiting dialog's first reply comes due within the board's 5 minutes.
    const doc = await api('GET', `/api/v1/channels/${ids.channel}/automation`);
    doc.sla = { ...doc.sla, enabled: true, business_hours: false, first_reply_seconds: 120 };
    expect((await api('PUT', `/api/v1/channels/${ids.channel}/automation`, doc)).sla).toMatchObject({ enabled: true, first_reply_seconds: 120 });

    browser = await launchBrowser();
    context = await browser.newContext({ locale: 'ru-RU', viewport: { width: 1366, height: 768 }, acceptDownloads: true });
    admin = await context.newPage();
    watchErrors(admin, 'admin', errors);
  });

  beforeEach(({ onTestFailed }) => onTestFailed(reportFailure(errors, server)));

  afterAll(async () => {
    await context?.close().catch(() => {});
    await browser?.close().catch(() => {});
    await server?.stop();
  });

  it('a visitor is answered and the dialog closed and rated; another is left waiting', async () => {
    await api('PUT', '/api/v1/me/presence', { presence: 'online' });
    const token = await visitorWrites('Здравствуйте, где мой заказ 1042?');
    ids.answered = await dialogIdOf('где мой заказ 1042');
    const opened = await api('GET', `/api/v1/dialogs/${ids.answered}`);
    if (opened.assignee?.id !== me.operator.id) await api('POST', `/api/v1/dialogs/${ids.answered}/assign`, { operator_id: me.operator.id });
    // A first reply that took a couple of seconds, so that it reads as a time.
    await new Promise((r) => setTimeout(r, 2_500));
    await api('POST', `/api/v1/dialogs/${ids.answered}/messages`, { client_id: 'reply-1', body: 'Добрый день! Заказ 1042 передан в доставку, привезут завтра.' });
    await api('POST', `/api/v1/dialogs/${ids.answered}/close`);
    const rated = await fetch(`${server.origin}/widget/v1/rating`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ dialog_id: ids.answered, score: 5 }),
    });
    expect(rated.status).toBe(200);

    await visitorWrites('Подскажите, можно ли оплатить при получении?');
    ids.waiting = await dialogIdOf('оплатить при получении');
    // The second dialog is put back in the queue if auto-assignment gave it to the admin.
    const waiting = await api('GET', `/api/v1/dialogs/${ids.waiting}`);
    if (waiting.assignee) await api('POST', `/api/v1/dialogs/${ids.waiting}/assign`, { operator_id: null });
  });

  it('the admin opens the reports in Russian: the totals, the chart, the table', async () => {
    await signIn(admin, server);
    await byId('nav-reports').click();
    await byId('reports-page').waitFor({ timeout: WAIT });
    await expect(pageTitle()).resolves.toBe('Отчёты');
    expect(new URL(admin.url()).pathname).toBe('/console/reports');
    // The report folds the log as it is asked for: the figures are there at once, else after a refresh.
    await expect
      .poll(
        async () => {
          if (!(await byId('reports-table').isVisible())) await byId('reports-refresh').click();
          return admin.locator('[data-kpi="dialogs_new"] [data-testid="kpi-value"]').textContent({ timeout: 2_000 }).catch(() => null);
        },
        { timeout: WAIT, interval: 1_000 },
      )
      .toBe('2');
    const firstReply = await admin.locator('[data-kpi="first_reply"] [data-testid="kpi-value"]').textContent();
    expect(firstReply).toMatch(/^\d+ с$|^\d+ мин \d\d с$/);
    await expect(admin.locator('[data-kpi="csat"] [data-testid="kpi-value"]').textContent()).resolves.toBe('5,00');
    // The answered dialog met its first-reply target.
    await expect(admin.locator('[data-kpi="sla_first_reply"] [data-testid="kpi-value"]').textContent()).resolves.toBe('100,0\u00a0%');
    await expect(byId('reports-zone').textContent()).resolves.toMatch(/^Часовой пояс: \S+\/\S+|^Часовой пояс: UTC$/);
    await expect(byId('reports-as-of').textContent()).resolves.toMatch(/^данные на \d\d:\d\d$/);
    await byId('report-chart').locator('canvas').first().waitFor({ timeout: WAIT });
    const totals = await totalsRow();
    expect(totals.dialogs_new.text).toBe('2');
    expect(totals.first_reply_median.text).toBe(firstReply);

    await noSidewaysOverflow(admin, '.app-header, .admin-nav, .reports-filters, .kpi-grid, .report-chart, .reports-table-card');
    await admin.mouse.move(4, 760);
    await shot(admin, 'reports-ru-1366.png');
    // The table under the chart.
    await byId('reports-table').evaluate((el) => el.scrollIntoView({ block: 'end' }));
    await shot(admin, 'reports-ru-table-1366.png');
    reports.reports = await axeCheck(admin, 'console, reports page');
  });

  it('the CSV the link downloads has the page\'s totals', async () => {
    const link = byId('reports-csv');
    const href = await link.getAttribute('href');
    expect(href).toMatch(/^\/api\/v1\/reports\/export\?from=\d{4}-\d\d-\d\d&to=\d{4}-\d\d-\d\d&group=day$/);
    const [download] = await Promise.all([admin.waitForEvent('download', { timeout: WAIT }), link.click()]);
    expect(download.suggestedFilename()).toMatch(/^frontline-report-\d{4}-\d\d-\d\d-\d{4}-\d\d-\d\d-day\.csv$/);
    const csv = readFileSync((await download.path())!, 'utf8').trim().split(/\r?\n/);
    const header = csvCells(csv[0]);
    const total = csvCells(csv.at(-1)!);
    expect(total[0]).toBe('total');
    const col = (name: string) => {
      const at = header.indexOf(name);
      expect(at, `the CSV has a ${name} column`).toBeGreaterThanOrEqual(0);
      return total[at];
    };
    const page = await totalsRow();
    for (const [csvName, pageCol] of [
      ['dialogs_new', 'dialogs_new'],
      ['closed_by_operator', 'closed_by_operator'],
      ['closed_automatically', 'closed_automatically'],
      ['missed', 'missed'],
      ['csat_answered', 'csat_answered'],
      ['guard_hits', 'guard_hits'],
    ]) {
      expect(col(csvName), csvName).toBe(page[pageCol].raw);
    }
    // Times are whole seconds in the CSV, milliseconds on the page.
    expect(col('first_reply_calendar_median_s')).toBe(String(Math.floor(Number(page.first_reply_median.raw) / 1000)));
    expect(col('csat_average')).toBe(page.csat_average.raw);
    expect(Number(col('dialogs_new'))).toBe(2);
  });

  it('the reports read in English, and a reload keeps the filters', async () => {
    await byId('reports-group').selectOption('week');
    await expect.poll(() => new URL(admin.url()).search, { timeout: WAIT }).toBe('?group=week');
    await byId('reports-clock-business').click();
    await expect.poll(() => new URL(admin.url()).search, { timeout: WAIT }).toBe('?group=week&clock=business');
    await admin.reload();
    await byId('reports-table').waitFor({ timeout: WAIT });
    await expect(byId('reports-group').inputValue()).resolves.toBe('week');
    await expect(byId('reports-clock-business').getAttribute('aria-pressed')).resolves.toBe('true');
    await byId('reports-group').selectOption('day');
    await byId('reports-clock-calendar').click();
    await expect.poll(() => new URL(admin.url()).search, { timeout: WAIT }).toBe('');

    await byId('lang-en').click();
    await expect.poll(() => pageTitle(), { timeout: WAIT }).toBe('Reports');
    await expect(byId('nav-reports').textContent()).resolves.toBe('Reports');
    await expect(byId('nav-board').textContent()).resolves.toBe('Live board');
    await expect(admin.locator('[data-kpi="dialogs_new"] .kpi-label').textContent()).resolves.toBe('New dialogs');
    await expect(byId('report-totals-row').locator('th').textContent()).resolves.toBe('Total');
    await byId('report-chart').locator('canvas').first().waitFor({ timeout: WAIT });
    await noSidewaysOverflow(admin, '.app-header, .admin-nav, .reports-filters, .kpi-grid, .report-chart, .reports-table-card');
    await admin.mouse.move(4, 760);
    await shot(admin, 'reports-en-1366.png');
    await byId('lang-ru').click();
    await expect.poll(() => pageTitle(), { timeout: WAIT }).toBe('Отчёты');
  });

  it('the live board shows the waiting dialog in its queue and the admin online', async () => {
    await byId('nav-board').click();
    await byId('board-page').waitFor({ timeout: WAIT });
    expect(new URL(admin.url()).pathname).toBe('/console/board');
    await expect(pageTitle()).resolves.toBe('Монитор');
    const queue = admin.locator(`[data-testid="board-channel"][data-channel-id="${ids.channel}"]`);
    await expect.poll(() => queue.getByTestId('board-channel-waiting').textContent(), { timeout: WAIT }).toBe('1');
    // The longest wait ticks between reads.
    const before = await queue.getByTestId('board-channel-longest').textContent();
    expect(before).toMatch(/^\d+:\d\d$/);
    await expect.poll(() => queue.getByTestId('board-channel-longest').textContent(), { timeout: WAIT }).not.toBe(before);
    const mine = byId('board-operator').filter({ hasText: String(me.operator.display_name) });
    await expect(mine.getAttribute('data-presence')).resolves.toBe('online');
    await expect(mine.getByTestId('board-operator-load').textContent()).resolves.toMatch(/\d+ \/ \d+/);
    // The waiting dialog is close to its first reply's due time, counting down, and links to it.
    const risk = admin.locator(`[data-testid="board-risk-row"][data-dialog-id="${ids.waiting}"]`);
    await risk.waitFor({ timeout: WAIT });
    await expect(risk.getByTestId('board-risk-target').textContent()).resolves.toBe('Первый ответ');
    await expect(risk.getByTestId('board-risk-left').textContent()).resolves.toMatch(/^через [12]:\d\d$/);
    await expect(risk.getByTestId('board-risk-link').getAttribute('href')).resolves.toBe(`/console/dialogs/${ids.waiting}`);
    // Read again every 5 s.
    const board = admin.waitForResponse((r) => r.url().endsWith('/api/v1/board') && r.status() === 200, { timeout: WAIT });
    await board;

    await noSidewaysOverflow(admin, '.app-header, .admin-nav, .board-columns, .board-card');
    await admin.mouse.move(4, 760);
    await shot(admin, 'board-ru-1366.png');
    reports.board = await axeCheck(admin, 'console, live board');
  });

  it('axe finds nothing serious, and no page logged an unexpected error', () => {
    const found: string[] = [];
    for (const [where, report] of Object.entries(reports)) {
      for (const v of blocking(report)) for (const n of v.nodes) found.push(`${where}: ${v.impact} ${v.id} ${n.target.join(' ')}`);
    }
    expect(Object.keys(reports).sort()).toEqual(['board', 'reports']);
    expect(found).toEqual([]);
    // Expected: the console asks /me before signing in (401).
    const expected = [/HTTP 401: GET \S+\/api\/v1\/me$/, /status of 401/];
    const real = errors.filter((e) => !e.includes('favicon') && !expected.some((re) => re.test(e)));
    expect(real).toEqual([]);
  });
});
