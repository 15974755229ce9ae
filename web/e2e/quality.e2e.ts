/**
 * The quality guard and the visitor's tone (issue 17) in a real browser against a real server.
 *
 * The admin opens «Правила» → «Контроль качества», sets 8-800 numbers to block (with a reason
 * allowed) and the polite «Вы» to warn, adds a forbidden word, and saves (screenshot); a
 * visitor writes calmly (no badge), then in CAPITALS with «!!!», and the list row shows the
 * tone badge live, first under «Сначала раздражённые» (screenshot); the admin opens the dialog and types
 * «Позвоните нам по 8-800-555-35-35, вам ответят»: the two problems are named under the box and
 * marked in it (screenshot); Enter shows the block, he gives a reason, and the message goes to
 * the visitor. The same in the English console (screenshots), where a send before the check
 * came back is refused by the server and comes back with the same block. Axe looks at the
 * composer with its warnings and at the page. Screenshots go to ../artifacts/screenshots/.
 */
import { mkdirSync } from 'node:fs';
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { axeCheck, blocking } from './axe';
import { launchBrowser, watchErrors } from './browser';
import { adminSession, chatFrame, reportFailure, shot, shotsDir, signIn, WAIT } from './helpers';
import type { AdminApi } from './helpers';
import { startServer, type RunningServer } from './server';

const CALM = 'Здравствуйте, подскажите, где мой заказ?';
const ANGRY = 'ВЫ ОПЯТЬ ПОТЕРЯЛИ МОЙ ЗАКАЗ!!! ГДЕ МОИ ДЕНЬГИ';
const REPLY = 'Позвоните нам по 8-800-555-35-35, вам ответят';
const REASON = 'Клиент сам попросил номер горячей линии';
const REPLY_EN = 'Звоните по 8 (800) 555-35-35, мы вам поможем';
const REASON_EN = 'The visitor asked for the hotline number';

let server: RunningServer;
let browser: Browser;
const contexts: BrowserContext[] = [];
let admin: Page;
let visitor: Page;
const errors: string[] = [];
let api: AdminApi;
let dialogId = '';

const row = (text: string): Locator => admin.getByTestId('dialog-row').filter({ hasText: text });
const hitTexts = () => admin.getByTestId('guard-hit').allTextContents();

