/**
 * Custom fields (issue 16) end to end, in a real browser against a real server, in Russian (and
 * English once), at 1366×768.
 *
 * The admin opens Теги → «Поля» and defines «Модель» on dialogs: text kept in capitals, matching
 * `[A-Z0-9 ]+`, required before a dialog of the category «Цифровая техника» closes; the key
 * follows the label (`model`). Then «Город» on visitors, a choice of Москва and Казань. A dialog
 * field «Устройство» (a choice) is set up over REST. A visitor writes from the demo page; the
 * operator Анна opens his dialog, accepts it and sets the category: «Модель» is marked «обязательно
 * перед закрытием», and Close is refused with a line naming «Модель» and the focus on it. She types
 * «iphone 15» and sees «IPHONE 15» — in the admin's tab with the dialog open too, live — picks
 * «Телефон», sets the visitor's «Город» on his card, and closes. Her list filtered by
 * «Устройство: Телефон» (`field=device:Телефон`) shows only his dialog, not another visitor's.
 * Screenshots in ../artifacts/screenshots/, axe on every view shown.
 */
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { axeCheck, blocking, type AxeReport } from './axe';
import { launchBrowser, watchErrors } from './browser';
import { adminSession, chatFrame, reportFailure, shot, signIn, WAIT, type AdminApi } from './helpers';
import { startServer, type RunningServer } from './server';

const CATEGORY = 'Цифровая техника';
const ANNA_EMAIL = 'anna.fields@example.com';
const ANNA_PASSWORD = 'anna-fields-password-1';
const HIS_TEXT = 'Здравствуйте! Телефон не включается после обновления.';
const OTHER_TEXT = 'Добрый день, когда будет готов мой ноутбук?';
const LAPTOP = { width: 1366, height: 768 };

let server: RunningServer;
let browser: Browser;
const contexts: BrowserContext[] = [];
let admin: Page;
let anna: Page;
let visitor: Page;
let api: AdminApi;
let categoryId = '';
let hisDialog = '';
let otherDialog = '';
const errors: string[] = [];
const reports: Record<string, AxeReport> = {};

/** Nothing sticks out sideways: not the page, the admin cards, the dialog's header and fields, the card, the list. */
async function noSidewaysOverflow(page: Page): Promise<void> {
  const wide = await page.evaluate(() =>
    [
      document.documentElement,
      ...document.querySelectorAll<HTMLElement>(
        '.admin-page, .admin-card, .app-header, .page-tabs, .dialog-header, .dialog-tools, .dialog-fields, .visitor-card, .dialog-list, .list-filters',
      ),
    ]
      .filter((el) => el.scrollWidth > el.clientWidth + 1)
      .map((el) => `${el.className}: ${el.scrollWidth} > ${el.clientWidth}`),
  );
  expect(wide).toEqual([]);
}

/** Inputs and selects whose text does not fit them (a cut value, option or placeholder). */
async function cutInputs(page: Page, scope: string): Promise<string[]> {
  return page.evaluate(
    (sel) =>
      [...document.querySelectorAll<HTMLInputElement | HTMLSelectElement>(`${sel} input:not([type="radio"]):not([type="checkbox"]):not([type="date"]), ${sel} select`)]
        .filter((el) => el.offsetParent !== null)
        .filter((el) => {
          const probe = document.createElement('span');
          const style = getComputedStyle(el);
          probe.style.font = style.font;
          probe.style.whiteSpace = 'pre';
          probe.style.position = 'absolute';
          probe.style.visibility = 'hidden';
          probe.textContent = el instanceof HTMLSelectElement ? (el.selectedOptions[0]?.textContent ?? '') : el.value || el.placeholder;
          document.body.appendChild(probe);
          const width = probe.getBoundingClientRect().width;
          probe.remove();
          // A select keeps room for its arrow.
          const arrow = el instanceof HTMLSelectElement ? 16 : 0;
          const room = el.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight) - arrow;
          return width > room + 1;
        })
        .map((el) => `${el.getAttribute('data-testid')}[${el.getAttribute('data-key') ?? ''}]: «${el instanceof HTMLSelectElement ? el.selectedOptions[0]?.textContent : el.value || el.placeholder}»`),
    scope,
  );
}

