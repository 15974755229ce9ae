/**
 * Telegram bots end to end, in a real browser against a real server and a fake Telegram Bot
 * API, in Russian, the admin at 1366×768.
 *
 * A small Node HTTP server on 127.0.0.1 plays Telegram (`POST /bot<token>/<method>`): `getMe`
 * knows one token (bot 4242, "Кухни: помощь", @kitchen_help_bot) and answers 401 Unauthorized
 * for any other, `deleteWebhook` is true, `getUpdates` gives the queued updates from its `offset`
 * on (at once, else when one is queued or after a second), `sendMessage` answers a Message with
 * the next message_id, and anything else is true; every call is kept with its parameters. The
 * server runs with FRONTLINE_TELEGRAM_API pointing at it.
 *
 * The admin opens Integrations → Telegram (empty: screenshot); a well-shaped token Telegram does
 * not know is refused under the token field (screenshot); the right one connects the bot, which
 * is listed with its name, @username, "polling" and the default channel, and its document opens.
 * Two topics are added (the first with a question) and the idle limit changed (screenshots of
 * the filled editor), saved, and still there after a reload. The bot is switched off and on. The
 * page is shot in English too, and axe runs on it.
 *
 * Then Мария (555001, @maria_k, Russian) writes /start to the bot, presses the first topic,
 * answers its question and is handed over: the bot's messages are checked at the fake, and the
 * one dialog shows in the console with the Telegram badge on its row and header, her request as
 * its first message and the card's Telegram section (screenshot). The operator's reply reaches
 * her chat (and his typing shows there); an internal note never does.
 *
 * Then she edits a message she sent (an `edited_message` update): the console shows the new
 * text in the same place, marked «изменено» with the edit time in its title, and a click (then
 * the keyboard) shows and hides her earlier text under it, in Russian and in English
 * (screenshots; axe on the dialog). A voice message (Ogg) and a video (MP4) attached to a note
 * show the browser's players with their download links (screenshot). Last, a routing rule on
 * the Telegram topic: the type picker offers it, the bot's topics are offered by title in the
 * console's language, a topic not chosen is named under the rules, the chosen key is saved
 * (screenshots in Russian and English). Screenshots go to ../artifacts/screenshots/.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { axeCheck, blocking, type AxeReport } from './axe';
import { launchBrowser, watchErrors } from './browser';
import { adminSession, reportFailure, shot, signIn, WAIT, type AdminApi } from './helpers';
import { startServer, type RunningServer } from './server';

const TOKEN = '4242:AAE-e2e-token-0123456789abcdef';
/** Of the right shape, unknown to Telegram. */
const WRONG_TOKEN = '4242:AAE-wrong-token-000000000000';
const BOT = { id: 4242, is_bot: true, first_name: 'Кухни: помощь', username: 'kitchen_help_bot' };

/** A call the fake got: the token, the method, its JSON parameters, and what a `sendMessage` was answered. */
type Call = { token: string; method: string; body: any; result?: any };

/** How long the fake holds a `getUpdates` with nothing to give (the server asks for 25 s). */
const POLL_HOLD_MS = 1_000;

/**
 * The fake Bot API: keeps every call (token, method and parameters) and answers as Telegram
 * would. Updates queued with `push` are given to `getUpdates` for the known token in the order
 * of their `update_id`, again and again until a later call's `offset` is above it.
 */
class FakeTelegram {
  readonly calls: Call[] = [];
  private server: Server;
  private timers = new Set<NodeJS.Timeout>();
  private updates: { update_id: number; [k: string]: unknown }[] = [];
  private nextUpdateId = 700_001;
  private nextMessageId = 1;
  /** Long polls waiting for an update. */
  private waiting = new Set<() => void>();
  url = '';

  constructor() {
    this.server = createServer((req, res) => void this.handle(req, res));
  }

  async start(): Promise<void> {
    await new Promise<void>((done) => this.server.listen(0, '127.0.0.1', done));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    for (const t of this.timers) clearTimeout(t);
    this.waiting.clear();
    this.server.closeAllConnections();
    await new Promise<void>((done) => this.server.close(() => done()));
  }

  of(method: string, token?: string): Call[] {
    return this.calls.filter((c) => c.method === method && (token === undefined || c.token === token));
  }

  /** Queues an update for the bot (its `update_id` is the next one) and wakes a waiting poll. */
  push(update: Record<string, unknown>): number {
    const update_id = this.nextUpdateId++;
    this.updates.push({ update_id, ...update });
    for (const wake of [...this.waiting]) wake();
    return update_id;
  }