describe('the quality guard and the visitor\'s tone', () => {
  beforeAll(async () => {
    mkdirSync(shotsDir, { recursive: true });
    server = await startServer();
    api = (await adminSession(server)).api;
    browser = await launchBrowser();
    for (let i = 0; i < 2; i++) contexts.push(await browser.newContext({ locale: 'ru-RU', viewport: { width: 1440, height: 900 } }));
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

  it('the admin sets 8-800 to block with a reason allowed and «Вы» to warn on the Quality page', async () => {
    await signIn(admin, server);
    // Under "Rules", beside the routing rules: the navigation keeps its length.
    await admin.getByTestId('nav-rules').click();
    await admin.getByTestId('rules-tab-quality').click();
    await admin.getByTestId('quality-form').waitFor({ timeout: WAIT });
    expect(new URL(admin.url()).pathname).toBe('/console/admin/quality');
    await expect(admin.getByTestId('nav-rules').getAttribute('aria-current')).resolves.toBe('page');
    await expect(admin.getByTestId('nav-quality').count()).resolves.toBe(0);

    await admin.getByTestId('quality-mode-phone_8800').selectOption('block');
    await expect(admin.getByTestId('quality-override-phone_8800').isChecked()).resolves.toBe(true);
    await admin.getByTestId('quality-mode-polite').selectOption('warn');
    await admin.getByTestId('quality-word-input').fill('бесплатно');
    await admin.getByTestId('quality-word-input').press('Enter');
    await admin.getByTestId('quality-word').filter({ hasText: 'бесплатно' }).waitFor({ timeout: WAIT });
    await admin.getByTestId('quality-pattern-add').click();
    await admin.getByTestId('quality-pattern-input').fill('скидк[аиу]');
    await shot(admin, 'quality-admin.png');

    await admin.getByTestId('quality-save').click();
    await admin.getByTestId('quality-saved').waitFor({ timeout: WAIT });
    const saved = await api('GET', '/api/v1/quality');
    expect(saved.phone_8800).toEqual({ mode: 'block', allow_override: true });
    expect(saved.polite.mode).toBe('warn');
    expect(saved.forbidden.words).toEqual(['бесплатно']);
    expect(saved.forbidden.patterns).toEqual(['скидк[аиу]']);

    // A bad expression is refused by the server and named at its input.
    await admin.getByTestId('quality-pattern-add').click();
    await admin.getByTestId('quality-pattern-input').nth(1).fill('скидк(а');
    await admin.getByTestId('quality-save').click();
    const note = admin.locator('[data-testid="field-error"][data-field="forbidden.patterns[1]"]');
    await note.waitFor({ timeout: WAIT });
    await expect(note.textContent()).resolves.toBe('Это не регулярное выражение — проверьте скобки и спецсимволы.');
    await expect(admin.getByTestId('quality-pattern-input').nth(1).getAttribute('aria-invalid')).resolves.toBe('true');
    await shot(admin, 'quality-admin-refused.png');
    await admin.getByTestId('quality-revert').click();
    await expect.poll(() => admin.getByTestId('quality-pattern-input').count(), { timeout: WAIT }).toBe(1);
  });

  it('a visitor writes in CAPITALS with «!!!»: the row shows the tone badge, first under "Upset first"', async () => {
    await admin.getByTestId('nav-dialogs').click();
    await admin.getByTestId('dialog-list').waitFor({ timeout: WAIT });
    await visitor.goto(server.demoUrl);
    await visitor.getByTestId('frontline-launcher').click();
    const input = chatFrame(visitor).getByTestId('composer-input');
    await input.waitFor({ timeout: WAIT });
    // Calm at first: no badge.
    await input.fill(CALM);
    await input.press('Enter');
    await row(CALM).waitFor({ timeout: WAIT });
    await expect(row(CALM).getByTestId('tone-row').count()).resolves.toBe(0);
    // Then upset: the row learns it live.
    await input.fill(ANGRY);
    await input.press('Enter');
    await chatFrame(visitor).locator('[data-testid="message"][data-author="visitor"][data-state="sent"]', { hasText: 'ПОТЕРЯЛИ' }).waitFor({ timeout: WAIT });

    const list = await api('GET', '/api/v1/dialogs?status=all&sort=tone&limit=50');
    const d = list.items[0];
    expect(d.last_message.preview).toContain('ПОТЕРЯЛИ');
    expect(d.tone).toBeGreaterThanOrEqual(2);
    dialogId = d.id;

    const badge = row('ПОТЕРЯЛИ').getByTestId('tone-row');
    await badge.waitFor({ timeout: WAIT });
    await expect(badge.textContent()).resolves.toBe('Раздражён');
    await expect(badge.getAttribute('title')).resolves.toContain('капс, «!!!» и грубые слова');
    await admin.getByTestId('filter-sort').selectOption('tone');
    await expect.poll(() => admin.getByTestId('dialog-row').first().getAttribute('data-dialog-id'), { timeout: WAIT }).toBe(dialogId);
    await shot(admin, 'quality-tone-row.png');
  });

  it('typing the reply names the 8-800 block and the small «вам» under the box and marks them', async () => {
    await row('ПОТЕРЯЛИ').click();
    await admin.getByTestId('timeline').getByText('ПОТЕРЯЛИ', { exact: false }).waitFor({ timeout: WAIT });
    await admin.getByTestId('tone-header').waitFor({ timeout: WAIT });
    const input = admin.getByTestId('composer-input');
    await input.click();
    await input.pressSequentially(REPLY, { delay: 5 });
    await expect
      .poll(hitTexts, { timeout: WAIT })
      .toEqual(['Не отправится: Номер 8-800 называть нельзя: „8-800-555-35-35“', 'Предупреждение: „вам“ — пишите „Вам“ с большой буквы']);
    const marks = admin.locator('[data-testid="guard-mirror"] mark');
    await expect(marks.allTextContents()).resolves.toEqual(['8-800-555-35-35', 'вам']);
    // The marks sit under the very letters they mark: the mirror and the textarea share one box.
    const [boxA, boxB] = await Promise.all([input.boundingBox(), admin.getByTestId('guard-mirror').boundingBox()]);
    expect(boxB).toEqual(boxA);
    await expect(input.getAttribute('aria-describedby')).resolves.toBe(await admin.getByTestId('guard-hits').getAttribute('id'));
    await shot(admin, 'quality-composer.png');
    await admin.locator('.composer-box').screenshot({ path: `${shotsDir}/quality-composer-closeup.png` });

    const report = await axeCheck(admin, 'composer with warnings');
    const ours = blocking(report).filter((v) => v.nodes.some((n) => n.target.some((t) => /guard|composer|tone/.test(t))));
    expect(ours).toEqual([]);
  });

  it('Enter shows the block; with a reason the message goes to the visitor', async () => {
    const input = admin.getByTestId('composer-input');
    await input.press('Enter');
    const block = admin.getByTestId('guard-block');
    await block.waitFor({ timeout: WAIT });
    await expect(block.textContent()).resolves.toContain('Так отправить нельзя');
    await expect(input.inputValue()).resolves.toBe(REPLY);
    await expect(admin.evaluate(() => document.activeElement?.getAttribute('data-testid'))).resolves.toBe('guard-reason');
    await admin.getByTestId('guard-reason').fill(REASON);
    await shot(admin, 'quality-block.png');
    await admin.getByTestId('guard-send-reason').click();

    await admin.locator('[data-testid="message"][data-author="operator"][data-state="sent"]', { hasText: '8-800-555-35-35' }).waitFor({ timeout: WAIT });
    await expect(input.inputValue()).resolves.toBe('');
    await expect(admin.getByTestId('guard-block').count()).resolves.toBe(0);
    await chatFrame(visitor).locator('[data-testid="message"][data-author="operator"]', { hasText: '8-800-555-35-35' }).waitFor({ timeout: WAIT });
  });

  it('a long reply scrolls in the box and its marks scroll with it', async () => {
    const input = admin.getByTestId('composer-input');
    const long = `${Array.from({ length: 14 }, (_, i) => `Строка ${i + 1}: уточняю детали заказа`).join('\n')}\nПерезвоним вам завтра`;
    await input.fill(long);
    await expect.poll(hitTexts, { timeout: WAIT }).toEqual(['Предупреждение: „вам“ — пишите „Вам“ с большой буквы']);
    await input.evaluate((el: HTMLTextAreaElement) => (el.scrollTop = el.scrollHeight));
    const [inBox, inMirror, box, mark] = await Promise.all([
      input.evaluate((el) => el.scrollTop),
      admin.getByTestId('guard-mirror').evaluate((el) => el.scrollTop),
      input.boundingBox(),
      admin.locator('[data-testid="guard-mirror"] mark').boundingBox(),
    ]);
    expect(inBox).toBeGreaterThan(0);
    expect(inMirror).toBe(inBox);
    // Lines fall alike in both: the same font, line height, padding and wrapping.
    const styleOf = (el: Element) => {
      const c = getComputedStyle(el);
      return [c.fontFamily, c.fontSize, c.fontWeight, c.lineHeight, c.letterSpacing, c.paddingTop, c.paddingLeft, c.borderTopWidth, c.whiteSpace, c.overflowWrap, c.tabSize];
    };
    const [boxStyle, mirrorStyle] = await Promise.all([input.evaluate(styleOf), admin.getByTestId('guard-mirror').evaluate(styleOf)]);
    expect(mirrorStyle).toEqual(boxStyle);
    // The mark of the last line shows inside the box, where its word is.
    expect(mark!.y).toBeGreaterThan(box!.y);
    expect(mark!.y + mark!.height).toBeLessThanOrEqual(box!.y + box!.height);
    await admin.locator('.composer-box').screenshot({ path: `${shotsDir}/quality-composer-scrolled.png` });
    await input.fill('');
    await expect.poll(hitTexts, { timeout: WAIT }).toEqual([]);
  });

  it('in English: the warnings and the block in English; a send before the check answered comes back from the server', async () => {
    await admin.getByTestId('lang-en').click();
    const input = admin.getByTestId('composer-input');
    await input.click();
    await input.pressSequentially(REPLY_EN, { delay: 5 });
    await expect
      .poll(hitTexts, { timeout: WAIT })
      .toEqual(['Will not send: No 8-800 numbers: “8 (800) 555-35-35”', 'Warning: “вам” — write “Вам” with a capital letter']);
    await shot(admin, 'quality-composer-en.png');

    // Sent at once, before any check could answer: the server refuses and the text comes back.
    await input.fill('');
    await input.fill(REPLY_EN);
    await input.press('Enter');
    const block = admin.getByTestId('guard-block');
    await block.waitFor({ timeout: WAIT });
    await expect.poll(() => block.getAttribute('data-refused'), { timeout: WAIT }).toBe('true');
    await expect(block.textContent()).resolves.toContain("This can't be sent as written");
    await expect(input.inputValue()).resolves.toBe(REPLY_EN);
    await admin.getByTestId('guard-reason').fill(REASON_EN);
    await shot(admin, 'quality-block-en.png');
    await admin.getByTestId('guard-reason').press('Enter');
    await chatFrame(visitor).locator('[data-testid="message"][data-author="operator"]', { hasText: '8 (800)' }).waitFor({ timeout: WAIT });
    await expect(input.inputValue()).resolves.toBe('');

    await admin.getByTestId('tone-header').waitFor({ timeout: WAIT });
    await expect(admin.getByTestId('tone-header').textContent()).resolves.toBe('Upset');

    // The Quality page in English, with the "try it" box (a dialog is at hand now).
    await admin.getByTestId('nav-rules').click();
    await admin.getByTestId('rules-tab-quality').click();
    await admin.getByTestId('quality-form').waitFor({ timeout: WAIT });
    await shot(admin, 'quality-admin-en.png');
    await admin.getByTestId('quality-try-input').fill('Мы вам перезвоним бесплатно');
    await admin.getByTestId('quality-try-check').click();
    await expect
      .poll(() => admin.getByTestId('quality-try').getByTestId('guard-hit').allTextContents(), { timeout: WAIT })
      .toEqual(['Warning: “вам” — write “Вам” with a capital letter', 'Warning: Forbidden word: “бесплатно”']);
    await admin.getByTestId('quality-try').scrollIntoViewIfNeeded();
    await shot(admin, 'quality-try-en.png');
    const report = await axeCheck(admin, 'quality page');
    expect(blocking(report)).toEqual([]);
  });

  it('no page logged an unexpected error', () => {
    // Expected: the console asks /me before signing in (401); the refused sends and save (422, 400).
    const expected = [/HTTP 401: GET \S+\/api\/v1\/me$/, /HTTP 422: POST \S+\/api\/v1\/dialogs\/[0-9a-f-]+\/messages$/, /HTTP 400: PUT \S+\/api\/v1\/quality$/, /status of 4(01|00|22)/];
    const real = errors.filter((e) => !e.includes('favicon') && !expected.some((re) => re.test(e)));
    expect(real).toEqual([]);
  });
});
