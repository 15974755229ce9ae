/**
 * The Telegram page in jsdom: the list of bots, connecting one (the console's own check and
 * Telegram's refusals under the token field, the default channel, Telegram out of reach), the
 * selected bot's document (texts, idle limit, topics added, moved and removed, questions) saved
 * whole with a refused field shown at its input, the switch and "Disconnect", unsaved edits,
 * English, and the tab under Integrations.
 */
import { render } from 'preact';
import { act } from 'preact/test-utils';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ApiError } from '../../shared/api';
import type { Lang } from '../../shared/i18n';
import { fakeApi, settle } from '../../test/fake-api';
import { channel, meView, operator } from '../../test/fixtures';
import { ConsoleState } from '../console-state';
import { ConsoleContext } from '../context';
import type { BotView } from './telegram';
import { TelegramAdmin } from './TelegramAdmin';

const TOKEN = '4242:AAE-e2e-token-0123456789abcdef';

function bot(id: string, over: Partial<BotView> = {}): BotView {
  return {
    id,
    username: `${id}_bot`,
    name: `Бот ${id}`,
    channel_id: 'c1',
    settings: {},
    mode: 'polling',
    enabled: true,
    created_at: '2026-03-01T10:00:00Z',
    ...over,
  };
}

let host: HTMLDivElement;
let items: BotView[];
let calls: { method: string; path: string; body: unknown }[];
let refuse: ApiError | null;
let state: ConsoleState;

async function mount(lang: Lang = 'ru', start: BotView[] = [bot('b1', { name: 'Кухни: помощь', username: 'kitchen_help_bot' }), bot('b2', { channel_id: 'c2', enabled: false })]) {
  localStorage.setItem('frontline.console.lang', lang);
  items = start;
  calls = [];
  refuse = null;
  const record = (method: string, path: string, body: unknown) => calls.push({ method, path, body });
  const api = fakeApi({
    'GET /api/v1/telegram/bots': () => ({ items }),
    'POST /api/v1/telegram/bots': (path, o) => {
      record('POST', path, o.body);
      if (refuse) throw refuse;
      const body = o.body as { token: string; channel_id?: string };
      const made = bot(`b${items.length + 1}`, { name: 'Новый бот', username: 'new_help_bot', channel_id: body.channel_id ?? 'c1' });
      items = [...items, made];
      return made;
    },
    'PATCH /api/v1/telegram/bots/*': (path, o) => {
      record('PATCH', path, o.body);
      if (refuse) throw refuse;
      const id = path.split('/').pop()!;
      const patch = o.body as Partial<BotView>;
      items = items.map((x) => (x.id === id ? { ...x, ...patch } : x));
      return items.find((x) => x.id === id);
    },
    'DELETE /api/v1/telegram/bots/*': (path) => {
      record('DELETE', path, undefined);
      items = items.filter((x) => x.id !== path.split('/').pop());
      return undefined;
    },
  });
  state = new ConsoleState({ api: api.request, watching: () => true });
  state.session.me = meView({ operator: operator('op1', { role: 'admin' }) });
  // The default channel is not the first one: the form must pick it by `is_default`.
  state.team.channels = [channel('c2', { name: 'Сервис' }), channel('c1', { name: 'Москва', is_default: true })];
  host = document.createElement('div');
  document.body.appendChild(host);
  await act(async () => {
    render(
      <ConsoleContext.Provider value={state}>
        <TelegramAdmin />
      </ConsoleContext.Provider>,
      host,
    );
    await settle();
  });
}

const q = <T extends HTMLElement = HTMLElement>(testid: string, within: ParentNode = document) => within.querySelector<T>(`[data-testid="${testid}"]`);
const all = <T extends HTMLElement = HTMLElement>(testid: string, within: ParentNode = document) => [...within.querySelectorAll<T>(`[data-testid="${testid}"]`)];
const fieldNote = (field: string) => document.querySelector(`[data-testid="field-error"][data-field="${field}"]`)?.textContent ?? null;
const topic = (i: number) => all('telegram-topic')[i];

