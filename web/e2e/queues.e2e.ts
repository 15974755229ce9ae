/**
 * Two operators in two channels, in a real browser against a real server.
 *
 * The admin (over REST) makes "Москва" and "Санкт-Петербург", puts Мария in Moscow and Пётр in
 * Petersburg, and adds a routing rule: pages with `city=msk` go to Moscow. A visitor on such a
 * page writes: the dialog waits in Мария's queue and never reaches Пётр. Мария accepts (the
 * channel's greeting appears in the widget in her name) and transfers the dialog to
 * Petersburg with a comment; the visitor sees a short notice, Пётр finds it in his queue and
 * accepts. Screenshots of the queue and the transfer dialog go to ../artifacts/screenshots/.
 */
import { mkdirSync } from 'node:fs';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { launchBrowser, watchErrors } from './browser';
import { adminSession, chatFrame, reportFailure, shot, shotsDir } from './helpers';
import { startServer, type RunningServer } from './server';

const WAIT = 20_000;
const VISITOR_TEXT = 'Хочу кухню в московскую квартиру';
const COMMENT = 'Клиент переезжает в Петербург, доставка туда';
const PASSWORD = 'operator-password';

let server: RunningServer;
let browser: Browser;
const contexts: BrowserContext[] = [];
let maria: Page;
let petr: Page;
let visitor: Page;
const errors: string[] = [];
const ids: { moscow?: string; spb?: string } = {};
let visitorName = '';



async function signIn(page: Page, email: string): Promise<void> {
  await page.goto(server.consoleUrl);
  await page.getByTestId('login-email').fill(email);
  await page.getByTestId('login-password').fill(PASSWORD);
  await page.getByTestId('login-submit').click();
  await page.getByTestId('dialog-list').waitFor({ timeout: WAIT });
}

async function goOnline(page: Page): Promise<void> {
  await page.getByTestId('presence').selectOption('online');
  await expect.poll(() => page.getByTestId('presence').getAttribute('data-presence'), { timeout: WAIT }).toBe('online');
}

const queueCount = (page: Page) => page.getByTestId('queue-count').getAttribute('data-count');

