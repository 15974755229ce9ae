/**
 * The widget's JavaScript API (issue 16) in real browsers against a real server: identity
 * verification across browsers, a refused identify, reset at sign-out, attributes and events,
 * and the `message` event.
 *
 * The admin reads the demo site's identity secret over REST (strict by default); Node computes
 * the hashes as a site's backend would. Browser A opens the demo page, calls
 * `Frontline.identify('42', {hash})` once the script is there and writes. Browser B (another
 * context: another browser) queues the identify with the stub before the script loads, and
 * sees A's message: 42's own history (screenshot). Browser C is 77 by
 * `FrontlineSettings.user` and sees nothing of 42's; then an identify as 42 with a wrong hash
 * is refused (`error` event, `identity_refused`) and still nothing of 42's shows (screenshot).
 * B signs out: `Frontline.reset()` leaves an empty anonymous chat and no user token
 * (screenshot). A tracks an event and sets an attribute: the admin API shows them on 42's
 * visitor card, with `user_id`. Last, an operator's reply reaches A's `message` handler
 * (screenshot). Screenshots go to ../artifacts/screenshots/.
 */
import { createHmac } from 'node:crypto';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { launchBrowser, watchErrors } from './browser';
import { adminSession, chatFrame, reportFailure, shot, WAIT, type AdminApi } from './helpers';
import { startServer, type RunningServer } from './server';

const A_TEXT = 'Здравствуйте, я пользователь 42: где мой заказ?';
const REPLY_TEXT = 'Заказ 42 уже в пути, будет завтра.';
const EVENTS = ['ready', 'message', 'unread', 'error', 'open', 'close'];

let server: RunningServer;
let browser: Browser;
let api: AdminApi;
let me: any;
let secret = '';
const contexts: BrowserContext[] = [];
const pages: Record<'a' | 'b' | 'c', Page> = {} as never;
let dialogId = '';
const errors: string[] = [];

const hmac = (userId: string) => createHmac('sha256', secret).update(userId).digest('hex');

/** What a page's handlers heard (`window.__fl`, filled by `Frontline.on`). */
type Heard = { event: string; data: any }[];
const heard = (page: Page): Promise<Heard> => page.evaluate(() => (window as any).__fl ?? []);

/** Waits until the page heard `event` with data matching `check`. */
async function hears(page: Page, event: string, data: Record<string, unknown>): Promise<void> {
  await expect
    .poll(async () => (await heard(page)).some((h) => h.event === event && Object.entries(data).every(([k, v]) => h.data?.[k] === v)), {
      timeout: WAIT,
    })
    .toBe(true);
}

/**
 * What a site puts before the script tag: the stub that queues calls (as docs/widget.md
 * gives it), handlers for every event, and then `calls`.
 */
function beforeScript(calls: string): string {
  return `
    window.__fl = [];
    window.Frontline = window.Frontline || function () { (window.Frontline.q = window.Frontline.q || []).push(arguments); };
    for (const e of ${JSON.stringify(EVENTS)}) Frontline('on', e, (d) => window.__fl.push({ event: e, data: d }));
    ${calls}
  `;
}

async function newPage(label: 'a' | 'b' | 'c', init?: string): Promise<Page> {
  const context = await browser.newContext({ locale: 'ru-RU', viewport: { width: 1280, height: 820 } });
  contexts.push(context);
  if (init) await context.addInitScript({ content: init });
  const page = await context.newPage();
  watchErrors(page, label, errors);
  pages[label] = page;
  return page;
}

async function openChat(page: Page): Promise<void> {
  if ((await page.locator('[data-frontline-widget]').getAttribute('data-open')) !== 'true') {
    await page.getByTestId('frontline-launcher').click();
  }
  await chatFrame(page).getByTestId('composer-input').waitFor({ timeout: WAIT });
}

const messages = (page: Page) => chatFrame(page).getByTestId('message');

/** The frontline.* keys in the page's localStorage (the demo page is on the frame's origin). */
const storedKeys = (page: Page): Promise<string[]> =>
  page.evaluate(() => Object.keys(localStorage).filter((k) => k.startsWith('frontline.')).sort());