async function type(el: HTMLInputElement | HTMLTextAreaElement, value: string) {
  await act(async () => {
    el.value = value;
    el.dispatchEvent(new Event('input', { bubbles: true }));
    await settle();
  });
}
async function pick(el: HTMLSelectElement | HTMLInputElement, value?: string) {
  await act(async () => {
    if (el instanceof HTMLSelectElement) el.value = value!;
    el.dispatchEvent(new Event('change', { bubbles: true }));
    await settle();
  });
}
async function click(el: HTMLElement) {
  await act(async () => {
    el.click();
    await settle();
  });
}
async function submit(testid: string) {
  await act(async () => {
    q<HTMLFormElement>(testid)!.dispatchEvent(new Event('submit', { bubbles: true, cancelable: true }));
    await settle();
  });
}
/** Adds a topic and fills its key and titles. */
async function addTopic(key: string, ru: string, en: string) {
  await click(q('telegram-topic-add')!);
  const t = all('telegram-topic').at(-1)!;
  await type(q<HTMLInputElement>('telegram-topic-key', t)!, key);
  await type(q<HTMLInputElement>('telegram-topic-title-ru', t)!, ru);
  await type(q<HTMLInputElement>('telegram-topic-title-en', t)!, en);
  return t;
}

afterEach(() => {
  act(() => render(null, host));
  host.remove();
  vi.restoreAllMocks();
});