describe('queues, accept and transfer between two channels', () => {
  beforeAll(async () => {
    mkdirSync(shotsDir, { recursive: true });
    server = await startServer();
    const { api } = await adminSession(server);
    ids.moscow = (await api('POST', '/api/v1/channels', { name: 'Москва' })).id;
    ids.spb = (await api('POST', '/api/v1/channels', { name: 'Санкт-Петербург' })).id;
    const mariaOp = await api('POST', '/api/v1/operators', {
      email: 'maria@example.com',
      display_name: 'Мария',
      password: PASSWORD,
      role: 'operator',
    });
    const petrOp = await api('POST', '/api/v1/operators', {
      email: 'petr@example.com',
      display_name: 'Пётр',
      password: PASSWORD,
      role: 'operator',
    });
    await api('PUT', `/api/v1/channels/${ids.moscow}/members`, { operator_ids: [mariaOp.id] });
    await api('PUT', `/api/v1/channels/${ids.spb}/members`, { operator_ids: [petrOp.id] });
    // Each works in his city only: out of the default channel too.
    const channels = await api('GET', '/api/v1/channels');
    const general = channels.items.find((c: { is_default: boolean }) => c.is_default);
    const admin = await api('GET', '/api/v1/me');
    await api('PUT', `/api/v1/channels/${general.id}/members`, { operator_ids: [admin.operator.id] });
    await api('PUT', '/api/v1/routing-rules', {
      items: [{ name: 'Москва по адресу', channel_id: ids.moscow, conditions: [{ type: 'url', pattern: '*city=msk*', regex: false }] }],
    });

    browser = await launchBrowser();
    for (const locale of ['ru-RU', 'ru-RU', 'ru-RU']) {
      contexts.push(await browser.newContext({ locale, viewport: { width: 1366, height: 820 } }));
    }
    [maria, petr, visitor] = await Promise.all(contexts.map((c) => c.newPage()));
    watchErrors(maria, 'maria', errors);
    watchErrors(petr, 'petr', errors);
    watchErrors(visitor, 'visitor', errors);
  });

  beforeEach(({ onTestFailed }) => onTestFailed(reportFailure(errors, server)));

  afterAll(async () => {
    for (const c of contexts) await c.close();
    await browser?.close();
    await server?.stop();
  });

  it('both operators sign in and go online', async () => {
    await signIn(maria, 'maria@example.com');
    await signIn(petr, 'petr@example.com');
    await goOnline(maria);
    await goOnline(petr);
  });

  it('a visitor on a Moscow page reaches only the Moscow queue', async () => {
    await visitor.goto(`${server.demoUrl}?city=msk`);
    await visitor.getByTestId('frontline-launcher').click();
    const input = chatFrame(visitor).getByTestId('composer-input');
    await input.waitFor({ timeout: WAIT });
    await input.fill(VISITOR_TEXT);
    await input.press('Enter');

    await expect.poll(() => queueCount(maria), { timeout: WAIT }).toBe('1');
    await maria.getByTestId('queue-tab').click();
    const row = maria.getByTestId('queue-row').filter({ hasText: VISITOR_TEXT });
    await row.waitFor({ timeout: WAIT });
    visitorName = ((await row.getByTestId('queue-row-name').textContent()) ?? '').trim();
    expect(visitorName).toMatch(/^Посетитель \d+$/);
    await shot(maria, 'console-queue.png');
    // Пётр's queue stays empty: the dialog is not of his channel.
    await expect.poll(() => queueCount(petr), { timeout: 2_000 }).toBe('0');
  });

  it('Мария accepts and the greeting appears in the widget in her name', async () => {
    const row = maria.getByTestId('queue-row').filter({ hasText: VISITOR_TEXT });
    await row.getByTestId('accept').click();
    await expect.poll(() => queueCount(maria), { timeout: WAIT }).toBe('0');
    const greeting = chatFrame(visitor).locator('[data-testid="message"][data-author="operator"]', { hasText: 'Здравствуйте!' });
    await greeting.waitFor({ timeout: WAIT });
    await expect(greeting.getByTestId('message-author').textContent()).resolves.toBe('Мария');
    await maria.getByTestId('assignee').waitFor({ timeout: WAIT });
    await expect(maria.getByTestId('assignee').textContent()).resolves.toContain('Мария');
    await expect(maria.getByTestId('dialog-routed-by').textContent()).resolves.toContain('Москва по адресу');
    await maria.getByTestId('system-line').first().waitFor({ timeout: WAIT });
    await shot(visitor, 'widget-greeting.png');
  });

  it('Мария transfers the dialog to Petersburg with a comment', async () => {
    await maria.getByTestId('transfer').click();
    const dialog = maria.getByTestId('transfer-dialog');
    await dialog.waitFor({ timeout: WAIT });
    const spb = dialog.getByTestId('transfer-channel').filter({ hasText: 'Санкт-Петербург' });
    // The dialog reloads the channels' online counts as it opens.
    await expect.poll(() => spb.getAttribute('data-available'), { timeout: WAIT }).toBe('true');
    await spb.click();
    await dialog.getByTestId('transfer-comment').fill(COMMENT);
    await shot(maria, 'console-transfer.png');
    await dialog.getByTestId('transfer-confirm').click();
    await dialog.waitFor({ state: 'detached', timeout: WAIT });
  });

  it('the visitor sees a short notice, without the comment', async () => {
    const notice = chatFrame(visitor).getByTestId('system-line');
    await notice.waitFor({ timeout: WAIT });
    await expect(notice.textContent()).resolves.not.toContain(COMMENT);
    await shot(visitor, 'widget-transfer-notice.png');
  });

  it('Пётр finds it in his queue with the history and the comment, and accepts', async () => {
    await expect.poll(() => queueCount(petr), { timeout: WAIT }).toBe('1');
    await petr.getByTestId('queue-tab').click();
    // The row shows the latest words (Мария's greeting now), so it is found by the visitor.
    const row = petr.getByTestId('queue-row').filter({ hasText: visitorName });
    await row.waitFor({ timeout: WAIT });
    await row.locator('.queue-row-open').click();
    const timeline = petr.getByTestId('timeline');
    await timeline.getByText(VISITOR_TEXT).waitFor({ timeout: WAIT });
    await timeline.getByTestId('system-comment').filter({ hasText: COMMENT }).waitFor({ timeout: WAIT });
    await row.getByTestId('accept').click();
    await expect.poll(() => queueCount(petr), { timeout: WAIT }).toBe('0');
    await shot(petr, 'console-after-transfer.png');
  });

  it('the admin pages show the channels and the routing rules', async () => {
    const page = await contexts[0].browser()!.newContext({ locale: 'ru-RU', viewport: { width: 1366, height: 820 } });
    contexts.push(page);
    const admin = await page.newPage();
    watchErrors(admin, 'admin', errors);
    await admin.goto(server.consoleUrl);
    await admin.getByTestId('login-email').fill(server.adminEmail);
    await admin.getByTestId('login-password').fill(server.adminPassword);
    await admin.getByTestId('login-submit').click();
    await admin.getByTestId('admin-nav').waitFor({ timeout: WAIT });
    await admin.getByTestId('nav-channels').click();
    await admin.getByTestId('channel-item').filter({ hasText: 'Санкт-Петербург' }).waitFor({ timeout: WAIT });
    await shot(admin, 'admin-channels.png');
    await admin.getByTestId('nav-rules').click();
    const form = admin.getByTestId('rules-form');
    await form.waitFor({ timeout: WAIT });
    await expect.poll(async () => (await form.locator('input').evaluateAll((els) => els.map((e) => (e as HTMLInputElement).value))).join('|'), { timeout: WAIT }).toContain('Москва по адресу');
    await shot(admin, 'admin-rules.png');
  });

  it('no page logged an unexpected error', () => {
    // Expected: the console asks /me before signing in (401), and Мария's console asks once
    // for the dialog that moved to a channel she is not in (404, then it drops the dialog).
    const expected = [/HTTP 401: GET \S+\/api\/v1\/me$/, /^\[maria\] HTTP 404: GET \S+\/api\/v1\/dialogs\/[0-9a-f-]+$/, /status of 40[14]/];
    const real = errors.filter((e) => !e.includes('favicon') && !expected.some((re) => re.test(e)));
    expect(real).toEqual([]);
    expect(errors.filter((e) => e.includes('404: GET')).length).toBeLessThanOrEqual(1);
  });
});
