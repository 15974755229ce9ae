/**
 * The Web API (issue 16) end to end, in a real browser against a real server, in Russian (and
 * English for the screenshots), the admin at 1366×768.
 *
 * The admin opens Integrations → API keys: the page is empty, its form open; a key without a
 * name is refused beside its field; «Бэкенд сайта» is made with every scope and its secret is shown once, with
 * the warning and an example call against the console's own origin (screenshot), then gone for
 * good. Node then plays the site's backend with that secret: `PUT /api/v1/web/users/e2e-1` with
 * attributes and `POST …/events` with `order_paid`; after a reload the key's "last used" shows
 * (screenshots in Russian and English, axe). The admin revokes the key after the browser asks;
 * it stays listed, revoked, and the Web API answers the same secret 401 (screenshot).
 *
 * A widget visitor writes; the operator (the admin) opens the dialog and gives the visitor a tag
 * on the card; after a reload the tag is still there, and the dialog's own tags are untouched
 * (screenshots in both languages, axe). Last, the site's backend tells about a user (attributes,
 * tags, events with a retry id) through the Web API, his page identifies him with the hash its
 * backend computed and he writes: his card shows the site's id, attributes, tags and events (the
 * recent ones unfolded), shot in both languages.
 * Screenshots go to ../artifacts/screenshots/.
 */
import { createHmac } from 'node:crypto';
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { axeCheck, blocking, type AxeReport } from './axe';
import { launchBrowser, watchErrors } from './browser';
import { adminSession, chatFrame, reportFailure, shot, signIn, WAIT, type AdminApi } from './helpers';
import { startServer, type RunningServer } from './server';

const KEY_NAME = 'Бэкенд сайта';
const USER = 'e2e-1';
const VISITOR_TEXT = 'Добрый день! Хочу перейти на тариф «Про», подскажите условия.';
const TAG = 'VIP клиент';

let server: RunningServer;
let browser: Browser;
const contexts: BrowserContext[] = [];
let admin: Page;
let visitor: Page;
let api: AdminApi;
let secret = '';
let keyId = '';
let dialogId = '';
const errors: string[] = [];
const reports: Record<string, AxeReport> = {};

const note = (page: Page, field: string): Locator => page.locator(`[data-testid="field-error"][data-field="${field}"]`);
const keyRow = (): Locator => admin.locator(`[data-testid="api-key-row"][data-key-id="${keyId}"]`);
const testidOfFocus = (page: Page) => page.evaluate(() => document.activeElement?.getAttribute('data-testid') ?? document.activeElement?.tagName ?? null);

