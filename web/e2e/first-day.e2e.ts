/**
 * Issue 12: an operator's first day, in a real browser against a real server, at 1366×768 (a
 * typical office laptop) and 1920×1080.
 *
 * Анна, a new operator, signs in: she is offline and a banner says so; one click puts her
 * online and a reload keeps it (the server holds her presence). Two visitors write. The first
 * Tab reaches the skip link and Enter the first chat; J / K move through the list, A accepts
 * (the reply box takes the focus), Alt+↓ moves on from the reply box, S and T open the snooze
 * menu and the transfer window with the focus inside and give it back on Esc, `?` shows the
 * shortcuts (not while typing), in Russian and English. The layout is measured: the
 * conversation has at least half the screen's height, the dialog's header is one line, no
 * list row is cut or scrolls sideways, every badge is labelled; the admin's navigation keeps
 * every page and the workspace's name in reach at 1366 px. An SLA breach (next reply due in
 * 10 s) brings a one-line note under the top bar that covers no control (not the composer's
 * Send, not the admin's Save), goes by itself, and leaves the breach on the row and in the
 * header. Shift+C closes and the focus lands on "Reopen". axe-core runs on the list, an open
 * dialog, an admin page and the widget: counts per impact level are printed, and no critical
 * or serious violation may remain.
 *
 * Screenshots (first-day-*.png) go to ../artifacts/screenshots/.
 */
import { mkdirSync } from 'node:fs';
import type { Browser, BrowserContext, Frame, Page } from 'playwright-core';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { axeCheck, blocking, type AxeReport } from './axe';
import { launchBrowser, watchErrors } from './browser';
import { adminSession, chatFrame, reportFailure, shot, shotsDir, signIn, type AdminApi, WAIT } from './helpers';
import { startServer, type RunningServer } from './server';

const ANNA_EMAIL = 'anna@example.com';
const ANNA_PASSWORD = 'first-day-password';
const FIRST_TEXT = 'Здравствуйте! Когда привезут мой заказ № 1042?';
const SECOND_TEXT = 'Можно ли поменять цвет фасадов на дуб?';
const REPLY_TEXT = 'Здравствуйте! Сейчас посмотрю ваш заказ.';
const AGAIN_TEXT = 'Жду, спасибо. А сборку тоже привезут?';
const LAPTOP = { width: 1366, height: 768 };
const WIDE = { width: 1920, height: 1080 };

let server: RunningServer;
let browser: Browser;
const contexts: BrowserContext[] = [];
let anna: Page;
let admin: Page;
let first: Page;
let second: Page;
let api: AdminApi;
let annaId = '';
const ids = { first: '', second: '' };
const errors: string[] = [];
const reports: Record<string, AxeReport> = {};

const focusedTestId = (page: Page) => page.evaluate(() => document.activeElement?.getAttribute('data-testid') ?? document.activeElement?.tagName ?? null);
const row = (page: Page, id: string) => page.locator(`[data-testid="dialog-row"][data-dialog-id="${id}"]`);
const rowOrder = (page: Page) => page.getByTestId('dialog-row').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-dialog-id')));

/** A visitor opens the widget on the demo page and writes. */
async function visitorWrites(page: Page, text: string): Promise<void> {
  if (!page.url().startsWith(server.demoUrl)) {
    await page.goto(server.demoUrl);
    await page.getByTestId('frontline-launcher').click();
  }
  const input = chatFrame(page).getByTestId('composer-input');
  await input.waitFor({ timeout: WAIT });
  await input.fill(text);
  await input.press('Enter');
  await chatFrame(page).locator('[data-testid="message"][data-author="visitor"][data-state="sent"]', { hasText: text }).waitFor({ timeout: WAIT });
}

async function dialogIdOf(text: string): Promise<string> {
  const list = await api('GET', '/api/v1/dialogs?status=all&limit=50');
  const found = list.items.find((d: any) => d.last_message?.preview?.includes(text));
  expect(found, `a dialog whose last message is "${text}"`).toBeTruthy();
  return found.id;
}

