/**
 * An operator's life in a real browser against a real server, in Russian at 1366×768.
 *
 * The admin adds Ольга and two colleagues (over REST, as the other tests set up their people);
 * she signs in in a second browser. From the operators page (screenshot) the admin makes her an
 * admin (her console shows the role and the admin pages without a reload), then a supervisor
 * while she is on the audit log (she is moved to the dialogs, with a word why); the admin's top
 * bar keeps every page link whole at 1366 px. He resets her password: the dialog shows the new
 * one once (screenshot) and her console goes to the sign-in form. She signs in with it, and in
 * a third browser too; on her Security page a wrong current password is refused beside its
 * field (screenshot), then she changes it (the third browser is signed out), signs in there
 * again and ends that session from the list (screenshot). The admin deactivates her after a
 * confirmation that says what happens (screenshot): her console goes to the sign-in form at
 * once, her row is greyed, marked and last (screenshot); her attempts to sign in fail, then are
 * refused for a while with the wait in words. The audit log lists all of it in sentences
 * (screenshot). Screenshots go to ../artifacts/screenshots/.
 */
import { mkdirSync } from 'node:fs';
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { launchBrowser, watchErrors } from './browser';
import { adminSession, reportFailure, shot, shotsDir, signIn, WAIT } from './helpers';
import type { AdminApi } from './helpers';
import { startServer, type RunningServer } from './server';

const OLGA_EMAIL = 'olga@example.com';
const OLGA_NAME = 'Ольга Петрова';
const FIRST_PASSWORD = 'olga-first-password';
const OWN_PASSWORD = 'olga-own-password-2';

let server: RunningServer;
let browser: Browser;
const contexts: BrowserContext[] = [];
let admin: Page;
let olga: Page;
let olgaElsewhere: Page;
let api: AdminApi;
let olgaId = '';
let resetPassword = '';
const errors: string[] = [];

const olgaRow = (): Locator => admin.locator(`[data-testid="operator-row"][data-operator-id="${olgaId}"]`);
const roleShown = (page: Page) => page.locator('.app-user-role').textContent();

/** Nothing of a box is cut off sideways: its content fits its width. */
async function fitsSideways(locator: Locator): Promise<boolean> {
  return locator.evaluate((el) => el.scrollWidth <= el.clientWidth + 1);
}

/** Nothing sticks out sideways: not the page, not the admin page's area, not a card's content. */
async function noSidewaysOverflow(page: Page): Promise<void> {
  const wide = await page.evaluate(() =>
    [document.documentElement, ...document.querySelectorAll<HTMLElement>('.admin-page, .admin-card, .modal, .app-header')]
      .filter((el) => el.scrollWidth > el.clientWidth + 1)
      .map((el) => `${el.className}: ${el.scrollWidth} > ${el.clientWidth}`),
  );
  expect(wide).toEqual([]);
}