  /** The updates not yet confirmed (a later `offset` is above their id). */
  pending(): number {
    return this.updates.length;
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const raw = Buffer.concat(chunks).toString('utf8');
    let body: any = {};
    try {
      body = raw ? JSON.parse(raw) : {};
    } catch {
      body = { unparsed: raw };
    }
    const m = /^\/bot([^/]+)\/([A-Za-z]+)$/.exec(req.url ?? '');
    const token = m ? decodeURIComponent(m[1]) : '';
    const method = m?.[2] ?? '';
    const call: Call = { token, method, body };
    this.calls.push(call);
    const answer = (status: number, result: unknown) => {
      if (res.destroyed) return;
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(result));
    };
    if (req.method !== 'POST' || !m) return answer(404, { ok: false, error_code: 404, description: 'Not Found' });
    if (method === 'getMe') {
      if (token === TOKEN) return answer(200, { ok: true, result: BOT });
      return answer(401, { ok: false, error_code: 401, description: 'Unauthorized' });
    }
    if (method === 'deleteWebhook') return answer(200, { ok: true, result: true });
    if (method === 'getUpdates') return this.getUpdates(token, body, (result) => answer(200, { ok: true, result }));
    if (method === 'sendMessage') {
      call.result = { message_id: this.nextMessageId++, date: Math.floor(Date.now() / 1000), chat: { id: body.chat_id, type: 'private' }, text: body.text };
      return answer(200, { ok: true, result: call.result });
    }
    return answer(200, { ok: true, result: true });
  }

  /**
   * A long poll: the updates from `offset` on (those below it are confirmed and dropped), at
   * once if there are any, else as soon as one is queued or after POLL_HOLD_MS with what there is.
   */
  private getUpdates(token: string, body: any, reply: (updates: unknown[]) => void): void {
    const offset = typeof body.offset === 'number' ? body.offset : 0;
    const limit = typeof body.limit === 'number' && body.limit > 0 ? body.limit : 100;
    if (token === TOKEN) this.updates = this.updates.filter((u) => u.update_id >= offset);
    const page = () => (token === TOKEN ? this.updates.filter((u) => u.update_id >= offset).slice(0, limit) : []);
    if (page().length > 0) return reply(page());
    let done = false;
    const finish = () => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      this.timers.delete(timer);
      this.waiting.delete(finish);
      reply(page());
    };
    const timer = setTimeout(finish, POLL_HOLD_MS);
    this.timers.add(timer);
    this.waiting.add(finish);
  }
}

let server: RunningServer;
let telegram: FakeTelegram;
let browser: Browser;
let context: BrowserContext;
let admin: Page;
let api: AdminApi;
let botId = '';
let defaultChannel: { id: string; name: string };
const errors: string[] = [];
const reports: Record<string, AxeReport> = {};

const note = (page: Page, field: string): Locator => page.locator(`[data-testid="field-error"][data-field="${field}"]`);
const topic = (i: number): Locator => admin.getByTestId('telegram-topic').nth(i);

/** Мария writing to the bot from her private chat. */
const MARIA = { id: 555001, is_bot: false, first_name: 'Мария', username: 'maria_k', language_code: 'ru' };
const MARIA_CHAT = { id: 555001, type: 'private', first_name: 'Мария' };
const REPLY = 'Привезём завтра до 18:00';
const NOTE = 'Уточнить у склада, есть ли машина на завтра';
const LATER_REPLY = 'Если что-то изменится, напишем сюда же.';
let telegramMessageId = 1;

/** Мария's text message, as Telegram would put it in an update. */
const mariaWrites = (text: string): number =>
  telegram.push({ message: { message_id: telegramMessageId++, from: MARIA, chat: MARIA_CHAT, date: Math.floor(Date.now() / 1000), text } });

/** Мария edits her message `message_id` to `text` (Bot API: an `edited_message` update). */
const mariaEdits = (message_id: number, text: string, date: number): number =>
  telegram.push({ edited_message: { message_id, from: MARIA, chat: MARIA_CHAT, date, edit_date: Math.floor(Date.now() / 1000), text } });

/** Waits until the fake got `method` from the bot with parameters that `match`, and gives the call. */
async function botCalled(method: string, match: (body: any) => boolean, what: string): Promise<Call> {
  let found: Call | undefined;
  await expect
    .poll(() => (found = telegram.of(method, TOKEN).find((c) => match(c.body))) !== undefined, { timeout: WAIT, message: `the bot never called ${method}: ${what}` })
    .toBe(true);
  return found!;
}

/** The bot's `sendMessage` calls to Мария's chat, their texts. */
const sentToMaria = (): string[] => telegram.of('sendMessage', TOKEN).filter((c) => c.body.chat_id === MARIA_CHAT.id).map((c) => String(c.body.text));

/** Nothing sticks out sideways: not the page, not the admin page's area, not a card. */
async function noSidewaysOverflow(page: Page): Promise<void> {
  const wide = await page.evaluate(() =>
    [document.documentElement, ...document.querySelectorAll<HTMLElement>('.admin-page, .admin-card, .app-header, .admin-nav, .page-tabs, .telegram-topic')]
      .filter((el) => el.scrollWidth > el.clientWidth + 1)
      .map((el) => `${el.className}: ${el.scrollWidth} > ${el.clientWidth}`),
  );
  expect(wide).toEqual([]);
}

/** Scrolls the admin page's own area so that `el` is at its top, for a screenshot. */
async function scrollToTop(el: Locator): Promise<void> {
  await el.page().mouse.move(4, 760);
  await el.evaluate((node) => {
    const area = node.closest('.admin-page');
    if (area) area.scrollTop += node.getBoundingClientRect().top - area.getBoundingClientRect().top - 12;
  });
}