/** Controls (buttons, links, fields) a note overlaps and hides: what an operator could not click. */
function coveredControls(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const hidden: string[] = [];
    for (const note of document.querySelectorAll<HTMLElement>('.toast')) {
      const a = note.getBoundingClientRect();
      for (const c of document.querySelectorAll<HTMLElement>('button, a[href], input, select, textarea')) {
        if (note.contains(c)) continue;
        const b = c.getBoundingClientRect();
        if (b.width < 2 || b.height < 2) continue;
        const left = Math.max(a.left, b.left);
        const right = Math.min(a.right, b.right);
        const top = Math.max(a.top, b.top);
        const bottom = Math.min(a.bottom, b.bottom);
        if (left >= right || top >= bottom) continue;
        const x = (left + right) / 2;
        const y = (top + bottom) / 2;
        const over = document.elementFromPoint(x, y);
        if (!over || !note.contains(over)) continue;
        // Covered only if the control would be there without the note (not scrolled out of its box).
        note.style.visibility = 'hidden';
        const under = document.elementFromPoint(x, y);
        note.style.visibility = '';
        if (under && c.contains(under)) hidden.push(c.getAttribute('data-testid') ?? c.tagName);
      }
    }
    return hidden;
  });
}

/** The element at a control's centre is the control: nothing lies over it. */
function reachable(page: Page, testid: string): Promise<boolean> {
  return page.getByTestId(testid).first().evaluate((el) => {
    const b = el.getBoundingClientRect();
    const over = document.elementFromPoint(b.left + b.width / 2, b.top + b.height / 2);
    return !!over && (over === el || el.contains(over));
  });
}

/** What the layout measures: the conversation's height, the header's, and anything wider than its box. */
function measure(page: Page) {
  return page.evaluate(() => {
    const height = (sel: string) => document.querySelector(sel)?.getBoundingClientRect().height ?? 0;
    const wide = [document.documentElement, ...document.querySelectorAll<HTMLElement>('.app-header, .dialog-list-body, .dialog-row, .dialog-main, .dialog-header-row, .dialog-tools, .composer')]
      .filter((el) => el.scrollWidth > el.clientWidth + 1)
      .map((el) => `${el.className || el.tagName}: ${el.scrollWidth} > ${el.clientWidth}`);
    const row = document.querySelector('.dialog-header-row');
    const rowBox = row?.getBoundingClientRect();
    // One line: every item of the header's row sits within the height of one button row.
    const lines = row ? new Set([...row.children].filter((c) => (c as HTMLElement).offsetParent).map((c) => Math.round(c.getBoundingClientRect().top / 20))).size : 0;
    const title = document.querySelector('.dialog-title-name');
    return {
      viewport: innerHeight,
      titleCut: !!title && title.scrollWidth > title.clientWidth + 1,
      conversation: height('.timeline'),
      header: rowBox?.height ?? 0,
      headerLines: lines,
      wide,
    };
  });
}

/** Every badge on the list's rows says in words what it shows (title, aria-label or hidden words). */
function unlabelledBadges(page: Page): Promise<string[]> {
  return page.evaluate(() =>
    [...document.querySelectorAll<HTMLElement>('.dialog-row .badge, .dialog-row .pending-badge, .dialog-row .sla-countdown, .dialog-row .alert-mark, .dialog-row .row-tag, .dialog-row .origin-badge, .dialog-row .waiting-time')]
      .filter((b) => !b.title && !b.getAttribute('aria-label') && !b.querySelector('.visually-hidden'))
      .map((b) => b.className),
  );
}

/** Names on the rows cut short (an ellipsis where the name should read whole). */
function cutNames(page: Page): Promise<string[]> {
  return page.evaluate(() =>
    [...document.querySelectorAll<HTMLElement>('[data-testid="dialog-row-name"]')].filter((n) => n.scrollWidth > n.clientWidth + 1).map((n) => n.textContent ?? ''),
  );
}

