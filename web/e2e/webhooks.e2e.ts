/**
 * Webhooks end to end, in a real browser against a real server and a real receiver, in Russian,
 * the admin at 1366×768.
 *
 * A small Node HTTP server on 127.0.0.1 plays the receiver: it keeps every POST (the
 * `webhook-id`, `webhook-timestamp` and `webhook-signature` headers and the body) and answers as
 * scripted: its first request 500, the retry of that delivery held until the test has seen the
 * pending state, everything else 200. The server runs with FRONTLINE_WEBHOOKS_ALLOW_PRIVATE so it
 * may call 127.0.0.1.
 *
 * The admin opens Integrations → Webhooks; an `ftp://` address is refused beside its field
 * (screenshot of the form with the events); an endpoint for the receiver with `message.created`
 * and `dialog.created` is added and its secret is shown once (screenshot), then hidden. A visitor
 * writes in the demo page's widget: `dialog.created` is answered 500, the log shows the failed
 * attempt and the retry to come, with `message.created` of the same dialog waiting behind it
 * (screenshot); the retry ~5 s later is answered 200 and both arrive, every signature valid under
 * the secret read from the page. "Send test event" brings `webhook.test`; the delivery's dialog
 * shows both attempts (500, 200) and the request body as received (screenshot), and "Replay"
 * sends the same `webhook-id` again. The list is shot in Russian and in English; axe runs on the
 * list and on the endpoint's page. Screenshots go to ../artifacts/screenshots/.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { axeCheck, blocking, type AxeReport } from './axe';
import { launchBrowser, watchErrors } from './browser';
import { adminSession, chatFrame, reportFailure, shot, signIn, WAIT, type AdminApi } from './helpers';
import { startServer, type RunningServer } from './server';

const VISITOR_TEXT = 'Здравствуйте! Можно ли вернуть диван, если он не подошёл по цвету?';
const DESCRIPTION = 'CRM: новые диалоги и сообщения';
const EVENTS = ['dialog.created', 'message.created'];

/** One POST the receiver got, and what it answered. */
interface Received {
  id: string;
  timestamp: string;
  signature: string;
  body: string;
  type: string;
  status: number;
}

/**
 * The receiver: keeps every request; answers the first 500, holds the first retry of that
 * delivery until `releaseRetry()`, and answers everything else 200.
 */
class Receiver {
  readonly got: Received[] = [];
  private server: Server;
  private failedId: string | null = null;
  private release!: () => void;
  private readonly retryGate = new Promise<void>((done) => (this.release = done));
  private waiters: (() => void)[] = [];
  url = '';

  constructor() {
    this.server = createServer((req, res) => void this.handle(req, res));
  }

