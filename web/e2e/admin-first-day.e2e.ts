/**
 * A new team's first day on the admin side, in a real browser against a real server, in
 * Russian: the admin at 1366×768, a second admin (Вера) at 1920×1080.
 *
 * The admin adds Ольга from the operators page (name, e-mail, role, channels, capacity); the
 * first password is made in the browser and shown once (screenshots); Вера's open operators page
 * shows Ольга without a reload, and Ольга signs in with that password. The admin renames her and
 * raises her capacity: Вера's list and Ольга's own top bar follow at once. Ольга pins a saved
 * reply and switches her console to English on her profile page (screenshot); the choice comes
 * back from the server after her browser forgets it. The installation page gives the code with
 * the site key, refuses a bare host beside its input, saves an address, says the widget was not
 * seen yet, and after a visitor opens the demo page, where and when it was (screenshots). The
 * admin pins a reply from the saved-replies page (screenshot): Ctrl+1 inserts nothing, Ctrl+3
 * the pinned reply, and the "/" popup shows the number. Unsaved channel settings are asked about
 * before going to another page and before a reload (screenshot); a routing rule's bad regular
 * expression is refused in Russian (screenshot). Вера's installation, profile and operators
 * pages at 1920×1080 close it (screenshots). Screenshots go to ../artifacts/screenshots/.
 */
import { mkdirSync } from 'node:fs';
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { launchBrowser, watchErrors } from './browser';
import { adminSession, chatFrame, reportFailure, shot, shotsDir, signIn, WAIT } from './helpers';
import type { AdminApi } from './helpers';
import { startServer, type RunningServer } from './server';

const VERA_EMAIL = 'vera@example.com';
const VERA_PASSWORD = 'vera-first-password';
const OLGA_EMAIL = 'olga@example.com';
const OLGA_NAME = 'Ольга Петрова';
const OLGA_RENAMED = 'Ольга Смирнова';
const VISITOR_TEXT = 'Здравствуйте! Сколько стоит доставка кухни в Тверь?';
const GREETING_BODY = 'Здравствуйте! Меня зовут {operator.first_name}, сейчас помогу.';

let server: RunningServer;
let browser: Browser;
const contexts: BrowserContext[] = [];
let admin: Page;
let vera: Page;
let olga: Page;
let visitor: Page;
let api: AdminApi;
let adminFirstName = '';
let olgaId = '';
let olgaPassword = '';
let defaultChannel = '';
let siteKey = '';
const replyIds: Record<string, string> = {};
const errors: string[] = [];

const rowOf = (page: Page, id: string): Locator => page.locator(`[data-testid="operator-row"][data-operator-id="${id}"]`);
const note = (page: Page, field: string): Locator => page.locator(`[data-testid="field-error"][data-field="${field}"]`);

/** Nothing sticks out sideways: not the page, not the admin page's area, not a card's content. */
async function noSidewaysOverflow(page: Page): Promise<void> {
  const wide = await page.evaluate(() =>
    [document.documentElement, ...document.querySelectorAll<HTMLElement>('.admin-page, .admin-card, .modal, .app-header, .admin-nav')]
      .filter((el) => el.scrollWidth > el.clientWidth + 1)
      .map((el) => `${el.className}: ${el.scrollWidth} > ${el.clientWidth}`),
  );
  expect(wide).toEqual([]);
}

