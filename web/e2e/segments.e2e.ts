/**
 * Segments (issue 16) end to end, in a real browser against a real server, in Russian (and
 * English once), the admin at 1366×768.
 *
 * The admin opens Rules → «Сегменты» and builds «Покупатели Про»: attribute plan is pro AND event
 * order_paid; the live count says «0 посетителей». A widget visitor opens the demo page; his page
 * sets `plan: pro` (`PATCH /widget/v1/attributes`) and tracks `order_paid` (`POST
 * /widget/v1/events`); the admin asks the count again and it says «1 посетитель», with him as the
 * newest. Saved, the segment is listed with its rules in words and its count. On the routing
 * rules tab the admin adds a rule sending the segment's visitors to a new channel «Продажи Про»;
 * the visitor writes in the widget and his dialog lands there, while another visitor's goes to
 * the default channel. The dialog list filtered by the segment (`segment=<id>`) shows only his
 * dialog, and his card shows the segment's chip. Screenshots in ../artifacts/screenshots/, axe
 * on every page shown.
 */
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { axeCheck, blocking, type AxeReport } from './axe';
import { launchBrowser, watchErrors } from './browser';
import { adminSession, chatFrame, reportFailure, shot, signIn, WAIT, type AdminApi } from './helpers';
import { startServer, type RunningServer } from './server';

const SEGMENT = 'Покупатели Про';
const CHANNEL = 'Продажи Про';
const RULE = 'Покупатели Про — в продажи';
const HIS_TEXT = 'Здравствуйте! Хочу продлить тариф «Про» на год, как оплатить?';
const OTHER_TEXT = 'Добрый день, сколько стоит доставка?';
const LAPTOP = { width: 1366, height: 768 };

let server: RunningServer;
let browser: Browser;
const contexts: BrowserContext[] = [];
let admin: Page;
let visitor: Page;
let api: AdminApi;
let channelId = '';
let defaultChannelId = '';
let segmentId = '';
let token = '';
let visitorNumber = 0;
let hisDialog = '';
let otherDialog = '';
const errors: string[] = [];
const reports: Record<string, AxeReport> = {};

const rule = (i: number): Locator => admin.getByTestId('segment-rule').nth(i);
const liveCount = (): Locator => admin.getByTestId('segment-live-count');

/** Nothing sticks out sideways: not the page, not the admin page, the cards, the editor's rows. */
async function noSidewaysOverflow(page: Page): Promise<void> {
  const wide = await page.evaluate(() =>
    [
      document.documentElement,
      ...document.querySelectorAll<HTMLElement>('.admin-page, .admin-card, .app-header, .page-tabs, .seg-rule, .seg-live, .visitor-card, .dialog-list, .list-filters'),
    ]
      .filter((el) => el.scrollWidth > el.clientWidth + 1)
      .map((el) => `${el.className}: ${el.scrollWidth} > ${el.clientWidth}`),
  );
  expect(wide).toEqual([]);
}

/** Inputs whose text does not fit them (a cut value or placeholder). */
async function cutInputs(page: Page, scope: string): Promise<string[]> {
  return page.evaluate(
    (sel) =>
      [...document.querySelectorAll<HTMLInputElement>(`${sel} input:not([type="radio"]):not([type="checkbox"])`)]
        .filter((el) => el.offsetParent !== null)
        .filter((el) => {
          const probe = document.createElement('span');
          const style = getComputedStyle(el);
          probe.style.font = style.font;
          probe.style.whiteSpace = 'pre';
          probe.style.position = 'absolute';
          probe.style.visibility = 'hidden';
          probe.textContent = el.value || el.placeholder;
          document.body.appendChild(probe);
          const width = probe.getBoundingClientRect().width;
          probe.remove();
          const room = el.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
          return width > room + 1;
        })
        .map((el) => `${el.getAttribute('data-testid')}: «${el.value || el.placeholder}»`),
    scope,
  );
}

/** The widget's own calls with his token, as his page makes them. */
async function widget(method: string, path: string, body: unknown): Promise<{ status: number; json: any }> {
  const r = await fetch(`${server.origin}${path}`, {
    method,
    headers: { 'content-type': 'application/json', origin: server.origin, authorization: `Bearer ${token}` },
    body: JSON.stringify(body),
  });
  const text = await r.text();
  return { status: r.status, json: text ? JSON.parse(text) : null };
}