describe("an operator's first day: going online, the keyboard, the layout on a laptop, notes that cover nothing, axe", () => {
  beforeAll(async () => {
    mkdirSync(shotsDir, { recursive: true });
    server = await startServer();
    let me: any;
    ({ api, me } = await adminSession(server));
    const created = await api('POST', '/api/v1/operators', { email: ANNA_EMAIL, display_name: 'Анна Соколова', password: ANNA_PASSWORD, role: 'operator' });
    annaId = created.id;
    const channels = await api('GET', '/api/v1/channels');
    const general = channels.items.find((c: { is_default: boolean }) => c.is_default);
    await api('PUT', `/api/v1/channels/${general.id}/members`, { operator_ids: [me.operator.id, annaId] });
    // A first reply is due in 10 minutes (the header counts it down); a next reply in 10 s (it breaches during the test).
    const doc = await api('GET', `/api/v1/channels/${general.id}/automation`);
    doc.sla = { ...doc.sla, enabled: true, business_hours: false, first_reply_seconds: 600, next_reply_seconds: 10 };
    await api('PUT', `/api/v1/channels/${general.id}/automation`, doc);

    browser = await launchBrowser();
    for (let i = 0; i < 4; i++) contexts.push(await browser.newContext({ locale: 'ru-RU', viewport: LAPTOP }));
    [anna, admin, first, second] = await Promise.all(contexts.map((c) => c.newPage()));
    watchErrors(anna, 'anna', errors);
    watchErrors(admin, 'admin', errors);
    watchErrors(first, 'first', errors);
    watchErrors(second, 'second', errors);
  });

  beforeEach(({ onTestFailed }) => onTestFailed(reportFailure(errors, server)));

  afterAll(async () => {
    for (const c of contexts) await c.close().catch(() => {});
    await browser?.close().catch(() => {});
    await server?.stop();
  });

  it('Анна signs in offline: a banner says so, one click puts her online, and a reload keeps it', async () => {
    await signIn(anna, server, ANNA_EMAIL, ANNA_PASSWORD);
    const banner = anna.getByTestId('presence-banner');
    await banner.waitFor({ timeout: WAIT });
    await expect(banner.textContent()).resolves.toBe('Вы не в сети: новые чаты к вам не попадутВыйти в сеть');
    await expect(anna.getByTestId('presence').getAttribute('data-presence')).resolves.toBe('offline');
    await shot(anna, 'first-day-offline.png');

    const put = anna.waitForRequest((r) => r.url().endsWith('/api/v1/me/presence') && r.method() === 'PUT', { timeout: WAIT });
    await anna.getByTestId('go-online').click();
    expect((await put).postDataJSON()).toEqual({ presence: 'online' });
    await banner.waitFor({ state: 'detached', timeout: WAIT });
    await expect(anna.getByTestId('presence').getAttribute('data-presence')).resolves.toBe('online');
    // The button went with the banner: the presence switch, now "online", has the focus.
    await expect.poll(() => focusedTestId(anna), { timeout: WAIT }).toBe('presence');

    // The server keeps her choice: after a reload she is online and no banner shows.
    await anna.reload();
    await anna.getByTestId('dialog-list').waitFor({ timeout: WAIT });
    await expect.poll(() => anna.getByTestId('presence').getAttribute('data-presence'), { timeout: WAIT }).toBe('online');
    await expect(banner.count()).resolves.toBe(0);
    const operators = await api('GET', '/api/v1/operators');
    expect(operators.items.find((o: { id: string }) => o.id === annaId).presence).toBe('online');
  });

  it('two visitors write; the first Tab reaches the skip link and Enter the first chat', async () => {
    await visitorWrites(first, FIRST_TEXT);
    await visitorWrites(second, SECOND_TEXT);
    ids.first = await dialogIdOf(FIRST_TEXT);
    ids.second = await dialogIdOf(SECOND_TEXT);
    await row(anna, ids.first).waitFor({ timeout: WAIT });
    await row(anna, ids.second).waitFor({ timeout: WAIT });

    await anna.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
    await anna.keyboard.press('Tab');
    await expect(focusedTestId(anna)).resolves.toBe('skip-to-list');
    await shot(anna, 'first-day-skip-link.png');
    await anna.keyboard.press('Enter');
    await expect(focusedTestId(anna)).resolves.toBe('dialog-row');
    // The first row of the list ("longest waiting" first: the first visitor).
    await expect(anna.evaluate(() => document.activeElement?.getAttribute('data-dialog-id'))).resolves.toBe(ids.first);
  });

  it('J and K move through the list, A accepts and the reply box takes the focus, Alt+↓ moves on from it', async () => {
    await anna.keyboard.press('Enter');
    await anna.getByTestId('dialog-view').waitFor({ timeout: WAIT });
    await anna.locator('.timeline').click({ position: { x: 5, y: 5 } });

    await anna.keyboard.press('j');
    await expect.poll(() => anna.getByTestId('dialog-view').getAttribute('data-dialog-id'), { timeout: WAIT }).toBe(ids.second);
    await expect.poll(() => anna.evaluate(() => document.activeElement?.getAttribute('data-dialog-id')), { timeout: WAIT }).toBe(ids.second);
    await anna.keyboard.press('k');
    await expect.poll(() => anna.getByTestId('dialog-view').getAttribute('data-dialog-id'), { timeout: WAIT }).toBe(ids.first);
    await expect.poll(() => focusedTestId(anna), { timeout: WAIT }).toBe('dialog-row');

    // Waiting and not taken: «Принять» and the reply countdown share the header's one line with the name.
    await anna.getByTestId('dialog-sla').waitFor({ timeout: WAIT });
    const crowded = await measure(anna);
    expect(crowded.headerLines).toBe(1);
    expect(crowded.titleCut).toBe(false);
    await shot(anna, 'first-day-waiting-1366.png');

    await anna.keyboard.press('a');
    await expect.poll(() => anna.getByTestId('assignee').getAttribute('data-assignee-id'), { timeout: WAIT }).toBe(annaId);
    // «Принять» is gone with the dialog taken: the reply box has the focus, ready to answer.
    await expect.poll(() => focusedTestId(anna), { timeout: WAIT }).toBe('composer-input');
    await anna.keyboard.type(REPLY_TEXT);
    await anna.keyboard.press('Enter');
    await chatFrame(first).locator('[data-testid="message"][data-author="operator"]', { hasText: REPLY_TEXT }).waitFor({ timeout: WAIT });

    // From the reply box Alt+↓ / Alt+↑ opens the dialog below / above (answered, the first one
    // may have moved in the list) and the focus stays in its reply box.
    const order = await rowOrder(anna);
    const down = order.indexOf(ids.first) < order.length - 1;
    await anna.keyboard.press(down ? 'Alt+ArrowDown' : 'Alt+ArrowUp');
    await expect.poll(() => anna.getByTestId('dialog-view').getAttribute('data-dialog-id'), { timeout: WAIT }).toBe(ids.second);
    await expect.poll(() => focusedTestId(anna), { timeout: WAIT }).toBe('composer-input');
    // Letters typed there are text, not commands.
    await anna.keyboard.type('j?');
    await expect(anna.getByTestId('composer-input').inputValue()).resolves.toBe('j?');
    await expect(anna.getByTestId('shortcut-help').count()).resolves.toBe(0);
    await anna.getByTestId('composer-input').fill('');
    await anna.keyboard.press(down ? 'Alt+ArrowUp' : 'Alt+ArrowDown');
    await expect.poll(() => anna.getByTestId('dialog-view').getAttribute('data-dialog-id'), { timeout: WAIT }).toBe(ids.first);
  });

  it('S and T open the snooze menu and the transfer window with the focus inside, and Esc gives it back', async () => {
    await anna.locator('.timeline').click({ position: { x: 5, y: 5 } });
    await anna.keyboard.press('s');
    await anna.getByTestId('snooze-menu').waitFor({ timeout: WAIT });
    await expect.poll(() => focusedTestId(anna), { timeout: WAIT }).toBe('snooze-1h');
    await anna.keyboard.press('Escape');
    await anna.getByTestId('snooze-menu').waitFor({ state: 'detached', timeout: WAIT });
    await expect.poll(() => focusedTestId(anna), { timeout: WAIT }).toBe('snooze');

    await anna.keyboard.press('t');
    await anna.getByTestId('transfer-dialog').waitFor({ timeout: WAIT });
    await expect.poll(() => anna.evaluate(() => !!document.activeElement?.closest('[data-testid="transfer-dialog"]')), { timeout: WAIT }).toBe(true);
    await anna.keyboard.press('Escape');
    await anna.getByTestId('transfer-dialog').waitFor({ state: 'detached', timeout: WAIT });
    await expect.poll(() => focusedTestId(anna), { timeout: WAIT }).toBe('transfer');
  });

  it('? shows the shortcuts in Russian and English', async () => {
    await anna.locator('.timeline').click({ position: { x: 5, y: 5 } });
    await anna.keyboard.press('?');
    const help = anna.getByTestId('shortcut-help');
    await help.waitFor({ timeout: WAIT });
    await expect(help.textContent()).resolves.toContain('Горячие клавиши');
    await expect(help.textContent()).resolves.toContain('Следующий диалог в списке');
    await expect.poll(() => focusedTestId(anna), { timeout: WAIT }).toBe('shortcut-help-close');
    await shot(anna, 'first-day-shortcuts.png');
    await anna.keyboard.press('Escape');
    await help.waitFor({ state: 'detached', timeout: WAIT });

    await anna.getByTestId('lang-en').click();
    await anna.getByTestId('shortcuts-open').click();
    await help.waitFor({ timeout: WAIT });
    await expect(help.textContent()).resolves.toContain('Keyboard shortcuts');
    await expect(help.textContent()).resolves.toContain('Next dialog in the list');
    await shot(anna, 'first-day-shortcuts-en.png');
    await anna.getByTestId('shortcut-help-close').click();
    await help.waitFor({ state: 'detached', timeout: WAIT });
    await expect.poll(() => focusedTestId(anna), { timeout: WAIT }).toBe('shortcuts-open');
    await anna.getByTestId('lang-ru').click();
  });

  it('at 1366×768 the conversation has half the screen, the header is one line, nothing is cut or scrolls sideways', async () => {
    const m = await measure(anna);
    console.log(`1366×768: conversation ${m.conversation} px of ${m.viewport} (${Math.round((m.conversation / m.viewport) * 100)} %), header row ${m.header} px`);
    expect(m.conversation).toBeGreaterThanOrEqual(m.viewport / 2);
    expect(m.headerLines).toBe(1);
    expect(m.header).toBeLessThanOrEqual(56);
    expect(m.titleCut).toBe(false);
    expect(m.wide).toEqual([]);
    await expect(cutNames(anna)).resolves.toEqual([]);
    await expect(unlabelledBadges(anna)).resolves.toEqual([]);
    await shot(anna, 'first-day-1366.png');

    // The filters fold into one row; unfolded they show whole, and the choice is kept.
    await anna.getByTestId('filters-toggle').click();
    await anna.getByTestId('filter-assignee').waitFor({ timeout: WAIT });
    await shot(anna, 'first-day-filters-open.png');
    await anna.getByTestId('filters-toggle').click();
    await anna.getByTestId('filter-assignee').waitFor({ state: 'detached', timeout: WAIT });

    await anna.setViewportSize(WIDE);
    const w = await measure(anna);
    console.log(`1920×1080: conversation ${w.conversation} px of ${w.viewport} (${Math.round((w.conversation / w.viewport) * 100)} %), header row ${w.header} px`);
    expect(w.conversation).toBeGreaterThanOrEqual(w.viewport / 2);
    expect(w.headerLines).toBe(1);
    expect(w.wide).toEqual([]);
    await shot(anna, 'first-day-1920.png');
    await anna.setViewportSize(LAPTOP);
  });

  it("the admin's navigation keeps every page and the workspace's name in reach at 1366 px, in both languages", async () => {
    await signIn(admin, server);
    const workspace = (await api('GET', '/api/v1/me')).workspace.name;
    for (const lang of ['ru', 'en']) {
      await admin.getByTestId(`lang-${lang}`).click();
      const nav = admin.getByTestId('admin-nav');
      await nav.waitFor({ timeout: WAIT });
      const links = await nav.locator('a').evaluateAll((as) =>
        as.map((a) => {
          const b = a.getBoundingClientRect();
          const box = a.closest('nav')!.getBoundingClientRect();
          return { text: a.textContent, inside: b.left >= box.left - 1 && b.right <= box.right + 1 && b.right <= innerWidth && b.width > 20 };
        }),
      );
      expect(links.filter((l) => !l.inside), `${lang}: links cut off`).toEqual([]);
      expect(await nav.evaluate((el) => el.scrollWidth <= el.clientWidth + 1)).toBe(true);
      const name = admin.getByTestId('workspace-name');
      await expect(name.textContent()).resolves.toBe(workspace);
      expect(await name.evaluate((el) => el.getBoundingClientRect().width > 0 && el.scrollWidth <= el.clientWidth + 1), `${lang}: the workspace's name whole`).toBe(true);
      expect(await admin.evaluate(() => document.documentElement.scrollWidth <= document.documentElement.clientWidth)).toBe(true);
      await shot(admin, `first-day-admin-nav-${lang}.png`);
    }
    await admin.getByTestId('lang-ru').click();
  });

  it('an SLA breach: a one-line note under the top bar that covers no control, goes by itself, and stays on the row and header', async () => {
    // The admin works on a channel's settings, where the Save button is.
    await admin.getByTestId('nav-channels').click();
    await admin.getByTestId('channel-editor').waitFor({ timeout: WAIT });

    // The visitor writes again: Анна's next reply is due in 10 s, and she does not answer.
    await visitorWrites(first, AGAIN_TEXT);
    const note = anna.locator(`[data-testid="sla-toast"][data-dialog-id="${ids.first}"]`);
    await note.waitFor({ timeout: 45_000 });
    await expect(note.getAttribute('data-target')).resolves.toBe('next_reply');
    await expect(note.textContent()).resolves.toContain('Просрочен ответ — диалог № ');
    const box = await note.boundingBox();
    expect(box!.height).toBeLessThanOrEqual(48);
    await expect(coveredControls(anna)).resolves.toEqual([]);
    for (const id of ['composer-send', 'composer-input', 'close-dialog', 'transfer', 'presence']) {
      expect(await reachable(anna, id), `${id} can be clicked`).toBe(true);
    }
    await shot(anna, 'first-day-sla-note.png');

    // The admin is told too, on his settings page: Save stays in reach.
    const adminNote = admin.locator(`[data-testid="sla-toast"][data-dialog-id="${ids.first}"]`);
    await adminNote.waitFor({ timeout: WAIT });
    await admin.getByTestId('channel-save').scrollIntoViewIfNeeded();
    await expect(coveredControls(admin)).resolves.toEqual([]);
    expect(await reachable(admin, 'channel-save')).toBe(true);
    await shot(admin, 'first-day-sla-note-admin.png');

    // It goes by itself after a few seconds in sight...
    await note.waitFor({ state: 'detached', timeout: 20_000 });
    // ...and the breach stays where the dialog is: its row and its header count the overdue reply.
    await expect(row(anna, ids.first).getByTestId('dialog-row-sla').getAttribute('data-overdue')).resolves.toBe('true');
    await expect(anna.getByTestId('dialog-sla').getAttribute('data-overdue')).resolves.toBe('true');
    // With the countdown in it the header is still one line and the visitor's name whole
    // (the buttons' words have folded into icons, their names kept as tooltips).
    const m = await measure(anna);
    expect(m.headerLines).toBe(1);
    expect(m.titleCut).toBe(false);
    await shot(anna, 'first-day-sla-after.png');
  });

  it('Shift+C closes the dialog and the focus lands on "Reopen"', async () => {
    await anna.locator('.timeline').click({ position: { x: 5, y: 5 } });
    await anna.keyboard.press('Shift+C');
    await expect.poll(() => anna.getByTestId('dialog-status').getAttribute('data-status'), { timeout: WAIT }).toBe('closed');
    await expect.poll(() => focusedTestId(anna), { timeout: WAIT }).toBe('reopen-dialog');
  });

  it('axe finds no critical or serious violation on the list, an open dialog, an admin page and the widget', async () => {
    await anna.getByTestId('nav-dialogs').click();
    await row(anna, ids.second).click();
    await anna.getByTestId('dialog-view').waitFor({ timeout: WAIT });
    reports.dialog = await axeCheck(anna, 'console, open dialog');
    await anna.goto(server.consoleUrl);
    await anna.getByTestId('dialog-none').waitFor({ timeout: WAIT });
    reports.list = await axeCheck(anna, 'console, list');
    reports.admin = await axeCheck(admin, 'console, admin channels page');
    const frame = second.frames().find((f: Frame) => f !== second.mainFrame())!;
    reports.widget = await axeCheck(frame, 'widget, open chat');
    const found: string[] = [];
    for (const [where, report] of Object.entries(reports)) {
      for (const v of blocking(report)) {
        for (const n of v.nodes) {
          const target = n.target.join(' ');
          found.push(`${where}: ${v.impact} ${v.id} ${target}`);
        }
      }
    }
    expect(found).toEqual([]);
  });

  it('no page logged an unexpected error', () => {
    // Expected: the console asks /me before signing in (401).
    const expected = [/HTTP 401: GET \S+\/api\/v1\/me$/, /status of 401/];
    const real = errors.filter((e) => !e.includes('favicon') && !expected.some((re) => re.test(e)));
    expect(real).toEqual([]);
  });
});
