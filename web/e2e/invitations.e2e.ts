/**
 * Inviting operators end to end, in a real browser against a real server, in Russian (and
 * English once), at 1366×768.
 *
 * The admin opens «Операторы»: «Пригласить» stands beside «Добавить оператора», and the list of
 * invitations is empty, saying what an invitation does. He invites «Ольга» as an operator; the
 * workspace has no mail set up, so the dialog shows the link once (screenshot), he copies it and
 * the clipboard holds it; the list says «Ожидает» (screenshot). A second browser opens the link:
 * the secret leaves the address bar, the page says «Вас приглашают в «Demo»» with her e-mail
 * and role (screenshot); a short password is refused beside its field, then she sets hers and
 * lands in the console signed in as Ольга. Back at his window the admin sees «Принято» and her
 * among the operators, in the default channel, and the audit log says who was invited. Inviting her address again is refused beside the e-mail. He
 * invites «Борис» and revokes it: a third browser opening that link is told it no longer works,
 * with the way to the sign-in form (screenshot, and once in English). The operators page once in
 * English (screenshot). axe on every page shown; screenshots in ../artifacts/screenshots/.
 */
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { axeCheck, blocking, type AxeReport } from './axe';
import { launchBrowser, watchErrors } from './browser';
import { adminSession, reportFailure, shot, signIn, WAIT, type AdminApi } from './helpers';
import { startServer, type RunningServer } from './server';

const OLGA_EMAIL = 'olga@example.com';
const OLGA = 'Ольга';
const OLGA_PASSWORD = 'olga-own-password';
const BORIS_EMAIL = 'boris@example.com';
const BORIS = 'Борис';
const LAPTOP = { width: 1366, height: 768 };

let server: RunningServer;
let browser: Browser;
const contexts: BrowserContext[] = [];
let admin: Page;
let olga: Page;
let stranger: Page;
let api: AdminApi;
let workspace = '';
let defaultChannel = '';
let olgaLink = '';
let borisLink = '';
const errors: string[] = [];
const reports: Record<string, AxeReport> = {};

const invitationRow = (email: string): Locator => admin.locator('[data-testid="invitation-row"]').filter({ hasText: email });

/** Nothing sticks out sideways: not the page, the admin page, its cards, a modal, the invitation card. */
async function noSidewaysOverflow(page: Page): Promise<void> {
  const wide = await page.evaluate(() =>
    [document.documentElement, ...document.querySelectorAll<HTMLElement>('.admin-page, .admin-card, .app-header, .modal, .login-card, .invitations-table')]
      .filter((el) => el.scrollWidth > el.clientWidth + 1)
      .map((el) => `${el.className}: ${el.scrollWidth} > ${el.clientWidth}`),
  );
  expect(wide).toEqual([]);
}

/** Fields whose text does not fit them (a cut value, label or placeholder). */
async function cutText(page: Page, scope: string): Promise<string[]> {
  return page.evaluate(
    (sel) =>
      [...document.querySelectorAll<HTMLElement>(`${sel} input:not([type="hidden"]):not([hidden]), ${sel} textarea, ${sel} .btn, ${sel} th`)]
        .filter((el) => el.offsetParent !== null)
        .filter((el) => el.scrollWidth > el.clientWidth + 1 || el.scrollHeight > el.clientHeight + 1)
        .map((el) => `${el.getAttribute('data-testid') ?? el.tagName}: «${(el as HTMLInputElement).value ?? el.textContent}»`),
    scope,
  );
}

/** The admin invites someone from the operators page; resolves to the link the dialog shows once. */
async function invite(email: string, name: string): Promise<string> {
  await admin.getByTestId('operator-invite').click();
  const dialog = admin.getByTestId('invite-dialog');
  await dialog.waitFor({ timeout: WAIT });
  await dialog.getByTestId('invite-email').fill(email);
  await dialog.getByTestId('invite-name').fill(name);
  await dialog.getByTestId('invite-role').selectOption('operator');
  await dialog.getByTestId('invite-submit').click();
  const made = admin.getByTestId('invite-made-dialog');
  await made.waitFor({ timeout: WAIT });
  return made.getByTestId('invite-link').inputValue();
}