describe('an operator\'s life: role, password, sessions, deactivation, audit log', () => {
  beforeAll(async () => {
    mkdirSync(shotsDir, { recursive: true });
    server = await startServer();
    ({ api } = await adminSession(server));
    const created = await api('POST', '/api/v1/operators', {
      email: OLGA_EMAIL,
      display_name: OLGA_NAME,
      password: FIRST_PASSWORD,
      role: 'operator',
    });
    olgaId = created.id;
    // Colleagues, so the operators page shows what an admin usually sees.
    await api('POST', '/api/v1/operators', { email: 'boris@example.com', display_name: 'Борис Смирнов', password: FIRST_PASSWORD, role: 'operator' });
    await api('POST', '/api/v1/operators', { email: 'vera@example.com', display_name: 'Вера Иванова', password: FIRST_PASSWORD, role: 'supervisor' });

    browser = await launchBrowser();
    for (let i = 0; i < 3; i++) {
      contexts.push(await browser.newContext({ locale: 'ru-RU', viewport: { width: 1366, height: 768 } }));
    }
    await contexts[0].grantPermissions(['clipboard-read', 'clipboard-write']);
    [admin, olga, olgaElsewhere] = await Promise.all(contexts.map((c) => c.newPage()));
    watchErrors(admin, 'admin', errors);
    watchErrors(olga, 'olga', errors);
    watchErrors(olgaElsewhere, 'olga-2', errors);
  });

  beforeEach(({ onTestFailed }) => onTestFailed(reportFailure(errors, server)));

  afterAll(async () => {
    for (const c of contexts) await c.close();
    await browser?.close();
    await server?.stop();
  });

  it('the admin and Ольга sign in; she is an operator without admin pages', async () => {
    await signIn(admin, server);
    await signIn(olga, server, OLGA_EMAIL, FIRST_PASSWORD);
    await expect(roleShown(olga)).resolves.toBe('Оператор');
    await expect(olga.getByTestId('nav-operators').count()).resolves.toBe(0);
    // Her name in the top bar leads to her Security page.
    await expect(olga.getByTestId('nav-account').getAttribute('title')).resolves.toBe('Профиль: имя, язык, пароль и сеансы');
    // The admin's navigation fits the top bar at 1366 px: no page link is cut off.
    expect(await fitsSideways(admin.getByTestId('admin-nav'))).toBe(true);
    await noSidewaysOverflow(admin);
  });

  it('a role change reaches her open console without a reload', async () => {
    await admin.getByTestId('nav-operators').click();
    await olgaRow().waitFor({ timeout: WAIT });
    // No selector and no access buttons for the admin himself.
    const own = admin.locator('[data-testid="operator-row"]').filter({ hasText: server.adminEmail });
    await expect(own.getByTestId('operator-role-select').count()).resolves.toBe(0);
    await expect(own.getByTestId('operator-deactivate').count()).resolves.toBe(0);

    await olgaRow().getByTestId('operator-role-select').selectOption('admin');
    await expect.poll(() => roleShown(olga), { timeout: WAIT }).toBe('Администратор');
    await olga.getByTestId('nav-operators').click();
    await olga.getByTestId('operators-tab-audit').click();
    await olga.getByTestId('admin-audit').waitFor({ timeout: WAIT });

    // Demoted while on an admin page: she is moved to the dialogs and told why.
    await olgaRow().getByTestId('operator-role-select').selectOption('supervisor');
    await expect.poll(() => roleShown(olga), { timeout: WAIT }).toBe('Старший оператор');
    await olga.getByTestId('dialog-list').waitFor({ timeout: WAIT });
    await expect(olga.getByTestId('dialog-notice').textContent()).resolves.toContain('Ваши права изменились');
    await expect(olga.getByTestId('nav-operators').count()).resolves.toBe(0);
    await olga.getByTestId('nav-tags').waitFor({ timeout: WAIT });
    expect(new URL(olga.url()).pathname).toBe('/console/');
  });

  it('a password reset shows the new password once and signs her out', async () => {
    await noSidewaysOverflow(admin);
    await shot(admin, 'lifecycle-operators-active.png');
    await olgaRow().getByTestId('operator-reset-password').click();
    const dialog = admin.getByTestId('reset-password-dialog');
    await dialog.waitFor({ timeout: WAIT });
    await expect(dialog.textContent()).resolves.toContain('сеансы оператора завершатся');
    await dialog.getByTestId('reset-password-confirm').click();
    const value = dialog.getByTestId('reset-password-value');
    await value.waitFor({ timeout: WAIT });
    resetPassword = await value.inputValue();
    expect(resetPassword.length).toBeGreaterThanOrEqual(8);
    await expect(dialog.getByTestId('reset-password-once').textContent()).resolves.toContain('показан только сейчас');
    await dialog.getByTestId('reset-password-copy').click();
    await expect(dialog.getByTestId('reset-password-copied').textContent()).resolves.toBe('Скопировано');
    expect(await fitsSideways(value)).toBe(true);
    await noSidewaysOverflow(admin);
    await shot(admin, 'lifecycle-reset-password.png');
    await dialog.getByTestId('reset-password-done').click();
    await dialog.waitFor({ state: 'detached', timeout: WAIT });
    await expect(admin.getByTestId('admin-operators').textContent()).resolves.not.toContain(resetPassword);

    // Her console is signed out at once.
    await olga.getByTestId('login-form').waitFor({ timeout: WAIT });
  });

  it('she signs in with it and changes it on her Security page', async () => {
    await signIn(olga, server, OLGA_EMAIL, resetPassword);
    await signIn(olgaElsewhere, server, OLGA_EMAIL, resetPassword);
    await olga.getByTestId('nav-account').click();
    await olga.getByTestId('admin-account').waitFor({ timeout: WAIT });
    expect(new URL(olga.url()).pathname).toBe('/console/account');
    await expect.poll(() => olga.getByTestId('session-row').count(), { timeout: WAIT }).toBe(2);

    // The repeat is checked here; a wrong current password is refused beside its field.
    await olga.getByTestId('security-current-password').fill('not-my-password');
    await olga.getByTestId('security-new-password').fill(OWN_PASSWORD);
    await olga.getByTestId('security-new-password-repeat').fill(`${OWN_PASSWORD}x`);
    await olga.getByTestId('security-change-password').click();
    const note = (field: string) => olga.locator(`[data-testid="field-error"][data-field="${field}"]`);
    await expect(note('new_password_repeat').textContent()).resolves.toBe('Пароли не совпадают.');
    await olga.getByTestId('security-new-password-repeat').fill(OWN_PASSWORD);
    await olga.getByTestId('security-change-password').click();
    await note('current_password').waitFor({ timeout: WAIT });
    await expect(note('current_password').textContent()).resolves.toBe('Текущий пароль указан неверно.');
    await noSidewaysOverflow(olga);
    await shot(olga, 'lifecycle-security-refused.png');

    await olga.getByTestId('security-current-password').fill(resetPassword);
    await olga.getByTestId('security-change-password').click();
    await expect(olga.getByTestId('password-changed').textContent({ timeout: WAIT })).resolves.toBe('Пароль изменён. Другие сеансы завершены.');
    // Her other browser was signed out by the change.
    await olgaElsewhere.getByTestId('login-form').waitFor({ timeout: WAIT });
    await expect.poll(() => olga.getByTestId('session-row').count(), { timeout: WAIT }).toBe(1);
  });

  it('she ends another session from the list', async () => {
    await signIn(olgaElsewhere, server, OLGA_EMAIL, OWN_PASSWORD);
    // Open the page anew: the list is read as it opens.
    await olga.getByTestId('nav-dialogs').click();
    await olga.getByTestId('nav-account').click();
    await expect.poll(() => olga.getByTestId('session-row').count(), { timeout: WAIT }).toBe(2);
    // The list shows the browsers' words, not a bare user-agent.
    const current = olga.locator('[data-testid="session-row"][data-current="true"]');
    await expect(current.getByTestId('session-current').textContent()).resolves.toBe('Этот сеанс');
    await expect(current.getByTestId('session-browser').textContent()).resolves.toMatch(/^Chrome( Headless)? \d+, Linux$/);
    await expect(current.textContent()).resolves.toContain('127.0.0.1');
    await noSidewaysOverflow(olga);
    await shot(olga, 'lifecycle-security.png');

    await olga.locator('[data-testid="session-row"]:not([data-current])').getByTestId('session-end').click();
    await olgaElsewhere.getByTestId('login-form').waitFor({ timeout: WAIT });
    await expect.poll(() => olga.getByTestId('session-row').count(), { timeout: WAIT }).toBe(1);
    await expect(olga.getByTestId('sessions-none').textContent()).resolves.toBe('Других сеансов нет.');
  });

  it('the admin deactivates her: she is signed out at once, her row greyed and last', async () => {
    await olgaRow().getByTestId('operator-deactivate').click();
    const dialog = admin.getByTestId('deactivate-dialog');
    await dialog.waitFor({ timeout: WAIT });
    const text = (await dialog.textContent()) ?? '';
    expect(text).toContain(OLGA_NAME);
    expect(text).toContain('закроются сразу');
    expect(text).toContain('вернутся в очередь или останутся назначенными');
    expect(text).toContain('История сохранится');
    await noSidewaysOverflow(admin);
    await shot(admin, 'lifecycle-deactivate.png');
    await dialog.getByTestId('deactivate-confirm').click();
    await dialog.waitFor({ state: 'detached', timeout: WAIT });

    await olga.getByTestId('login-form').waitFor({ timeout: WAIT });
    await expect.poll(() => olgaRow().getAttribute('data-deactivated'), { timeout: WAIT }).toBe('true');
    await expect(olgaRow().getByTestId('operator-deactivated').textContent()).resolves.toBe('Деактивирован');
    await expect(admin.locator('[data-testid="operator-row"]').last().getAttribute('data-operator-id')).resolves.toBe(olgaId);
    await olgaRow().getByTestId('operator-reactivate').waitFor({ timeout: WAIT });
    await noSidewaysOverflow(admin);
    await shot(admin, 'lifecycle-operators.png');
  });

  it('her sign-ins fail, then wait, and the form says how long', async () => {
    const error = olga.getByTestId('login-error');
    await olga.getByTestId('login-email').fill(OLGA_EMAIL);
    await olga.getByTestId('login-password').fill(OWN_PASSWORD);
    let text = '';
    for (let i = 0; i < 8 && !text.startsWith('Слишком много'); i++) {
      await Promise.all([
        olga.waitForResponse((r) => r.url().endsWith('/api/v1/auth/login'), { timeout: WAIT }),
        olga.getByTestId('login-submit').click(),
      ]);
      await error.waitFor({ timeout: WAIT });
      text = (await error.textContent()) ?? '';
      if (i === 0) expect(text).toBe('Неверный e-mail или пароль.');
    }
    expect(text).toMatch(/^Слишком много попыток входа\. Попробуйте через \d+ мин\.$/);
  });

  it('the audit log lists all of it in sentences, newest first', async () => {
    await admin.getByTestId('operators-tab-audit').click();
    await admin.getByTestId('audit-table').waitFor({ timeout: WAIT });
    const lines = async () => (await admin.getByTestId('audit-what').allTextContents()).map((s) => s.trim());
    await expect.poll(async () => (await lines()).length, { timeout: WAIT }).toBeGreaterThanOrEqual(8);
    const all = await lines();
    const expected = [
      `Деактивирован оператор ${OLGA_NAME}`,
      'Изменён собственный пароль',
      `Сброшен пароль оператора: ${OLGA_NAME}`,
      `Сменена роль оператора: ${OLGA_NAME} — «Администратор» → «Старший оператор»`,
      `Сменена роль оператора: ${OLGA_NAME} — «Оператор» → «Администратор»`,
      `Добавлен оператор ${OLGA_NAME}`,
    ];
    // In this order, newest first (the failed sign-ins come before all of them).
    const at = expected.map((s) => all.indexOf(s));
    expect(at.every((i) => i >= 0)).toBe(true);
    expect([...at].sort((a, b) => a - b)).toEqual(at);
    expect(all[0]).toBe(`Неудачная попытка входа: ${OLGA_EMAIL}`);
    const first = admin.getByTestId('audit-row').first();
    await expect(first.textContent()).resolves.toContain('127.0.0.1');
    const changed = admin.locator('[data-testid="audit-row"][data-action="password.changed"]');
    await expect(changed.textContent()).resolves.toContain(OLGA_NAME);
    await noSidewaysOverflow(admin);
    await shot(admin, 'lifecycle-audit-log.png');
  });
});
