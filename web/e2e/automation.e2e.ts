/**
 * Issue 5's automation as a visitor meets it, in a real browser against a real server: an
 * operator in the console and visitors on the demo site, each in a browser context of their own.
 *
 * Proactive message: the admin (over REST) makes a trigger that fires after 2 s on the site;
 * a visitor opens the demo page and, with the panel folded, the message appears in a card by
 * the launcher; no dialog exists yet. He opens the chat (the message is there, from the
 * persona) and answers: now there is a dialog with `origin: "proactive"` whose first message
 * is the trigger's, the widget shows that message once, and the console shows the dialog.
 * Another visitor who reloads before answering is not shown the message again.
 *
 * Offline mode: the operator goes offline and the admin turns offline mode on for the default
 * channel (the automation document read, changed, written back whole). A new visitor gets the
 * channel's offline text and the contact form instead of the composer; a wrong e-mail is named
 * at its field; sent right, he is thanked, his question is in the chat, and the admin sees a
 * dialog with `origin: "offline"` under the visitor's name.
 * Screenshots go to ../artifacts/screenshots/.
 */
import { mkdirSync } from 'node:fs';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { launchBrowser, watchErrors } from './browser';
import { adminSession, chatFrame, reportFailure, shot, shotsDir, signIn, type AdminApi, WAIT } from './helpers';
import { startServer, type RunningServer } from './server';

const TRIGGER_TEXT = 'Здравствуйте! Помочь подобрать кухню под ваш размер?';
const ANSWER_TEXT = 'Да, у меня угловая 3×2 метра';
const OFFLINE_NAME = 'Ольга Петрова';
const OFFLINE_QUESTION = 'Сколько стоит доставка кухни в Подольск?';

let server: RunningServer;
let browser: Browser;
const contexts: BrowserContext[] = [];
let operator: Page;
let visitor: Page;
let api: AdminApi;
let triggerId = '';
let persona = '';
let channelId = '';
let proactiveDialogId = '';
const errors: string[] = [];

async function newVisitor(label: string): Promise<Page> {
  const context = await browser.newContext({ locale: 'ru-RU', viewport: { width: 1280, height: 820 } });
  contexts.push(context);
  const page = await context.newPage();
  watchErrors(page, label, errors);
  return page;
}

async function dialogs(): Promise<any[]> {
  return (await api('GET', '/api/v1/dialogs?status=all')).items;
}