/** Another visitor writes over the widget's API, telling the site nothing about himself. */
async function otherVisitorWrites(text: string): Promise<void> {
  const key = (await api('GET', '/api/v1/sites')).items[0].key;
  const session = await fetch(`${server.origin}/widget/v1/session`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: server.origin },
    body: JSON.stringify({ key, origin: server.origin, page_url: server.demoUrl, language: 'ru' }),
  });
  expect(session.status).toBe(200);
  const { token: other } = await session.json();
  const sent = await fetch(`${server.origin}/widget/v1/messages`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: server.origin, authorization: `Bearer ${other}` },
    body: JSON.stringify({ client_id: `e2e-seg-${Math.random().toString(36).slice(2)}`, body: text }),
  });
  expect(sent.status).toBe(201);
}

async function dialogOf(text: string): Promise<any> {
  const list = await api('GET', '/api/v1/dialogs?status=all&limit=50');
  const found = list.items.find((d: any) => d.last_message?.preview?.includes(text.slice(0, 30)));
  expect(found, `a dialog whose last message is "${text}"`).toBeTruthy();
  return found;
}

/** Switches the console's language and waits for `heading` to read `title`. */
async function setLang(page: Page, lang: 'ru' | 'en', title: string, heading: Locator): Promise<void> {
  await page.getByTestId(`lang-${lang}`).click();
  await expect.poll(() => heading.textContent(), { timeout: WAIT }).toBe(title);
}

