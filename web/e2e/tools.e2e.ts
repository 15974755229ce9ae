/**
 * The operator's conversation tools in a real browser against a real server: the admin works
 * in the console, two visitors write from the demo site.
 *
 * Set up over REST: a personal saved reply with variables, tags "оплата" and "доставка", two
 * categories. Ольга names herself in the widget and writes; the operator opens the "/" popup
 * in note mode (screenshot), inserts the reply with Ctrl+1 (her first name and his are filled
 * in) and sends it; he adds an internal note that the widget never shows (a later reply
 * arrives, the note does not); he tags the dialog "оплата" and the tag filter then lists it
 * and not a second visitor's dialog (screenshot); the search finds Ольга's words and marks
 * them; the visitor card shows her and takes a phone number inline (screenshot); a dialog
 * snoozed for a few seconds over REST leaves the open list, waits under "Snoozed" and comes
 * back by itself; with the channel requiring a category, Close is refused and asks for one,
 * the bulk close refuses the second dialog with its reason, and after choosing a category the
 * close goes through. Screenshots go to ../artifacts/screenshots/.
 */
import { mkdirSync } from 'node:fs';
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { launchBrowser, watchErrors } from './browser';
import { adminSession, chatFrame, reportFailure, shot, shotsDir, signIn, WAIT } from './helpers';
import type { AdminApi } from './helpers';
import { startServer, type RunningServer } from './server';

const OLGA = 'Ольга Петрова';
const OLGA_TEXT = 'Здравствуйте, оплата картой не проходит';
const OTHER_TEXT = 'Когда привезут диван?';
const NOTE = 'Клиентка просит перезвонить после 18:00';
const LATER_REPLY = 'Проверяю платёж, минуту';
const PHONE = '+7 900 555-12-34';

let server: RunningServer;
let browser: Browser;
const contexts: BrowserContext[] = [];
let operator: Page;
let olga: Page;
let other: Page;
const errors: string[] = [];
const ids: { olgaDialog?: string; otherDialog?: string; channel?: string; question?: string } = {};
let operatorFirstName = '';

let api: AdminApi;

const row = (text: string): Locator => operator.getByTestId('dialog-row').filter({ hasText: text });