  async start(): Promise<void> {
    await new Promise<void>((done) => this.server.listen(0, '127.0.0.1', done));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/hooks/frontline`;
  }

  releaseRetry(): void {
    this.release();
  }

  async stop(): Promise<void> {
    this.release();
    this.server.closeAllConnections();
    await new Promise<void>((done) => this.server.close(() => done()));
  }

  /** The requests so far with this `type` in the body. */
  of(type: string): Received[] {
    return this.got.filter((r) => r.type === type);
  }

  /** Waits until `check` holds on what came (checked at every request). */
  async until<T>(what: string, check: () => T | undefined | false, timeoutMs = WAIT): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = check();
      if (found) return found;
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`the receiver did not get ${what}; it got:\n${this.got.map((r) => `${r.status} ${r.type} ${r.id}`).join('\n') || '(nothing)'}`);
      await new Promise<void>((done) => {
        const timer = setTimeout(done, Math.min(left, 500));
        this.waiters.push(() => {
          clearTimeout(timer);
          done();
        });
      });
    }
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const body = Buffer.concat(chunks).toString('utf8');
    const id = String(req.headers['webhook-id'] ?? '');
    let type = '';
    try {
      type = String(JSON.parse(body).type ?? '');
    } catch {
      /* recorded as it came */
    }
    const seen = this.got.filter((r) => r.id === id).length;
    let status = 200;
    if (req.method !== 'POST') status = 405;
    else if (this.got.length === 0) {
      status = 500;
      this.failedId = id;
    } else if (id === this.failedId && seen === 1) {
      // The retry of the failed delivery: held until the test has looked at the pending state.
      await this.retryGate;
    }
    this.got.push({
      id,
      timestamp: String(req.headers['webhook-timestamp'] ?? ''),
      signature: String(req.headers['webhook-signature'] ?? ''),
      body,
      type,
      status,
    });
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(status === 200 ? '{"ok":true}' : '{"error":"crm is restarting"}');
    for (const w of this.waiters.splice(0)) w();
  }
}

/** Standard Webhooks: `v1,` + base64(HMAC-SHA256(key, `id.timestamp.body`)), one of the space-separated signatures. */
function signedBy(secret: string, r: Received): boolean {
  expect(secret.startsWith('whsec_')).toBe(true);
  const key = Buffer.from(secret.slice('whsec_'.length), 'base64');
  const expected = Buffer.from(`v1,${createHmac('sha256', key).update(`${r.id}.${r.timestamp}.${r.body}`).digest('base64')}`);
  return r.signature.split(' ').some((s) => {
    const got = Buffer.from(s);
    return got.length === expected.length && timingSafeEqual(got, expected);
  });
}

let server: RunningServer;
let receiver: Receiver;
let browser: Browser;
const contexts: BrowserContext[] = [];
let admin: Page;
let visitor: Page;
let api: AdminApi;
let secret = '';
let endpointId = '';
const errors: string[] = [];
const reports: Record<string, AxeReport> = {};

const note = (page: Page, field: string): Locator => page.locator(`[data-testid="field-error"][data-field="${field}"]`);
const rowsOf = (page: Page, kind: string): Locator =>
  page.getByTestId('delivery-row').filter({ has: page.locator('code', { hasText: new RegExp(`^${kind.replace('.', '\\.')}$`) }) });

/** Nothing sticks out sideways: not the page, not the admin page's area, not a card, not a modal. */
async function noSidewaysOverflow(page: Page): Promise<void> {
  const wide = await page.evaluate(() =>
    [document.documentElement, ...document.querySelectorAll<HTMLElement>('.admin-page, .admin-card, .modal, .app-header, .admin-nav, .page-tabs')]
      .filter((el) => el.scrollWidth > el.clientWidth + 1)
      .map((el) => `${el.className}: ${el.scrollWidth} > ${el.clientWidth}`),
  );
  expect(wide).toEqual([]);
}

/** Whether an input shows its whole value (nothing scrolled out of sight). */
async function wholeValue(input: Locator): Promise<boolean> {
  const { scroll, client } = await input.evaluate((el: HTMLInputElement) => ({ scroll: el.scrollWidth, client: el.clientWidth }));
  if (scroll > client) console.log(`${await input.getAttribute('data-testid')}: the value needs ${scroll} px, has ${client} px`);
  return scroll <= client;
}

/** Clicks the log's "Refresh" until `check` holds on what the page shows. */
async function refreshUntil(page: Page, check: () => Promise<boolean>, timeoutMs = WAIT): Promise<void> {
  const refresh = page.getByTestId('delivery-log-refresh');
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    await expect.poll(() => refresh.isEnabled(), { timeout: WAIT }).toBe(true);
    if (await check()) return;
    if (Date.now() > deadline) throw new Error('the delivery log never showed what was expected');
    await page.waitForTimeout(400);
    await refresh.click();
    await page.waitForTimeout(100);
  }
}

describe('webhooks: an endpoint added in the console, signed deliveries, a retry, a test event and a replay', () => {
  beforeAll(async () => {
    receiver = new Receiver();
    await receiver.start();
    server = await startServer({ env: { FRONTLINE_WEBHOOKS_ALLOW_PRIVATE: 'true' } });
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
    await receiver?.stop();
  });

  it('Integrations → Webhooks: empty at first; an ftp:// address is refused beside its field', async () => {
    await signIn(admin, server);
    await admin.getByTestId('nav-install').click();
    await admin.getByTestId('admin-install').waitFor({ timeout: WAIT });
    await admin.getByTestId('integrations-tab-webhooks').click();
    await admin.getByTestId('webhooks-empty').waitFor({ timeout: WAIT });
    expect(new URL(admin.url()).pathname).toBe('/console/admin/webhooks');
    await expect(admin.getByTestId('webhooks-title').textContent()).resolves.toBe('Вебхуки');
    await expect(admin.getByTestId('integrations-tab-webhooks').getAttribute('aria-current')).resolves.toBe('page');

    await admin.getByTestId('webhook-add').click();
    const form = admin.getByTestId('webhook-dialog');
    await form.waitFor({ timeout: WAIT });
    await expect(form.locator('h2').first().textContent()).resolves.toBe('Новый адрес вебхука');
    // The catalogue came: every event with its box, none ticked.
    await form.locator('[data-testid="webhook-event"][data-kind="message.created"]').waitFor({ timeout: WAIT });
    await expect(form.locator('[data-testid="webhook-event"]:checked').count()).resolves.toBe(0);
    await form.getByTestId('webhook-form-url').fill('ftp://x');
    for (const kind of EVENTS) await form.locator(`[data-testid="webhook-event"][data-kind="${kind}"]`).check();
    await form.getByTestId('webhook-form-save').click();
    await expect(note(admin, 'url').textContent()).resolves.toBe(
      'Укажите полный адрес с http:// или https://, например https://example.com/hooks/frontline.',
    );
    await expect(form.getByTestId('webhook-form-url').getAttribute('aria-invalid')).resolves.toBe('true');
    await expect.poll(() => admin.evaluate(() => document.activeElement?.getAttribute('data-testid')), { timeout: WAIT }).toBe('webhook-form-url');
    await expect(note(admin, 'events').count()).resolves.toBe(0);
    // The server refuses it too, on its own.
    await expect(api('POST', '/api/v1/webhooks', { url: 'ftp://x', description: '', events: EVENTS, enabled: true })).rejects.toThrow(/400|422/);
    await noSidewaysOverflow(admin);
    await shot(admin, 'webhooks-add-invalid-url-1366.png');
    expect((await api('GET', '/api/v1/webhooks')).items).toEqual([]);
  });

  it('adds an endpoint for the receiver with two events; the secret is shown once', async () => {
    const form = admin.getByTestId('webhook-dialog');
    await form.getByTestId('webhook-form-url').fill(receiver.url);
    await expect(note(admin, 'url').count()).resolves.toBe(0);
    await form.getByTestId('webhook-form-description').fill(DESCRIPTION);
    for (const kind of EVENTS) await expect(form.locator(`[data-testid="webhook-event"][data-kind="${kind}"]`).isChecked()).resolves.toBe(true);
    await expect(form.locator('[data-testid="webhook-group"][data-group="dialog"] [data-testid="webhook-group-all"]').getAttribute('data-state')).resolves.toBe('some');
    await expect(form.locator('[data-testid="webhook-group"][data-group="message"] [data-testid="webhook-group-all"]').getAttribute('data-state')).resolves.toBe('some');
    await expect(form.getByTestId('webhook-events-all').getAttribute('data-state')).resolves.toBe('some');
    await expect(form.getByTestId('webhook-internal-warning').count()).resolves.toBe(0);
    await noSidewaysOverflow(admin);
    await shot(admin, 'webhooks-add-1366.png');
    // The dialog scrolls: the chosen message event and the buttons below.
    await form.getByTestId('webhook-form-save').scrollIntoViewIfNeeded();
    await shot(admin, 'webhooks-add-bottom-1366.png');
    await form.getByTestId('webhook-form-save').click();

    const created = admin.getByTestId('webhook-created-dialog');
    await created.waitFor({ timeout: WAIT });
    await form.waitFor({ state: 'detached', timeout: WAIT });
    secret = await created.getByTestId('webhook-created-secret').inputValue();
    expect(secret).toMatch(/^whsec_[A-Za-z0-9+/]+=*$/);
    expect(Buffer.from(secret.slice(6), 'base64').length).toBe(32);
    await expect(created.textContent()).resolves.toContain(receiver.url);
    await expect(created.textContent()).resolves.toContain(DESCRIPTION);
    // The secret shows whole, not cut at either end.
    await expect(wholeValue(created.getByTestId('webhook-created-secret'))).resolves.toBe(true);
    // Closes only by its button: Escape leaves it open.
    await admin.keyboard.press('Escape');
    await expect(created.isVisible()).resolves.toBe(true);
    await noSidewaysOverflow(admin);
    await shot(admin, 'webhooks-secret-1366.png');
    await created.getByTestId('webhook-created-done').click();
    await created.waitFor({ state: 'detached', timeout: WAIT });

    // The new endpoint's page: the secret is hidden now, the log is empty.
    const detail = admin.getByTestId('webhook-detail');
    await detail.waitFor({ timeout: WAIT });
    endpointId = (await detail.getAttribute('data-webhook-id')) ?? '';
    await expect(admin.getByTestId('webhook-detail-url').textContent()).resolves.toBe(receiver.url);
    await expect(admin.getByTestId('webhook-secret').getAttribute('data-shown')).resolves.toBe('false');
    await expect(admin.getByTestId('webhook-secret').inputValue()).resolves.not.toContain(secret.slice(6));
    await expect(admin.locator('body').textContent()).resolves.not.toContain(secret);
    await admin.getByTestId('delivery-log-empty').waitFor({ timeout: WAIT });
    await expect(admin.getByTestId('webhook-subscribed').locator('li').allTextContents()).resolves.toEqual(['Диалог начат', 'Новое сообщение']);
    // Shown again on request, whole, and hidden again.
    await admin.getByTestId('webhook-secret-reveal').click();
    await expect.poll(() => admin.getByTestId('webhook-secret').inputValue(), { timeout: WAIT }).toBe(secret);
    await expect(wholeValue(admin.getByTestId('webhook-secret'))).resolves.toBe(true);
    await shot(admin, 'webhooks-secret-revealed-1366.png');
    await admin.getByTestId('webhook-secret-reveal').click();
    await expect.poll(() => admin.getByTestId('webhook-secret').getAttribute('data-shown'), { timeout: WAIT }).toBe('false');

    const [listed] = (await api('GET', '/api/v1/webhooks')).items;
    expect(listed).toMatchObject({ id: endpointId, url: receiver.url, description: DESCRIPTION, enabled: true, events: EVENTS });
    expect(receiver.got).toEqual([]);
  });

  it('the list: the address, two events, on; Russian and English; axe finds nothing serious', async () => {
    await admin.getByTestId('webhook-back').click();
    const row = admin.locator(`[data-testid="webhook-row"][data-webhook-id="${endpointId}"]`);
    await row.waitFor({ timeout: WAIT });
    await expect.poll(() => admin.evaluate(() => document.activeElement?.getAttribute('data-testid')), { timeout: WAIT }).toBe('webhooks-title');
    await expect(row.getByTestId('webhook-row-url').textContent()).resolves.toBe(receiver.url);
    await expect(row.textContent()).resolves.toContain(DESCRIPTION);
    await expect(row.getByTestId('webhook-row-events').textContent()).resolves.toMatch(/^2 из \d+/);
    await expect(row.getByTestId('webhook-health').getAttribute('data-health')).resolves.toBe('ok');
    await expect(row.getByTestId('webhook-health').textContent()).resolves.toBe('Включён');
    await noSidewaysOverflow(admin);
    await shot(admin, 'webhooks-list-1366.png');
    reports.list = await axeCheck(admin, 'webhooks list');

    await admin.getByTestId('lang-en').click();
    await expect.poll(() => admin.getByTestId('webhooks-title').textContent(), { timeout: WAIT }).toBe('Webhooks');
    await expect(row.getByTestId('webhook-row-events').textContent()).resolves.toMatch(/^2 of \d+/);
    await expect(row.getByTestId('webhook-health').textContent()).resolves.toBe('Enabled');
    await noSidewaysOverflow(admin);
    await shot(admin, 'webhooks-list-en-1366.png');
    await admin.getByTestId('lang-ru').click();
    await expect.poll(() => admin.getByTestId('webhooks-title').textContent(), { timeout: WAIT }).toBe('Вебхуки');
  });

  it('a visitor writes: dialog.created is answered 500, the log shows the failed attempt and the retry to come', async () => {
    await admin.locator(`[data-testid="webhook-row"][data-webhook-id="${endpointId}"]`).getByTestId('webhook-open').click();
    await admin.getByTestId('delivery-log-empty').waitFor({ timeout: WAIT });

    await visitor.goto(server.demoUrl);
    await visitor.getByTestId('frontline-launcher').click();
    const input = chatFrame(visitor).getByTestId('composer-input');
    await input.waitFor({ timeout: WAIT });
    await input.fill(VISITOR_TEXT);
    await input.press('Enter');
    await chatFrame(visitor).locator('[data-testid="message"][data-author="visitor"][data-state="sent"]', { hasText: VISITOR_TEXT }).waitFor({ timeout: WAIT });

    // The dialog's first event comes first, and fails.
    const first = await receiver.until('a first request', () => receiver.got[0]);
    expect(first.type).toBe('dialog.created');
    expect(first.status).toBe(500);
    expect(signedBy(secret, first)).toBe(true);

    const failed = rowsOf(admin, 'dialog.created').first();
    await refreshUntil(admin, async () => (await failed.count()) > 0 && (await failed.locator('.http-bad').count()) > 0);
    await expect(failed.getByTestId('delivery-status').getAttribute('data-status')).resolves.toBe('pending');
    await expect(failed.getByTestId('delivery-status').textContent()).resolves.toBe('Ожидает');
    await expect(failed.locator('.http-bad').textContent()).resolves.toBe('500');
    // The retry is held by the receiver: it is still to come, or on its way.
    await expect(failed.getByTestId('delivery-next-attempt').textContent()).resolves.toMatch(/^повтор в \d{1,2} \S+, \d\d:\d\d:\d\d$/);
    await expect(failed.locator('td.num').first().textContent()).resolves.toMatch(/^[12]$/);
    // The visitor's message waits behind the failing event of the same dialog.
    const waiting = rowsOf(admin, 'message.created');
    await expect(waiting.count()).resolves.toBeGreaterThan(0);
    for (const r of await waiting.all()) {
      await expect(r.getByTestId('delivery-status').getAttribute('data-status')).resolves.toBe('pending');
      // Never tried: no "retry at" for it.
      await expect(r.getByTestId('delivery-next-attempt').count()).resolves.toBe(0);
    }
    expect(receiver.of('message.created')).toEqual([]);
    await noSidewaysOverflow(admin);
    await admin.getByTestId('delivery-log').scrollIntoViewIfNeeded();
    await shot(admin, 'webhooks-detail-retry-1366.png');
  });

  it('the retry ~5 s later is answered 200; message.created follows; every signature is valid', async () => {
    const failedId = receiver.got[0].id;
    receiver.releaseRetry();
    const retried = await receiver.until('the retry of dialog.created', () => receiver.got.filter((r) => r.id === failedId)[1], 30_000);
    expect(retried.status).toBe(200);
    expect(retried.body).toBe(receiver.got[0].body);
    const message = await receiver.until('the visitor\'s message.created', () =>
      receiver.of('message.created').find((r) => JSON.parse(r.body).data?.message?.body === VISITOR_TEXT),
    );
    expect(message.status).toBe(200);

    const body = JSON.parse(message.body);
    expect(body).toMatchObject({ type: 'message.created', version: 1, data: { message: { body: VISITOR_TEXT } } });
    expect(JSON.parse(retried.body).data.dialog.id).toBe(body.data.dialog.id);
    const now = Math.floor(Date.now() / 1000);
    for (const r of receiver.got) {
      expect(r.id).toBe(`msg_${JSON.parse(r.body).id.replace(/-/g, '')}`);
      expect(Math.abs(Number(r.timestamp) - now)).toBeLessThan(120);
      expect(r.signature).toMatch(/^v1,/);
      expect(signedBy(secret, r), `${r.type} ${r.id}`).toBe(true);
      // A wrong key or a changed body does not verify.
      expect(signedBy(`whsec_${Buffer.alloc(32, 1).toString('base64')}`, r)).toBe(false);
      expect(signedBy(secret, { ...r, body: `${r.body} ` })).toBe(false);
    }
    expect(receiver.got.every((r) => EVENTS.includes(r.type))).toBe(true);

    const delivered = async () => {
      const rows = await admin.getByTestId('delivery-row').all();
      if (rows.length < 2) return false;
      const states = await Promise.all(rows.map((r) => r.getByTestId('delivery-status').getAttribute('data-status')));
      return states.every((s) => s === 'delivered');
    };
    await refreshUntil(admin, delivered);
    const retriedRow = rowsOf(admin, 'dialog.created').first();
    await expect(retriedRow.locator('td.num').first().textContent()).resolves.toBe('2');
    await expect(retriedRow.locator('.http-ok').textContent()).resolves.toBe('200');
  });

  it('"Send test event": the receiver gets webhook.test and the log shows it delivered', async () => {
    const before = receiver.got.length;
    await admin.getByTestId('webhook-test').click();
    await expect(admin.getByTestId('webhook-test-sent').textContent()).resolves.toBe('Тестовое событие отправлено — результат смотрите в журнале ниже.');
    const test = await receiver.until('webhook.test', () => receiver.got.slice(before).find((r) => r.type === 'webhook.test'));
    expect(test.status).toBe(200);
    expect(signedBy(secret, test)).toBe(true);
    expect(JSON.parse(test.body).data.endpoint_id).toBe(endpointId);
    // The page reads the log again by itself after a test, until nothing is pending.
    const row = rowsOf(admin, 'webhook.test');
    await expect.poll(() => row.count(), { timeout: WAIT }).toBe(1);
    await expect.poll(() => row.getByTestId('delivery-status').getAttribute('data-status'), { timeout: WAIT }).toBe('delivered');
    await expect(row.textContent()).resolves.toContain('Тестовое событие');
    await noSidewaysOverflow(admin);
    await admin.getByTestId('delivery-log').scrollIntoViewIfNeeded();
    await shot(admin, 'webhooks-detail-1366.png');
    reports.detail = await axeCheck(admin, 'webhook endpoint page');
  });

  it('a delivery\'s dialog shows both attempts and the body; Replay sends the same webhook-id again', async () => {
    const failedId = receiver.got[0].id;
    const row = rowsOf(admin, 'dialog.created').first();
    await row.getByTestId('delivery-open').click();
    const dialog = admin.getByTestId('delivery-dialog');
    await dialog.waitFor({ timeout: WAIT });
    await expect(dialog.getByTestId('delivery-webhook-id').textContent()).resolves.toBe(failedId);
    const attempts = dialog.getByTestId('delivery-attempt');
    await expect.poll(() => attempts.count(), { timeout: WAIT }).toBe(2);
    await expect(attempts.nth(0).locator('.http-bad').textContent()).resolves.toBe('500');
    await expect(attempts.nth(0).textContent()).resolves.toContain('crm is restarting');
    // An answer with a status is no connection error: the code says it, the answer's start shows.
    await expect(attempts.nth(0).getByTestId('delivery-attempt-error').count()).resolves.toBe(0);
    await expect(attempts.nth(1).locator('.http-ok').textContent()).resolves.toBe('200');
    await expect(dialog.getByTestId('delivery-status').getAttribute('data-status')).resolves.toBe('delivered');
    // The request body is the one the receiver got, byte for byte once parsed.
    expect(JSON.parse((await dialog.getByTestId('delivery-body').textContent()) ?? '')).toEqual(JSON.parse(receiver.got[0].body));
    // "Close" has the focus: a stray Enter does not replay.
    await expect.poll(() => admin.evaluate(() => document.activeElement?.getAttribute('data-testid')), { timeout: WAIT }).toBe('delivery-close');
    await noSidewaysOverflow(admin);
    await shot(admin, 'webhooks-delivery-1366.png');

    const before = receiver.got.length;
    await dialog.getByTestId('delivery-replay').click();
    await expect(dialog.getByTestId('delivery-replayed').textContent()).resolves.toBe('Событие отправлено ещё раз — новая доставка появилась в журнале.');
    const again = await receiver.until('the replay', () => receiver.got.slice(before).find((r) => r.id === failedId));
    expect(again.status).toBe(200);
    expect(again.body).toBe(receiver.got[0].body);
    expect(signedBy(secret, again)).toBe(true);
    await dialog.getByTestId('delivery-close').click();
    await dialog.waitFor({ state: 'detached', timeout: WAIT });
    // The replay is a delivery of its own in the log, with the same webhook-id.
    await expect.poll(() => rowsOf(admin, 'dialog.created').count(), { timeout: WAIT }).toBe(2);
    const replayed = rowsOf(admin, 'dialog.created').first();
    await expect.poll(() => replayed.getByTestId('delivery-status').getAttribute('data-status'), { timeout: WAIT }).toBe('delivered');
    const log = (await api('GET', `/api/v1/webhooks/${endpointId}/deliveries`)).items;
    expect(log.filter((d: { webhook_id: string }) => d.webhook_id === failedId)).toHaveLength(2);
  });

  it('axe finds nothing critical or serious on the list and the endpoint\'s page', () => {
    const found: string[] = [];
    for (const [where, report] of Object.entries(reports)) {
      for (const v of blocking(report)) for (const n of v.nodes) found.push(`${where}: ${v.impact} ${v.id} ${n.target.join(' ')}`);
    }
    expect(Object.keys(reports).sort()).toEqual(['detail', 'list']);
    expect(found).toEqual([]);
  });

  it('no page logged an unexpected error', () => {
    // Expected: the console asks /me before signing in (401).
    const expected = [/HTTP 401: GET \S+\/api\/v1\/me$/, /status of 401/];
    const real = errors.filter((e) => !e.includes('favicon') && !expected.some((re) => re.test(e)));
    expect(real).toEqual([]);
  });
});