describe('inviting operators: a link, a password of her own, the console signed in; a revoked link', () => {
  beforeAll(async () => {
    server = await startServer();
    let me: any;
    ({ api, me } = await adminSession(server));
    workspace = me.workspace.name;
    defaultChannel = (await api('GET', '/api/v1/channels')).items.find((c: { is_default: boolean }) => c.is_default).name;
    browser = await launchBrowser();
    for (let i = 0; i < 3; i++) contexts.push(await browser.newContext({ locale: 'ru-RU', viewport: LAPTOP }));
    await contexts[0].grantPermissions(['clipboard-read', 'clipboard-write'], { origin: server.origin });
    [admin, olga, stranger] = await Promise.all(contexts.map((c) => c.newPage()));
    watchErrors(admin, 'admin', errors);
    watchErrors(olga, 'olga', errors);
    watchErrors(stranger, 'stranger', errors);
  });

  beforeEach(({ onTestFailed }) => onTestFailed(reportFailure(errors, server)));

  afterAll(async () => {
    for (const c of contexts) await c.close().catch(() => {});
    await browser?.close().catch(() => {});
    await server?.stop();
  });

  it('the operators page offers «Пригласить» beside «Добавить оператора»; no invitations yet', async () => {
    await signIn(admin, server);
    await admin.getByTestId('nav-operators').click();
    await admin.getByTestId('admin-operators').waitFor({ timeout: WAIT });
    await expect(admin.getByTestId('operator-invite').textContent()).resolves.toBe('Пригласить');
    await expect(admin.getByTestId('operator-add').textContent()).resolves.toBe('Добавить оператора');
    await admin.getByTestId('invitations-empty').waitFor({ timeout: WAIT });
    await expect(admin.getByTestId('invitations').locator('h2').textContent()).resolves.toBe('Приглашения');
    await noSidewaysOverflow(admin);
    reports.empty = await axeCheck(admin, 'operators page, no invitations');
  });

  it('he invites Ольга: no mail is set up, so the link shows once; he copies it; the list says «Ожидает»', async () => {
    olgaLink = await invite(OLGA_EMAIL, OLGA);
    expect(olgaLink).toMatch(new RegExp(`^${server.origin.replace(/[.]/g, '\\.')}/console/invite#[A-Za-z0-9_-]{20,}$`));
    const made = admin.getByTestId('invite-made-dialog');
    await expect(made.locator('h2').textContent()).resolves.toBe('Приглашение создано');
    await expect(made.getByTestId('modal-person').textContent()).resolves.toBe(`${OLGA}${OLGA_EMAIL}`);
    await expect(made.getByTestId('invite-not-mailed').textContent()).resolves.toContain('Передайте ссылку сами');
    await expect(made.getByTestId('invite-once').textContent()).resolves.toContain('показана только сейчас');
    await expect(made.getByTestId('invite-once').textContent()).resolves.toContain('7 дней');
    await made.getByTestId('invite-copy').click();
    await expect(made.getByTestId('invite-copied').textContent()).resolves.toBe('Скопировано');
    await expect(admin.evaluate(() => navigator.clipboard.readText())).resolves.toBe(olgaLink);
    await noSidewaysOverflow(admin);
    await expect(cutText(admin, '.modal')).resolves.toEqual([]);
    await shot(admin, 'invitations-link.png');
    reports.link = await axeCheck(admin, 'the invitation link shown once');

    await made.getByTestId('invite-done').click();
    await made.waitFor({ state: 'detached', timeout: WAIT });
    await expect(invitationRow(OLGA_EMAIL).getByTestId('invitation-state').textContent()).resolves.toBe('Ожидает');
    await expect(invitationRow(OLGA_EMAIL).getByTestId('invitation-role').textContent()).resolves.toBe('Оператор');
    await expect(invitationRow(OLGA_EMAIL).getByTestId('invitation-when').textContent()).resolves.toMatch(/^Создано .+действует до .+$/);
    await expect(admin.getByTestId('admin-operators').textContent()).resolves.not.toContain(olgaLink.split('#')[1]);
    const listed = (await api('GET', '/api/v1/invitations')).items;
    expect(listed).toEqual([expect.objectContaining({ email: OLGA_EMAIL, display_name: OLGA, role: 'operator', state: 'pending' })]);
    await noSidewaysOverflow(admin);
    await expect(cutText(admin, '.invitations-card')).resolves.toEqual([]);
    await shot(admin, 'invitations-pending.png');
  });

  it('Ольга opens the link: the secret leaves the address bar; she sets her password and lands in the console', async () => {
    const asked: string[] = [];
    olga.on('request', (r) => {
      if (r.url().startsWith(server.origin) && r.url().includes('/api/')) asked.push(`${r.method()} ${new URL(r.url()).pathname}`);
    });
    await olga.goto(olgaLink);
    await olga.getByTestId('invite-title').waitFor({ timeout: WAIT });
    expect(olga.url()).toBe(`${server.origin}/console/invite`);
    await expect(olga.getByTestId('invite-title').textContent()).resolves.toBe(`Вас приглашают в «${workspace}»`);
    await expect(olga.getByTestId('invite-page-email').textContent()).resolves.toBe(OLGA_EMAIL);
    await expect(olga.getByTestId('invite-page-role').textContent()).resolves.toBe('Оператор');
    await expect(olga.getByTestId('invite-page-name').inputValue()).resolves.toBe(OLGA);
    await expect(olga.title()).resolves.toBe('Приглашение · Frontline');
    await noSidewaysOverflow(olga);
    await expect(cutText(olga, '.login-card')).resolves.toEqual([]);
    await shot(olga, 'invitations-page.png');
    reports.page = await axeCheck(olga, 'the invitation page');

    await olga.getByTestId('invite-page-password').fill('short');
    await olga.getByTestId('invite-page-repeat').fill('short');
    await olga.getByTestId('invite-page-submit').click();
    const note = olga.locator('[data-testid="field-error"][data-field="password"]');
    await expect(note.textContent()).resolves.toBe('Пароль — от 8 до 256 символов.');
    await noSidewaysOverflow(olga);
    await shot(olga, 'invitations-page-refused.png');

    await olga.getByTestId('invite-page-password').fill(OLGA_PASSWORD);
    await olga.getByTestId('invite-page-repeat').fill(OLGA_PASSWORD);
    await olga.getByTestId('invite-page-submit').click();
    await olga.getByTestId('dialog-list').waitFor({ timeout: WAIT });
    expect(new URL(olga.url()).pathname).toBe('/console/');
    await expect(olga.getByTestId('operator-name').textContent()).resolves.toBe(OLGA);
    await expect(olga.getByTestId('operator-role-shown').textContent()).resolves.toBe('Оператор');
    await expect(olga.getByTestId('nav-operators').count()).resolves.toBe(0);
    // The secret went to the two calls and nowhere else; the console then asked who she is.
    expect(asked.slice(0, 3)).toEqual(['POST /api/v1/invitations/preview', 'POST /api/v1/invitations/accept', 'GET /api/v1/me']);
    await noSidewaysOverflow(olga);
    await shot(olga, 'invitations-signed-in.png');
    reports.console = await axeCheck(olga, 'her console after accepting');

    // Her password is hers: she signs in with it in another browser too.
    const login = await fetch(`${server.origin}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: OLGA_EMAIL, password: OLGA_PASSWORD }),
    });
    expect(login.status).toBe(200);
  });

  it('back at his window the admin sees «Принято» and her among the operators; the audit log says who was invited', async () => {
    // He comes back to the window (from the messenger he sent the link by).
    await admin.evaluate(() => dispatchEvent(new Event('focus')));
    await expect.poll(() => invitationRow(OLGA_EMAIL).getByTestId('invitation-state').textContent(), { timeout: WAIT }).toBe('Принято');
    await expect(invitationRow(OLGA_EMAIL).getByTestId('invitation-when').textContent()).resolves.toContain('принято');
    await expect(invitationRow(OLGA_EMAIL).getByTestId('invitation-revoke').count()).resolves.toBe(0);
    const her = admin.locator('[data-testid="operator-row"]').filter({ hasText: OLGA_EMAIL });
    await her.waitFor({ timeout: WAIT });
    // She joined the default channel as she accepted, and her row says so.
    await expect.poll(() => her.getByTestId('operator-channels').textContent(), { timeout: WAIT }).toBe(defaultChannel);
    await noSidewaysOverflow(admin);
    await shot(admin, 'invitations-accepted.png');
    reports.accepted = await axeCheck(admin, 'operators page, the invitation accepted');

    await admin.getByTestId('operators-tab-audit').click();
    await admin.getByTestId('audit-table').waitFor({ timeout: WAIT });
    const lines = () => admin.getByTestId('audit-what').allTextContents();
    await expect.poll(lines, { timeout: WAIT }).toContain(`Отправлено приглашение: ${OLGA_EMAIL} («Оператор»)`);
    expect(await lines()).toContain(`Добавлен оператор ${OLGA}`);
    await admin.getByTestId('operators-tab-operators').click();
    await admin.getByTestId('invitations-table').waitFor({ timeout: WAIT });
  });

  it('her address again is refused beside the e-mail', async () => {
    await admin.getByTestId('operator-invite').click();
    const dialog = admin.getByTestId('invite-dialog');
    await dialog.getByTestId('invite-email').fill(OLGA_EMAIL);
    await dialog.getByTestId('invite-name').fill(OLGA);
    await dialog.getByTestId('invite-submit').click();
    const note = dialog.locator('[data-testid="field-error"][data-field="email"]');
    await expect(note.textContent({ timeout: WAIT })).resolves.toBe('Оператор с таким e-mail уже есть.');
    await dialog.getByTestId('invite-cancel').click();
    // Something typed: leaving is asked about.
    const leave = admin.getByTestId('leave-dialog');
    await leave.waitFor({ timeout: WAIT });
    await leave.getByTestId('leave-discard').click();
    await dialog.waitFor({ state: 'detached', timeout: WAIT });
  });

  it('a revoked link says it no longer works, with the way to sign in', async () => {
    borisLink = await invite(BORIS_EMAIL, BORIS);
    await admin.getByTestId('invite-done').click();
    const row = invitationRow(BORIS_EMAIL);
    await expect(row.getByTestId('invitation-state').textContent()).resolves.toBe('Ожидает');
    admin.once('dialog', (d) => {
      expect(d.message()).toBe(`Отозвать приглашение для ${BORIS} (${BORIS_EMAIL})? Ссылка сразу перестанет работать.`);
      void d.accept();
    });
    await row.getByTestId('invitation-revoke').click();
    await expect.poll(() => row.getByTestId('invitation-state').textContent(), { timeout: WAIT }).toBe('Отозвано');
    await expect(row.getByTestId('invitation-again').textContent()).resolves.toBe('Пригласить снова');
    await noSidewaysOverflow(admin);
    await shot(admin, 'invitations-revoked.png');

    await stranger.goto(borisLink);
    await stranger.getByTestId('invite-dead').waitFor({ timeout: WAIT });
    expect(stranger.url()).toBe(`${server.origin}/console/invite`);
    await expect(stranger.getByTestId('invite-dead-title').textContent()).resolves.toBe('Ссылка больше не действует');
    await expect(stranger.getByTestId('invite-dead').textContent()).resolves.toContain('попросите администратора пригласить вас снова');
    await expect(stranger.getByTestId('invite-page-password').count()).resolves.toBe(0);
    await noSidewaysOverflow(stranger);
    await shot(stranger, 'invitations-dead-link.png');
    reports.dead = await axeCheck(stranger, 'a revoked link');

    await stranger.getByTestId('lang-en').click();
    await expect(stranger.getByTestId('invite-dead-title').textContent()).resolves.toBe('This link no longer works');
    await shot(stranger, 'invitations-dead-link-en.png');
    await stranger.getByTestId('lang-ru').click();

    // Its way leads to the sign-in form.
    await stranger.getByTestId('invite-to-signin').click();
    await stranger.getByTestId('login-form').waitFor({ timeout: WAIT });
    expect(new URL(stranger.url()).pathname).toBe('/console/');

    // A used link is as dead as a revoked one.
    await stranger.goto(olgaLink);
    await stranger.getByTestId('invite-dead').waitFor({ timeout: WAIT });
  });

  it('the operators page in English', async () => {
    await admin.getByTestId('lang-en').click();
    await expect.poll(() => admin.getByTestId('invitations').locator('h2').textContent(), { timeout: WAIT }).toBe('Invitations');
    await expect(admin.getByTestId('operator-invite').textContent()).resolves.toBe('Invite');
    await expect(invitationRow(OLGA_EMAIL).getByTestId('invitation-state').textContent()).resolves.toBe('Accepted');
    await expect(invitationRow(BORIS_EMAIL).getByTestId('invitation-state').textContent()).resolves.toBe('Revoked');
    await noSidewaysOverflow(admin);
    await expect(cutText(admin, '.invitations-card')).resolves.toEqual([]);
    await shot(admin, 'invitations-en.png');
    reports.english = await axeCheck(admin, 'operators page in English');
    await admin.getByTestId('lang-ru').click();
  });

  it('axe finds nothing critical or serious', () => {
    const found: string[] = [];
    for (const [where, report] of Object.entries(reports)) {
      for (const v of blocking(report)) for (const n of v.nodes) found.push(`${where}: ${v.impact} ${v.id} ${n.target.join(' ')}`);
    }
    expect(Object.keys(reports).sort()).toEqual(['accepted', 'console', 'dead', 'empty', 'english', 'link', 'page']);
    expect(found).toEqual([]);
  });

  it('no page logged an unexpected error', () => {
    const expected = [
      // The console asks /me before signing in (401).
      /HTTP 401: GET \S+\/api\/v1\/me$/,
      /status of 401/,
      // The revoked and the used link: preview answers 404.
      /HTTP 404: POST \S+\/api\/v1\/invitations\/preview$/,
      // Her address again: 409 email_taken.
      /HTTP 409: POST \S+\/api\/v1\/invitations$/,
      /status of (404|409)/,
    ];
    const real = errors.filter((e) => !e.includes('favicon') && !expected.some((re) => re.test(e)));
    expect(real).toEqual([]);
  });
});
