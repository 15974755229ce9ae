/**
 * Issue 5's automation as the operator meets it, in a real browser against a real server: the
 * admin works in the console, two visitors write from the demo site.
 *
 * Set up over REST: the default channel's automation document is read, changed (SLA first
 * reply in 30 s, auto-close on with its default hold phrases) and written back whole. Two
 * visitors write; the operator's list rows count their replies down ("0:2x"); the list sorted
 * "by SLA due" is asked of the server with `sort=due` and puts the earlier one first. He opens
 * the first dialog (the header counts down too, and the line above the composer says it will
 * not close while the visitor waits), answers "Минуту, уточняю": the countdown stops and the
 * line says the hold phrase keeps the dialog open longer, and until when. The second visitor's
 * reply goes overdue: his row turns red ("просрочен 0:0x") and an SLA note comes up. Then the
 * admin pages: the channel's automation (reached from the channel's settings) shows the 30 s
 * target, refuses 5 s beside its field before sending; a proactive message is created on its
 * page. Screenshots (console-sla, console-auto-close, console-sla-overdue, admin-automation,
 * admin-triggers) go to ../artifacts/screenshots/.
 */
import { mkdirSync } from 'node:fs';
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { launchBrowser, watchErrors } from './browser';
import { adminSession, chatFrame, reportFailure, shot, shotsDir, signIn, type AdminApi, WAIT } from './helpers';
import { startServer, type RunningServer } from './server';

const FIRST_TEXT = 'Здравствуйте, когда привезут мой заказ?';
const SECOND_TEXT = 'Можно ли поменять цвет фасадов?';
const HOLD_REPLY = 'Минуту, уточняю';
const TRIGGER_NAME = 'Помощь с выбором кухни';
const TRIGGER_TEXT = 'Здравствуйте! Подсказать с размерами кухни?';

let server: RunningServer;
let browser: Browser;
const contexts: BrowserContext[] = [];
let operator: Page;
let first: Page;
let second: Page;
let api: AdminApi;
let channelId = '';
const ids: { first?: string; second?: string } = {};
const errors: string[] = [];

const row = (text: string): Locator => operator.getByTestId('dialog-row').filter({ hasText: text });
/** What a countdown shows (its visible part; the words for screen readers aside). */
const shown = (countdown: Locator) => countdown.locator('[aria-hidden="true"]').last().textContent();

/** A visitor opens the widget on the demo page and writes. */
async function visitorWrites(page: Page, text: string): Promise<void> {
  await page.goto(server.demoUrl);
  await page.getByTestId('frontline-launcher').click();
  const frame = chatFrame(page);
  const input = frame.getByTestId('composer-input');
  await input.waitFor({ timeout: WAIT });
  await input.fill(text);
  await input.press('Enter');
  await frame.locator('[data-testid="message"][data-author="visitor"][data-state="sent"]', { hasText: text }).waitFor({ timeout: WAIT });
}

async function dialogIdOf(text: string): Promise<string> {
  const list = await api('GET', '/api/v1/dialogs?status=all&limit=50');
  const found = list.items.find((d: any) => d.last_message?.preview?.includes(text));
  expect(found, `a dialog whose last message is "${text}"`).toBeTruthy();
  return found.id;
}