describe('segments: built with a live count, routing a visitor, filtering the list, on his card', () => {
  beforeAll(async () => {
    server = await startServer();
    let me: any;
    ({ api, me } = await adminSession(server));
    const channels = await api('GET', '/api/v1/channels');
    defaultChannelId = channels.items.find((c: { is_default: boolean }) => c.is_default).id;
    const made = await api('POST', '/api/v1/channels', { name: CHANNEL });
    channelId = made.id;
    await api('PUT', `/api/v1/channels/${channelId}/members`, { operator_ids: [me.operator.id] });

    browser = await launchBrowser();
    for (let i = 0; i < 2; i++) contexts.push(await browser.newContext({ locale: 'ru-RU', viewport: LAPTOP }));
    [admin, visitor] = await Promise.all(contexts.map((c) => c.newPage()));
    watchErrors(admin, 'admin', errors);
    watchErrors(visitor, 'visitor', errors);
  });

  beforeEach(({ onTestFailed }) => onTestFailed(reportFailure(errors, server)));

  afterAll(async () => {
    for (const c of contexts) await c.close().catch(() => {});
    await browser?.close().catch(() => {});
    await server?.stop();
  });

  it('Rules → «Сегменты»: the admin builds plan is pro AND did order_paid; the live count says 0', async () => {
    await signIn(admin, server);
    await admin.getByTestId('nav-rules').click();
    await admin.getByTestId('rules-tab-segments').click();
    await admin.getByTestId('admin-segments').waitFor({ timeout: WAIT });
    expect(new URL(admin.url()).pathname).toBe('/console/admin/segments');
    await expect(admin.getByTestId('segments-title').textContent()).resolves.toBe('Сегменты');
    await expect(admin.getByTestId('rules-tab-segments').getAttribute('aria-current')).resolves.toBe('page');
    await expect(admin.getByTestId('nav-rules').getAttribute('aria-current')).resolves.toBe('page');
    await admin.getByTestId('segments-empty').waitFor({ timeout: WAIT });
    await expect(liveCount().textContent()).resolves.toBe('Заполните условия — и здесь появится, сколько посетителей подходит.');

    const previews: string[] = [];
    admin.on('request', (r) => {
      if (r.method() === 'POST' && r.url().endsWith('/api/v1/segments/preview')) previews.push(r.postData() ?? '');
    });
    await admin.getByTestId('segment-name').fill(SEGMENT);
    await rule(0).getByTestId('segment-rule-name').fill('plan');
    // A rule without its value is not counted.
    await admin.waitForTimeout(800);
    expect(previews).toEqual([]);
    await rule(0).getByTestId('segment-rule-value').fill('pro');
    await admin.getByTestId('segment-rule-add').click();
    await rule(1).getByTestId('segment-rule-type').selectOption('event');
    await rule(1).getByTestId('segment-rule-name').fill('order_paid');
    await expect.poll(() => liveCount().getAttribute('data-count'), { timeout: WAIT }).toBe('0');
    await expect(liveCount().textContent()).resolves.toBe('0 посетителей');
    expect(JSON.parse(previews.at(-1)!)).toEqual({
      filter: {
        match: 'all',
        rules: [
          { type: 'attribute', name: 'plan', op: 'is', value: 'pro' },
          { type: 'event', name: 'order_paid', did: true },
        ],
      },
    });
    await noSidewaysOverflow(admin);
    await expect(cutInputs(admin, '.seg-form')).resolves.toEqual([]);
    await shot(admin, 'segments-draft-0.png');
  });

  it('a visitor\'s page sets plan: pro and tracks order_paid; counted again, the live count says 1', async () => {
    const session = visitor.waitForResponse((r) => r.url().includes('/widget/v1/session') && r.request().method() === 'POST', { timeout: WAIT });
    await visitor.goto(server.demoUrl);
    await visitor.getByTestId('frontline-launcher').click();
    const answer = await (await session).json();
    token = answer.token;
    visitorNumber = answer.visitor.number;
    expect(token).toBeTruthy();
    await chatFrame(visitor).getByTestId('composer-input').waitFor({ timeout: WAIT });

    const attributes = await widget('PATCH', '/widget/v1/attributes', { attributes: { plan: 'pro' } });
    expect(attributes.status, JSON.stringify(attributes.json)).toBe(200);
    const events = await widget('POST', '/widget/v1/events', { events: [{ name: 'order_paid', properties: { amount: 4990 } }] });
    expect(events.status, JSON.stringify(events.json)).toBe(200);
    expect(events.json.counted).toEqual([true]);

    await admin.getByTestId('segment-live-refresh').click();
    await expect.poll(() => liveCount().getAttribute('data-count'), { timeout: WAIT }).toBe('1');
    await expect(liveCount().textContent()).resolves.toBe('1 посетитель');
    await expect(admin.getByTestId('segment-live-visitor').allTextContents()).resolves.toEqual([`Посетитель №${visitorNumber}`]);
    await noSidewaysOverflow(admin);
    await shot(admin, 'segments-draft-1.png');
    reports.editor = await axeCheck(admin, 'segments editor with the live count');
  });

  it('saved: listed with its rules in words and its count', async () => {
    await admin.getByTestId('segment-save').click();
    await admin.getByTestId('segment-saved').waitFor({ timeout: WAIT });
    const saved = (await api('GET', '/api/v1/segments')).items;
    expect(saved).toHaveLength(1);
    expect(saved[0]).toMatchObject({ name: SEGMENT, filter: { match: 'all', rules: [{ type: 'attribute', name: 'plan', op: 'is', value: 'pro' }, { type: 'event', name: 'order_paid', did: true }] } });
    segmentId = saved[0].id;
    const item = admin.locator(`[data-testid="segment-item"][data-segment-id="${segmentId}"]`);
    await item.waitFor({ timeout: WAIT });
    await expect(item.getByTestId('segment-summary').textContent()).resolves.toBe('plan = pro · сделал order_paid');
    await expect(item.getByTestId('segment-count').textContent()).resolves.toBe('1 посетитель');
    await expect(admin.getByTestId('segment-form-title').textContent()).resolves.toBe(`Сегмент «${SEGMENT}»`);
    await noSidewaysOverflow(admin);
    await shot(admin, 'segments-saved.png');

    await setLang(admin, 'en', 'Segments', admin.getByTestId('segments-title'));
    await expect(item.getByTestId('segment-summary').textContent()).resolves.toBe('plan = pro · did order_paid');
    await expect(item.getByTestId('segment-count').textContent()).resolves.toBe('1 visitor');
    await expect(liveCount().textContent()).resolves.toBe('1 visitor');
    await noSidewaysOverflow(admin);
    await expect(cutInputs(admin, '.seg-form')).resolves.toEqual([]);
    await shot(admin, 'segments-saved-en.png');
    reports.editorEn = await axeCheck(admin, 'segments page in English');
    await setLang(admin, 'ru', 'Сегменты', admin.getByTestId('segments-title'));
  });

  it('a routing rule sends the segment\'s visitors to «Продажи Про»; made in the console', async () => {
    await admin.getByTestId('rules-tab-rules').click();
    await admin.getByTestId('rules-form').waitFor({ timeout: WAIT });
    await admin.getByTestId('rule-add').click();
    const added = admin.getByTestId('rule').last();
    await added.getByTestId('rule-name').fill(RULE);
    await added.getByTestId('rule-channel').selectOption(channelId);
    await added.getByTestId('condition-type').selectOption('segment');
    const pick = added.getByTestId('condition-segment');
    await expect(pick.inputValue()).resolves.toBe(segmentId);
    await expect(pick.locator('option:checked').textContent()).resolves.toBe(SEGMENT);
    await expect(added.getByTestId('condition-type').locator('option:checked').textContent()).resolves.toBe('Сегмент');
    await admin.getByTestId('rules-save').click();
    await admin.getByTestId('rules-saved').waitFor({ timeout: WAIT });
    const rules = (await api('GET', '/api/v1/routing-rules')).items;
    expect(rules).toEqual([expect.objectContaining({ name: RULE, channel_id: channelId, conditions: [{ type: 'segment', segment_id: segmentId }] })]);
    await noSidewaysOverflow(admin);
    await shot(admin, 'segments-routing-rule.png');
    reports.rules = await axeCheck(admin, 'routing rules with a segment condition');
  });

  it('he writes and his dialog lands in «Продажи Про»; another visitor\'s in the default channel', async () => {
    // He writes over the socket opened before his page set `plan`: routing reads him anew.
    const input = chatFrame(visitor).getByTestId('composer-input');
    await input.waitFor({ timeout: WAIT });
    await input.fill(HIS_TEXT);
    await input.press('Enter');
    await chatFrame(visitor).locator('[data-testid="message"][data-author="visitor"][data-state="sent"]', { hasText: HIS_TEXT }).waitFor({ timeout: WAIT });
    await otherVisitorWrites(OTHER_TEXT);

    const his = await dialogOf(HIS_TEXT);
    const other = await dialogOf(OTHER_TEXT);
    hisDialog = his.id;
    otherDialog = other.id;
    expect(his.channel_id).toBe(channelId);
    expect(his.visitor.number).toBe(visitorNumber);
    expect(other.channel_id).toBe(defaultChannelId);
    // The server's own filter agrees.
    const filtered = await api('GET', `/api/v1/dialogs?status=all&segment=${segmentId}&limit=50`);
    expect(filtered.items.map((d: { id: string }) => d.id)).toEqual([hisDialog]);
  });

  it('the dialog list filtered by the segment shows only his dialog; his card shows the segment', async () => {
    await admin.getByTestId('nav-dialogs').click();
    const rows = () => admin.getByTestId('dialog-row').evaluateAll((els) => els.map((e) => e.getAttribute('data-dialog-id')).sort());
    await expect.poll(rows, { timeout: WAIT }).toEqual([hisDialog, otherDialog].sort());

    await admin.getByTestId('filters-toggle').click();
    const filter = admin.getByTestId('filter-segment');
    await filter.waitFor({ timeout: WAIT });
    await expect(filter.locator('option').allTextContents()).resolves.toEqual(['Любой', SEGMENT]);
    const asked = admin.waitForRequest((r) => r.url().includes('/api/v1/dialogs?') && r.url().includes(`segment=${segmentId}`), { timeout: WAIT });
    await filter.selectOption(segmentId);
    await asked;
    await expect.poll(rows, { timeout: WAIT }).toEqual([hisDialog]);
    await expect(admin.getByTestId('filters-count').textContent()).resolves.toContain('1');

    await admin.locator(`[data-testid="dialog-row"][data-dialog-id="${hisDialog}"]`).click();
    const card = admin.getByTestId('visitor-card');
    const chips = card.getByTestId('card-segments');
    await chips.waitFor({ timeout: WAIT });
    await expect(chips.locator('h4').textContent()).resolves.toBe('Сегменты');
    await expect(card.getByTestId('card-segment').allTextContents()).resolves.toEqual([SEGMENT]);
    await noSidewaysOverflow(admin);
    await shot(admin, 'segments-list-filter-card.png');
    reports.list = await axeCheck(admin, 'dialog list filtered by a segment, with the card');

    // The other visitor is in no segment: no line on his card.
    await filter.selectOption('');
    await admin.locator(`[data-testid="dialog-row"][data-dialog-id="${otherDialog}"]`).click();
    await card.getByTestId('card-visitor-tags').waitFor({ timeout: WAIT });
    await expect.poll(() => admin.getByTestId('visitor-card').getByTestId('card-title').textContent(), { timeout: WAIT }).not.toBe(`Посетитель ${visitorNumber}`);
    await expect(card.getByTestId('card-segments').count()).resolves.toBe(0);
  });

  it('axe finds nothing critical or serious', () => {
    const found: string[] = [];
    for (const [where, report] of Object.entries(reports)) {
      for (const v of blocking(report)) for (const n of v.nodes) found.push(`${where}: ${v.impact} ${v.id} ${n.target.join(' ')}`);
    }
    expect(Object.keys(reports).sort()).toEqual(['editor', 'editorEn', 'list', 'rules']);
    expect(found).toEqual([]);
  });

  it('no page logged an unexpected error', () => {
    // Expected: the console asks /me before signing in (401).
    const expected = [/HTTP 401: GET \S+\/api\/v1\/me$/, /status of 401/];
    const real = errors.filter((e) => !e.includes('favicon') && !expected.some((re) => re.test(e)));
    expect(real).toEqual([]);
  });
});