/** Labels cut by an ellipsis in the dialog's fields. */
async function cutLabels(page: Page): Promise<string[]> {
  return page.evaluate(() =>
    [...document.querySelectorAll<HTMLElement>('.dialog-fields .fv-label, .card-vfields .fv-label')].filter((el) => el.scrollWidth > el.clientWidth + 1).map((el) => el.textContent ?? ''),
  );
}

/** A visitor opens the widget on the demo page and writes. */
async function visitorWrites(page: Page, text: string): Promise<void> {
  await page.goto(server.demoUrl);
  await page.getByTestId('frontline-launcher').click();
  const input = chatFrame(page).getByTestId('composer-input');
  await input.waitFor({ timeout: WAIT });
  await input.fill(text);
  await input.press('Enter');
  await chatFrame(page).locator('[data-testid="message"][data-author="visitor"][data-state="sent"]', { hasText: text }).waitFor({ timeout: WAIT });
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

const value = (page: Page, key: string): Locator => page.locator(`.dialog-fields [data-testid="field-value"][data-key="${key}"]`);
const fieldRow = (page: Page, key: string): Locator => page.locator(`.dialog-fields [data-testid="field-row"][data-key="${key}"]`);
const focusedKey = (page: Page) => page.evaluate(() => document.activeElement?.getAttribute('data-key') ?? null);

describe('custom fields: defined by the admin, filled by the operator, required before closing, on the card, in the list filter', () => {
  beforeAll(async () => {
    server = await startServer();
    let me: any;
    ({ api, me } = await adminSession(server));
    categoryId = (await api('POST', '/api/v1/categories', { name: CATEGORY })).id;
    await api('POST', '/api/v1/categories', { name: 'Бытовая техника' });
    const annaId = (await api('POST', '/api/v1/operators', { email: ANNA_EMAIL, display_name: 'Анна Соколова', password: ANNA_PASSWORD, role: 'operator' })).id;
    const channels = await api('GET', '/api/v1/channels');
    const general = channels.items.find((c: { is_default: boolean }) => c.is_default);
    await api('PUT', `/api/v1/channels/${general.id}/members`, { operator_ids: [me.operator.id, annaId] });

    browser = await launchBrowser();
    for (let i = 0; i < 3; i++) contexts.push(await browser.newContext({ locale: 'ru-RU', viewport: LAPTOP }));
    [admin, anna, visitor] = await Promise.all(contexts.map((c) => c.newPage()));
    watchErrors(admin, 'admin', errors);
    watchErrors(anna, 'anna', errors);
    watchErrors(visitor, 'visitor', errors);
  });

  beforeEach(({ onTestFailed }) => onTestFailed(reportFailure(errors, server)));

  afterAll(async () => {
    for (const c of contexts) await c.close().catch(() => {});
    await browser?.close().catch(() => {});
    await server?.stop();
  });

  it('Теги → «Поля»: the admin defines «Модель» in capitals with a pattern, required for «Цифровая техника»', async () => {
    await signIn(admin, server);
    await admin.getByTestId('nav-tags').click();
    await admin.getByTestId('labels-tab-fields').click();
    await admin.getByTestId('admin-fields').waitFor({ timeout: WAIT });
    expect(new URL(admin.url()).pathname).toBe('/console/admin/fields');
    await expect(admin.getByTestId('fields-title').textContent()).resolves.toBe('Поля');
    await expect(admin.getByTestId('nav-tags').getAttribute('aria-current')).resolves.toBe('page');
    await expect(admin.getByTestId('field-form-title').textContent()).resolves.toBe('Новое поле диалога');

    await admin.getByTestId('field-label').fill('Модель');
    await expect(admin.getByTestId('field-key').inputValue()).resolves.toBe('model');
    await admin.getByTestId('field-upper').check();
    await admin.getByTestId('field-pattern').fill('[A-Z0-9 ]+');
    await admin.getByTestId('field-require-some').check();
    await admin.locator(`[data-testid="field-required-category"][data-id="${categoryId}"]`).check();
    await noSidewaysOverflow(admin);
    await expect(cutInputs(admin, '.fld-form')).resolves.toEqual([]);
    await shot(admin, 'fields-admin-new.png');
    reports.editor = await axeCheck(admin, 'custom field editor');
    await admin.getByTestId('field-save').click();
    await admin.getByTestId('field-saved').waitFor({ timeout: WAIT });

    const saved = (await api('GET', '/api/v1/fields')).items.find((f: any) => f.key === 'model');
    expect(saved).toMatchObject({ label: 'Модель', target: 'dialog', kind: 'text', format: 'upper', pattern: '[A-Z0-9 ]+', required: { always: false, channels: [], categories: [categoryId] } });
    const item = admin.locator('[data-testid="field-item"][data-key="model"]');
    await expect(item.getByTestId('field-kind').textContent()).resolves.toBe('Текст · заглавными · по образцу');
    await expect(item.getByTestId('field-required').textContent()).resolves.toBe(`обязательно для: ${CATEGORY}`);
    await expect(admin.getByTestId('field-form-title').textContent()).resolves.toBe('Поле «Модель»');
    await expect(admin.getByTestId('field-key').getAttribute('readonly')).resolves.not.toBeNull();
  });

  it('and «Город» on visitors, a choice of two cities; English once', async () => {
    await admin.getByTestId('field-new-visitor').click();
    await expect(admin.getByTestId('field-form-title').textContent()).resolves.toBe('Новое поле посетителя');
    await admin.getByTestId('field-label').fill('Город');
    await admin.getByTestId('field-kind-select').selectOption('choice');
    await expect(admin.getByTestId('field-key').inputValue()).resolves.toBe('gorod');
    await admin.getByTestId('field-key').fill('city');
    const options = admin.getByTestId('field-option');
    await options.nth(0).fill('Москва');
    await options.nth(0).press('Enter');
    await options.nth(1).fill('Казань');
    await admin.getByTestId('field-save').click();
    await admin.getByTestId('field-saved').waitFor({ timeout: WAIT });
    const city = (await api('GET', '/api/v1/fields')).items.find((f: any) => f.key === 'city');
    expect(city).toMatchObject({ label: 'Город', target: 'visitor', kind: 'choice', options: ['Москва', 'Казань'] });
    await expect(admin.getByTestId('fields-group-visitor').getByTestId('field-kind').allTextContents()).resolves.toEqual(['Список · Москва, Казань']);
    await noSidewaysOverflow(admin);
    await expect(cutInputs(admin, '.fld-form')).resolves.toEqual([]);
    await shot(admin, 'fields-admin-list.png');
    reports.list = await axeCheck(admin, 'custom fields list with a visitor field');

    await setLang(admin, 'en', 'Custom fields', admin.getByTestId('fields-title'));
    await expect(admin.locator('[data-testid="field-item"][data-key="model"]').getByTestId('field-required').textContent()).resolves.toBe(`required for: ${CATEGORY}`);
    await expect(admin.getByTestId('labels-tab-tags').textContent()).resolves.toBe('Tags and categories');
    await noSidewaysOverflow(admin);
    await shot(admin, 'fields-admin-en.png');
    reports.listEn = await axeCheck(admin, 'custom fields page in English');
    await setLang(admin, 'ru', 'Поля', admin.getByTestId('fields-title'));
  });

  it('a visitor writes; Анна opens his dialog, accepts it, sets the category: «Модель» is required before closing', async () => {
    // A second dialog field, after «Модель» (the server puts a new one last).
    await api('POST', '/api/v1/fields', { key: 'device', label: 'Устройство', target: 'dialog', kind: 'choice', options: ['Телефон', 'Ноутбук', 'Планшет'] });
    await visitorWrites(visitor, HIS_TEXT);
    hisDialog = (await dialogOf(HIS_TEXT)).id;

    await signIn(anna, server, ANNA_EMAIL, ANNA_PASSWORD);
    const row = anna.locator(`[data-testid="dialog-row"][data-dialog-id="${hisDialog}"]`);
    await row.waitFor({ timeout: WAIT });
    await row.click();
    await anna.getByTestId('accept').click();
    await expect.poll(() => anna.getByTestId('assignee').getAttribute('data-assigned'), { timeout: WAIT }).toBe('true');
    await anna.getByTestId('dialog-fields').waitFor({ timeout: WAIT });
    await expect(anna.locator('.dialog-fields .fv-label').allTextContents()).resolves.toEqual(['Модель', 'Устройство']);
    await expect(fieldRow(anna, 'model').getByTestId('field-required-note').count()).resolves.toBe(0);
    await expect(anna.getByTestId('fields-toggle').textContent()).resolves.toBe('Поля0 из 2');

    await anna.getByTestId('category-select').selectOption(categoryId);
    await fieldRow(anna, 'model').getByTestId('field-required-note').waitFor({ timeout: WAIT });
    await expect(fieldRow(anna, 'model').getByTestId('field-required-note').textContent()).resolves.toBe('обязательно перед закрытием');
    await expect(anna.getByTestId('fields-toggle').getAttribute('data-missing')).resolves.toBe('1');

    // The admin has the same dialog open in his tab.
    await admin.getByTestId('nav-dialogs').click();
    await admin.locator(`[data-testid="dialog-row"][data-dialog-id="${hisDialog}"]`).click();
    await value(admin, 'model').waitFor({ timeout: WAIT });
    await expect(value(admin, 'model').inputValue()).resolves.toBe('');
  });

  it('Close is refused with «Модель» named in words and the focus on it', async () => {
    await anna.getByTestId('close-dialog').click();
    const alert = anna.getByTestId('fields-required-alert');
    await alert.waitFor({ timeout: WAIT });
    await expect(alert.textContent()).resolves.toBe('Перед закрытием заполните поле «Модель».');
    await expect.poll(() => focusedKey(anna), { timeout: WAIT }).toBe('model');
    await expect(anna.getByTestId('dialog-status').getAttribute('data-status')).resolves.toBe('open');
    await noSidewaysOverflow(anna);
    await expect(cutInputs(anna, '.dialog-fields')).resolves.toEqual([]);
    await expect(cutLabels(anna)).resolves.toEqual([]);
    await shot(anna, 'fields-close-refused.png');
    reports.refused = await axeCheck(anna, 'dialog with its fields, a close refused');
  });

  it('«iphone 15» is kept as «IPHONE 15» — in the admin\'s tab too, live; «Телефон» picked', async () => {
    await value(anna, 'model').fill('iphone 15');
    await value(anna, 'model').press('Enter');
    await expect.poll(() => value(anna, 'model').inputValue(), { timeout: WAIT }).toBe('IPHONE 15');
    await alertGone(anna);
    await expect(fieldRow(anna, 'model').getByTestId('field-required-note').count()).resolves.toBe(0);
    await expect.poll(() => value(admin, 'model').inputValue(), { timeout: WAIT }).toBe('IPHONE 15');

    await value(anna, 'device').selectOption('Телефон');
    await expect.poll(async () => (await api('GET', `/api/v1/dialogs/${hisDialog}`)).fields, { timeout: WAIT }).toEqual({ model: 'IPHONE 15', device: 'Телефон' });
    // The server kept it before her console drew its answer: wait for that.
    await expect.poll(() => anna.getByTestId('fields-toggle').textContent(), { timeout: WAIT }).toBe('Поля2 из 2');
    await noSidewaysOverflow(anna);
    await shot(anna, 'fields-filled.png');
  });

  it('«Город» is set on his card', async () => {
    const card = anna.getByTestId('visitor-card');
    const section = card.getByTestId('card-fields');
    await section.waitFor({ timeout: WAIT });
    await expect(section.locator('h4').textContent()).resolves.toBe('Поля');
    const city = section.locator('[data-testid="field-value"][data-key="city"]');
    await expect(city.inputValue()).resolves.toBe('');
    await city.selectOption('Казань');
    await expect
      .poll(async () => (await api('GET', `/api/v1/dialogs/${hisDialog}/visitor`)).attributes.find((a: any) => a.name === 'city')?.value, { timeout: WAIT })
      .toBe('Казань');
    await expect(city.inputValue()).resolves.toBe('Казань');
    // Shown once: not again under the attributes.
    await expect(card.locator('[data-testid="card-attribute"][data-name="city"]').count()).resolves.toBe(0);
    await noSidewaysOverflow(anna);
    await expect(cutInputs(anna, '.card-vfields')).resolves.toEqual([]);
    await shot(anna, 'fields-card.png');
    reports.card = await axeCheck(anna, 'visitor card with a custom field');
  });

  it('closes now', async () => {
    await anna.getByTestId('close-dialog').click();
    await expect.poll(() => anna.getByTestId('dialog-status').getAttribute('data-status'), { timeout: WAIT }).toBe('closed');
    expect((await api('GET', `/api/v1/dialogs/${hisDialog}`)).status).toBe('closed');
  });

  it('her list filtered by «Устройство: Телефон» shows only his dialog', async () => {
    // Another visitor (his own browser: the first one's message would reopen his closed dialog).
    const other = await browser.newContext({ locale: 'ru-RU', viewport: LAPTOP });
    contexts.push(other);
    await visitorWrites(await other.newPage(), OTHER_TEXT);
    otherDialog = (await dialogOf(OTHER_TEXT)).id;
    await anna.getByTestId('status-all').click();
    const rows = () => anna.getByTestId('dialog-row').evaluateAll((els) => els.map((e) => e.getAttribute('data-dialog-id')).sort());
    await expect.poll(rows, { timeout: WAIT }).toEqual([hisDialog, otherDialog].sort());

    await anna.getByTestId('filters-toggle').click();
    const filter = anna.getByTestId('filter-field');
    await filter.waitFor({ timeout: WAIT });
    await expect(filter.locator('optgroup').evaluateAll((gs) => gs.map((g) => (g as HTMLOptGroupElement).label))).resolves.toEqual(['Устройство']);
    await expect(filter.locator('option').allTextContents()).resolves.toEqual(['Любое значение', 'Устройство: Телефон', 'Устройство: Ноутбук', 'Устройство: Планшет']);
    const asked = anna.waitForRequest((r) => r.url().includes('/api/v1/dialogs?') && decodeURIComponent(r.url()).includes('field=device:Телефон'), { timeout: WAIT });
    await filter.selectOption('device:Телефон');
    await asked;
    await expect.poll(rows, { timeout: WAIT }).toEqual([hisDialog]);
    await expect(anna.getByTestId('filters-count').textContent()).resolves.toContain('1');
    await noSidewaysOverflow(anna);
    await expect(cutInputs(anna, '.filter-panel')).resolves.toEqual([]);
    await shot(anna, 'fields-list-filter.png');
    reports.filter = await axeCheck(anna, 'dialog list filtered by a custom field');
  });

  it('axe finds nothing critical or serious', () => {
    const found: string[] = [];
    for (const [where, report] of Object.entries(reports)) {
      for (const v of blocking(report)) for (const n of v.nodes) found.push(`${where}: ${v.impact} ${v.id} ${n.target.join(' ')}`);
    }
    expect(Object.keys(reports).sort()).toEqual(['card', 'editor', 'filter', 'list', 'listEn', 'refused']);
    expect(found).toEqual([]);
  });

  it('no page logged an unexpected error', () => {
    // Expected: the console asks /me before signing in (401); the refused close (409).
    const expected = [/HTTP 401: GET \S+\/api\/v1\/me$/, /HTTP 409: POST \S+\/api\/v1\/dialogs\/[0-9a-f-]+\/close$/, /status of 40[19]/];
    const real = errors.filter((e) => !e.includes('favicon') && !expected.some((re) => re.test(e)));
    expect(real).toEqual([]);
  });
});

async function alertGone(page: Page): Promise<void> {
  await page.getByTestId('fields-required-alert').waitFor({ state: 'detached', timeout: WAIT });
}
