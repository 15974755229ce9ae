/**
 * Site user verification (issue 16) on the installation page, in a real browser against a real
 * server, in Russian (and English for the screenshots), the admin at 1366×768.
 *
 * The admin opens Integrations → «Установка виджета»: the section «Проверка пользователей сайта»
 * shows the site's identity secret masked (not in the page at all); «Показать» shows the very
 * secret `GET /api/v1/sites/{id}/identity` gives Node, «Копировать» puts it on the clipboard, and
 * a hash Node computes with it as the site's server would lets `/widget/v1/session` name the user
 * (screenshot, axe). He turns «Требовать подпись (hash)» off: the API says `required: false`, the
 * plain warning shows, and an identify without a hash is let in (screenshot, axe); on again: the
 * API says `required: true`, the warning is gone and that identify is refused. «Сменить секрет»
 * asks first and says what breaks (screenshot, axe); cancelled, nothing changes; confirmed, the
 * page shows the new secret, the API gives the same, the old hash is refused and a new one works
 * (screenshot). The same in English (screenshots). Screenshots go to ../artifacts/screenshots/.
 */
import { createHmac } from 'node:crypto';
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { axeCheck, blocking, type AxeReport } from './axe';
import { launchBrowser, watchErrors } from './browser';
import { adminSession, reportFailure, shot, signIn, WAIT, type AdminApi } from './helpers';
import { startServer, type RunningServer } from './server';

const USER = 'shop-user-42';

let server: RunningServer;
let browser: Browser;
let context: BrowserContext;
let admin: Page;
let api: AdminApi;
let siteId = '';
let siteKey = '';
let firstSecret = '';
const errors: string[] = [];
const reports: Record<string, AxeReport> = {};

const section = (): Locator => admin.getByTestId('identity-section');
const secretField = (): Locator => admin.getByTestId('identity-secret');
const identity = (): Promise<{ secret: string; required: boolean }> => api('GET', `/api/v1/sites/${siteId}/identity`);
const hmac = (secret: string, userId: string) => createHmac('sha256', secret).update(String(userId)).digest('hex');

/** The page of the site naming its signed-in user to the widget: the session call the widget makes. */
async function identify(userId: string, hash?: string): Promise<{ status: number; json: any }> {
  const r = await fetch(`${server.origin}/widget/v1/session`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: server.origin },
    body: JSON.stringify({ key: siteKey, user_id: userId, ...(hash === undefined ? {} : { user_hash: hash }) }),
  });
  const text = await r.text();
  return { status: r.status, json: text ? JSON.parse(text) : null };
}

/** Nothing sticks out sideways: not the page, not the admin page's area, not a card. */
async function noSidewaysOverflow(page: Page): Promise<void> {
  const wide = await page.evaluate(() =>
    [document.documentElement, ...document.querySelectorAll<HTMLElement>('.admin-page, .admin-card, .app-header, .admin-nav, .page-tabs, .modal')]
      .filter((el) => el.scrollWidth > el.clientWidth + 1)
      .map((el) => `${el.className}: ${el.scrollWidth} > ${el.clientWidth}`),
  );
  expect(wide).toEqual([]);
}

/**
 * The section in sight (it is below the four steps, taller than 768 pixels less the header),
 * then a screenshot: the window grows to show it whole, and comes back.
 */
async function shotSection(name: string): Promise<void> {
  await admin.setViewportSize({ width: 1366, height: 1080 });
  try {
    await section().evaluate((el) => el.scrollIntoView({ block: 'end' }));
    await noSidewaysOverflow(admin);
    await shot(admin, name);
  } finally {
    await admin.setViewportSize({ width: 1366, height: 768 });
  }
}

/** Switches the console's language and waits for the section's title to read `title`. */
async function setLang(lang: 'ru' | 'en', title: string): Promise<void> {
  await admin.getByTestId(`lang-${lang}`).click();
  await expect.poll(() => section().locator('h2').textContent(), { timeout: WAIT }).toBe(title);
}

/** Flips «Требовать подпись» and waits until the server's answer shows. */
async function flip(to: boolean): Promise<void> {
  await admin.getByTestId('identity-required').click();
  await expect.poll(() => admin.getByTestId('identity-required').isChecked(), { timeout: WAIT }).toBe(to);
  await expect.poll(() => admin.getByTestId('identity-required').isDisabled(), { timeout: WAIT }).toBe(false);
}