describe('the admin\'s first day: people, profile, installation, unsaved changes, errors in Russian', () => {
  beforeAll(async () => {
    mkdirSync(shotsDir, { recursive: true });
    server = await startServer();
    const session = await adminSession(server);
    api = session.api;
    adminFirstName = String(session.me.operator.display_name).trim().split(/\s+/)[0];
    await api('POST', '/api/v1/operators', { email: VERA_EMAIL, display_name: 'Вера Иванова', password: VERA_PASSWORD, role: 'admin' });
    replyIds.greeting = (await api('POST', '/api/v1/saved-replies', { scope: 'workspace', title: 'Приветствие', body: GREETING_BODY })).id;
    replyIds.delivery = (await api('POST', '/api/v1/saved-replies', { scope: 'workspace', title: 'Доставка', body: 'Доставка по области — 2 000 ₽.' })).id;
    defaultChannel = (await api('GET', '/api/v1/channels')).items.find((c: { is_default: boolean }) => c.is_default).id;
    siteKey = (await api('GET', '/api/v1/sites')).items[0].key;

    browser = await launchBrowser();
    const sizes = [
      { width: 1366, height: 768 },
      { width: 1920, height: 1080 },
      { width: 1366, height: 768 },
      { width: 1366, height: 768 },
    ];
    for (const viewport of sizes) contexts.push(await browser.newContext({ locale: 'ru-RU', viewport }));
    await contexts[0].grantPermissions(['clipboard-read', 'clipboard-write']);
    [admin, vera, olga, visitor] = await Promise.all(contexts.map((c) => c.newPage()));
    watchErrors(admin, 'admin', errors);
    watchErrors(vera, 'vera', errors);
    watchErrors(olga, 'olga', errors);
    watchErrors(visitor, 'visitor', errors);
  });

  beforeEach(({ onTestFailed }) => onTestFailed(reportFailure(errors, server)));

  afterAll(async () => {
    for (const c of contexts) await c.close().catch(() => {});
    await browser?.close().catch(() => {});
    await server?.stop();
  });

  it('the admin adds Ольга; the password is shown once; Вера sees her at once; she signs in with it', async () => {
    await signIn(admin, server);
    await signIn(vera, server, VERA_EMAIL, VERA_PASSWORD);
    await vera.getByTestId('nav-operators').click();
    await vera.getByTestId('admin-operators').waitFor({ timeout: WAIT });

    // The installation page has its place in the admin's navigation, which still fits at 1366 px.
    await admin.getByTestId('nav-install').waitFor({ timeout: WAIT });
    await noSidewaysOverflow(admin);

    await admin.getByTestId('nav-operators').click();
    await admin.getByTestId('operator-add').click();
    const form = admin.getByTestId('operator-dialog');
    await form.waitFor({ timeout: WAIT });
    // Refused here, in Russian, beside the fields.
    await form.getByTestId('operator-form-email').fill('olga');
    await form.getByTestId('operator-form-save').click();
    await expect(note(admin, 'display_name').textContent()).resolves.toBe('Заполните это поле.');
    await expect(note(admin, 'email').textContent()).resolves.toBe('Укажите e-mail, например anna@example.com.');

    await form.getByTestId('operator-form-name').fill(OLGA_NAME);
    await form.getByTestId('operator-form-email').fill(OLGA_EMAIL);
    await expect(form.locator(`[data-testid="operator-form-channel"][data-channel-id="${defaultChannel}"]`).isChecked()).resolves.toBe(true);
    await expect(form.getByTestId('operator-form-capacity').inputValue()).resolves.toBe('4');
    await noSidewaysOverflow(admin);
    await shot(admin, 'first-day-add-operator-1366.png');
    await form.getByTestId('operator-form-save').click();

    const added = admin.getByTestId('operator-added-dialog');
    await added.waitFor({ timeout: WAIT });
    olgaPassword = await added.getByTestId('operator-added-password').inputValue();
    expect(olgaPassword).toMatch(/^[a-km-zA-HJ-NP-Z2-9]{4}(?:-[a-km-zA-HJ-NP-Z2-9]{4}){3}$/);
    await expect(added.getByTestId('operator-added-once').textContent()).resolves.toContain('Пароль показан только сейчас');
    await expect(added.getByTestId('operator-added-followup').count()).resolves.toBe(0);
    await added.getByTestId('operator-added-copy').click();
    await expect(added.getByTestId('operator-added-copied').textContent()).resolves.toBe('Скопировано');
    await expect(admin.evaluate(() => navigator.clipboard.readText())).resolves.toBe(olgaPassword);
    await noSidewaysOverflow(admin);
    await shot(admin, 'first-day-password-1366.png');
    await added.getByTestId('operator-added-done').click();
    await added.waitFor({ state: 'detached', timeout: WAIT });
    await expect(admin.getByTestId('admin-operators').textContent()).resolves.not.toContain(olgaPassword);

    const listed = (await api('GET', '/api/v1/operators')).items.find((o: { email: string }) => o.email === OLGA_EMAIL);
    olgaId = listed.id;
    expect(listed).toMatchObject({ display_name: OLGA_NAME, role: 'operator', capacity: 4 });
    const members = (await api('GET', `/api/v1/channels/${defaultChannel}/members`)).items.map((o: { id: string }) => o.id);
    expect(members).toContain(olgaId);

    // Вера's page was open all along: Ольга is there without a reload.
    await rowOf(vera, olgaId).waitFor({ timeout: WAIT });

    await signIn(olga, server, OLGA_EMAIL, olgaPassword);
  });

  it('renaming Ольга and raising her capacity reach Вера\'s list and Ольга\'s own top bar at once', async () => {
    await rowOf(admin, olgaId).getByTestId('operator-edit').click();
    const form = admin.getByTestId('operator-dialog');
    await form.waitFor({ timeout: WAIT });
    await expect(form.getByTestId('operator-form-name').inputValue()).resolves.toBe(OLGA_NAME);
    await form.getByTestId('operator-form-name').fill(OLGA_RENAMED);
    await form.getByTestId('operator-form-capacity').fill('6');
    await form.getByTestId('operator-form-save').click();
    await form.waitFor({ state: 'detached', timeout: WAIT });
    await expect(rowOf(admin, olgaId).getByTestId('operator-row-name').textContent()).resolves.toBe(OLGA_RENAMED);

    await expect.poll(() => rowOf(vera, olgaId).getByTestId('operator-row-name').textContent(), { timeout: WAIT }).toBe(OLGA_RENAMED);
    await expect.poll(() => rowOf(vera, olgaId).getByTestId('operator-capacity').textContent(), { timeout: WAIT }).toBe('6');
    await expect.poll(() => olga.getByTestId('operator-name').textContent(), { timeout: WAIT }).toBe(OLGA_RENAMED);
    // Her channels show in the list as chosen when she was added.
    await expect(rowOf(admin, olgaId).getByTestId('operator-channels').textContent()).resolves.toBe('Общий');
    await noSidewaysOverflow(admin);
    await shot(admin, 'first-day-operators-1366.png');
  });

  it('Ольга pins a reply and switches to English on her profile; the server keeps both', async () => {
    await olga.getByTestId('nav-account').click();
    await olga.getByTestId('admin-account').waitFor({ timeout: WAIT });
    await expect(olga.locator('[data-testid="admin-account"] h1').textContent()).resolves.toBe('Профиль');
    await expect(olga.getByTestId('shortcut-select').count()).resolves.toBe(9);
    await olga.getByTestId('shortcut-select').nth(1).selectOption(replyIds.delivery);
    await olga.getByTestId('profile-language').selectOption('en');
    await olga.getByTestId('profile-save').click();
    await expect.poll(() => olga.locator('[data-testid="admin-account"] h1').textContent(), { timeout: WAIT }).toBe('Profile');
    await expect(olga.getByTestId('profile-saved').textContent()).resolves.toBe('Saved');
    await noSidewaysOverflow(olga);
    await shot(olga, 'first-day-profile-en-1366.png');

    // Her browser forgets its language: the profile brings English back at the next start.
    await olga.evaluate(() => localStorage.clear());
    await olga.reload();
    await olga.getByTestId('admin-account').waitFor({ timeout: WAIT });
    await expect.poll(() => olga.locator('[data-testid="admin-account"] h1').textContent(), { timeout: WAIT }).toBe('Profile');
    await expect(olga.getByTestId('shortcut-select').nth(1).inputValue()).resolves.toBe(replyIds.delivery);
  });

  it('the installation page: the code, the allowed addresses, and whether the widget was seen', async () => {
    await admin.getByTestId('nav-install').click();
    await admin.getByTestId('admin-install').waitFor({ timeout: WAIT });
    await expect(admin.getByTestId('install-code').inputValue()).resolves.toBe(
      `<script src="${server.origin}/widget.js"\n        data-key="${siteKey}" async></script>`,
    );
    await expect(admin.getByTestId('install-key').inputValue()).resolves.toBe(siteKey);
    await expect(admin.getByTestId('install-settings-code').inputValue()).resolves.toContain('window.FrontlineSettings');
    await expect(admin.getByTestId('install-seen').getAttribute('data-seen')).resolves.toBe('false');
    await expect(admin.getByTestId('install-seen').textContent()).resolves.toBe('Пока не видели: откройте свой сайт с этим кодом и проверьте снова.');

    const before: string[] = (await api('GET', '/api/v1/sites')).items[0].allowed_origins;
    await admin.getByTestId('origin-add').click();
    const added = admin.getByTestId('origin-input').nth(before.length);
    await added.fill('shop.example.com');
    await admin.getByTestId('install-origins-save').click();
    await expect(note(admin, `allowed_origins[${before.length}]`).textContent()).resolves.toBe(
      'Адрес сайта со схемой и без пути, например https://shop.example.com.',
    );
    await added.fill('https://Shop.Example.com/');
    await admin.getByTestId('install-origins-save').click();
    await admin.getByTestId('install-origins-saved').waitFor({ timeout: WAIT });
    expect((await api('GET', '/api/v1/sites')).items[0].allowed_origins).toEqual([...before, 'https://shop.example.com']);

    // A visitor opens the demo page with the widget; "check installation" says where and when.
    await visitor.goto(server.demoUrl);
    await visitor.getByTestId('frontline-launcher').click();
    const input = chatFrame(visitor).getByTestId('composer-input');
    await input.waitFor({ timeout: WAIT });
    await input.fill(VISITOR_TEXT);
    await input.press('Enter');
    await chatFrame(visitor).locator('[data-testid="message"][data-author="visitor"][data-state="sent"]', { hasText: VISITOR_TEXT }).waitFor({ timeout: WAIT });

    await admin.getByTestId('install-check-button').click();
    await expect.poll(() => admin.getByTestId('install-seen').getAttribute('data-seen'), { timeout: WAIT }).toBe('true');
    await expect(admin.getByTestId('install-seen').textContent()).resolves.toContain(`Виджет последний раз видели на ${server.origin}`);
    await noSidewaysOverflow(admin);
    await shot(admin, 'first-day-install-1366.png');
  });

  it('a reply pinned on the saved-replies page: Ctrl+1 inserts nothing, Ctrl+3 the pinned one', async () => {
    await admin.getByTestId('nav-replies').click();
    const item = (id: string) => admin.locator(`[data-testid="reply-item"][data-reply-id="${id}"]`);
    await item(replyIds.greeting).click();
    await admin.getByTestId('reply-pin-select').selectOption('3');
    await expect.poll(() => item(replyIds.greeting).getByTestId('reply-pin').textContent(), { timeout: WAIT }).toBe('Ctrl+3');
    await expect(item(replyIds.delivery).getByTestId('reply-pin').count()).resolves.toBe(0);
    await noSidewaysOverflow(admin);
    await shot(admin, 'first-day-replies-1366.png');

    await admin.getByTestId('nav-dialogs').click();
    const row = admin.locator('[data-testid="dialog-row"]', { hasText: VISITOR_TEXT });
    await row.waitFor({ timeout: WAIT });
    await row.click();
    const composer = admin.getByTestId('composer-input');
    await composer.waitFor({ timeout: WAIT });
    await composer.press('Control+1');
    await expect(composer.inputValue()).resolves.toBe('');
    await composer.press('Control+3');
    await expect.poll(() => composer.inputValue(), { timeout: WAIT }).toBe(`Здравствуйте! Меня зовут ${adminFirstName}, сейчас помогу.`);
    await composer.fill('/');
    const popup = admin.getByTestId('saved-replies-popup');
    await popup.waitFor({ timeout: WAIT });
    await expect(popup.getByTestId('saved-reply-option').filter({ hasText: 'Приветствие' }).textContent()).resolves.toContain('Ctrl+3');
    await expect(popup.getByTestId('saved-reply-option').filter({ hasText: 'Доставка' }).textContent()).resolves.not.toContain('Ctrl+');
    await composer.press('Escape');
    await composer.fill('');
  });

  it('unsaved channel settings are asked about before another page and before a reload', async () => {
    await admin.getByTestId('nav-channels').click();
    await admin.getByTestId('channel-editor').waitFor({ timeout: WAIT });
    // One Save for the settings and the members.
    await expect(admin.getByTestId('channel-save').count()).resolves.toBe(1);
    await expect(admin.getByTestId('channel-members-save').count()).resolves.toBe(0);
    const greeting = admin.getByTestId('channel-greeting');
    await greeting.fill('Добрый день! Мы на связи с 9 до 21.');
    await admin.getByTestId('nav-rules').click();
    const ask = admin.getByTestId('leave-dialog');
    await ask.waitFor({ timeout: WAIT });
    await expect(ask.textContent()).resolves.toContain('несохранённые изменения');
    await noSidewaysOverflow(admin);
    await shot(admin, 'first-day-unsaved-1366.png');
    await ask.getByTestId('leave-stay').click();
    await ask.waitFor({ state: 'detached', timeout: WAIT });
    expect(new URL(admin.url()).pathname).toBe('/console/admin/channels');
    await expect(greeting.inputValue()).resolves.toBe('Добрый день! Мы на связи с 9 до 21.');

    // The browser asks before a reload; "stay" keeps the text.
    const asked = new Promise<string>((done) =>
      admin.once('dialog', (d) => {
        done(d.type());
        void d.dismiss();
      }),
    );
    void admin.reload({ timeout: 5_000 }).catch(() => {});
    await expect(asked).resolves.toBe('beforeunload');
    await expect(greeting.inputValue()).resolves.toBe('Добрый день! Мы на связи с 9 до 21.');

    await admin.getByTestId('nav-rules').click();
    await ask.getByTestId('leave-discard').click();
    await admin.getByTestId('admin-rules').waitFor({ timeout: WAIT });
  });

  it('a routing rule\'s bad regular expression is refused in Russian, not in the server\'s English', async () => {
    await admin.getByTestId('rules-form').waitFor({ timeout: WAIT });
    await admin.getByTestId('rule-add').click();
    const rule = admin.getByTestId('rule').last();
    await rule.getByTestId('rule-name').fill('Тверь');
    await rule.getByTestId('condition-pattern').fill('tver([');
    await rule.getByTestId('condition-regex').check();
    await admin.getByTestId('rules-save').click();
    const error = admin.getByTestId('rules-error');
    await error.waitFor({ timeout: WAIT });
    const text = (await error.textContent()) ?? '';
    expect(text).toContain('Правило 1, условие 1');
    expect(text).toContain('Это не регулярное выражение');
    expect(text).not.toMatch(/not a valid|regular expression/);
    await noSidewaysOverflow(admin);
    await shot(admin, 'first-day-rule-error-1366.png');
  });

  it('Вера\'s installation, profile and operators pages at 1920×1080', async () => {
    await vera.getByTestId('nav-install').click();
    await vera.getByTestId('install-seen').waitFor({ timeout: WAIT });
    await expect(vera.getByTestId('install-seen').getAttribute('data-seen')).resolves.toBe('true');
    await noSidewaysOverflow(vera);
    await shot(vera, 'first-day-install-1920.png');

    await vera.getByTestId('nav-account').click();
    await vera.getByTestId('profile-form').waitFor({ timeout: WAIT });
    await vera.getByTestId('shortcut-select').nth(0).selectOption(replyIds.greeting);
    await vera.getByTestId('profile-name').fill('');
    await vera.getByTestId('profile-save').click();
    await expect(note(vera, 'display_name').textContent()).resolves.toBe('Заполните это поле.');
    await vera.getByTestId('profile-name').fill('Вера Иванова');
    await vera.getByTestId('profile-save').click();
    await vera.getByTestId('profile-saved').waitFor({ timeout: WAIT });
    await noSidewaysOverflow(vera);
    await shot(vera, 'first-day-profile-1920.png');

    await vera.getByTestId('nav-operators').click();
    await rowOf(vera, olgaId).waitFor({ timeout: WAIT });
    await noSidewaysOverflow(vera);
    await shot(vera, 'first-day-operators-1920.png');
    expect(errors.filter((e) => /exception/.test(e))).toEqual([]);
  });
});
