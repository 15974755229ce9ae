/**
 * Complaints and blocks (issue 16) end to end, in a real browser against a real server, in
 * Russian (and English for the screenshots), at 1366×768.
 *
 * A widget visitor writes on /demo. Анна, an operator made through the admin API, opens his
 * dialog and reports him from the card: a report without a reason is refused at its field, one
 * with «Оскорбления» and a comment goes, a line says so, and the dialog stays open; she has no
 * "Block". The admin opens Rules → «Жалобы и блокировки», sees the complaint (the visitor, the
 * reason in words, the comment, who filed it, a link to the dialog), tries a bad address range
 * (refused at its field) and blocks him with a range and a note. The visitor's messages are then
 * refused: `POST /widget/v1/messages` with his token is `403 visitor_blocked` and makes nothing;
 * his page is shot as it is (the widget's own handling is another engineer's). The card shows
 * the red banner with who blocked him and when (shot in Russian and English, Анна's without
 * "Unblock"); the admin lifts the block from the blocks list after the browser asks, and the
 * visitor writes again. axe on the card and the page. Screenshots go to ../artifacts/screenshots/.
 */
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { axeCheck, blocking, type AxeReport } from './axe';
import { launchBrowser, watchErrors } from './browser';
import { adminSession, chatFrame, reportFailure, shot, signIn, WAIT, type AdminApi } from './helpers';
import { startServer, type RunningServer } from './server';

const ANNA_EMAIL = 'anna.moderation@example.com';
const ANNA_PASSWORD = 'moderation-password';
const ANNA_NAME = 'Анна Соколова';
const VISITOR_TEXT = 'Лучшие ставки на спорт! Переходите по ссылке bet-casino.example и получите бонус';
const COMMENT = 'Рассылает рекламу казино и грубит в ответ';
const NOTE = 'Спам-рассылка, третий раз за неделю';
const RANGE = '203.0.113.0/24';
const BLOCKED_TEXT = 'Ну что, снова здравствуйте';
const AGAIN_TEXT = 'Извините, больше не повторится. Подскажите про доставку?';
const LAPTOP = { width: 1366, height: 768 };

let server: RunningServer;
let browser: Browser;
const contexts: BrowserContext[] = [];
let admin: Page;
let anna: Page;
let visitor: Page;
let api: AdminApi;
let adminName = '';
let dialogId = '';
let visitorNumber = 0;
let token = '';
const errors: string[] = [];
const reports: Record<string, AxeReport> = {};

const note = (scope: Page | Locator, field: string): Locator => scope.locator(`[data-testid="field-error"][data-field="${field}"]`);
const complaintRow = (page: Page): Locator => page.locator('[data-testid="complaint"]').first();

/** Nothing sticks out sideways: not the page, not the admin page, not the card. */
async function noSidewaysOverflow(page: Page): Promise<void> {
  const wide = await page.evaluate(() =>
    [document.documentElement, ...document.querySelectorAll<HTMLElement>('.admin-page, .admin-card, .app-header, .page-tabs, .visitor-card, .card-blocked, .mod-form')]
      .filter((el) => el.scrollWidth > el.clientWidth + 1)
      .map((el) => `${el.className}: ${el.scrollWidth} > ${el.clientWidth}`),
  );
  expect(wide).toEqual([]);
}

/** Switches the console's language and waits for `heading` to read `title`. */
async function setLang(page: Page, lang: 'ru' | 'en', title: string, heading: Locator): Promise<void> {
  await page.getByTestId(`lang-${lang}`).click();
  await expect.poll(() => heading.textContent(), { timeout: WAIT }).toBe(title);
}

/** The widget's own call, as the visitor's browser makes it, with his token. */
async function widgetSend(body: string): Promise<{ status: number; json: any }> {
  const r = await fetch(`${server.origin}/widget/v1/messages`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: server.origin, authorization: `Bearer ${token}` },
    body: JSON.stringify({ client_id: `e2e-mod-${Date.now()}-${Math.random().toString(36).slice(2)}`, body }),
  });
  const text = await r.text();
  return { status: r.status, json: text ? JSON.parse(text) : null };
}

async function messageBodies(): Promise<string[]> {
  return (await api('GET', `/api/v1/dialogs/${dialogId}/messages?limit=100`)).items.map((m: { body?: string | null }) => m.body ?? '');
}

/** Opens Rules → «Жалобы и блокировки». */
async function openModeration(page: Page): Promise<void> {
  await page.getByTestId('nav-rules').click();
  await page.getByTestId('rules-tab-moderation').click();
  await page.getByTestId('admin-moderation').waitFor({ timeout: WAIT });
}