describe('site user verification: the secret shown and copied, the requirement switched, the secret rotated', () => {
  beforeAll(async () => {
    server = await startServer();
    api = (await adminSession(server)).api;
    const sites = await api('GET', '/api/v1/sites');
    siteId = sites.items[0].id;
    siteKey = sites.items[0].key;
    browser = await launchBrowser();
    context = await browser.newContext({ locale: 'ru-RU', viewport: { width: 1366, height: 768 } });
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: server.origin });
    admin = await context.newPage();
    watchErrors(admin, 'admin', errors);
  });

  beforeEach(({ onTestFailed }) => onTestFailed(reportFailure(errors, server)));

  afterAll(async () => {
    await context?.close().catch(() => {});
    await browser?.close().catch(() => {});
    await server?.stop();
  });

  it('the secret is masked; «Показать» shows the one the API gives, «Копировать» copies it, and its hash names a user', async () => {
    await signIn(admin, server);
    await admin.getByTestId('nav-install').click();
    await admin.getByTestId('admin-install').waitFor({ timeout: WAIT });
    await secretField().waitFor({ timeout: WAIT });
    await expect(section().getAttribute('data-site-id')).resolves.toBe(siteId);
    await expect(section().locator('h2').textContent()).resolves.toBe('Проверка пользователей сайта');

    const server1 = await identity();
    firstSecret = server1.secret;
    expect(firstSecret.length).toBeGreaterThanOrEqual(32);
    expect(server1.required).toBe(true);

    // Masked: dots, and the secret nowhere in the page.
    await expect(secretField().getAttribute('data-masked')).resolves.toBe('true');
    await expect(secretField().inputValue()).resolves.toMatch(/^•+$/);
    await expect(admin.evaluate((s) => document.documentElement.outerHTML.includes(s), firstSecret)).resolves.toBe(false);
    await expect(admin.getByTestId('identity-required').isChecked()).resolves.toBe(true);
    await expect(admin.getByTestId('identity-warning').count()).resolves.toBe(0);

    await admin.getByTestId('identity-show').click();
    await expect.poll(() => secretField().inputValue(), { timeout: WAIT }).toBe(firstSecret);
    await expect(admin.getByTestId('identity-show').textContent()).resolves.toBe('Скрыть');
    // The whole secret fits its field.
    await expect(secretField().evaluate((el: HTMLInputElement) => el.scrollWidth <= el.clientWidth)).resolves.toBe(true);

    await admin.getByTestId('identity-copy').click();
    await expect.poll(() => admin.getByTestId('identity-copy').textContent(), { timeout: WAIT }).toBe('Скопировано');
    await expect(admin.evaluate(() => navigator.clipboard.readText())).resolves.toBe(firstSecret);

    // The code for the site's developers names the calls, never the secret itself.
    const code = await admin.getByTestId('identity-code-server').inputValue();
    expect(code).toContain("crypto.createHmac('sha256', SECRET).update(String(userId)).digest('hex')");
    expect(code).not.toContain(firstSecret);
    await expect(admin.getByTestId('identity-code-page').inputValue()).resolves.toContain('Frontline.identify(userId, { hash });');
    await expect(admin.getByTestId('identity-more').textContent()).resolves.toContain('docs/widget.md');

    // The secret as shown is the one that works: the hash the site's server would compute.
    const named = await identify(USER, hmac(firstSecret, USER));
    expect(named.status, JSON.stringify(named.json)).toBe(200);
    expect((await identify(USER)).json?.code).toBe('identity_refused');

    await shotSection('site-identity-1366.png');
    reports.shown = await axeCheck(admin, 'installation page with site user verification');

    // Hidden again: gone from the page.
    await admin.getByTestId('identity-show').click();
    await expect.poll(() => secretField().getAttribute('data-masked'), { timeout: WAIT }).toBe('true');
    await expect(admin.evaluate((s) => document.documentElement.outerHTML.includes(s), firstSecret)).resolves.toBe(false);
  });

  it('off: the API says so, the warning shows, an identify without a hash is let in; on again: refused', async () => {
    await flip(false);
    await expect.poll(async () => (await identity()).required, { timeout: WAIT }).toBe(false);
    await expect(admin.getByTestId('identity-required-state').textContent()).resolves.toBe('Выключено');
    await expect(admin.getByTestId('identity-saved').textContent()).resolves.toBe('Сохранено');
    await expect(admin.getByTestId('identity-warning').textContent()).resolves.toContain(
      'любой, кто знает ID пользователя вашего сайта, может назваться им в виджете и прочитать его переписку',
    );
    expect((await identify('shop-user-77')).status).toBe(200);
    // A wrong hash is refused even so.
    expect((await identify('shop-user-77', hmac('not the secret', 'shop-user-77'))).json?.code).toBe('identity_refused');
    await shotSection('site-identity-off-1366.png');
    reports.off = await axeCheck(admin, 'site user verification, the requirement off');

    await flip(true);
    await expect.poll(async () => (await identity()).required, { timeout: WAIT }).toBe(true);
    await expect(admin.getByTestId('identity-warning').count()).resolves.toBe(0);
    await expect(admin.getByTestId('identity-required-state').textContent()).resolves.toBe('Включено');
    const refused = await identify('shop-user-77');
    expect(refused.status).toBe(403);
    expect(refused.json.code).toBe('identity_refused');
    // The secret did not change.
    expect((await identity()).secret).toBe(firstSecret);
  });

  it('«Сменить секрет» asks first; cancelled, nothing changes; confirmed, the new secret shows and the old hash is refused', async () => {
    await admin.getByTestId('identity-rotate').click();
    const dialog = admin.getByTestId('identity-rotate-dialog');
    await dialog.waitFor({ timeout: WAIT });
    await expect(dialog.locator('h2').textContent()).resolves.toMatch(/^Сменить секрет сайта «.+»\?$/);
    await expect(dialog.locator('li').allTextContents()).resolves.toEqual([
      'Подписи, посчитанные со старым секретом, сразу перестанут приниматься.',
      'Пока сервер сайта не начнёт подписывать новым секретом, виджет будет отказывать вошедшим пользователям: они не увидят свою переписку.',
      'Сразу после смены скопируйте новый секрет в настройки сервера сайта.',
    ]);
    await expect
      .poll(() => admin.evaluate(() => document.activeElement?.getAttribute('data-testid')), { timeout: WAIT })
      .toBe('identity-rotate-cancel');
    await noSidewaysOverflow(admin);
    await shot(admin, 'site-identity-rotate-ask-1366.png');
    reports.ask = await axeCheck(admin, 'rotate secret dialog');

    await admin.getByTestId('identity-rotate-cancel').click();
    await dialog.waitFor({ state: 'detached', timeout: WAIT });
    expect((await identity()).secret).toBe(firstSecret);
    await expect(secretField().getAttribute('data-masked')).resolves.toBe('true');

    await admin.getByTestId('identity-rotate').click();
    await admin.getByTestId('identity-rotate-confirm').click();
    await admin.getByTestId('identity-rotated').waitFor({ timeout: WAIT });
    await dialog.waitFor({ state: 'detached', timeout: WAIT });
    const now = await identity();
    expect(now.secret).not.toBe(firstSecret);
    expect(now.required).toBe(true);
    await expect(secretField().inputValue()).resolves.toBe(now.secret);
    await expect(admin.evaluate((s) => document.documentElement.outerHTML.includes(s), firstSecret)).resolves.toBe(false);

    const old = await identify(USER, hmac(firstSecret, USER));
    expect(old.status).toBe(403);
    expect(old.json.code).toBe('identity_refused');
    expect((await identify(USER, hmac(now.secret, USER))).status).toBe(200);
    await shotSection('site-identity-rotated-1366.png');

    // After a reload: masked again, the new secret behind «Показать».
    await admin.reload();
    await secretField().waitFor({ timeout: WAIT });
    await expect(secretField().getAttribute('data-masked')).resolves.toBe('true');
    await admin.getByTestId('identity-show').click();
    await expect.poll(() => secretField().inputValue(), { timeout: WAIT }).toBe(now.secret);
  });

  it('in English: the section, the warning and the dialog', async () => {
    await setLang('en', 'Site user verification');
    await expect(admin.getByTestId('identity-show').textContent()).resolves.toBe('Hide');
    await expect(admin.getByTestId('identity-copy').textContent()).resolves.toBe('Copy');
    await expect(section().locator('.identity-switch-label').textContent()).resolves.toBe('Require the hash');
    await expect(admin.getByTestId('identity-code-server').inputValue()).resolves.toContain('// The secret stays on the server and never reaches the browser.');
    await admin.getByTestId('identity-show').click();
    await expect.poll(() => secretField().getAttribute('data-masked'), { timeout: WAIT }).toBe('true');
    await shotSection('site-identity-en-1366.png');

    await flip(false);
    await expect(admin.getByTestId('identity-warning').textContent()).resolves.toContain('anyone who knows a user ID of your site can claim to be that user');
    await shotSection('site-identity-off-en-1366.png');
    await flip(true);
    expect((await identity()).required).toBe(true);

    await admin.getByTestId('identity-rotate').click();
    const dialog = admin.getByTestId('identity-rotate-dialog');
    await dialog.waitFor({ timeout: WAIT });
    await expect(dialog.locator('h2').textContent()).resolves.toMatch(/^Rotate the secret of “.+”\?$/);
    await noSidewaysOverflow(admin);
    await shot(admin, 'site-identity-rotate-ask-en-1366.png');
    await admin.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached', timeout: WAIT });
    await setLang('ru', 'Проверка пользователей сайта');
  });

  it('axe finds nothing critical or serious', () => {
    const found: string[] = [];
    for (const [where, report] of Object.entries(reports)) {
      for (const v of blocking(report)) for (const n of v.nodes) found.push(`${where}: ${v.impact} ${v.id} ${n.target.join(' ')}`);
    }
    expect(Object.keys(reports).sort()).toEqual(['ask', 'off', 'shown']);
    expect(found).toEqual([]);
  });

  it('no page logged an unexpected error', () => {
    // Expected: the console asks /me before signing in (401).
    const expected = [/HTTP 401: GET \S+\/api\/v1\/me$/, /status of 401/];
    const real = errors.filter((e) => !e.includes('favicon') && !expected.some((re) => re.test(e)));
    expect(real).toEqual([]);
  });
});