describe('the widget API: identify across browsers, a refused identify, reset, attributes, events, message', () => {
  beforeAll(async () => {
    server = await startServer();
    ({ api, me } = await adminSession(server));
    browser = await launchBrowser();
  });

  beforeEach(({ onTestFailed }) => onTestFailed(reportFailure(errors, server)));

  afterAll(async () => {
    if (errors.length) console.log(`browser notes (errors, failed requests, HTTP >= 400):\n${errors.join('\n')}`);
    for (const c of contexts) await c.close().catch(() => {});
    await browser?.close().catch(() => {});
    await server?.stop();
  });

  it('the admin reads the site\'s identity secret: a hash is required by default', async () => {
    const site = (await api('GET', '/api/v1/sites')).items[0];
    const identity = await api('GET', `/api/v1/sites/${site.id}/identity`);
    expect(identity.required).toBe(true);
    expect(identity.secret).toEqual(expect.any(String));
    expect(identity.secret.length).toBeGreaterThanOrEqual(20);
    secret = identity.secret;
    // Asked again, the same secret.
    expect((await api('GET', `/api/v1/sites/${site.id}/identity`)).secret).toBe(secret);
  });

  it('A: identify(\'42\') once the script is there, then writes', async () => {
    const a = await newPage('a');
    await a.goto(server.demoUrl);
    await a.waitForFunction(() => typeof (window as any).Frontline?.identify === 'function', undefined, { timeout: WAIT });
    await a.evaluate(
      ([events, hash]) => {
        const w = window as any;
        w.__fl = [];
        for (const e of events as string[]) w.Frontline.on(e, (d: unknown) => w.__fl.push({ event: e, data: d }));
        w.Frontline.identify('42', { hash });
      },
      [EVENTS, hmac('42')] as const,
    );
    await hears(a, 'ready', { userId: '42' });
    await openChat(a);
    await hears(a, 'open', {});
    const input = chatFrame(a).getByTestId('composer-input');
    await input.fill(A_TEXT);
    await input.press('Enter');
    await chatFrame(a).locator('[data-testid="message"][data-author="visitor"][data-state="sent"]', { hasText: A_TEXT }).waitFor({ timeout: WAIT });
    // The token is kept as 42's.
    expect(await storedKeys(a)).toContain('frontline.user.' + (await siteKey()));
    expect((await heard(a)).filter((h) => h.event === 'error')).toEqual([]);
    await shot(a, 'identity-a-identified.png');
  });

  it('B, another browser: identify queued by the stub before the script loads; 42\'s own history shows', async () => {
    // The site names its user while he is signed in (its own flag plays its session here).
    const b = await newPage(
      'b',
      beforeScript(`if (!localStorage.getItem('site.signed_out')) Frontline('identify', '42', { hash: ${JSON.stringify(hmac('42'))} });`),
    );
    await b.goto(server.demoUrl);
    await hears(b, 'ready', { userId: '42' });
    // The stub's identify came before the session opened: B was never an anonymous visitor.
    expect((await heard(b)).filter((h) => h.event === 'ready')).toEqual([{ event: 'ready', data: { userId: '42' } }]);
    await openChat(b);
    await chatFrame(b).locator('[data-testid="message"][data-author="visitor"]', { hasText: A_TEXT }).waitFor({ timeout: WAIT });
    await expect(messages(b).count()).resolves.toBe(1);
    await shot(b, 'identity-b-history.png');
  });

  it('C is 77 (FrontlineSettings.user): nothing of 42\'s; identify as 42 with a wrong hash is refused, still nothing', async () => {
    const c = await newPage('c', `window.FrontlineSettings = { user: { id: '77', hash: ${JSON.stringify(hmac('77'))} } };` + beforeScript(''));
    await c.goto(server.demoUrl);
    await hears(c, 'ready', { userId: '77' });
    await openChat(c);
    await expect(messages(c).count()).resolves.toBe(0);
    await expect(chatFrame(c).locator('body').textContent()).resolves.not.toContain(A_TEXT);

    const readies = (await heard(c)).filter((h) => h.event === 'ready').length;
    await c.evaluate(() => (window as any).Frontline.identify('42', { hash: 'wrong' }));
    await hears(c, 'error', { code: 'identity_refused' });
    const error = (await heard(c)).find((h) => h.event === 'error')!;
    expect(error.data).toMatchObject({ code: 'identity_refused', field: 'user_hash', message: expect.any(String) });
    // Then an anonymous chat: a new ready, of nobody.
    await expect.poll(async () => (await heard(c)).filter((h) => h.event === 'ready').length, { timeout: WAIT }).toBe(readies + 1);
    expect((await heard(c)).filter((h) => h.event === 'ready').at(-1)!.data).toEqual({ userId: null });
    await chatFrame(c).getByTestId('composer-input').waitFor({ timeout: WAIT });
    await expect(messages(c).count()).resolves.toBe(0);
    await expect(chatFrame(c).locator('body').textContent()).resolves.not.toContain(A_TEXT);
    // No token of a user stays in this browser.
    expect((await storedKeys(c)).filter((k) => k.startsWith('frontline.user.'))).toEqual([]);
    await shot(c, 'identity-c-refused.png');
  });

  it('B signs out: reset() folds the chat; opened again it is empty and anonymous, no user token kept', async () => {
    const b = pages.b;
    const readies = (await heard(b)).filter((h) => h.event === 'ready').length;
    await b.evaluate(() => {
      localStorage.setItem('site.signed_out', '1');
      (window as any).Frontline.reset();
    });
    await expect.poll(() => b.locator('[data-frontline-widget]').getAttribute('data-open'), { timeout: WAIT }).toBe('false');
    await hears(b, 'close', {});
    await expect.poll(async () => (await heard(b)).filter((h) => h.event === 'ready').length, { timeout: WAIT }).toBe(readies + 1);
    expect((await heard(b)).filter((h) => h.event === 'ready').at(-1)!.data).toEqual({ userId: null });
    await openChat(b);
    await expect(messages(b).count()).resolves.toBe(0);
    await expect(chatFrame(b).locator('body').textContent()).resolves.not.toContain(A_TEXT);
    const key = await siteKey();
    expect(await storedKeys(b)).not.toContain(`frontline.user.${key}`);
    await shot(b, 'identity-b-after-reset.png');
    // A reload stays anonymous: the page no longer names anyone.
    await b.reload();
    await hears(b, 'ready', { userId: null });
    await openChat(b);
    await expect(messages(b).count()).resolves.toBe(0);
  });

  it('A tracks an event and sets an attribute: the admin sees them on 42\'s card', async () => {
    const a = pages.a;
    await a.evaluate(() => {
      const f = (window as any).Frontline;
      f.track('order_paid', { sum: 1500 });
      f.setAttributes({ plan: 'pro' });
    });
    const list = await api('GET', '/api/v1/dialogs?status=all&limit=50');
    const found = list.items.find((d: any) => d.last_message?.preview?.includes(A_TEXT.slice(0, 30)));
    expect(found, 'A\'s dialog').toBeTruthy();
    dialogId = found.id;
    await expect
      .poll(async () => {
        const card = await api('GET', `/api/v1/dialogs/${dialogId}/visitor`);
        return {
          user_id: card.user_id,
          plan: card.attributes.find((x: any) => x.name === 'plan')?.value ?? null,
          paid: card.events.some((e: any) => e.name === 'order_paid'),
        };
      }, { timeout: WAIT })
      .toEqual({ user_id: '42', plan: 'pro', paid: true });
    const card = await api('GET', `/api/v1/dialogs/${dialogId}/visitor`);
    expect(card.recent_events.find((e: any) => e.name === 'order_paid')?.properties).toEqual({ sum: 1500 });
    expect((await heard(a)).filter((h) => h.event === 'error')).toEqual([]);
  });

  it('an operator\'s reply reaches A\'s message handler', async () => {
    const a = pages.a;
    const reply = () => api('POST', `/api/v1/dialogs/${dialogId}/messages`, { client_id: `e2e-identity-${Date.now()}`, body: REPLY_TEXT });
    try {
      await reply();
    } catch {
      // Not his dialog yet: the admin takes it, then answers.
      await api('POST', `/api/v1/dialogs/${dialogId}/assign`, { operator_id: me.operator.id });
      await reply();
    }
    await hears(a, 'message', { text: REPLY_TEXT });
    const got = (await heard(a)).find((h) => h.event === 'message')!;
    expect(Number.isNaN(Date.parse(got.data.at))).toBe(false);
    await chatFrame(a).locator('[data-testid="message"][data-author="operator"]', { hasText: REPLY_TEXT }).waitFor({ timeout: WAIT });
    await shot(a, 'identity-a-reply.png');
  });
});

let key = '';
async function siteKey(): Promise<string> {
  key ||= (await api('GET', '/api/v1/sites')).items[0].key;
  return key;
}