/** The site's backend calling the Web API with a key. */
async function webApi(method: string, path: string, key: string, body?: unknown): Promise<{ status: number; json: any }> {
  const r = await fetch(`${server.origin}${path}`, {
    method,
    headers: { authorization: `Bearer ${key}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await r.text();
  return { status: r.status, json: text ? JSON.parse(text) : null };
}

/** Nothing sticks out sideways: not the page, not the admin page's area, not a card. */
async function noSidewaysOverflow(page: Page): Promise<void> {
  const wide = await page.evaluate(() =>
    [document.documentElement, ...document.querySelectorAll<HTMLElement>('.admin-page, .admin-card, .app-header, .admin-nav, .page-tabs, .visitor-card')]
      .filter((el) => el.scrollWidth > el.clientWidth + 1)
      .map((el) => `${el.className}: ${el.scrollWidth} > ${el.clientWidth}`),
  );
  expect(wide).toEqual([]);
}

/** Whether an input shows its whole value (nothing scrolled out of sight). */
async function wholeValue(input: Locator): Promise<boolean> {
  const { scroll, client } = await input.evaluate((el: HTMLInputElement) => ({ scroll: el.scrollWidth, client: el.clientWidth }));
  return scroll <= client;
}

/** Switches the console's language and waits for `heading` to read `title`. */
async function setLang(page: Page, lang: 'ru' | 'en', title: string, heading: Locator): Promise<void> {
  await page.getByTestId(`lang-${lang}`).click();
  await expect.poll(() => heading.textContent(), { timeout: WAIT }).toBe(title);
}

describe('the Web API: a key made in the console, calls with it, revoked; visitor tags on the card', () => {
  beforeAll(async () => {
    server = await startServer();
    api = (await adminSession(server)).api;
    browser = await launchBrowser();
    contexts.push(await browser.newContext({ locale: 'ru-RU', viewport: { width: 1366, height: 768 } }));
    contexts.push(await browser.newContext({ locale: 'ru-RU', viewport: { width: 1280, height: 820 } }));
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

  it('Integrations → API keys: empty at first; a key without a name is refused beside its field', async () => {
    await signIn(admin, server);
    await admin.getByTestId('nav-install').click();
    await admin.getByTestId('admin-install').waitFor({ timeout: WAIT });
    await admin.getByTestId('integrations-tab-api-keys').click();
    await admin.getByTestId('api-keys-empty').waitFor({ timeout: WAIT });
    expect(new URL(admin.url()).pathname).toBe('/console/admin/api-keys');
    await expect(admin.getByTestId('api-keys-title').textContent()).resolves.toBe('API-ключи');
    await expect(admin.getByTestId('integrations-tab-api-keys').getAttribute('aria-current')).resolves.toBe('page');
    await expect(admin.getByTestId('nav-install').getAttribute('aria-current')).resolves.toBe('page');

    // Every scope is ticked at first.
    const boxes = admin.getByTestId('api-key-scope');
    await expect(boxes.count()).resolves.toBe(3);
    for (const b of await boxes.all()) await expect(b.isChecked()).resolves.toBe(true);
    await admin.getByTestId('api-key-create').click();
    await expect(note(admin, 'name').textContent()).resolves.toBe('Заполните это поле.');
    await expect(admin.getByTestId('api-key-name').getAttribute('aria-invalid')).resolves.toBe('true');
    await expect.poll(() => testidOfFocus(admin), { timeout: WAIT }).toBe('api-key-name');
    expect((await api('GET', '/api/v1/api-keys')).items).toEqual([]);
    await noSidewaysOverflow(admin);
    await shot(admin, 'api-keys-empty-1366.png');
  });

  it('makes «Бэкенд сайта» with every scope; the secret is shown once, with the warning and an example', async () => {
    await admin.getByTestId('api-key-name').fill(KEY_NAME);
    await expect(note(admin, 'name').count()).resolves.toBe(0);
    await admin.getByTestId('api-key-create').click();

    const created = admin.getByTestId('api-key-created');
    await created.waitFor({ timeout: WAIT });
    keyId = (await created.getAttribute('data-key-id')) ?? '';
    secret = await created.getByTestId('api-key-secret').inputValue();
    expect(secret).toMatch(/^flk_\S{30,}$/);
    await expect(created.locator('h2').textContent()).resolves.toBe(`Ключ «${KEY_NAME}» создан`);
    await expect(created.getByTestId('api-key-once').textContent()).resolves.toContain('показать ключ ещё раз не сможет');
    await expect(wholeValue(created.getByTestId('api-key-secret'))).resolves.toBe(true);
    const example = await created.getByTestId('api-key-example').inputValue();
    expect(example).toBe(
      [
        `curl -X PUT ${server.origin}/api/v1/web/users/42 \\`,
        `  -H "Authorization: Bearer ${secret}" \\`,
        '  -H "Content-Type: application/json" \\',
        `  -d '{"name":"Анна","attributes":{"plan":"pro"}}'`,
      ].join('\n'),
    );
    // The example's lines show whole in its box.
    await expect(created.getByTestId('api-key-example').evaluate((el: HTMLTextAreaElement) => el.scrollWidth <= el.clientWidth)).resolves.toBe(true);
    await noSidewaysOverflow(admin);
    await shot(admin, 'api-keys-secret-1366.png');

    // The list has it (newest first) with the secret's end; the API never gives the secret again.
    const listed = (await api('GET', '/api/v1/api-keys')).items;
    expect(listed).toHaveLength(1);
    expect(listed[0]).toMatchObject({ id: keyId, name: KEY_NAME, hint: secret.slice(-4), scopes: ['visitors:read', 'visitors:write', 'events:write'], last_used_at: null, revoked_at: null });
    expect(JSON.stringify(listed)).not.toContain(secret);
    await expect(keyRow().getByTestId('api-key-row-hint').textContent()).resolves.toBe(`…${secret.slice(-4)}`);
    await expect(keyRow().getByTestId('api-key-row-used').textContent()).resolves.toBe('не использовался');
    await expect(keyRow().getByTestId('api-key-row-scopes').locator('li').allTextContents()).resolves.toEqual(['Чтение посетителей', 'Запись посетителей', 'События']);

    // "Done": the secret is gone from the page for good; the list comes first, the form behind "New key".
    await created.getByTestId('api-key-done').click();
    await created.waitFor({ state: 'detached', timeout: WAIT });
    await admin.getByTestId('api-key-new').waitFor({ timeout: WAIT });
    await expect.poll(() => testidOfFocus(admin), { timeout: WAIT }).toBe('api-key-new');
    await expect(admin.getByTestId('api-key-form').count()).resolves.toBe(0);
    await expect(admin.locator('body').textContent()).resolves.not.toContain(secret);
    await expect(admin.evaluate((s) => document.documentElement.outerHTML.includes(s), secret)).resolves.toBe(false);
  });

  it('the site\'s backend calls with the key: a user with attributes, an event; "last used" shows after a reload', async () => {
    const put = await webApi('PUT', `/api/v1/web/users/${USER}`, secret, { name: 'Анна Смирнова', attributes: { plan: 'pro', orders: 3, paid_at: '2026-03-05T14:30:00Z' } });
    expect([200, 201]).toContain(put.status);
    const track = await webApi('POST', `/api/v1/web/users/${USER}/events`, secret, { events: [{ name: 'order_paid' }] });
    expect(track.status, JSON.stringify(track.json)).toBe(200);
    expect(track.json.counted).toEqual([true]);
    const user = await webApi('GET', `/api/v1/web/users/${USER}`, secret);
    expect(user.status).toBe(200);
    expect(user.json).toMatchObject({ user_id: USER, name: 'Анна Смирнова', attributes: { plan: 'pro', orders: 3 } });
    expect(user.json.events).toEqual([expect.objectContaining({ name: 'order_paid', count: 1 })]);

    await admin.reload();
    await keyRow().waitFor({ timeout: WAIT });
    await expect.poll(() => keyRow().getByTestId('api-key-row-used').getAttribute('data-used'), { timeout: WAIT }).toBe('true');
    await expect(keyRow().getByTestId('api-key-row-used').textContent()).resolves.toMatch(/^\d{1,2} \S+ \d{4} г\., \d\d:\d\d$/);
    expect((await api('GET', '/api/v1/api-keys')).items[0].last_used_at).toEqual(expect.any(String));
    await noSidewaysOverflow(admin);
    await shot(admin, 'api-keys-list-1366.png');
    reports.list = await axeCheck(admin, 'API keys page');

    await setLang(admin, 'en', 'API keys', admin.getByTestId('api-keys-title'));
    await expect(keyRow().getByTestId('api-key-row-scopes').locator('li').allTextContents()).resolves.toEqual(['Read visitors', 'Write visitors', 'Events']);
    await expect(keyRow().getByTestId('api-key-row-used').textContent()).resolves.toMatch(/^\d{1,2} \S+ \d{4}, \d\d:\d\d$/);
    await noSidewaysOverflow(admin);
    await shot(admin, 'api-keys-list-en-1366.png');
    await setLang(admin, 'ru', 'API-ключи', admin.getByTestId('api-keys-title'));
  });

  it('revoking asks first; the key stays listed, revoked, and the Web API answers it 401', async () => {
    const asked: string[] = [];
    admin.once('dialog', (d) => {
      asked.push(d.message());
      void d.dismiss();
    });
    await keyRow().getByTestId('api-key-revoke').click();
    await expect.poll(() => asked.length, { timeout: WAIT }).toBe(1);
    expect(asked[0]).toBe(`Отозвать ключ «${KEY_NAME}»? Запросы бэкенда сайта с этим ключом сразу перестанут работать. Вернуть ключ нельзя — только создать новый.`);
    await expect(keyRow().getAttribute('data-revoked')).resolves.toBe('false');
    expect((await webApi('GET', `/api/v1/web/users/${USER}`, secret)).status).toBe(200);

    admin.once('dialog', (d) => void d.accept());
    await keyRow().getByTestId('api-key-revoke').click();
    await expect.poll(() => keyRow().getAttribute('data-revoked'), { timeout: WAIT }).toBe('true');
    const revoked = (await api('GET', '/api/v1/api-keys')).items[0];
    expect(revoked.revoked_at).toEqual(expect.any(String));
    await expect(keyRow().getByTestId('api-key-row-revoked').textContent()).resolves.toContain('Отозван');
    await expect(keyRow().getByTestId('api-key-row-revoked').textContent()).resolves.toContain(String(revoked.revoked_by));
    await expect(keyRow().getByTestId('api-key-revoke').count()).resolves.toBe(0);

    const refused = await webApi('GET', `/api/v1/web/users/${USER}`, secret);
    expect(refused.status).toBe(401);
    expect(refused.json.code).toBe('unauthenticated');
    expect((await webApi('POST', `/api/v1/web/users/${USER}/events`, secret, { events: [{ name: 'order_paid' }] })).status).toBe(401);
    // Still revoked after a reload.
    await admin.reload();
    await expect.poll(() => keyRow().getAttribute('data-revoked'), { timeout: WAIT }).toBe('true');
    await expect(admin.getByTestId('api-keys-live').textContent()).resolves.toBe('Действуют: 0 из 20');
    await noSidewaysOverflow(admin);
    await shot(admin, 'api-keys-revoked-1366.png');
  });

  it('a widget visitor writes; the operator gives him a visitor tag on the card, still there after a reload', async () => {
    await visitor.goto(server.demoUrl);
    await visitor.getByTestId('frontline-launcher').click();
    const input = chatFrame(visitor).getByTestId('composer-input');
    await input.waitFor({ timeout: WAIT });
    await input.fill(VISITOR_TEXT);
    await input.press('Enter');
    await chatFrame(visitor).locator('[data-testid="message"][data-author="visitor"][data-state="sent"]', { hasText: VISITOR_TEXT }).waitFor({ timeout: WAIT });

    await admin.getByTestId('nav-dialogs').click();
    const row = admin.getByTestId('dialog-row').filter({ hasText: VISITOR_TEXT });
    await row.waitFor({ timeout: WAIT });
    dialogId = (await row.getAttribute('data-dialog-id')) ?? '';
    expect(dialogId).not.toBe('');
    await row.click();
    const card = admin.getByTestId('visitor-card');
    await card.getByTestId('card-title').waitFor({ timeout: WAIT });
    // He told the site nothing: no id, attributes or events; only "+ Tag" for his tags.
    await expect(card.getByTestId('card-user-id').count()).resolves.toBe(0);
    await expect(card.getByTestId('card-attributes').count()).resolves.toBe(0);
    await expect(card.getByTestId('card-events').count()).resolves.toBe(0);
    await expect(card.getByTestId('card-visitor-tags').locator('h4').textContent()).resolves.toBe('Метки посетителя');

    await card.getByTestId('card-vtag-add').click();
    await expect.poll(() => testidOfFocus(admin), { timeout: WAIT }).toBe('card-vtag-input');
    // A comma is refused in words, before anything is sent.
    await card.getByTestId('card-vtag-input').fill('vip, b2b');
    await card.getByTestId('card-vtag-input').press('Enter');
    await expect(card.getByTestId('card-vtag-error').textContent()).resolves.toBe('Без запятых: одна метка за раз.');
    await card.getByTestId('card-vtag-input').fill(TAG);
    await card.getByTestId('card-vtag-input').press('Enter');
    const chip = card.locator('[data-testid="card-vtag"][data-tag="vip клиент"]');
    await chip.waitFor({ timeout: WAIT });
    await expect(card.getByTestId('card-vtag-error').count()).resolves.toBe(0);
    await expect(card.getByTestId('card-vtag-input').inputValue()).resolves.toBe('');

    const saved = await api('GET', `/api/v1/dialogs/${dialogId}/visitor`);
    expect(saved.tags).toEqual(['vip клиент']);
    // Visitor tags are not the dialog's tags.
    expect((await api('GET', `/api/v1/dialogs/${dialogId}`)).tags ?? []).toEqual([]);
    await expect(admin.getByTestId('dialog-tag').count()).resolves.toBe(0);

    await admin.reload();
    await admin.getByTestId('visitor-card').getByTestId('card-title').waitFor({ timeout: WAIT });
    await admin.locator('[data-testid="visitor-card"] [data-testid="card-vtag"][data-tag="vip клиент"]').waitFor({ timeout: WAIT });
    await expect(admin.getByTestId('card-vtag').count()).resolves.toBe(1);
    await noSidewaysOverflow(admin);
    await shot(admin, 'card-visitor-tags-1366.png');
    reports.card = await axeCheck(admin, 'dialog with the visitor card');

    await setLang(admin, 'en', 'Visitor tags', admin.getByTestId('card-visitor-tags').locator('h4'));
    await expect(admin.getByTestId('card-vtag-remove').getAttribute('aria-label')).resolves.toBe('Remove visitor tag “vip клиент”');
    await noSidewaysOverflow(admin);
    await shot(admin, 'card-visitor-tags-en-1366.png');
    await setLang(admin, 'ru', 'Метки посетителя', admin.getByTestId('card-visitor-tags').locator('h4'));

    // Removed with ×, through the same endpoint.
    await admin.getByTestId('card-vtag-remove').click();
    await expect.poll(() => admin.getByTestId('card-vtag').count(), { timeout: WAIT }).toBe(0);
    expect((await api('GET', `/api/v1/dialogs/${dialogId}/visitor`)).tags).toEqual([]);
    await admin.getByTestId('card-vtag-input').fill(TAG);
    await admin.getByTestId('card-vtag-input').press('Enter');
    await admin.locator('[data-testid="card-vtag"][data-tag="vip клиент"]').waitFor({ timeout: WAIT });
  });

  it('the card with everything a site can tell: id, attributes, events, the recent ones (layout in both languages)', async () => {
    // The site's backend tells Frontline about its user through the Web API…
    const made = await api('POST', '/api/v1/api-keys', { name: 'CRM', scopes: ['visitors:read', 'visitors:write', 'events:write'] });
    const key: string = made.secret;
    const user = 'crm-000000104257-e2e';
    const now = Math.floor(Date.now() / 1000);
    const put = await webApi('PUT', `/api/v1/web/users/${user}`, key, {
      name: 'Мария Соколова',
      attributes: { plan: 'Про (годовой)', orders: 1234.5, subscribed: true, last_order_paid_at: now - 26 * 3600, company: 'ООО «Кухни и гостиные Северо-Запад»' },
    });
    expect(put.status).toBe(201);
    expect((await webApi('POST', `/api/v1/web/users/${user}/tags`, key, { add: ['тариф про', 'подписка на рассылку о новых поступлениях'] })).status).toBe(200);
    const tracked = await webApi('POST', `/api/v1/web/users/${user}/events`, key, {
      events: [
        { name: 'Оформил заявку на замер кухни', properties: { city: 'Санкт-Петербург', comment: 'Удобно после 18:00, домофон не работает' } },
        { name: 'visited_pricing' },
        { name: 'order_paid', id: 'order-1', properties: { amount: 49900, currency: 'RUB', gift: false } },
      ],
    });
    expect(tracked.json.counted).toEqual([true, true, true]);
    // …and its page says who is signed in, with the hash its backend computed; he writes.
    const sites = await api('GET', '/api/v1/sites');
    const identity = await api('GET', `/api/v1/sites/${sites.items[0].id}/identity`);
    const hash = createHmac('sha256', identity.secret).update(user).digest('hex');
    const siteKey = /data-key="([^"]+)"/.exec(await fetch(server.demoUrl).then((r) => r.text()))?.[1];
    expect(siteKey).toBeTruthy();
    const session = await fetch(`${server.origin}/widget/v1/session`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: server.origin },
      body: JSON.stringify({ key: siteKey, user_id: user, user_hash: hash }),
    }).then((r) => r.json());
    expect(session.visitor.name).toBe('Мария Соколова');
    const text = 'Когда привезут кухню по заказу?';
    const sent = await fetch(`${server.origin}/widget/v1/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: server.origin, authorization: `Bearer ${session.token}` },
      body: JSON.stringify({ client_id: 'e2e-rich-1', body: text }),
    });
    expect(sent.status).toBe(201);

    await admin.setViewportSize({ width: 1366, height: 1200 });
    try {
      await admin.getByTestId('nav-dialogs').click();
      const row = admin.getByTestId('dialog-row').filter({ hasText: text });
      await row.waitFor({ timeout: WAIT });
      await row.click();
      const card = admin.getByTestId('visitor-card');
      await card.getByTestId('card-attributes').waitFor({ timeout: WAIT });
      await expect(card.getByTestId('card-user-id').locator('dd').textContent()).resolves.toBe(user);
      await expect(card.locator('[data-testid="card-attribute"][data-name="subscribed"] dd').textContent()).resolves.toBe('да');
      await expect(card.locator('[data-testid="card-attribute"][data-name="orders"] dd').textContent()).resolves.toMatch(/^1\s234,5$/);
      await card.getByTestId('card-recent-toggle').click();
      await card.getByTestId('card-recent').waitFor({ timeout: WAIT });
      await expect(card.locator('[data-testid="card-recent-event"]').first().locator('li').allTextContents()).resolves.toEqual([
        expect.stringMatching(/^amount: 49\s900$/),
        'currency: RUB',
        'gift: нет',
      ]);
      await noSidewaysOverflow(admin);
      await shot(admin, 'card-visitor-data-1366.png');
      reports.rich = await axeCheck(admin, 'visitor card with the site\'s data');

      await setLang(admin, 'en', 'Attributes', card.getByTestId('card-attributes').locator('h4'));
      await expect(card.locator('[data-testid="card-attribute"][data-name="subscribed"] dd').textContent()).resolves.toBe('yes');
      await noSidewaysOverflow(admin);
      await shot(admin, 'card-visitor-data-en-1366.png');
      await setLang(admin, 'ru', 'Атрибуты', card.getByTestId('card-attributes').locator('h4'));
    } finally {
      await admin.setViewportSize({ width: 1366, height: 768 });
    }
  });

  it('axe finds nothing critical or serious on the keys page and the card', () => {
    const found: string[] = [];
    for (const [where, report] of Object.entries(reports)) {
      for (const v of blocking(report)) for (const n of v.nodes) found.push(`${where}: ${v.impact} ${v.id} ${n.target.join(' ')}`);
    }
    expect(Object.keys(reports).sort()).toEqual(['card', 'list', 'rich']);
    expect(found).toEqual([]);
  });

  it('no page logged an unexpected error', () => {
    // Expected: the console asks /me before signing in (401).
    const expected = [/HTTP 401: GET \S+\/api\/v1\/me$/, /status of 401/];
    const real = errors.filter((e) => !e.includes('favicon') && !expected.some((re) => re.test(e)));
    expect(real).toEqual([]);
  });
});