describe('Telegram page', () => {
  it('lists the bots: name, @username, how messages are read, channel, on or off', async () => {
    await mount();
    expect(q('telegram-title')?.textContent).toBe('Telegram');
    const rows = all('telegram-row');
    expect(rows.map((r) => r.dataset.botId)).toEqual(['b1', 'b2']);
    expect(all('telegram-row-name').map((c) => c.textContent)).toEqual(['Кухни: помощь', 'Бот b2']);
    expect(all('telegram-row-username').map((c) => c.textContent)).toEqual(['@kitchen_help_bot', '@b2_bot']);
    expect(all('telegram-row-mode').map((c) => c.textContent)).toEqual(['Опрос сервером', 'Опрос сервером']);
    expect(all('telegram-row-channel').map((c) => c.textContent)).toEqual(['Москва', 'Сервис']);
    expect(all<HTMLInputElement>('telegram-toggle').map((c) => c.checked)).toEqual([true, false]);
    expect(all('telegram-toggle')[0].getAttribute('role')).toBe('switch');
    expect(all('telegram-toggle')[0].getAttribute('aria-label')).toBe('Бот @kitchen_help_bot работает');
    // The first bot's document is open below, with the server's defaults for what it lacks.
    expect(q('telegram-editor')?.dataset.botId).toBe('b1');
    expect(q('telegram-editor-title')?.textContent).toBe('Настройки бота @kitchen_help_bot');
    expect(q<HTMLTextAreaElement>('telegram-text-greeting-ru')?.value).toBe('Здравствуйте! Выберите, пожалуйста, тему обращения.');
    expect(q<HTMLTextAreaElement>('telegram-text-timed_out-en')?.value).toBe('We did not hear back and closed the request. Send /start to begin again.');
    expect(q<HTMLInputElement>('telegram-idle')?.value).toBe('30');
    expect(q('telegram-topics-empty')).not.toBeNull();
    expect(q<HTMLButtonElement>('telegram-save')?.disabled).toBe(true);
  });

  it('says so when there is no bot yet', async () => {
    await mount('ru', []);
    expect(q('telegram-empty')?.textContent).toMatch(/^Ботов пока нет/);
    expect(q('telegram-table')).toBeNull();
    expect(q('telegram-editor')).toBeNull();
  });

  it('connects a bot: the token checked first, Telegram\'s refusals under the token field, then the default channel', async () => {
    await mount();
    const token = q<HTMLInputElement>('telegram-token')!;
    expect(token.type).toBe('password');
    // The channel picker starts at the default channel, wherever it is in the list.
    expect(q<HTMLSelectElement>('telegram-channel')?.value).toBe('c1');
    expect(q<HTMLSelectElement>('telegram-channel')?.selectedOptions[0].textContent).toBe('Москва (основной)');

    await submit('telegram-connect');
    expect(calls).toEqual([]);
    expect(fieldNote('token')).toBe('Заполните это поле.');
    await type(token, 'not a token');
    await submit('telegram-connect');
    expect(calls).toEqual([]);
    expect(fieldNote('token')).toMatch(/^Это не похоже на токен бота/);

    refuse = new ApiError(400, 'validation_failed', 'token: Telegram does not know this token', { field: 'token' });
    await type(token, '4242:AAE-wrong-token-000000000000');
    await submit('telegram-connect');
    expect(calls).toEqual([{ method: 'POST', path: '/api/v1/telegram/bots', body: { token: '4242:AAE-wrong-token-000000000000', channel_id: 'c1' } }]);
    expect(fieldNote('token')).toBe(
      'Telegram не знает такого токена. Проверьте, что он скопирован целиком, или выпустите новый у @BotFather командой /token.',
    );
    expect(token.getAttribute('aria-invalid')).toBe('true');
    expect(document.activeElement).toBe(token);
    expect(q('telegram-connect-error')).toBeNull();
    // Typing again takes the message away.
    await type(token, TOKEN);
    expect(fieldNote('token')).toBeNull();

    refuse = new ApiError(400, 'validation_failed', 'token: this bot is connected already', { field: 'token' });
    await submit('telegram-connect');
    expect(fieldNote('token')).toBe('Этот бот уже подключён. Один бот подключается только один раз.');

    refuse = new ApiError(503, 'unavailable', 'Telegram could not be reached: connection refused');
    await submit('telegram-connect');
    expect(fieldNote('token')).toBeNull();
    expect(q('telegram-connect-error')?.textContent).toBe(
      'Не удалось связаться с Telegram. Проверьте, что у сервера есть доступ к api.telegram.org, и повторите.',
    );

    // Shown on request.
    await click(q('telegram-token-show')!);
    expect(token.type).toBe('text');
    refuse = null;
    await pick(q<HTMLSelectElement>('telegram-channel')!, 'c2');
    await submit('telegram-connect');
    expect(calls.at(-1)).toEqual({ method: 'POST', path: '/api/v1/telegram/bots', body: { token: TOKEN, channel_id: 'c2' } });
    expect(q('telegram-connected')?.textContent).toBe('Бот @new_help_bot подключён. Настройте его приветствие и темы ниже.');
    expect(token.value).toBe('');
    expect(token.type).toBe('password');
    expect(q<HTMLSelectElement>('telegram-channel')?.value).toBe('c1');
    expect(all('telegram-row').map((r) => r.dataset.botId)).toEqual(['b1', 'b2', 'b3']);
    // The new bot's document opens, with the focus on its title.
    expect(q('telegram-editor')?.dataset.botId).toBe('b3');
    expect(document.activeElement).toBe(q('telegram-editor-title'));
  });

  it('saves the whole document, and shows the server\'s refusal of a topic\'s key at that key', async () => {
    await mount();
    await type(q<HTMLTextAreaElement>('telegram-text-greeting-en')!, 'Hi! What is your question about?');
    await type(q<HTMLInputElement>('telegram-idle')!, '45');
    await addTopic('delivery', 'Доставка', 'Delivery');
    await click(q('telegram-question-add', topic(0))!);
    await type(q<HTMLInputElement>('telegram-question-ru', topic(0))!, 'Номер заказа?');
    await type(q<HTMLInputElement>('telegram-question-en', topic(0))!, 'Order number?');
    await addTopic('returns', 'Возврат', 'Returns');
    await pick(q<HTMLSelectElement>('telegram-topic-channel', topic(1))!, 'c2');
    expect(state.team.unsaved.any()).toBe(true);

    refuse = new ApiError(400, 'validation_failed', 'settings.topics[1].key: used by another topic', { field: 'settings.topics[1].key' });
    await submit('telegram-editor');
    const patch = calls.filter((c) => c.method === 'PATCH');
    expect(patch).toEqual([
      {
        method: 'PATCH',
        path: '/api/v1/telegram/bots/b1',
        body: {
          settings: {
            greeting: { ru: 'Здравствуйте! Выберите, пожалуйста, тему обращения.', en: 'Hi! What is your question about?' },
            handed_over: {
              ru: 'Спасибо! Передаём ваш вопрос оператору, он скоро ответит здесь.',
              en: 'Thank you! We are passing your question to an operator, who will answer here soon.',
            },
            timed_out: {
              ru: 'Мы не дождались ответа и закрыли обращение. Напишите /start, чтобы начать снова.',
              en: 'We did not hear back and closed the request. Send /start to begin again.',
            },
            idle_minutes: 45,
            topics: [
              { key: 'delivery', title: { ru: 'Доставка', en: 'Delivery' }, channel_id: null, questions: [{ ru: 'Номер заказа?', en: 'Order number?' }] },
              { key: 'returns', title: { ru: 'Возврат', en: 'Returns' }, channel_id: 'c2', questions: [] },
            ],
          },
        },
      },
    ]);
    // At the second topic's key, in the console's words; the focus goes there.
    expect(fieldNote('settings.topics[1].key')).toBe('Такой ключ уже есть у другой темы.');
    const key = q<HTMLInputElement>('telegram-topic-key', topic(1))!;
    expect(key.getAttribute('aria-invalid')).toBe('true');
    expect(document.activeElement).toBe(key);
    expect(q('telegram-topic-key', topic(0))?.getAttribute('aria-invalid')).toBeNull();
    expect(q('telegram-error')?.textContent).toBe('Не сохранено: проверьте отмеченные поля.');

    // A bad key of another kind is worded as the key's rule.
    refuse = new ApiError(400, 'validation_failed', 'settings.topics[0].key: 1–24 of a-z, 0-9, _ and -', { field: 'settings.topics[0].key' });
    await type(key, 'returns2');
    await submit('telegram-editor');
    expect(fieldNote('settings.topics[0].key')).toBe('От 1 до 24 символов: строчные латинские буквы, цифры, _ и -.');
    expect(fieldNote('settings.topics[1].key')).toBeNull();

    // The idle limit, named by the server.
    refuse = new ApiError(400, 'validation_failed', 'settings.idle_minutes: 1–1440', { field: 'settings.idle_minutes' });
    await type(q<HTMLInputElement>('telegram-idle')!, '46');
    await submit('telegram-editor');
    expect(fieldNote('settings.idle_minutes')).toBe('Целое число минут от 1 до 1440.');

    refuse = null;
    await type(q<HTMLInputElement>('telegram-idle')!, '45');
    await submit('telegram-editor');
    expect(q('telegram-error')).toBeNull();
    expect(q('telegram-saved')?.textContent).toBe('Сохранено');
    expect(state.team.unsaved.any()).toBe(false);
    expect(q<HTMLButtonElement>('telegram-save')?.disabled).toBe(true);
    expect(items[0].settings).toMatchObject({ idle_minutes: 45, topics: [{ key: 'delivery' }, { key: 'returns2' }] });
  });

  it('checks the document before sending it: texts, idle minutes, keys', async () => {
    await mount();
    await type(q<HTMLTextAreaElement>('telegram-text-handed_over-ru')!, '   ');
    await type(q<HTMLInputElement>('telegram-idle')!, '0');
    await addTopic('Bad Key', 'Доставка', '');
    await addTopic('returns', 'Возврат', 'Returns');
    await type(q<HTMLInputElement>('telegram-topic-key', topic(1))!, 'returns');
    await addTopic('returns', 'Ещё', 'More');
    await submit('telegram-editor');
    expect(calls).toEqual([]);
    expect(fieldNote('settings.handed_over.ru')).toBe('Заполните это поле.');
    expect(fieldNote('settings.idle_minutes')).toBe('Целое число минут от 1 до 1440.');
    expect(fieldNote('settings.topics[0].key')).toBe('От 1 до 24 символов: строчные латинские буквы, цифры, _ и -.');
    expect(fieldNote('settings.topics[0].title.en')).toBe('Заполните это поле.');
    expect(fieldNote('settings.topics[2].key')).toBe('Такой ключ уже есть у другой темы.');
    // The first marked field in the page's order takes the focus: the idle limit, above the texts.
    expect(document.activeElement).toBe(q('telegram-idle'));
    expect(q('telegram-error')?.textContent).toBe('Не сохранено: проверьте отмеченные поля.');
  });

  it('moves topics up and down, removes topics and questions, at most five questions', async () => {
    await mount();
    await addTopic('a', 'А', 'A');
    await addTopic('b', 'Б', 'B');
    await addTopic('c', 'В', 'C');
    const keys = () => all<HTMLInputElement>('telegram-topic-key').map((k) => k.value);
    expect(keys()).toEqual(['a', 'b', 'c']);
    expect(q<HTMLButtonElement>('telegram-topic-up', topic(0))?.disabled).toBe(true);
    expect(q<HTMLButtonElement>('telegram-topic-down', topic(2))?.disabled).toBe(true);
    expect(q('telegram-topic-up', topic(2))?.getAttribute('aria-label')).toBe('Поднять тему 3');
    await click(q('telegram-topic-up', topic(2))!);
    expect(keys()).toEqual(['a', 'c', 'b']);
    // The focus stays with the moved topic.
    expect(document.activeElement).toBe(q('telegram-topic-up', topic(1)));
    await click(q('telegram-topic-down', topic(0))!);
    expect(keys()).toEqual(['c', 'a', 'b']);
    await click(q('telegram-topic-remove', topic(1))!);
    expect(keys()).toEqual(['c', 'b']);

    const add = q<HTMLButtonElement>('telegram-question-add', topic(0))!;
    for (let n = 0; n < 5; n++) await click(add);
    expect(all('telegram-question', topic(0))).toHaveLength(5);
    expect(add.disabled).toBe(true);
    await type(q<HTMLInputElement>('telegram-question-ru', topic(0))!, 'Первый');
    await click(all('telegram-question-remove', topic(0))[1]);
    expect(all('telegram-question', topic(0))).toHaveLength(4);
    expect(all<HTMLInputElement>('telegram-question-ru', topic(0))[0].value).toBe('Первый');
    expect(add.disabled).toBe(false);
  });

  it('switches a bot off and on, and disconnects it after asking', async () => {
    await mount();
    const box = all<HTMLInputElement>('telegram-toggle')[0];
    await click(box);
    expect(calls).toEqual([{ method: 'PATCH', path: '/api/v1/telegram/bots/b1', body: { enabled: false } }]);
    expect(all('telegram-row')[0].dataset.enabled).toBe('false');
    expect(box.checked).toBe(false);
    await click(box);
    expect(calls.at(-1)).toEqual({ method: 'PATCH', path: '/api/v1/telegram/bots/b1', body: { enabled: true } });
    expect(all('telegram-row')[0].dataset.enabled).toBe('true');

    const ask = vi.spyOn(window, 'confirm').mockReturnValueOnce(false).mockReturnValueOnce(true);
    await click(all('telegram-disconnect')[0]);
    expect(calls.filter((c) => c.method === 'DELETE')).toEqual([]);
    await click(all('telegram-disconnect')[0]);
    expect(ask.mock.calls[1][0]).toBe(
      'Отключить бота @kitchen_help_bot от Frontline? Он перестанет отвечать в Telegram; диалоги и контакты останутся. Чтобы вернуть бота, его придётся подключить заново по токену.',
    );
    expect(calls.filter((c) => c.method === 'DELETE')).toEqual([{ method: 'DELETE', path: '/api/v1/telegram/bots/b1', body: undefined }]);
    expect(all('telegram-row').map((r) => r.dataset.botId)).toEqual(['b2']);
    expect(q('telegram-editor')?.dataset.botId).toBe('b2');
  });

  it('asks before another bot\'s document replaces unsaved edits', async () => {
    await mount();
    await type(q<HTMLInputElement>('telegram-idle')!, '15');
    await click(all('telegram-configure')[1]);
    expect(q('telegram-editor')?.dataset.botId).toBe('b1');
    expect(state.team.unsaved.pending).not.toBeNull();
    await act(async () => {
      state.team.unsaved.leave();
      await settle();
    });
    expect(q('telegram-editor')?.dataset.botId).toBe('b2');
    expect(q<HTMLInputElement>('telegram-idle')?.value).toBe('30');
    expect(all('telegram-configure')[1].getAttribute('aria-pressed')).toBe('true');
  });

  it('says the same in English', async () => {
    await mount('en');
    expect(all('telegram-row-mode')[0].textContent).toBe('Polling');
    expect(q('telegram-editor-title')?.textContent).toBe('Settings of bot @kitchen_help_bot');
    expect(q<HTMLSelectElement>('telegram-channel')?.selectedOptions[0].textContent).toBe('Москва (default)');
    refuse = new ApiError(400, 'validation_failed', 'token: Telegram does not know this token', { field: 'token' });
    await type(q<HTMLInputElement>('telegram-token')!, TOKEN);
    await submit('telegram-connect');
    expect(fieldNote('token')).toMatch(/^Telegram does not know this token\./);
    refuse = new ApiError(400, 'validation_failed', 'settings.topics[0].key: used by another topic', { field: 'settings.topics[0].key' });
    await addTopic('a', 'А', 'A');
    await submit('telegram-editor');
    expect(fieldNote('settings.topics[0].key')).toBe('Another topic has this key.');
    expect(q('telegram-topic-channel', topic(0))?.querySelector('option')?.textContent).toBe('Bot’s channel (Москва)');
  });

  it('is the fourth tab under Integrations, after the API keys and before Mail', async () => {
    await mount();
    expect(all('integrations-tab-install').length + all('integrations-tab-webhooks').length + all('integrations-tab-api-keys').length + all('integrations-tab-telegram').length).toBe(4);
    expect(q('integrations-tab-telegram')?.getAttribute('aria-current')).toBe('page');
    expect(q('integrations-tab-telegram')?.getAttribute('href')).toBe('/console/admin/telegram');
    const tabs = [...document.querySelectorAll('.page-tabs a')].map((a) => a.textContent);
    expect(tabs).toEqual(['Установка виджета', 'Вебхуки', 'API-ключи', 'Telegram', 'Почта']);
  });
});