describe('automation in the console: SLA countdown, sort by due, auto-close line, admin pages', () => {
  beforeAll(async () => {
    mkdirSync(shotsDir, { recursive: true });
    server = await startServer();
    ({ api } = await adminSession(server));
    const channels = await api('GET', '/api/v1/channels');
    channelId = channels.items.find((c: { is_default: boolean }) => c.is_default).id;

    // The document is read and written back whole, with the SLA and auto-close set.
    const doc = await api('GET', `/api/v1/channels/${channelId}/automation`);
    doc.sla = { ...doc.sla, enabled: true, first_reply_seconds: 30 };
    doc.auto_close = { ...doc.auto_close, enabled: true, silence_minutes: 10, hold_minutes: 30 };
    const saved = await api('PUT', `/api/v1/channels/${channelId}/automation`, doc);
    expect(saved.sla).toMatchObject({ enabled: true, first_reply_seconds: 30 });
    expect(saved.auto_close.hold_phrases).toContain('минуту');

    browser = await launchBrowser();
    for (let i = 0; i < 3; i++) contexts.push(await browser.newContext({ locale: 'ru-RU', viewport: { width: 1440, height: 860 } }));
    [operator, first, second] = await Promise.all(contexts.map((c) => c.newPage()));
    watchErrors(operator, 'operator', errors);
    watchErrors(first, 'first', errors);
    watchErrors(second, 'second', errors);
  });

  beforeEach(({ onTestFailed }) => onTestFailed(reportFailure(errors, server)));

  afterAll(async () => {
    for (const c of contexts) await c.close().catch(() => {});
    await browser?.close().catch(() => {});
    await server?.stop();
  });

  it('the operator signs in; two visitors write and their rows count the reply down', async () => {
    await signIn(operator, server);

    await visitorWrites(first, FIRST_TEXT);
    await visitorWrites(second, SECOND_TEXT);
    ids.first = await dialogIdOf(FIRST_TEXT);
    ids.second = await dialogIdOf(SECOND_TEXT);
    const dialog = await api('GET', `/api/v1/dialogs/${ids.first}`);
    expect(dialog.sla).toMatchObject({ reply_target: 'first_reply', reply_breached: false });
    expect(dialog.sla.reply_due_at).toBeTruthy();

    const countdown = row(FIRST_TEXT).getByTestId('dialog-row-sla');
    await countdown.waitFor({ timeout: WAIT });
    await expect(countdown.getAttribute('data-overdue')).resolves.toBe('false');
    const before = String(await shown(countdown));
    expect(before).toMatch(/^0:[0-3]\d$/);
    // It ticks: a second later it shows less.
    await expect.poll(async () => String(await shown(countdown)), { timeout: 5_000 }).not.toBe(before);
    await row(SECOND_TEXT).getByTestId('dialog-row-sla').waitFor({ timeout: WAIT });
  });

  it('"by SLA due" asks the server with sort=due and puts the earlier due first', async () => {
    const asked = operator.waitForRequest((r) => r.url().includes('/api/v1/dialogs?') && r.url().includes('sort=due'), { timeout: WAIT });
    await operator.getByTestId('filter-sort').selectOption('due');
    await asked;
    await expect
      .poll(() => operator.getByTestId('dialog-row').evaluateAll((els) => els.map((e) => e.getAttribute('data-dialog-id'))), { timeout: WAIT })
      .toEqual([ids.first, ids.second]);
    await expect(operator.getByTestId('filter-sort').inputValue()).resolves.toBe('due');
  });

  it('the dialog counts down in its header and says it will not close while the visitor waits', async () => {
    await row(FIRST_TEXT).click();
    await operator.getByTestId('timeline').getByText(FIRST_TEXT).waitFor({ timeout: WAIT });
    const header = operator.getByTestId('dialog-sla');
    await header.waitFor({ timeout: WAIT });
    await expect(shown(header)).resolves.toMatch(/^Ответить в течение 0:[0-3]\d$/);
    const line = operator.getByTestId('auto-close-line');
    await line.waitFor({ timeout: WAIT });
    await expect(line.getAttribute('data-kind')).resolves.toBe('waiting');
    await expect(line.textContent()).resolves.toBe('Сам не закроется: посетитель ждёт ответа');
    await shot(operator, 'console-sla.png');
  });

  it('an answer with a hold phrase stops the countdown and keeps the dialog open longer', async () => {
    const input = operator.getByTestId('composer-input');
    await input.fill(HOLD_REPLY);
    await input.press('Enter');
    await chatFrame(first).locator('[data-testid="message"][data-author="operator"]', { hasText: HOLD_REPLY }).waitFor({ timeout: WAIT });

    const line = operator.getByTestId('auto-close-line');
    await expect.poll(() => line.getAttribute('data-kind'), { timeout: WAIT }).toBe('hold');
    await expect(line.textContent()).resolves.toMatch(/^Дольше остаётся открытым: «минуту» — закроется в (?:[^,]+, )?\d{2}:\d{2}$/i);
    await operator.getByTestId('dialog-sla').waitFor({ state: 'detached', timeout: WAIT });
    await row(FIRST_TEXT).getByTestId('dialog-row-sla').waitFor({ state: 'detached', timeout: WAIT });

    const dialog = await api('GET', `/api/v1/dialogs/${ids.first}`);
    expect(dialog.auto_close).toMatchObject({ action: 'close' });
    expect(String(dialog.auto_close.hold_phrase).toLowerCase()).toBe('минуту');
    // 30 minutes of hold after the reply, give or take the clock.
    const hold = Date.parse(dialog.auto_close.at) - Date.now();
    expect(hold).toBeGreaterThan(25 * 60_000);
    expect(hold).toBeLessThan(31 * 60_000);
    await shot(operator, 'console-auto-close.png');
  });

  it('the other visitor\'s reply goes overdue: a red row and an SLA note', async () => {
    const countdown = row(SECOND_TEXT).getByTestId('dialog-row-sla');
    await expect.poll(() => countdown.getAttribute('data-overdue'), { timeout: 45_000 }).toBe('true');
    await expect(shown(countdown)).resolves.toMatch(/^просрочен \d+:\d{2}$/);
    const note = operator.locator(`[data-testid="sla-toast"][data-dialog-id="${ids.second}"]`);
    await note.waitFor({ timeout: WAIT });
    await expect(note.getAttribute('data-target')).resolves.toBe('first_reply');
    await expect(note.textContent()).resolves.toContain('Просрочен первый ответ');
    await expect.poll(async () => (await api('GET', `/api/v1/dialogs/${ids.second}`)).sla.reply_breached, { timeout: WAIT }).toBe(true);
    await shot(operator, 'console-sla-overdue.png');
    await note.getByTestId('sla-toast-dismiss').click();
    await note.waitFor({ state: 'detached', timeout: WAIT });
  });

  it('the channel\'s automation page shows the 30 s target and refuses 5 s beside its field', async () => {
    await operator.getByTestId('nav-channels').click();
    await operator.getByTestId('channel-editor').waitFor({ timeout: WAIT });
    await operator.getByTestId('channel-automation').click();
    const form = operator.getByTestId('automation-form');
    await form.waitFor({ timeout: WAIT });
    await expect(form.getAttribute('data-channel-id')).resolves.toBe(channelId);
    await expect(operator.getByTestId('sla-first_reply-value').inputValue()).resolves.toBe('30');
    await expect(operator.getByTestId('sla-first_reply-unit').inputValue()).resolves.toBe('seconds');
    await expect(operator.getByTestId('phrase-chip').filter({ hasText: 'минуту' }).count()).resolves.toBeGreaterThan(0);
    expect(new URL(operator.url()).pathname).toBe(`/console/admin/automation/${channelId}`);
    await shot(operator, 'admin-automation.png');

    await operator.getByTestId('sla-first_reply-value').fill('5');
    await operator.getByTestId('automation-save').click();
    const note = operator.locator('[data-testid="field-error"][data-field="sla.first_reply_seconds"]');
    await note.waitFor({ timeout: WAIT });
    await expect(note.textContent()).resolves.toBe('От 10 секунд до 7 дней.');
    await operator.getByTestId('automation-revert').click();
    await note.waitFor({ state: 'detached', timeout: WAIT });
    // Nothing was sent: the server still has 30 s.
    await expect(api('GET', `/api/v1/channels/${channelId}/automation`)).resolves.toMatchObject({ sla: { first_reply_seconds: 30 } });
  });

  it('a proactive message is created on its page with the defaults and a page condition', async () => {
    await expect(operator.getByTestId('nav-triggers').textContent()).resolves.toBe('Проактивные');
    await operator.getByTestId('nav-triggers').click();
    await operator.getByTestId('trigger-form').waitFor({ timeout: WAIT });
    await operator.getByTestId('trigger-name').fill(TRIGGER_NAME);
    await operator.getByTestId('trigger-message').fill(TRIGGER_TEXT);
    await expect(operator.getByTestId('trigger-time-on-site').inputValue()).resolves.toBe('25');
    await expect(operator.getByTestId('trigger-period').inputValue()).resolves.toBe('24');
    await operator.getByTestId('condition-add').click();
    await operator.getByTestId('condition-pattern').fill('*/kitchens/*');
    await operator.getByTestId('trigger-save').click();
    await operator.getByTestId('trigger-saved').waitFor({ timeout: WAIT });
    const item = operator.getByTestId('trigger-item').filter({ hasText: TRIGGER_NAME });
    await item.waitFor({ timeout: WAIT });
    await expect(item.textContent()).resolves.toContain('через 25 с · раз в 24 ч · условий: 1');
    const saved = (await api('GET', '/api/v1/triggers')).items.find((t: { name: string }) => t.name === TRIGGER_NAME);
    expect(saved).toMatchObject({
      message: TRIGGER_TEXT,
      enabled: true,
      time_on_site_seconds: 25,
      period_hours: 24,
      conditions: [{ type: 'url', pattern: '*/kitchens/*', regex: false }],
    });
    await shot(operator, 'admin-triggers.png');

    // Switched off in place.
    await item.getByTestId('trigger-toggle').uncheck();
    await expect.poll(() => item.getAttribute('data-enabled'), { timeout: WAIT }).toBe('false');
    await expect.poll(async () => (await api('GET', '/api/v1/triggers')).items.find((t: { id: string }) => t.id === saved.id).enabled, { timeout: WAIT }).toBe(false);
  });

  it('no page logged an unexpected error', () => {
    // Expected: the console asks /me before signing in (401).
    const expected = [/HTTP 401: GET \S+\/api\/v1\/me$/, /status of 401/];
    const real = errors.filter((e) => !e.includes('favicon') && !expected.some((re) => re.test(e)));
    expect(real).toEqual([]);
  });
});
