/**
 * The main flow in a real browser against a real server: an operator in the console and a
 * visitor on the demo site, each in a browser context of their own.
 *
 * visitor writes → the dialog appears live in the operator's list → operator opens it and
 * replies → the visitor sees the reply live with the operator's name (and the unread badge while
 * the panel is folded) → the visitor reloads and the history is still there → the operator
 * closes the dialog. Then the console once more in English. Screenshots go to
 * ../artifacts/screenshots/.
 */
import { mkdirSync } from 'node:fs';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { launchBrowser, watchErrors } from './browser';
import { chatFrame, reportFailure, shot, shotsDir } from './helpers';
import { startServer, type RunningServer } from './server';

const VISITOR_TEXT = 'Здравствуйте, нужна кухня';
const REPLY_TEXT = 'Добрый день! Чем помочь?';
const FOLLOW_UP_TEXT = 'И ещё вопрос про доставку';
const MISSED_TEXT = 'Доставка бесплатная по городу.';
const WAIT = 20_000;

let server: RunningServer | undefined;
let browser: Browser | undefined;
let operatorContext: BrowserContext;
let visitorContext: BrowserContext;
let operator: Page;
let visitor: Page;
let operatorName = '';
const errors: string[] = [];

// Transitions (the panel sliding in) are finished before the picture is taken.

/** Polls until `check` passes (for things that are not a single locator). */
async function eventually(check: () => Promise<void>, timeout = WAIT): Promise<void> {
  const deadline = Date.now() + timeout;
  for (;;) {
    try {
      await check();
      return;
    } catch (e) {
      if (Date.now() > deadline) throw e;
      await new Promise((r) => setTimeout(r, 200));
    }
  }
}

async function widgetOpen(page: Page): Promise<boolean> {
  return (await page.locator('[data-frontline-widget]').getAttribute('data-open')) === 'true';
}

async function signIn(page: Page, email: string, password: string): Promise<void> {
  await page.getByTestId('login-email').fill(email);
  await page.getByTestId('login-password').fill(password);
  await page.getByTestId('login-submit').click();
  await page.getByTestId('dialog-list').waitFor({ timeout: WAIT });
}