describe('Telegram: a bot connected in the console, its topics saved and kept, switched off and on', () => {
  beforeAll(async () => {
    telegram = new FakeTelegram();
    await telegram.start();
    server = await startServer({ env: { FRONTLINE_TELEGRAM_API: telegram.url } });
    api = (await adminSession(server)).api;
    const channels = (await api('GET', '/api/v1/channels')).items as { id: string; name: string; is_default: boolean }[];
    defaultChannel = channels.find((c) => c.is_default) ?? channels[0];

    browser = await launchBrowser();
    context = await browser.newContext({ locale: 'ru-RU', viewport: { width: 1366, height: 768 } });
    admin = await context.newPage();
    watchErrors(admin, 'admin', errors);
  });

  beforeEach(({ onTestFailed }) => onTestFailed(reportFailure(errors, server)));

  afterAll(async () => {
    await context?.close().catch(() => {});
    await browser?.close().catch(() => {});
    await server?.stop();
    await telegram?.stop();
  });

  it('Integrations → Telegram: no bot yet', async () => {
    await signIn(admin, server);
    await admin.getByTestId('nav-install').click();
    await admin.getByTestId('admin-install').waitFor({ timeout: WAIT });
    await admin.getByTestId('integrations-tab-telegram').click();
    await admin.getByTestId('telegram-empty').waitFor({ timeout: WAIT });
    expect(new URL(admin.url()).pathname).toBe('/console/admin/telegram');
    await expect(admin.getByTestId('telegram-title').textContent()).resolves.toBe('Telegram');
    await expect(admin.getByTestId('integrations-tab-telegram').getAttribute('aria-current')).resolves.toBe('page');
    // The navigation marks "Integrations" while one of its tabs is open.
    await expect(admin.getByTestId('nav-install').getAttribute('aria-current')).resolves.toBe('page');
    await expect(admin.locator('.page-tabs a').allTextContents()).resolves.toEqual(['Установка виджета', 'Вебхуки', 'API-ключи', 'Telegram', 'Почта']);
    await expect(admin.getByTestId('telegram-token').getAttribute('type')).resolves.toBe('password');
    await expect(admin.getByTestId('telegram-channel').inputValue()).resolves.toBe(defaultChannel.id);
    await expect(admin.getByTestId('telegram-editor').count()).resolves.toBe(0);
    await noSidewaysOverflow(admin);
    // No tab in its hover colour on the picture.
    await admin.mouse.move(4, 760);
    await shot(admin, 'telegram-empty-1366.png');
    reports.empty = await axeCheck(admin, 'telegram, no bot');
  });

  it('a token Telegram does not know is refused under the token field', async () => {
    await admin.getByTestId('telegram-token').fill(WRONG_TOKEN);
    await admin.getByTestId('telegram-connect-submit').click();
    await expect(note(admin, 'token').textContent({ timeout: WAIT })).resolves.toBe(
      'Telegram не знает такого токена. Проверьте, что он скопирован целиком, или выпустите новый у @BotFather командой /token.',
    );
    await expect(admin.getByTestId('telegram-token').getAttribute('aria-invalid')).resolves.toBe('true');
    await expect.poll(() => admin.evaluate(() => document.activeElement?.getAttribute('data-testid')), { timeout: WAIT }).toBe('telegram-token');
    // Telegram was asked, and nothing was connected.
    expect(telegram.of('getMe', WRONG_TOKEN)).toHaveLength(1);
    expect((await api('GET', '/api/v1/telegram/bots')).items).toEqual([]);
    await expect(admin.getByTestId('telegram-empty').isVisible()).resolves.toBe(true);
    await noSidewaysOverflow(admin);
    await shot(admin, 'telegram-token-error-1366.png');
  });

  it('the right token connects the bot: listed with its name, @username, polling and the default channel', async () => {
    await admin.getByTestId('telegram-token').fill(TOKEN);
    await expect(note(admin, 'token').count()).resolves.toBe(0);
    await admin.getByTestId('telegram-connect-submit').click();
    await expect(admin.getByTestId('telegram-connected').textContent({ timeout: WAIT })).resolves.toBe(
      'Бот @kitchen_help_bot подключён. Настройте его приветствие и темы ниже.',
    );
    await expect(admin.getByTestId('telegram-token').inputValue()).resolves.toBe('');
    const row = admin.getByTestId('telegram-row');
    await expect(row.count()).resolves.toBe(1);
    botId = (await row.getAttribute('data-bot-id')) ?? '';
    await expect(row.getByTestId('telegram-row-name').textContent()).resolves.toBe('Кухни: помощь');
    await expect(row.getByTestId('telegram-row-username').textContent()).resolves.toBe('@kitchen_help_bot');
    await expect(row.getByTestId('telegram-row-mode').textContent()).resolves.toBe('Опрос сервером');
    await expect(row.getByTestId('telegram-row-channel').textContent()).resolves.toBe(defaultChannel.name);
    await expect(row.getByTestId('telegram-toggle').isChecked()).resolves.toBe(true);
    await expect(admin.getByTestId('telegram-editor').getAttribute('data-bot-id')).resolves.toBe(botId);
    await expect(admin.getByTestId('telegram-editor-title').textContent()).resolves.toBe('Настройки бота @kitchen_help_bot');

    const [listed] = (await api('GET', '/api/v1/telegram/bots')).items;
    expect(listed).toMatchObject({ id: botId, username: 'kitchen_help_bot', name: 'Кухни: помощь', channel_id: defaultChannel.id, mode: 'polling', enabled: true });
    // Polling starts: the webhook is dropped first, then updates are read.
    await expect.poll(() => telegram.of('deleteWebhook', TOKEN).length, { timeout: WAIT }).toBeGreaterThan(0);
    await expect.poll(() => telegram.of('getUpdates', TOKEN).length, { timeout: WAIT }).toBeGreaterThan(0);
  });

  it('two topics (one with a question) and a shorter idle limit are saved whole', async () => {
    await admin.getByTestId('telegram-idle').fill('20');
    await admin.getByTestId('telegram-topic-add').click();
    await expect.poll(() => admin.evaluate(() => document.activeElement?.getAttribute('data-testid')), { timeout: WAIT }).toBe('telegram-topic-title-ru');
    await topic(0).getByTestId('telegram-topic-key').fill('delivery');
    await topic(0).getByTestId('telegram-topic-title-ru').fill('Доставка');
    await topic(0).getByTestId('telegram-topic-title-en').fill('Delivery');
    await topic(0).getByTestId('telegram-question-add').click();
    await topic(0).getByTestId('telegram-question-ru').fill('Номер заказа?');
    await topic(0).getByTestId('telegram-question-en').fill('Order number?');
    await admin.getByTestId('telegram-topic-add').click();
    // The new topic takes the focus (its title) a moment later: typing before that could land there.
    await expect
      .poll(() => admin.evaluate(() => document.activeElement?.closest('[data-testid="telegram-topic"]')?.getAttribute('data-index')), { timeout: WAIT })
      .toBe('1');
    await topic(1).getByTestId('telegram-topic-key').fill('returns');
    await topic(1).getByTestId('telegram-topic-title-ru').fill('Возврат и обмен');
    await topic(1).getByTestId('telegram-topic-title-en').fill('Returns and exchanges');
    await expect(topic(1).getByTestId('telegram-topic-channel').inputValue()).resolves.toBe('');
    await expect(topic(1).getByTestId('telegram-topic-channel').locator('option').first().textContent()).resolves.toBe(`Канал бота (${defaultChannel.name})`);
    await noSidewaysOverflow(admin);

    // The filled editor: its top (channel, idle limit, texts), then the topics.
    await scrollToTop(admin.getByTestId('telegram-editor'));
    await shot(admin, 'telegram-editor-top-1366.png');
    await scrollToTop(admin.getByTestId('telegram-topics'));
    await shot(admin, 'telegram-editor-topics-1366.png');

    await admin.getByTestId('telegram-save').click();
    await expect(admin.getByTestId('telegram-saved').textContent({ timeout: WAIT })).resolves.toBe('Сохранено');
    await expect(admin.getByTestId('telegram-error').count()).resolves.toBe(0);
    const [saved] = (await api('GET', '/api/v1/telegram/bots')).items;
    expect(saved.settings).toMatchObject({
      idle_minutes: 20,
      topics: [
        { key: 'delivery', title: { ru: 'Доставка', en: 'Delivery' }, channel_id: null, questions: [{ ru: 'Номер заказа?', en: 'Order number?' }] },
        { key: 'returns', title: { ru: 'Возврат и обмен', en: 'Returns and exchanges' }, channel_id: null, questions: [] },
      ],
    });
    expect(saved.settings.greeting).toEqual({ ru: 'Здравствуйте! Выберите, пожалуйста, тему обращения.', en: 'Hello! Please choose what your question is about.' });
  });

  it('a reload shows them kept', async () => {
    await admin.reload();
    const editor = admin.getByTestId('telegram-editor');
    await editor.waitFor({ timeout: WAIT });
    await expect(editor.getAttribute('data-bot-id')).resolves.toBe(botId);
    await expect(admin.getByTestId('telegram-idle').inputValue()).resolves.toBe('20');
    await expect(admin.getByTestId('telegram-topic-key').evaluateAll((els) => els.map((e) => (e as HTMLInputElement).value))).resolves.toEqual(['delivery', 'returns']);
    await expect(topic(0).getByTestId('telegram-topic-title-ru').inputValue()).resolves.toBe('Доставка');
    await expect(topic(1).getByTestId('telegram-topic-title-en').inputValue()).resolves.toBe('Returns and exchanges');
    await expect(topic(0).getByTestId('telegram-question-ru').inputValue()).resolves.toBe('Номер заказа?');
    await expect(topic(0).getByTestId('telegram-question-en').inputValue()).resolves.toBe('Order number?');
    await expect(topic(1).getByTestId('telegram-question').count()).resolves.toBe(0);
    await expect(admin.getByTestId('telegram-save').isDisabled()).resolves.toBe(true);
  });

  it('the bot is switched off and on', async () => {
    const row = admin.getByTestId('telegram-row');
    const toggle = row.getByTestId('telegram-toggle');
    await toggle.click();
    await expect.poll(() => row.getAttribute('data-enabled'), { timeout: WAIT }).toBe('false');
    await expect(toggle.isChecked()).resolves.toBe(false);
    await expect(row.locator('.telegram-switch-text').textContent()).resolves.toBe('Выключен');
    expect((await api('GET', '/api/v1/telegram/bots')).items[0].enabled).toBe(false);
    await scrollToTop(admin.getByTestId('telegram-list'));
    await shot(admin, 'telegram-bot-off-1366.png');
    await toggle.click();
    await expect.poll(() => row.getAttribute('data-enabled'), { timeout: WAIT }).toBe('true');
    await expect(toggle.isChecked()).resolves.toBe(true);
    expect((await api('GET', '/api/v1/telegram/bots')).items[0].enabled).toBe(true);
    // The document is untouched by the switch.
    expect((await api('GET', '/api/v1/telegram/bots')).items[0].settings.topics).toHaveLength(2);
  });

  it('English, and axe finds nothing serious', async () => {
    await admin.getByTestId('lang-en').click();
    await expect.poll(() => admin.getByTestId('telegram-editor-title').textContent(), { timeout: WAIT }).toBe('Settings of bot @kitchen_help_bot');
    await expect(admin.getByTestId('telegram-row-mode').textContent()).resolves.toBe('Polling');
    await expect(admin.locator('.page-tabs a').allTextContents()).resolves.toEqual(['Installing the widget', 'Webhooks', 'API keys', 'Telegram', 'Mail']);
    await noSidewaysOverflow(admin);
    await scrollToTop(admin.getByTestId('telegram-list'));
    await shot(admin, 'telegram-list-en-1366.png');
    await scrollToTop(admin.getByTestId('telegram-topics'));
    await shot(admin, 'telegram-editor-topics-en-1366.png');
    await admin.getByTestId('lang-ru').click();
    await expect.poll(() => admin.getByTestId('telegram-editor-title').textContent(), { timeout: WAIT }).toBe('Настройки бота @kitchen_help_bot');
    reports.editor = await axeCheck(admin, 'telegram, a bot and its document');

    const found: string[] = [];
    for (const [where, report] of Object.entries(reports)) {
      for (const v of blocking(report)) for (const n of v.nodes) found.push(`${where}: ${v.impact} ${v.id} ${n.target.join(' ')}`);
    }
    expect(Object.keys(reports).sort()).toEqual(['editor', 'empty']);
    expect(found).toEqual([]);
  });

  it('no page logged an unexpected error', () => {
    // Expected: the console asks /me before signing in (401), and the unknown token is refused (400).
    const expected = [/HTTP 401: GET \S+\/api\/v1\/me$/, /status of 401/, /HTTP 400: POST \S+\/api\/v1\/telegram\/bots$/, /status of 400/];
    const real = errors.filter((e) => !e.includes('favicon') && !expected.some((re) => re.test(e)));
    expect(real).toEqual([]);
  });

  it('Мария writes to the bot: topic, question, hand-over; the dialog in the console is marked Telegram, and only the reply reaches her', async () => {
    const errorsBefore = errors.length;
    const settings = (await api('GET', '/api/v1/telegram/bots')).items[0].settings;
    const chosen = settings.topics[0] as { key: string; title: { ru: string }; questions: { ru: string }[] };
    expect(chosen.questions.length).toBeGreaterThan(0);

    // The menu: the greeting with one button per topic.
    const pollsBefore = telegram.of('getUpdates', TOKEN).length;
    mariaWrites('/start');
    const { body: menu, result: menuSent } = await botCalled('sendMessage', (b) => b.chat_id === MARIA_CHAT.id && b.reply_markup !== undefined, 'the menu');
    expect(menu.text).toBe(settings.greeting.ru);
    expect(menu.reply_markup.inline_keyboard.flat().map((b: { callback_data: string }) => b.callback_data)).toEqual(
      settings.topics.map((t: { key: string }) => `topic:${t.key}`),
    );
    expect(menu.reply_markup.inline_keyboard.flat().map((b: { text: string }) => b.text)).toEqual(settings.topics.map((t: { title: { ru: string } }) => t.title.ru));

    // She presses the first topic: the press is answered, and its questions come one by one.
    telegram.push({
      callback_query: {
        id: 'cb1',
        from: MARIA,
        chat_instance: 'ci',
        data: `topic:${chosen.key}`,
        message: { message_id: menuSent.message_id, chat: { id: MARIA_CHAT.id, type: 'private' }, date: 0 },
      },
    });
    const answers = ['12345', 'Москва', 'Кухня «Лира»', 'Вечером', 'Нет'];
    for (const [i, q] of chosen.questions.entries()) {
      await botCalled('sendMessage', (b) => b.chat_id === MARIA_CHAT.id && b.text === q.ru, `question ${i + 1}`);
      if (i === 0) await botCalled('answerCallbackQuery', (b) => b.callback_query_id === 'cb1', 'the press answered');
      mariaWrites(answers[i]);
    }
    await botCalled('sendMessage', (b) => b.chat_id === MARIA_CHAT.id && b.text === settings.handed_over.ru, 'the hand-over text');
    // Each update was confirmed by a later poll's offset, none given twice.
    await expect.poll(() => telegram.pending(), { timeout: WAIT }).toBe(0);
    expect(telegram.of('getUpdates', TOKEN).length).toBeGreaterThan(pollsBefore);
    // Before the hand-over nothing was a dialog: she got the menu, the questions and the hand-over, nothing else.
    expect(sentToMaria()).toEqual([settings.greeting.ru, ...chosen.questions.map((q) => q.ru), settings.handed_over.ru]);

    // The console: the new dialog, marked Telegram on its row.
    await admin.getByTestId('nav-dialogs').click();
    await admin.getByTestId('dialog-list').waitFor({ timeout: WAIT });
    const request = [`Тема: ${chosen.title.ru}`, ...chosen.questions.map((q, i) => `${q.ru} — ${answers[i]}`)];
    const row = admin.getByTestId('dialog-row').filter({ hasText: request[0] });
    await row.waitFor({ timeout: WAIT });
    await expect(row.count()).resolves.toBe(1);
    await expect(row.getByTestId('dialog-row-name').textContent()).resolves.toBe('Мария');
    await expect(row.getByTestId('source-telegram').textContent()).resolves.toBe('Telegram');
    await expect(row.getByTestId('source-telegram').isVisible()).resolves.toBe(true);

    // Opened: the header's badge, her request as her first message, the card's Telegram section.
    await row.click();
    const timeline = admin.getByTestId('timeline');
    const first = timeline.locator('[data-testid="message"][data-author="visitor"]').first();
    await first.waitFor({ timeout: WAIT });
    const header = admin.getByTestId('dialog-tools');
    await expect(header.getByTestId('source-telegram').textContent()).resolves.toBe('Telegram');
    await expect(header.getByTestId('source-telegram').isVisible()).resolves.toBe(true);
    await expect(admin.getByTestId('dialog-title').textContent()).resolves.toBe('Мария');
    const firstText = (await first.getByTestId('message-body').innerText()).trim();
    expect(firstText).toContain('Тема:');
    expect(firstText).toContain(answers[0]);
    expect(firstText.split('\n').map((l) => l.trim())).toEqual(request);
    await expect(timeline.getByTestId('message').count()).resolves.toBe(1);

    const card = admin.getByTestId('card-telegram');
    await card.waitFor({ timeout: WAIT });
    await expect(card.isVisible()).resolves.toBe(true);
    await expect(card.getByTestId('card-telegram-bot').locator('dd').textContent()).resolves.toBe('@kitchen_help_bot');
    await expect(card.getByTestId('card-telegram-username').locator('dd').textContent()).resolves.toBe('@maria_k');
    // The topic as she saw it: its title in her language, not its key.
    await expect(card.getByTestId('card-telegram-topic').locator('dd').textContent()).resolves.toBe(chosen.title.ru);
    // She was never on the site: no page, time on site or pages.
    await expect(admin.getByTestId('card-page').count()).resolves.toBe(0);
    await expect(admin.getByTestId('card-pages').count()).resolves.toBe(0);
    await expect(card.getByTestId('card-telegram-unreachable').count()).resolves.toBe(0);
    await admin.mouse.move(4, 760);
    await shot(admin, 'telegram-dialog-1366.png');

    // The operator's reply reaches her chat through the outbox.
    const input = admin.getByTestId('composer-input');
    await input.fill(REPLY);
    await input.press('Enter');
    await timeline.locator('[data-testid="message"][data-author="operator"][data-state="sent"]', { hasText: REPLY }).waitFor({ timeout: WAIT });
    await expect
      .poll(() => telegram.of('sendMessage', TOKEN).filter((c) => c.body.chat_id === MARIA_CHAT.id && c.body.text === REPLY).length, {
        timeout: 10_000,
        message: 'the reply never reached Telegram',
      })
      .toBe(1);

    // Her chat showed the operator typing.
    await botCalled('sendChatAction', (b) => b.chat_id === MARIA_CHAT.id && b.action === 'typing', 'typing while the operator wrote');

    // An internal note stays in the console; a reply written after it arrives, the note never.
    await admin.getByTestId('composer-mode-note').click();
    await expect(admin.getByTestId('composer').getAttribute('data-mode')).resolves.toBe('note');
    await input.fill(NOTE);
    await input.press('Enter');
    await timeline.locator('[data-testid="message"][data-note="true"][data-state="sent"]', { hasText: NOTE }).waitFor({ timeout: WAIT });
    await admin.getByTestId('composer-mode-reply').click();
    await input.fill(LATER_REPLY);
    await input.press('Enter');
    await timeline.locator('[data-testid="message"][data-author="operator"][data-state="sent"]', { hasText: LATER_REPLY }).waitFor({ timeout: WAIT });
    await botCalled('sendMessage', (b) => b.chat_id === MARIA_CHAT.id && b.text === LATER_REPLY, 'the reply after the note');
    expect(sentToMaria().filter((t) => t.includes(NOTE))).toEqual([]);
    expect(telegram.calls.filter((c) => JSON.stringify(c.body).includes(NOTE))).toEqual([]);
    expect(sentToMaria().slice(-2)).toEqual([REPLY, LATER_REPLY]);

    expect(errors.slice(errorsBefore)).toEqual([]);
  });

  it('Мария edits a message she sent: the new text in its place, marked «изменено»; a click shows what it said before', async () => {
    const errorsBefore = errors.length;
    const timeline = admin.getByTestId('timeline');
    const visitorLines = timeline.locator('[data-testid="message"][data-author="visitor"]');
    const BEFORE = 'Заказ 12345, подъезд 2';
    const AFTER = 'Заказ 12345, подъезд 3, код домофона 37';

    // She writes, the console shows it.
    const messageId = telegramMessageId;
    const date = Math.floor(Date.now() / 1000);
    mariaWrites(BEFORE);
    const line = timeline.locator('[data-testid="message"][data-author="visitor"]', { hasText: BEFORE });
    await line.waitFor({ timeout: WAIT });
    const seq = await line.getAttribute('data-seq');
    const count = await visitorLines.count();
    await expect(line.getByTestId('message-edited').count()).resolves.toBe(0);

    // She edits it in Telegram: the same message, in the same place, says the new words.
    mariaEdits(messageId, AFTER, date);
    const edited = timeline.locator(`[data-testid="message"][data-seq="${seq}"]`);
    await expect.poll(() => edited.getByTestId('message-body').innerText(), { timeout: WAIT, message: 'the edit never reached the console' }).toBe(AFTER);
    await expect(visitorLines.count()).resolves.toBe(count);
    await expect(timeline.getByText(BEFORE, { exact: true }).count()).resolves.toBe(0);
    const mark = edited.getByTestId('message-edited');
    await expect(mark.textContent()).resolves.toBe('изменено');
    await expect(mark.getAttribute('title')).resolves.toMatch(/^Изменено \d{1,2} [а-я]+ \d{4} г\., \d{2}:\d{2}$/);
    await expect(mark.getAttribute('aria-expanded')).resolves.toBe('false');
    // Nothing went back to her chat for it.
    expect(sentToMaria().filter((t) => t.includes('подъезд'))).toEqual([]);

    // A click shows what it said before, under it, with its time; the server has it too.
    await mark.click();
    const earlier = edited.getByTestId('message-edits');
    await earlier.waitFor({ timeout: WAIT });
    await expect(mark.getAttribute('aria-expanded')).resolves.toBe('true');
    await expect(earlier.getByTestId('message-edit').allInnerTexts()).resolves.toEqual([expect.stringMatching(/^Ранее \(\d{2}:\d{2}\): Заказ 12345, подъезд 2$/)]);
    const dialogId = new URL(admin.url()).pathname.split('/').pop();
    const messageView = (await api('GET', `/api/v1/dialogs/${dialogId}/messages?limit=100`)).items.find((m: { seq: number }) => String(m.seq) === seq);
    expect(messageView).toMatchObject({ body: AFTER, edited_at: expect.any(String) });
    expect(await api('GET', `/api/v1/dialogs/${dialogId}/messages/${messageView.id}/edits`)).toEqual([
      { version: 1, body: BEFORE, replaced_at: messageView.edited_at },
    ]);
    await admin.mouse.move(4, 760);
    await shot(admin, 'telegram-edited-1366.png');

    // axe on the dialog; what this step added (the message, its mark and earlier text) has nothing serious.
    const report = await axeCheck(admin, 'telegram, an edited message with its earlier text');
    const inEdited: string[] = [];
    for (const v of blocking(report)) {
      for (const n of v.nodes) {
        const inside = await admin.evaluate(
          ([target, at]) => !!document.querySelector(target)?.closest(`[data-testid="message"][data-seq="${at}"]`),
          [n.target[n.target.length - 1], seq ?? ''] as const,
        );
        if (inside) inEdited.push(`${v.impact} ${v.id} ${n.target.join(' ')}`);
      }
    }
    expect(inEdited).toEqual([]);

    // The keyboard hides it again: the mark is a button in the tab order.
    await mark.focus();
    await admin.keyboard.press('Enter');
    await expect.poll(() => edited.getByTestId('message-edits').count(), { timeout: WAIT }).toBe(0);
    await expect(mark.getAttribute('aria-expanded')).resolves.toBe('false');
    await admin.keyboard.press(' ');
    await edited.getByTestId('message-edits').waitFor({ timeout: WAIT });

    // In English.
    await admin.getByTestId('lang-en').click();
    await expect.poll(() => mark.textContent(), { timeout: WAIT }).toBe('edited');
    await expect(mark.getAttribute('title')).resolves.toMatch(/^Edited \d{1,2} [A-Z][a-z]+ \d{4} at \d{2}:\d{2}$/);
    await expect(earlier.getByTestId('message-edit').allInnerTexts()).resolves.toEqual([expect.stringMatching(/^Before \(\d{2}:\d{2}\): Заказ 12345, подъезд 2$/)]);
    await admin.mouse.move(4, 760);
    await shot(admin, 'telegram-edited-en-1366.png');
    await admin.getByTestId('lang-ru').click();
    await expect.poll(() => mark.textContent(), { timeout: WAIT }).toBe('изменено');

    expect(errors.slice(errorsBefore)).toEqual([]);
  });

  it('a voice message and a video show the browser\'s players, their download links kept', async () => {
    const errorsBefore = errors.length;
    const dialogId = new URL(admin.url()).pathname.split('/').pop();
    // The server tells a file by its first bytes: Ogg's and MP4's are enough to be taken as such.
    const ogg = Buffer.concat([Buffer.from('OggS'), Buffer.alloc(60)]);
    const mp4 = Buffer.concat([Buffer.from([0, 0, 0, 24]), Buffer.from('ftypisom'), Buffer.alloc(60)]);
    const voice = await api('POST', `/api/v1/uploads?name=${encodeURIComponent('голосовое.ogg')}`, undefined, ogg);
    const video = await api('POST', `/api/v1/uploads?name=${encodeURIComponent('кухня.mp4')}`, undefined, mp4);
    expect([voice.content_type, video.content_type]).toEqual(['audio/ogg', 'video/mp4']);
    // A note: it stays in the console.
    await api('POST', `/api/v1/dialogs/${dialogId}/messages`, { client_id: `e2e-media-${Date.now()}`, body: 'Голосовое и видео от клиентки', internal: true, attachments: [voice.id, video.id] });

    const note = admin.getByTestId('timeline').locator('[data-testid="message"][data-note="true"]', { hasText: 'Голосовое и видео' });
    await note.waitFor({ timeout: WAIT });
    const audio = note.locator('[data-testid="attachment-audio"] audio');
    const player = note.locator('[data-testid="attachment-video"] video');
    await audio.waitFor({ timeout: WAIT });
    await expect(audio.getAttribute('preload')).resolves.toBe('none');
    await expect(audio.evaluate((el) => (el as HTMLAudioElement).controls)).resolves.toBe(true);
    await expect(player.getAttribute('preload')).resolves.toBe('none');
    await expect(player.evaluate((el) => (el as HTMLVideoElement).controls)).resolves.toBe(true);
    await expect(note.getByTestId('attachment-file').evaluateAll((els) => els.map((e) => e.getAttribute('download')))).resolves.toEqual(['голосовое.ogg', 'кухня.mp4']);
    // Nothing is fetched before play: each player settles idle with no data (and so draws no spinner).
    for (const media of [audio, player]) {
      await expect
        .poll(() => media.evaluate((el) => [(el as HTMLMediaElement).networkState, (el as HTMLMediaElement).readyState]), { timeout: WAIT })
        .toEqual([1 /* NETWORK_IDLE */, 0 /* HAVE_NOTHING */]);
    }
    // Sized to the timeline, not beyond it.
    const box = await player.boundingBox();
    expect(box && box.width <= 320 && box.height <= 200).toBe(true);
    await note.scrollIntoViewIfNeeded();
    await admin.mouse.move(4, 760);
    await shot(admin, 'telegram-media-1366.png');
    expect(sentToMaria().filter((t) => t.includes('Голосовое'))).toEqual([]);
    expect(errors.slice(errorsBefore)).toEqual([]);
  });

  it('a routing rule on the Telegram topic: the bot\'s topics offered by title, a topic not chosen named, the key saved', async () => {
    const errorsBefore = errors.length;
    await admin.getByTestId('nav-rules').click();
    await admin.getByTestId('rules-form').waitFor({ timeout: WAIT });
    await admin.getByTestId('rule-add').click();
    const rule = admin.getByTestId('rule').last();
    await rule.getByTestId('rule-name').fill('Возвраты из Telegram');
    const type = rule.getByTestId('condition-type');
    await expect(type.locator('option').allTextContents()).resolves.toEqual(['Адрес страницы', 'Свойство посетителя', 'Язык посетителя', 'Тема в Telegram', 'Письмо на адрес']);
    await type.selectOption('telegram_topic');
    const topicSelect = rule.getByTestId('condition-topic');
    await topicSelect.waitFor({ timeout: WAIT });
    await expect(topicSelect.locator('option').allTextContents()).resolves.toEqual(['Выберите тему…', 'Доставка', 'Возврат и обмен']);

    // Saved without a topic: the server refuses that condition's value, named in the form's words.
    await admin.getByTestId('rules-save').click();
    await expect(admin.getByTestId('rules-error').textContent({ timeout: WAIT })).resolves.toBe(
      'Правило 1, условие 1, поле «Тема»: Выберите тему или введите её ключ. items[0].conditions[0].value',
    );
    await expect(topicSelect.getAttribute('aria-invalid')).resolves.toBe('true');

    await topicSelect.selectOption('returns');
    await admin.getByTestId('rules-save').click();
    await admin.getByTestId('rules-saved').waitFor({ timeout: WAIT });
    expect((await api('GET', '/api/v1/routing-rules')).items).toMatchObject([
      { name: 'Возвраты из Telegram', conditions: [{ type: 'telegram_topic', value: 'returns' }] },
    ]);
    await noSidewaysOverflow(admin);
    await admin.mouse.move(4, 760);
    await shot(admin, 'telegram-rule-topic-1366.png');

    await admin.getByTestId('lang-en').click();
    await expect.poll(() => topicSelect.locator('option').allTextContents(), { timeout: WAIT }).toEqual(['Delivery', 'Returns and exchanges']);
    await expect(type.locator('option:checked').textContent()).resolves.toBe('Telegram topic');
    await admin.mouse.move(4, 760);
    await shot(admin, 'telegram-rule-topic-en-1366.png');
    await admin.getByTestId('lang-ru').click();

    // The one refusal above is the only error the page logged.
    const expected = [/HTTP 400: PUT \S+\/api\/v1\/routing-rules$/, /status of 400/];
    expect(errors.slice(errorsBefore).filter((e) => !expected.some((re) => re.test(e)))).toEqual([]);
  });
});