describe('complaints and blocks: reported from the card, blocked from the review page, lifted', () => {
  beforeAll(async () => {
    server = await startServer();
    let me: any;
    ({ api, me } = await adminSession(server));
    adminName = me.operator.display_name;
    const made = await api('POST', '/api/v1/operators', { email: ANNA_EMAIL, display_name: ANNA_NAME, password: ANNA_PASSWORD, role: 'operator' });
    const channels = await api('GET', '/api/v1/channels');
    const general = channels.items.find((c: { is_default: boolean }) => c.is_default);
    await api('PUT', `/api/v1/channels/${general.id}/members`, { operator_ids: [me.operator.id, made.id] });

    browser = await launchBrowser();
    for (let i = 0; i < 3; i++) contexts.push(await browser.newContext({ locale: 'ru-RU', viewport: LAPTOP }));
    [admin, anna, visitor] = await Promise.all(contexts.map((c) => c.newPage()));
    watchErrors(admin, 'admin', errors);
    watchErrors(anna, 'anna', errors);
    watchErrors(visitor, 'visitor', errors);
    // The visitor's token, as his widget sends it.
    visitor.on('request', (r) => {
      const auth = r.headers().authorization;
      if (r.url().includes('/widget/v1/') && auth?.startsWith('Bearer ')) token = auth.slice('Bearer '.length);
    });
  });

  beforeEach(({ onTestFailed }) => onTestFailed(reportFailure(errors, server)));

  afterAll(async () => {
    for (const c of contexts) await c.close().catch(() => {});
    await browser?.close().catch(() => {});
    await server?.stop();
  });

  it('a widget visitor writes; Анна reports him from the card: a reason is required, the dialog stays open', async () => {
    await visitor.goto(server.demoUrl);
    await visitor.getByTestId('frontline-launcher').click();
    const input = chatFrame(visitor).getByTestId('composer-input');
    await input.waitFor({ timeout: WAIT });
    await input.fill(VISITOR_TEXT);
    await input.press('Enter');
    await chatFrame(visitor).locator('[data-testid="message"][data-author="visitor"][data-state="sent"]', { hasText: VISITOR_TEXT }).waitFor({ timeout: WAIT });
    expect(token).not.toBe('');

    const list = await api('GET', '/api/v1/dialogs?status=all&limit=50');
    const found = list.items.find((d: any) => d.last_message?.preview?.includes(VISITOR_TEXT.slice(0, 30)));
    expect(found).toBeTruthy();
    dialogId = found.id;
    visitorNumber = found.visitor.number;

    await signIn(anna, server, ANNA_EMAIL, ANNA_PASSWORD);
    await anna.goto(`${server.origin}/console/dialogs/${dialogId}`);
    const card = anna.getByTestId('visitor-card');
    await card.getByTestId('card-moderation').waitFor({ timeout: WAIT });
    // An operator reports; she does not block.
    await expect(card.getByTestId('card-block').count()).resolves.toBe(0);
    await expect(card.getByTestId('card-moderation').locator('h4').textContent()).resolves.toBe('Жалоба');
    await card.getByTestId('card-report').click();
    const form = card.getByTestId('card-report-form');
    await form.waitFor({ timeout: WAIT });
    await expect.poll(() => anna.evaluate(() => document.activeElement?.getAttribute('data-testid')), { timeout: WAIT }).toBe('card-report-reason-spam');

    await form.getByTestId('card-report-send').click();
    await expect(note(form, 'reason').textContent()).resolves.toBe('Выберите причину.');
    expect((await api('GET', '/api/v1/complaints')).items).toEqual([]);

    await form.getByTestId('card-report-reason-abuse').check();
    await form.getByTestId('card-report-comment').fill(COMMENT);
    await expect(note(form, 'reason').count()).resolves.toBe(0);
    await form.scrollIntoViewIfNeeded();
    await noSidewaysOverflow(anna);
    await shot(anna, 'moderation-card-report-form.png');
    reports.report = await axeCheck(anna, 'the card with the report form');

    await form.getByTestId('card-report-send').click();
    await card.getByTestId('card-reported').waitFor({ timeout: WAIT });
    await expect(card.getByTestId('card-reported').textContent()).resolves.toBe('Жалоба отправлена администраторам');
    await expect(form.count()).resolves.toBe(0);
    await shot(anna, 'moderation-card-reported.png');

    const filed = (await api('GET', '/api/v1/complaints')).items;
    expect(filed).toHaveLength(1);
    expect(filed[0]).toMatchObject({ dialog_id: dialogId, reason: 'abuse', comment: COMMENT, filed_by: ANNA_NAME, status: 'open' });
    // The dialog is left as it was: open.
    expect((await api('GET', `/api/v1/dialogs/${dialogId}`)).status).toBe('open');
  });

  it('the admin opens Rules → «Жалобы и блокировки»: the complaint with the dialog\'s link; blocks him with a range and a note', async () => {
    await signIn(admin, server);
    await openModeration(admin);
    expect(new URL(admin.url()).pathname).toBe('/console/admin/moderation');
    await expect(admin.getByTestId('moderation-title').textContent()).resolves.toBe('Жалобы и блокировки');
    await expect(admin.getByTestId('rules-tab-moderation').getAttribute('aria-current')).resolves.toBe('page');
    await expect(admin.getByTestId('nav-rules').getAttribute('aria-current')).resolves.toBe('page');

    const row = complaintRow(admin);
    await row.waitFor({ timeout: WAIT });
    await expect(row.getByTestId('complaint-visitor').textContent()).resolves.toBe(`Посетитель ${visitorNumber}`);
    await expect(row.getByTestId('complaint-reason').textContent()).resolves.toBe('Оскорбления');
    await expect(row.getByTestId('complaint-status').textContent()).resolves.toBe('Ждёт решения');
    await expect(row.getByTestId('complaint-comment').textContent()).resolves.toBe(COMMENT);
    await expect(row.getByTestId('complaint-filed').textContent()).resolves.toMatch(new RegExp(`^Жалоба: ${ANNA_NAME}, \\d{1,2} \\S+ \\d{4} г\\., \\d\\d:\\d\\d$`));
    await expect(row.getByTestId('complaint-open-dialog').getAttribute('href')).resolves.toBe(`/console/dialogs/${dialogId}`);
    await expect(admin.getByTestId('blocks-empty').textContent()).resolves.toBe('Блокировок нет.');
    await noSidewaysOverflow(admin);
    await shot(admin, 'moderation-queue.png');
    reports.queue = await axeCheck(admin, 'complaints and blocks page');

    await row.getByTestId('complaint-block').click();
    const form = row.getByTestId('decision-form');
    await form.waitFor({ timeout: WAIT });
    await form.getByTestId('decision-range').fill('bet-casino.example');
    await form.getByTestId('decision-confirm').click();
    await expect(note(form, 'ip_range').textContent()).resolves.toContain('Нужен адрес или диапазон, например 203.0.113.7 или 203.0.113.0/24');
    await expect(form.getByTestId('decision-range').getAttribute('aria-invalid')).resolves.toBe('true');
    await form.getByTestId('decision-range').fill(RANGE);
    await form.getByTestId('decision-note').fill(NOTE);
    await noSidewaysOverflow(admin);
    await shot(admin, 'moderation-decide-block.png');
    reports.decide = await axeCheck(admin, 'the block form of a complaint');

    await form.getByTestId('decision-confirm').click();
    await expect.poll(() => row.getAttribute('data-status'), { timeout: WAIT }).toBe('blocked');
    await expect(row.getByTestId('complaint-status').textContent()).resolves.toBe('Заблокирован');
    await expect(row.getByTestId('complaint-decided').textContent()).resolves.toMatch(new RegExp(`^Решение: ${adminName}, .+Примечание: ${NOTE}$`));
    const blockRow = admin.locator('[data-testid="block-row"]').first();
    await blockRow.waitFor({ timeout: WAIT });
    await expect(blockRow.getAttribute('data-live')).resolves.toBe('true');
    await expect(blockRow.getByTestId('block-visitor').textContent()).resolves.toBe(`Посетитель ${visitorNumber}по жалобе`);
    await expect(blockRow.getByTestId('block-range').textContent()).resolves.toBe(RANGE);
    await expect(blockRow.getByTestId('block-placed').textContent()).resolves.toContain(adminName);

    const blocks = (await api('GET', '/api/v1/blocks?live=true')).items;
    expect(blocks).toHaveLength(1);
    expect(blocks[0]).toMatchObject({ ip_range: RANGE, reason: 'abuse', blocked_by: adminName, lifted_at: null });
    await noSidewaysOverflow(admin);
    await shot(admin, 'moderation-decided.png');

    await setLang(admin, 'en', 'Complaints and blocks', admin.getByTestId('moderation-title'));
    await expect(row.getByTestId('complaint-status').textContent()).resolves.toBe('Blocked');
    await noSidewaysOverflow(admin);
    await shot(admin, 'moderation-decided-en.png');
    await setLang(admin, 'ru', 'Жалобы и блокировки', admin.getByTestId('moderation-title'));
  });

  it('the blocked visitor\'s messages are refused with 403 visitor_blocked and make nothing', async () => {
    const refused = await widgetSend('Проверка: меня слышно?');
    expect(refused.status).toBe(403);
    expect(refused.json.code).toBe('visitor_blocked');
    expect(await messageBodies()).not.toContain('Проверка: меня слышно?');

    // His page: the widget learns of the block at its next word with the server (here the
    // typing and the send of what he writes) and disappears; nothing he wrote is stored.
    const input = chatFrame(visitor).getByTestId('composer-input');
    if ((await input.count()) > 0 && (await input.isEditable().catch(() => false))) {
      await input.fill(BLOCKED_TEXT, { timeout: 5_000 }).catch(() => {});
      await input.press('Enter', { timeout: 5_000 }).catch(() => {});
    }
    const launcher = visitor.getByTestId('frontline-launcher');
    await expect.poll(() => launcher.isVisible().catch(() => false), { timeout: WAIT }).toBe(false);
    await shot(visitor, 'moderation-visitor-blocked.png');
    expect(await messageBodies()).not.toContain(BLOCKED_TEXT);

    // A fresh page: the widget does not show at all.
    await visitor.reload();
    await visitor.waitForTimeout(1500);
    await expect.poll(() => launcher.isVisible().catch(() => false), { timeout: WAIT }).toBe(false);
    await shot(visitor, 'moderation-visitor-blocked-reload.png');
  });

  it('the card shows the red banner with who and when; Анна sees it without "Unblock" (RU and EN)', async () => {
    await complaintRow(admin).getByTestId('complaint-open-dialog').click();
    await admin.waitForURL(`**/console/dialogs/${dialogId}`, { timeout: WAIT });
    const card = admin.getByTestId('visitor-card');
    const banner = card.getByTestId('card-blocked');
    await banner.waitFor({ timeout: WAIT });
    await expect(card.getByTestId('card-blocked-title').textContent()).resolves.toMatch(new RegExp(`^Посетитель заблокирован: ${adminName}, \\d{1,2} \\S+ \\d{4} г\\., \\d\\d:\\d\\d$`));
    await expect(card.getByTestId('card-blocked-reason').textContent()).resolves.toBe('Причина: Оскорбления');
    await expect(card.getByTestId('card-blocked-range').textContent()).resolves.toBe(`Диапазон адресов: ${RANGE}`);
    await expect(card.getByTestId('card-unblock').textContent()).resolves.toBe('Разблокировать');
    // Blocked: no "Report" or "Block" at the card's foot.
    await expect(card.getByTestId('card-moderation').count()).resolves.toBe(0);
    // A red outline, and not colour alone: a sign beside the words.
    const look = await banner.evaluate((el) => ({ border: getComputedStyle(el).borderTopStyle, width: getComputedStyle(el).borderTopWidth, icon: !!el.querySelector('svg') }));
    expect(look).toEqual({ border: 'solid', width: '2px', icon: true });
    // The dialog itself stays open.
    expect((await api('GET', `/api/v1/dialogs/${dialogId}`)).status).toBe('open');
    await noSidewaysOverflow(admin);
    await shot(admin, 'moderation-card-blocked.png');
    reports.card = await axeCheck(admin, 'the card of a blocked visitor');

    await admin.getByTestId('lang-en').click();
    await expect.poll(() => card.getByTestId('card-blocked-title').textContent(), { timeout: WAIT }).toMatch(new RegExp(`^Visitor blocked by ${adminName}, \\d{1,2} \\S+ \\d{4}, \\d\\d:\\d\\d$`));
    await expect(card.getByTestId('card-blocked-reason').textContent()).resolves.toBe('Reason: Abuse');
    await expect(card.getByTestId('card-unblock').textContent()).resolves.toBe('Unblock');
    await noSidewaysOverflow(admin);
    await shot(admin, 'moderation-card-blocked-en.png');
    await admin.getByTestId('lang-ru').click();
    await expect.poll(() => card.getByTestId('card-unblock').textContent(), { timeout: WAIT }).toBe('Разблокировать');

    await anna.reload();
    const annaCard = anna.getByTestId('visitor-card');
    await annaCard.getByTestId('card-blocked').waitFor({ timeout: WAIT });
    await expect(annaCard.getByTestId('card-unblock').count()).resolves.toBe(0);
    await expect(annaCard.getByTestId('card-block').count()).resolves.toBe(0);
    await shot(anna, 'moderation-card-blocked-operator.png');
  });

  it('the admin lifts the block from the blocks list after the browser asks; the visitor writes again', async () => {
    await openModeration(admin);
    const blockRow = admin.locator('[data-testid="block-row"]').first();
    await blockRow.waitFor({ timeout: WAIT });

    const asked: string[] = [];
    admin.once('dialog', (d) => {
      asked.push(d.message());
      void d.dismiss();
    });
    await blockRow.getByTestId('block-lift').click();
    await expect.poll(() => asked.length, { timeout: WAIT }).toBe(1);
    expect(asked[0]).toBe(`Разблокировать посетителя «Посетитель ${visitorNumber}»? Он сразу снова сможет писать — в виджете, в Telegram и на почту.`);
    await expect(blockRow.getAttribute('data-live')).resolves.toBe('true');
    expect((await widgetSend('Ещё проверка')).status).toBe(403);

    admin.once('dialog', (d) => void d.accept());
    await blockRow.getByTestId('block-lift').click();
    await expect.poll(() => blockRow.getAttribute('data-live'), { timeout: WAIT }).toBe('false');
    await expect(blockRow.getByTestId('block-lifted').textContent()).resolves.toMatch(new RegExp(`^Снята${adminName}, `));
    await expect(blockRow.getByTestId('block-lift').count()).resolves.toBe(0);
    expect((await api('GET', '/api/v1/blocks?live=true')).items).toEqual([]);
    await noSidewaysOverflow(admin);
    await shot(admin, 'moderation-lifted.png');

    // He writes again: the API takes his message, and so does his widget on a fresh page.
    const again = await widgetSend('Снова могу писать?');
    expect(again.status, JSON.stringify(again.json)).toBe(201);
    await visitor.goto(server.demoUrl);
    await visitor.getByTestId('frontline-launcher').click();
    const input = chatFrame(visitor).getByTestId('composer-input');
    await input.waitFor({ timeout: WAIT });
    await input.fill(AGAIN_TEXT);
    await input.press('Enter');
    await chatFrame(visitor).locator('[data-testid="message"][data-author="visitor"][data-state="sent"]', { hasText: AGAIN_TEXT }).waitFor({ timeout: WAIT });
    await shot(visitor, 'moderation-visitor-again.png');
    await expect.poll(async () => (await messageBodies()).includes(AGAIN_TEXT), { timeout: WAIT }).toBe(true);

    // The card has no banner any more; "Report" and "Block" are back.
    await admin.goto(`${server.origin}/console/dialogs/${dialogId}`);
    const card = admin.getByTestId('visitor-card');
    await card.getByTestId('card-moderation').waitFor({ timeout: WAIT });
    await expect(card.getByTestId('card-blocked').count()).resolves.toBe(0);
    await expect(card.getByTestId('card-moderation').locator('h4').textContent()).resolves.toBe('Жалоба и блокировка');

    // The card's own block form: what a block does, the reason, the range; cancelled, nothing sent.
    await card.getByTestId('card-block').click();
    const form = card.getByTestId('card-block-form');
    await form.waitFor({ timeout: WAIT });
    await expect(form.getByTestId('card-block-what').textContent()).resolves.toContain('Снять блокировку можно в любой момент.');
    await form.getByTestId('card-block-confirm').click();
    await expect(note(form, 'reason').textContent()).resolves.toBe('Выберите причину.');
    await form.scrollIntoViewIfNeeded();
    await noSidewaysOverflow(admin);
    await shot(admin, 'moderation-card-block-form.png');
    reports.cardBlock = await axeCheck(admin, 'the card with the block form');
    await form.getByTestId('card-block-cancel').click();
    await expect(form.count()).resolves.toBe(0);
    expect((await api('GET', '/api/v1/blocks?live=true')).items).toEqual([]);
  });

  it('axe finds nothing critical or serious on the card and the page', () => {
    const found: string[] = [];
    for (const [where, report] of Object.entries(reports)) {
      for (const v of blocking(report)) for (const n of v.nodes) found.push(`${where}: ${v.impact} ${v.id} ${n.target.join(' ')}`);
    }
    expect(Object.keys(reports).sort()).toEqual(['card', 'cardBlock', 'decide', 'queue', 'report']);
    expect(found).toEqual([]);
  });

  it('no page logged an unexpected error', () => {
    // Expected: the console asks /me before signing in (401); the blocked visitor's widget is refused (403).
    const expected = [/HTTP 401: GET \S+\/api\/v1\/me$/, /status of 40[13]/, /^\[visitor\] HTTP 403: \S+ \S+\/widget\/v1\//];
    const real = errors.filter((e) => !e.includes('favicon') && !expected.some((re) => re.test(e)));
    expect(real).toEqual([]);
  });
});