describe('operator and visitor chat', () => {
  beforeAll(async () => {
    mkdirSync(shotsDir, { recursive: true });
    server = await startServer();
    browser = await launchBrowser();
    operatorContext = await browser.newContext({ locale: 'ru-RU', viewport: { width: 1366, height: 820 } });
    visitorContext = await browser.newContext({ locale: 'ru-RU', viewport: { width: 1280, height: 820 } });
    operator = await operatorContext.newPage();
    visitor = await visitorContext.newPage();
    watchErrors(operator, 'operator', errors);
    watchErrors(visitor, 'visitor', errors);
  });

  beforeEach(({ onTestFailed }) => onTestFailed(reportFailure(errors, server)));

  afterAll(async () => {
    if (errors.length) console.log(`browser notes (errors, failed requests, HTTP >= 400):\n${errors.join('\n')}`);
    await browser?.close().catch(() => {});
    await server?.stop();
  });

  it('the operator signs in to the console', async () => {
    await operator.goto(server!.consoleUrl);
    await operator.getByTestId('login-form').waitFor({ timeout: WAIT });
    await expect(operator.getByTestId('login-submit').textContent()).resolves.toBe('Войти');
    await shot(operator, 'console-login.png');
    await signIn(operator, server!.adminEmail, server!.adminPassword);
    operatorName = ((await operator.getByTestId('operator-name').textContent()) ?? '').trim();
    expect(operatorName).not.toBe('');
  });

  it('the visitor opens the widget on the demo site and writes', async () => {
    await visitor.goto(server!.demoUrl);
    const launcher = visitor.getByTestId('frontline-launcher');
    await launcher.waitFor({ timeout: WAIT });
    await launcher.click();
    const frame = chatFrame(visitor);
    const input = frame.getByTestId('composer-input');
    await input.waitFor({ timeout: WAIT });
    await expect(frame.getByTestId('visitor-identity').textContent()).resolves.toMatch(/Посетитель \d+/);
    await input.fill(VISITOR_TEXT);
    await input.press('Enter');
    await frame
      .locator('[data-testid="message"][data-author="visitor"][data-state="sent"]', { hasText: VISITOR_TEXT })
      .waitFor({ timeout: WAIT });
    await expect(input.inputValue()).resolves.toBe('');
    await shot(visitor, 'widget-open.png');
  });

  it('the dialog appears live in the operator list, and the operator replies', async () => {
    const row = operator.getByTestId('dialog-row').filter({ hasText: VISITOR_TEXT });
    await row.waitFor({ timeout: WAIT }); // no reload: the console socket brought it
    await expect(row.getByTestId('dialog-row-name').textContent()).resolves.toMatch(/Посетитель \d+/);
    await expect(row.getByTestId('dialog-row-unread').textContent()).resolves.toBe('1');
    await eventually(async () => expect(await operator.title()).toBe('(1) Очередь 1 · Frontline'));

    // The visitor folds the panel, so the reply must show up as an unread badge.
    await chatFrame(visitor).getByTestId('chat-close').click();
    await eventually(async () => expect(await widgetOpen(visitor)).toBe(false));

    await row.click();
    const timeline = operator.getByTestId('timeline');
    await timeline
      .locator('[data-testid="message"][data-author="visitor"]', { hasText: VISITOR_TEXT })
      .waitFor({ timeout: WAIT });
    await expect(row.getAttribute('data-selected')).resolves.toBe('true');
    // Shown means read: POST /read went out and the unread count left the tab title.
    await eventually(async () => expect(await operator.title()).toBe('Очередь 1 · Frontline'));
    const input = operator.getByTestId('composer-input');
    await input.fill(REPLY_TEXT);
    await input.press('Enter');
    await timeline
      .locator('[data-testid="message"][data-author="operator"][data-state="sent"]', { hasText: REPLY_TEXT })
      .waitFor({ timeout: WAIT });
    await expect(input.inputValue()).resolves.toBe('');
    await shot(operator, 'console-dialog.png');
  });

  it('the visitor gets the reply live, with the operator name', async () => {
    const badge = visitor.getByTestId('frontline-badge');
    await eventually(async () => expect((await badge.textContent())?.trim()).toBe('1'));
    await expect(badge.isVisible()).resolves.toBe(true);
    await shot(visitor, 'widget-badge.png');

    await visitor.getByTestId('frontline-launcher').click();
    const frame = chatFrame(visitor);
    const reply = frame.locator('[data-testid="message"][data-author="operator"]', { hasText: REPLY_TEXT });
    await reply.waitFor({ timeout: WAIT });
    await expect(reply.getByTestId('message-author').textContent()).resolves.toBe(operatorName);
    await eventually(async () => expect(await badge.isVisible()).toBe(false));
    await shot(visitor, 'widget-reply.png');
  });

  it('the history survives a reload of the page', async () => {
    await visitor.reload();
    await visitor.getByTestId('frontline-launcher').waitFor({ timeout: WAIT });
    if (!(await widgetOpen(visitor))) await visitor.getByTestId('frontline-launcher').click();
    const frame = chatFrame(visitor);
    await frame.locator('[data-testid="message"][data-author="visitor"]', { hasText: VISITOR_TEXT }).waitFor({ timeout: WAIT });
    await frame.locator('[data-testid="message"][data-author="operator"]', { hasText: REPLY_TEXT }).waitFor({ timeout: WAIT });
    await expect(frame.getByTestId('message').count()).resolves.toBe(2);
    await shot(visitor, 'widget-after-reload.png');
  });

  it('a refused send is shown with the reason, and can be taken back to edit', async () => {
    const frame = chatFrame(visitor);
    const input = frame.getByTestId('composer-input');
    await input.fill('я'.repeat(4001));
    await input.press('Enter');
    const failed = frame.locator('[data-testid="message"][data-state="failed"]');
    await failed.waitFor({ timeout: WAIT });
    await expect(failed.getByTestId('message-error').textContent()).resolves.toContain('слишком длинное');
    await shot(visitor, 'widget-refused.png');
    await failed.getByTestId('message-edit').click();
    await expect(failed.count()).resolves.toBe(0);
    await expect(input.inputValue()).resolves.toHaveLength(4001);
    await input.fill('');
  });

  it('the operator closes the dialog', async () => {
    await operator.getByTestId('close-dialog').click();
    await operator.locator('[data-testid="dialog-status"][data-status="closed"]').waitFor({ timeout: WAIT });
    await operator.getByTestId('dialog-closed-note').waitFor({ timeout: WAIT });
    // Closed dialogs leave the "open" list.
    await eventually(async () =>
      expect(await operator.getByTestId('dialog-row').filter({ hasText: REPLY_TEXT }).count()).toBe(0),
    );
  });

  it('the visitor is told the dialog was closed (dialog.closed on the widget socket)', async () => {
    await chatFrame(visitor).getByTestId('dialog-closed-note').waitFor({ timeout: WAIT });
  });

  it('the console speaks English to an en-US browser', async () => {
    const context = await browser!.newContext({ locale: 'en-US', viewport: { width: 1366, height: 820 } });
    try {
      const page = await context.newPage();
      watchErrors(page, 'operator-en', errors);
      await page.goto(server!.consoleUrl);
      await page.getByTestId('login-form').waitFor({ timeout: WAIT });
      await expect(page.getByTestId('login-submit').textContent()).resolves.toBe('Sign in');
      await signIn(page, server!.adminEmail, server!.adminPassword);
      await page.getByTestId('status-all').click();
      const row = page.getByTestId('dialog-row').filter({ hasText: REPLY_TEXT });
      await row.waitFor({ timeout: WAIT });
      await expect(row.getByTestId('dialog-row-name').textContent()).resolves.toMatch(/Visitor \d+/);
      await row.click();
      await page.getByTestId('timeline').getByText(REPLY_TEXT).waitFor({ timeout: WAIT });
      await page.getByTestId('dialog-closed-note').waitFor({ timeout: WAIT });
      await expect(page.getByTestId('status-open').textContent()).resolves.toBe('Open');
      await shot(page, 'console-en.png');
    } finally {
      await context.close();
    }
  });

  it('the visitor introduces himself and the console shows the name', async () => {
    // (the list is reloaded over REST here: a rename is not one of the socket events)
    const frame = chatFrame(visitor);
    await frame.getByTestId('set-name').click();
    await frame.getByTestId('name-input').fill('Иван');
    await frame.getByTestId('name-save').click();
    await eventually(async () => expect(await frame.getByTestId('visitor-identity').textContent()).toContain('Иван'));
    await operator.reload();
    await operator.getByTestId('status-all').click();
    await operator.getByTestId('dialog-row').filter({ hasText: 'Иван' }).waitFor({ timeout: WAIT });
  });

  it('writing soon after the close reopens the dialog (the channel\'s reopen window), live in the console', async () => {
    const frame = chatFrame(visitor);
    const input = frame.getByTestId('composer-input');
    await input.fill(FOLLOW_UP_TEXT);
    await input.press('Enter');
    await frame
      .locator('[data-testid="message"][data-author="visitor"][data-state="sent"]', { hasText: FOLLOW_UP_TEXT })
      .waitFor({ timeout: WAIT });
    // The same conversation goes on: no "closed" note any more, nothing lost above.
    await eventually(async () => expect(await frame.getByTestId('dialog-closed-note').count()).toBe(0));
    await expect(frame.getByTestId('message').count()).resolves.toBe(3);
    await operator.getByTestId('status-open').click();
    await operator.getByTestId('dialog-row').filter({ hasText: FOLLOW_UP_TEXT }).waitFor({ timeout: WAIT });
    await shot(visitor, 'widget-reopened-dialog.png');
  });

  it('a visitor who lost the connection gets what he missed on reconnect (resume)', async () => {
    const frame = chatFrame(visitor);
    await visitorContext.setOffline(true);
    await frame.getByTestId('chat-offline').waitFor({ timeout: WAIT });

    await operator.getByTestId('dialog-row').filter({ hasText: FOLLOW_UP_TEXT }).click();
    const input = operator.getByTestId('composer-input');
    await input.fill(MISSED_TEXT);
    await input.press('Enter');
    await operator
      .locator('[data-testid="message"][data-author="operator"][data-state="sent"]', { hasText: MISSED_TEXT })
      .waitFor({ timeout: WAIT });

    await visitorContext.setOffline(false);
    await frame.locator('[data-testid="message"][data-author="operator"]', { hasText: MISSED_TEXT }).waitFor({ timeout: WAIT });
    await frame.getByTestId('chat-offline').waitFor({ state: 'detached', timeout: WAIT });
    await expect(frame.locator('[data-testid="message"]', { hasText: MISSED_TEXT }).count()).resolves.toBe(1);
  });
});