describe('automation in the widget: proactive messages and offline mode', () => {
  beforeAll(async () => {
    mkdirSync(shotsDir, { recursive: true });
    server = await startServer();
    ({ api } = await adminSession(server));
    const channels = await api('GET', '/api/v1/channels');
    channelId = channels.items.find((c: { is_default: boolean }) => c.is_default).id;
    persona = (await api('GET', `/api/v1/channels/${channelId}/automation`)).persona.name;
    browser = await launchBrowser();
    const operatorContext = await browser.newContext({ locale: 'ru-RU', viewport: { width: 1366, height: 820 } });
    contexts.push(operatorContext);
    operator = await operatorContext.newPage();
    watchErrors(operator, 'operator', errors);
    visitor = await newVisitor('visitor');
  });

  beforeEach(({ onTestFailed }) => onTestFailed(reportFailure(errors, server)));

  afterAll(async () => {
    if (errors.length) console.log(`browser notes (errors, failed requests, HTTP >= 400):\n${errors.join('\n')}`);
    for (const c of contexts) await c.close().catch(() => {});
    await browser?.close().catch(() => {});
    await server?.stop();
  });

  it('the operator signs in and is online', async () => {
    await signIn(operator, server);
    await operator.getByTestId('presence').selectOption('online');
    await expect.poll(() => operator.getByTestId('presence').getAttribute('data-presence'), { timeout: WAIT }).toBe('online');
  });

  it('a proactive message appears by the launcher after 2 s on the site, and no dialog exists yet', async () => {
    const trigger = await api('POST', '/api/v1/triggers', { name: 'Помощь с размером', message: TRIGGER_TEXT, time_on_site_seconds: 2 });
    triggerId = trigger.id;
    expect(trigger).toMatchObject({ enabled: true, time_on_site_seconds: 2 });

    const opened = Date.now();
    await visitor.goto(server.demoUrl);
    const teaser = visitor.getByTestId('frontline-teaser');
    await teaser.waitFor({ state: 'visible', timeout: WAIT });
    // Not at once: the visit had to last its 2 seconds.
    expect(Date.now() - opened).toBeGreaterThanOrEqual(1_500);
    await expect(visitor.getByTestId('frontline-teaser-text').textContent()).resolves.toBe(TRIGGER_TEXT);
    await expect(teaser.textContent()).resolves.toContain(persona);
    await expect.poll(() => visitor.getByTestId('frontline-badge').textContent(), { timeout: WAIT }).toBe('1');
    // The panel stayed folded: the card is the only thing that appeared.
    await expect(visitor.locator('[data-frontline-widget]').getAttribute('data-open')).resolves.toBe('false');
    await visitor.waitForTimeout(300); // the card has slid in
    await shot(visitor, 'widget-proactive.png');

    // Shown is not a dialog: nothing reached the operators.
    await expect(dialogs()).resolves.toEqual([]);
  });

  it('the visitor opens the chat from the card and sees the message from the persona', async () => {
    await visitor.getByTestId('frontline-teaser').locator('.teaser-body').click();
    await expect.poll(() => visitor.locator('[data-frontline-widget]').getAttribute('data-open'), { timeout: WAIT }).toBe('true');
    await expect(visitor.getByTestId('frontline-teaser').isHidden()).resolves.toBe(true);
    const frame = chatFrame(visitor);
    const bubble = frame.locator('[data-testid="message"][data-author="operator"]', { hasText: TRIGGER_TEXT });
    await bubble.waitFor({ timeout: WAIT });
    await expect(bubble.getByTestId('message-author').textContent()).resolves.toBe(persona);
    await frame.getByTestId('composer-input').waitFor({ timeout: WAIT });
    await visitor.waitForTimeout(300);
    await shot(visitor, 'widget-proactive-chat.png');
  });

  it('his answer starts a dialog with origin proactive that begins with the trigger\'s message, shown once', async () => {
    const frame = chatFrame(visitor);
    const input = frame.getByTestId('composer-input');
    await input.fill(ANSWER_TEXT);
    await input.press('Enter');
    await frame.locator('[data-testid="message"][data-author="visitor"][data-state="sent"]', { hasText: ANSWER_TEXT }).waitFor({ timeout: WAIT });

    await expect.poll(async () => (await dialogs()).length, { timeout: WAIT }).toBe(1);
    const [dialog] = await dialogs();
    proactiveDialogId = dialog.id;
    expect(dialog.origin).toBe('proactive');
    expect(dialog.trigger?.id).toBe(triggerId);
    const messages = (await api('GET', `/api/v1/dialogs/${dialog.id}/messages`)).items;
    expect(messages[0]).toMatchObject({ author: { kind: 'operator', id: triggerId, name: persona }, body: TRIGGER_TEXT });
    expect(messages.find((m: any) => m.author.kind === 'visitor')?.body).toBe(ANSWER_TEXT);

    // The widget now shows the server's copy in place of its own, not both.
    const proactive = frame.locator('[data-testid="message"][data-author="operator"]', { hasText: TRIGGER_TEXT });
    await frame.locator('[data-testid="message"][data-author="operator"][data-state="sent"]', { hasText: TRIGGER_TEXT }).waitFor({ timeout: WAIT });
    await expect(proactive.count()).resolves.toBe(1);
    const order = await frame.locator('[data-testid="message"]').evaluateAll((els) => els.map((e) => e.textContent ?? ''));
    expect(order.findIndex((text) => text.includes(TRIGGER_TEXT))).toBeLessThan(order.findIndex((text) => text.includes(ANSWER_TEXT)));
  });

  it('the console shows the dialog, the proactive message first', async () => {
    const row = operator.getByTestId('dialog-row').filter({ hasText: ANSWER_TEXT });
    await row.waitFor({ timeout: WAIT });
    await row.click();
    const timeline = operator.getByTestId('timeline');
    await timeline.locator('[data-testid="message"][data-author="visitor"]', { hasText: ANSWER_TEXT }).waitFor({ timeout: WAIT });
    await timeline.getByText(TRIGGER_TEXT).first().waitFor({ timeout: WAIT });
    if ((await operator.getByTestId('origin-proactive').count()) === 0) console.log('note: the console shows no [data-testid="origin-proactive"] mark yet');
    await shot(operator, 'console-proactive.png');
  });

  it('another visitor who reloads before answering is not shown it again', async () => {
    const other = await newVisitor('visitor-2');
    await other.goto(server.demoUrl);
    await other.getByTestId('frontline-teaser').waitFor({ state: 'visible', timeout: WAIT });
    await other.reload();
    await other.getByTestId('frontline-launcher').waitFor({ timeout: WAIT });
    // Well past the 2 s: nothing comes.
    await other.waitForTimeout(4_000);
    await expect(other.getByTestId('frontline-teaser').isHidden()).resolves.toBe(true);
    await other.getByTestId('frontline-launcher').click();
    const frame = chatFrame(other);
    await frame.getByTestId('composer-input').waitFor({ timeout: WAIT });
    await expect(frame.locator('[data-testid="message"]', { hasText: TRIGGER_TEXT }).count()).resolves.toBe(0);
    await expect(dialogs()).resolves.toHaveLength(1);
    await other.context().close();
  });

  it('offline mode: with the operator offline a new visitor gets the offline text and the contact form', async () => {
    await api('PATCH', `/api/v1/triggers/${triggerId}`, { enabled: false });
    await operator.getByTestId('presence').selectOption('offline');
    await expect.poll(() => operator.getByTestId('presence').getAttribute('data-presence'), { timeout: WAIT }).toBe('offline');
    const doc = await api('GET', `/api/v1/channels/${channelId}/automation`);
    doc.offline.enabled = true;
    const saved = await api('PUT', `/api/v1/channels/${channelId}/automation`, doc);
    expect(saved.offline.enabled).toBe(true);

    visitor = await newVisitor('visitor-offline');
    await visitor.goto(server.demoUrl);
    await visitor.getByTestId('frontline-launcher').click();
    const frame = chatFrame(visitor);
    const form = frame.getByTestId('offline-form');
    await form.waitFor({ timeout: WAIT });
    await expect(frame.getByTestId('offline-message').textContent()).resolves.toBe(doc.offline.message);
    await expect(frame.getByTestId('composer-input').count()).resolves.toBe(0);
    await visitor.waitForTimeout(300);
    await shot(visitor, 'widget-offline-form.png');
  });

  it('a wrong e-mail is named at its field', async () => {
    const frame = chatFrame(visitor);
    await frame.getByTestId('offline-name').fill(OFFLINE_NAME);
    await frame.getByTestId('offline-email').fill('olga@example');
    await frame.getByTestId('offline-question').fill(OFFLINE_QUESTION);
    await frame.getByTestId('offline-send').click();
    const error = frame.locator('[data-testid="offline-field-error"][data-field="email"]');
    await error.waitFor({ timeout: WAIT });
    await expect(error.textContent()).resolves.toBe('Похоже, в адресе e-mail ошибка.');
    await expect(frame.getByTestId('offline-email').getAttribute('aria-invalid')).resolves.toBe('true');
    await shot(visitor, 'widget-offline-error.png');
  });

  it('sent right: thanks, his question in the chat, and a dialog with origin offline under his name', async () => {
    const frame = chatFrame(visitor);
    await frame.getByTestId('offline-email').fill('olga@example.com');
    await frame.getByTestId('offline-send').click();
    const thanks = frame.getByTestId('offline-thanks');
    await thanks.waitFor({ timeout: WAIT });
    await expect(thanks.textContent()).resolves.toContain('olga@example.com');
    await frame.locator('[data-testid="message"][data-author="visitor"][data-state="sent"]', { hasText: OFFLINE_QUESTION }).waitFor({ timeout: WAIT });
    await frame.getByTestId('composer-input').waitFor({ timeout: WAIT });
    await expect(frame.getByTestId('visitor-identity').textContent()).resolves.toContain(OFFLINE_NAME);
    await shot(visitor, 'widget-offline-sent.png');

    const offline = (await dialogs()).find((d) => d.origin === 'offline');
    expect(offline, 'a dialog with origin "offline"').toBeTruthy();
    expect(offline.id).not.toBe(proactiveDialogId);
    expect(offline.visitor.name).toBe(OFFLINE_NAME);
    const messages = (await api('GET', `/api/v1/dialogs/${offline.id}/messages`)).items;
    expect(messages.find((m: any) => m.author.kind === 'visitor')?.body).toBe(OFFLINE_QUESTION);
  });

  it('no page logged an unexpected error', () => {
    // Expected: the console asks /me before signing in (401).
    const expected = [/HTTP 401: GET \S+\/api\/v1\/me$/, /status of 401/];
    const real = errors.filter((e) => !e.includes('favicon') && !expected.some((re) => re.test(e)));
    expect(real).toEqual([]);
  });
});