/** A visitor opens the widget on the demo page, optionally names herself, and writes. */
async function visitorWrites(page: Page, text: string, name?: string): Promise<void> {
  await page.goto(server.demoUrl);
  await page.getByTestId('frontline-launcher').click();
  const frame = chatFrame(page);
  const input = frame.getByTestId('composer-input');
  await input.waitFor({ timeout: WAIT });
  if (name) {
    await frame.getByTestId('set-name').click();
    await frame.getByTestId('name-input').fill(name);
    await frame.getByTestId('name-save').click();
    await expect.poll(() => frame.getByTestId('visitor-identity').textContent(), { timeout: WAIT }).toContain(name);
  }
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

describe('the operator console: saved replies, notes, tags, search, card, snooze, close', () => {
  beforeAll(async () => {
    mkdirSync(shotsDir, { recursive: true });
    server = await startServer();
    const admin = await adminSession(server);
    api = admin.api;
    operatorFirstName = String(admin.me.operator.display_name).trim().split(/\s+/)[0];
    const greeting = await api('POST', '/api/v1/saved-replies', {
      scope: 'personal',
      title: 'Приветствие',
      body: 'Здравствуйте, {visitor.first_name}! Меня зовут {operator.first_name}, сейчас помогу.',
    });
    // Ctrl+1 is the reply pinned to it in his profile (a server without profiles numbers the list instead).
    if (admin.me.profile || (await api('GET', '/api/v1/me')).profile) {
      await api('PATCH', '/api/v1/me', { shortcuts: [greeting.id, null, null, null, null, null, null, null, null] });
    }
    await api('POST', '/api/v1/saved-replies', { scope: 'workspace', title: 'Оплата', body: 'Оплатить можно картой или при получении.' });
    for (const name of ['оплата', 'доставка']) await api('POST', '/api/v1/tags', { name });
    ids.question = (await api('POST', '/api/v1/categories', { name: 'Вопрос по оплате' })).id;
    await api('POST', '/api/v1/categories', { name: 'Жалоба' });
    const channels = await api('GET', '/api/v1/channels');
    ids.channel = channels.items.find((c: { is_default: boolean }) => c.is_default).id;

    browser = await launchBrowser();
    for (let i = 0; i < 3; i++) contexts.push(await browser.newContext({ locale: 'ru-RU', viewport: { width: 1440, height: 860 } }));
    [operator, olga, other] = await Promise.all(contexts.map((c) => c.newPage()));
    watchErrors(operator, 'operator', errors);
    watchErrors(olga, 'olga', errors);
    watchErrors(other, 'other', errors);
  });

  beforeEach(({ onTestFailed }) => onTestFailed(reportFailure(errors, server)));

  afterAll(async () => {
    for (const c of contexts) await c.close().catch(() => {});
    await browser?.close().catch(() => {});
    await server?.stop();
  });

  it('the operator signs in; Ольга names herself and writes, another visitor too', async () => {
    await signIn(operator, server);

    await visitorWrites(olga, OLGA_TEXT, OLGA);
    await visitorWrites(other, OTHER_TEXT);
    ids.olgaDialog = await dialogIdOf(OLGA_TEXT);
    ids.otherDialog = await dialogIdOf(OTHER_TEXT);
    await row(OLGA).waitFor({ timeout: WAIT });
    await row(OTHER_TEXT).waitFor({ timeout: WAIT });
  });

  it('"/" opens the saved replies in note mode; Ctrl+1 inserts the greeting with both names filled', async () => {
    await row(OLGA).click();
    await operator.getByTestId('timeline').getByText(OLGA_TEXT).waitFor({ timeout: WAIT });
    const input = operator.getByTestId('composer-input');

    await operator.getByTestId('composer-mode-note').click();
    await expect(operator.getByTestId('composer').getAttribute('data-mode')).resolves.toBe('note');
    await expect(input.getAttribute('placeholder')).resolves.toBe('Заметка видна только операторам');
    await input.fill('/');
    const popup = operator.getByTestId('saved-replies-popup');
    await popup.waitFor({ timeout: WAIT });
    await expect(popup.getByTestId('saved-reply-option').allTextContents()).resolves.toEqual([
      expect.stringContaining('Приветствие'),
      expect.stringContaining('Оплата'),
    ]);
    await shot(operator, 'console-composer.png');
    await input.press('Escape');
    await popup.waitFor({ state: 'detached', timeout: WAIT });
    await input.fill('');

    await operator.getByTestId('composer-mode-reply').click();
    await input.press('Control+1');
    const greeting = `Здравствуйте, Ольга! Меня зовут ${operatorFirstName}, сейчас помогу.`;
    await expect.poll(() => input.inputValue(), { timeout: WAIT }).toBe(greeting);
    await input.press('Enter');
    await chatFrame(olga).locator('[data-testid="message"][data-author="operator"]', { hasText: greeting }).waitFor({ timeout: WAIT });
  });

  it('an internal note shows in the console, never in the widget', async () => {
    const input = operator.getByTestId('composer-input');
    await operator.getByTestId('composer-mode-note').click();
    await input.fill(NOTE);
    await input.press('Enter');
    const note = operator.locator('[data-testid="message"][data-note="true"][data-state="sent"]', { hasText: NOTE });
    await note.waitFor({ timeout: WAIT });
    await expect(note.getByTestId('note-label').textContent()).resolves.toContain('Заметка');

    await operator.getByTestId('composer-mode-reply').click();
    await input.fill(LATER_REPLY);
    await input.press('Enter');
    const frame = chatFrame(olga);
    // The reply sent after the note has arrived, so the note would have too.
    await frame.locator('[data-testid="message"][data-author="operator"]', { hasText: LATER_REPLY }).waitFor({ timeout: WAIT });
    await expect(frame.getByText(NOTE).count()).resolves.toBe(0);
    // Nor in her history after a reload.
    await olga.reload();
    await olga.getByTestId('frontline-launcher').waitFor({ timeout: WAIT });
    if ((await olga.locator('[data-frontline-widget]').getAttribute('data-open')) !== 'true') await olga.getByTestId('frontline-launcher').click();
    await chatFrame(olga).locator('[data-testid="message"][data-author="operator"]', { hasText: LATER_REPLY }).waitFor({ timeout: WAIT });
    await expect(chatFrame(olga).getByText(NOTE).count()).resolves.toBe(0);
  });

  it('tags: the operator tags the dialog "оплата" and the tag filter lists only it', async () => {
    await operator.getByTestId('tag-add').click();
    await operator.getByTestId('tag-search').fill('опл');
    await operator.getByTestId('tag-option').filter({ hasText: 'оплата' }).click();
    await operator.getByTestId('dialog-tag').filter({ hasText: 'оплата' }).waitFor({ timeout: WAIT });
    await row(OLGA).getByTestId('dialog-row-tag').filter({ hasText: 'оплата' }).waitFor({ timeout: WAIT });

    const tagId = (await api('GET', '/api/v1/tags')).items.find((t: { name: string }) => t.name === 'оплата').id;
    // The filters are folded into one row: "Filters" unfolds them.
    await operator.getByTestId('filters-toggle').click();
    await operator.getByTestId('filter-tag').selectOption(tagId);
    await expect(operator.getByTestId('filters-count').textContent()).resolves.toContain('1');
    await expect.poll(() => operator.getByTestId('dialog-row').count(), { timeout: WAIT }).toBe(1);
    await row(OLGA).waitFor({ timeout: WAIT });
    // Combined with another filter: unanswered (the operator wrote last) leaves nothing.
    await operator.getByTestId('filter-unanswered').check();
    await operator.getByTestId('dialog-list-empty').waitFor({ timeout: WAIT });
    await operator.getByTestId('filter-unanswered').uncheck();
    await row(OLGA).waitFor({ timeout: WAIT });
    await operator.getByTestId('tag-add').click();
    await operator.getByTestId('tag-popover').waitFor({ timeout: WAIT });
    await shot(operator, 'console-tags.png');
    await operator.getByTestId('tag-search').press('Escape');
    await operator.getByTestId('filter-reset').click();
    await row(OTHER_TEXT).waitFor({ timeout: WAIT });
  });

  it('the search finds Ольга\'s words, marks them, and opens her dialog', async () => {
    await operator.getByTestId('dialog-row').filter({ hasText: OTHER_TEXT }).click();
    await operator.getByTestId('search-input').fill('картой');
    const hit = operator.getByTestId('search-hit').first();
    await hit.waitFor({ timeout: WAIT });
    await expect(operator.getByTestId('search-hit-snippet').first().locator('mark').first().textContent()).resolves.toMatch(/картой/i);
    await expect(hit.getAttribute('data-dialog-id')).resolves.toBe(ids.olgaDialog);
    await hit.click();
    await expect.poll(() => operator.getByTestId('dialog-view').getAttribute('data-dialog-id'), { timeout: WAIT }).toBe(ids.olgaDialog);
    await operator.getByTestId('search-clear').click();
    await row(OTHER_TEXT).waitFor({ timeout: WAIT });
  });

  it('the visitor card shows Ольга and takes her phone inline', async () => {
    const card = operator.getByTestId('visitor-card');
    await card.waitFor({ timeout: WAIT });
    await expect.poll(() => card.getByTestId('card-title').textContent(), { timeout: WAIT }).toBe(OLGA);
    await expect.poll(async () => ((await card.getByTestId('card-time-on-site').textContent()) ?? '').trim(), { timeout: WAIT }).toMatch(/\d/);
    await card.getByTestId('card-phone-edit').click();
    await card.getByTestId('card-phone-input').fill(PHONE);
    await card.getByTestId('card-phone-save').click();
    await expect.poll(() => card.getByTestId('card-phone-value').textContent(), { timeout: WAIT }).toMatch(/900/);
    const saved = await api('GET', `/api/v1/dialogs/${ids.olgaDialog}/visitor`);
    expect(String(saved.phone).replace(/\D/g, '')).toBe('79005551234');
    await shot(operator, 'console-visitor-card.png');
  });

  it('a dialog snoozed for a few seconds leaves the open list, waits under Snoozed, and comes back by itself', async () => {
    const until = new Date(Date.now() + 8_000).toISOString();
    await api('POST', `/api/v1/dialogs/${ids.otherDialog}/snooze`, { until });
    await row(OTHER_TEXT).waitFor({ state: 'detached', timeout: WAIT });
    await operator.getByTestId('status-snoozed').click();
    const snoozed = row(OTHER_TEXT);
    await snoozed.waitFor({ timeout: WAIT });
    await expect(snoozed.getByTestId('dialog-row-snoozed').textContent()).resolves.toMatch(/^до (?:[^,]+, )?\d{2}:\d{2}$/);
    await operator.getByTestId('status-open').click();
    // The server wakes it when due and says so with dialog.updated (snoozed_until null).
    await row(OTHER_TEXT).waitFor({ timeout: 30_000 });
    await expect(row(OTHER_TEXT).getAttribute('data-snoozed')).resolves.toBe('false');
  });

  it('with a category required, Close asks for one, bulk close refuses, and after choosing the close goes through', async () => {
    await api('PATCH', `/api/v1/channels/${ids.channel}`, { require_category: true });
    await row(OLGA).click();
    await operator.getByTestId('close-dialog').click();
    const required = operator.getByTestId('category-required');
    await required.waitFor({ timeout: WAIT });
    await expect(required.textContent()).resolves.toBe('Выберите категорию перед закрытием');
    await expect(operator.getByTestId('dialog-status').getAttribute('data-status')).resolves.toBe('open');

    // The other dialog, ticked and closed in bulk, is refused for the same reason.
    await row(OTHER_TEXT).hover();
    await operator.locator(`[data-testid="dialog-row-check"][data-dialog-id="${ids.otherDialog}"]`).check();
    await operator.getByTestId('bulk-close').click();
    await operator.getByTestId('bulk-result').waitFor({ timeout: WAIT });
    await expect(operator.getByTestId('dialog-row-refusal').first().getAttribute('data-code')).resolves.toBe('category_required');
    await operator.getByTestId('bulk-clear').click();

    await operator.getByTestId('category-select').selectOption(ids.question!);
    await required.waitFor({ state: 'detached', timeout: WAIT });
    await operator.getByTestId('close-dialog').click();
    await expect.poll(() => operator.getByTestId('dialog-status').getAttribute('data-status'), { timeout: WAIT }).toBe('closed');
    // Reopened, it needs its category again.
    await operator.getByTestId('reopen-dialog').click();
    await expect.poll(() => operator.getByTestId('dialog-status').getAttribute('data-status'), { timeout: WAIT }).toBe('open');
    await expect(operator.getByTestId('category-select').inputValue()).resolves.toBe('');
  });

  it('no page logged an unexpected error', () => {
    // Expected: the console asks /me before signing in (401); the refused closes (409).
    const expected = [/HTTP 401: GET \S+\/api\/v1\/me$/, /HTTP 409: POST \S+\/api\/v1\/dialogs\/[0-9a-f-]+\/close$/, /status of 40[19]/];
    const real = errors.filter((e) => !e.includes('favicon') && !expected.some((re) => re.test(e)));
    expect(real).toEqual([]);
  });
});
