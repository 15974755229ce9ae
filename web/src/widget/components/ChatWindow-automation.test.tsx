/** What the visitor sees of issue 5's automation: the proactive bubble and the offline contact form. */
import { render } from 'preact';
import { act } from 'preact/test-utils';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ApiError } from '../../shared/api';
import type { MessageView, WidgetAvailability, WidgetTrigger } from '../../shared/api-types';
import { fakeApi, settle, type Handler } from '../../test/fake-api';
import { FakeSocket, message, operatorMessage } from '../../test/fixtures';
import { WidgetChat } from '../chat';
import { ChatContext } from '../context';
import { makeT } from '../i18n';
import { ChatWindow } from './ChatWindow';

const params = { key: 'k', origin: '', page: '', lang: 'ru' as const };
const PERSONA = 'Служба поддержки';
const TEXT = 'Здравствуйте! Подсказать с выбором кухни?';
const trigger: WidgetTrigger = { id: 't1', message: TEXT, persona: PERSONA, time_on_site_seconds: 0 };
const online: WidgetAvailability = { online: true, reason: null, offline_form: false, message: '', next_open_at: null };
const away: WidgetAvailability = { online: false, reason: 'nobody_online', offline_form: true, message: 'Сейчас мы не на связи. Оставьте контакты.', next_open_at: null };

let host: HTMLDivElement | null = null;

async function mount(opts: { availability?: WidgetAvailability; triggers?: WidgetTrigger[]; history?: () => MessageView[]; routes?: Record<string, Handler> }) {
  const api = fakeApi({
    'POST /widget/v1/session': () => ({
      token: 't',
      visitor: { id: 'v1', number: 42, name: null },
      dialog: null,
      site: { name: 'Кухни' },
      availability: opts.availability ?? online,
      time_on_site_seconds: 30,
      triggers: opts.triggers ?? [],
    }),
    'GET /widget/v1/messages': (path) => ({ items: path.includes('cursor') ? [] : opts.history?.() ?? [], next_cursor: null }),
    'POST /widget/v1/triggers/*': () => ({ shown: true }),
    'POST /widget/v1/read': () => undefined,
    ...opts.routes,
  });
  const chat = new WidgetChat(params, () => {}, { api: api.request, WebSocketImpl: FakeSocket as unknown as typeof WebSocket });
  await chat.start();
  host = document.createElement('div');
  document.body.appendChild(host);
  const el = host;
  await act(async () => {
    render(
      <ChatContext.Provider value={{ chat, t: makeT('ru'), lang: 'ru', close: () => {}, embedded: false }}>
        <ChatWindow />
      </ChatContext.Provider>,
      el,
    );
  });
  const q = (id: string) => el.querySelector<HTMLElement>(`[data-testid="${id}"]`);
  const all = (selector: string) => [...el.querySelectorAll<HTMLElement>(selector)];
  return { chat, api, el, q, all };
}

const flush = () => act(async () => settle());

async function type(el: HTMLInputElement | HTMLTextAreaElement, value: string) {
  await act(async () => {
    el.value = value;
    el.dispatchEvent(new Event('input', { bubbles: true }));
  });
}

beforeEach(() => {
  FakeSocket.instances = [];
  localStorage.clear();
});
afterEach(() => {
  if (host) render(null, host);
  host?.remove();
  host = null;
  vi.useRealTimers();
});

describe('proactive message', () => {
  it('shows as a bubble from the persona, then once only after he answers', async () => {
    vi.useFakeTimers();
    let history: MessageView[] = [];
    const { chat, q, all } = await mount({
      triggers: [trigger],
      history: () => history,
      routes: {
        'POST /widget/v1/messages': (_p, o) => {
          const b = o.body as { client_id: string; body: string };
          history = [operatorMessage(1, { author: { kind: 'operator', id: 't1', name: PERSONA }, body: TEXT }), message(2, { client_id: b.client_id, body: b.body })];
          return history[1];
        },
      },
    });
    expect(q('message')).toBeNull();
    await act(async () => {
      await vi.advanceTimersByTimeAsync(0);
    });
    await flush();
    const bubble = all('[data-testid="message"][data-author="operator"]');
    expect(bubble).toHaveLength(1);
    expect(bubble[0].getAttribute('data-state')).toBe('local');
    expect(bubble[0].querySelector('[data-testid="message-author"]')?.textContent).toBe(PERSONA);
    expect(bubble[0].querySelector('[data-testid="message-body"]')?.textContent).toBe(TEXT);
    // No "write to us" greeting under a message that already greets him.
    expect(q('message-list')?.querySelector('.empty')).toBeNull();

    await act(async () => {
      chat.send('Да, угловую');
      await vi.advanceTimersByTimeAsync(0);
    });
    await flush();
    const messages = all('[data-testid="message"]');
    expect(messages.map((m) => [m.getAttribute('data-author'), m.getAttribute('data-state'), m.querySelector('[data-testid="message-body"]')?.textContent])).toEqual([
      ['operator', 'sent', TEXT],
      ['visitor', 'sent', 'Да, угловую'],
    ]);
    chat.stop();
  });
});

describe('offline mode', () => {
  const answer: Handler = (_p, o) => {
    const b = o.body as { client_id: string; question: string };
    return {
      dialog: { id: 'd9', number: 9, status: 'open', last_seq: 1, close_reason: null, rating: null, operator_read_seq: 0 },
      message: message(1, { dialog_id: 'd9', client_id: b.client_id, body: b.question }),
    };
  };

  it('shows the offline text and the form instead of the composer', async () => {
    const { chat, q } = await mount({ availability: away });
    expect(q('offline-message')?.textContent).toBe(away.message);
    expect(q('offline-form')).not.toBeNull();
    expect(q('composer-input')).toBeNull();
    expect(q('visitor-identity')).toBeNull();
    expect(q('chat-subtitle')?.textContent).toBe('Ответим, как только будем на связи');
    chat.stop();
  });

  it('says what to fix under each field before sending', async () => {
    const { chat, api, q, all } = await mount({ availability: away, routes: { 'POST /widget/v1/offline': answer } });
    await act(async () => (q('offline-send') as HTMLButtonElement).click());
    await flush();
    const errors = () => Object.fromEntries(all('[data-testid="offline-field-error"]').map((e) => [e.dataset.field, e.textContent]));
    expect(errors()).toEqual({
      name: 'Укажите, как к вам обращаться.',
      contact: 'Оставьте e-mail или телефон — иначе мы не сможем ответить.',
      question: 'Напишите ваш вопрос.',
    });
    expect(q('offline-name')?.getAttribute('aria-invalid')).toBe('true');
    expect(document.activeElement).toBe(q('offline-name'));
    expect(api.callsTo('POST', '/widget/v1/offline')).toHaveLength(0);

    await type(q('offline-name') as HTMLInputElement, 'Иван');
    await type(q('offline-email') as HTMLInputElement, 'ivan@example');
    await type(q('offline-question') as HTMLTextAreaElement, 'Сколько стоит кухня?');
    expect(errors()).toEqual({});
    await act(async () => (q('offline-send') as HTMLButtonElement).click());
    await flush();
    expect(errors()).toEqual({ email: 'Похоже, в адресе e-mail ошибка.' });
    expect(q('offline-email')?.getAttribute('aria-describedby')).toBe('offline-email-error');
    chat.stop();
  });

  it('shows the server\'s refusal at the field it names', async () => {
    const { chat, q, all } = await mount({
      availability: away,
      routes: {
        'POST /widget/v1/offline': () => {
          throw new ApiError(400, 'validation_failed', 'phone', { field: 'phone' });
        },
      },
    });
    await type(q('offline-name') as HTMLInputElement, 'Иван');
    await type(q('offline-phone') as HTMLInputElement, '+7 900 123-45-67');
    await type(q('offline-question') as HTMLTextAreaElement, 'Вопрос');
    await act(async () => (q('offline-send') as HTMLButtonElement).click());
    await flush();
    const shown = all('[data-testid="offline-field-error"]');
    expect(shown.map((e) => e.dataset.field)).toEqual(['phone']);
    expect(shown[0].textContent).toContain('Проверьте номер телефона');
    chat.stop();
  });

  it('after the send: his question in the chat, the thanks, and the composer', async () => {
    const { chat, q, all } = await mount({ availability: away, routes: { 'POST /widget/v1/offline': answer } });
    await type(q('offline-name') as HTMLInputElement, 'Иван');
    await type(q('offline-email') as HTMLInputElement, 'ivan@example.com');
    await type(q('offline-question') as HTMLTextAreaElement, 'Сколько стоит кухня?');
    await act(async () => (q('offline-send') as HTMLButtonElement).click());
    await flush();
    expect(q('offline-form')).toBeNull();
    expect(all('[data-testid="message"][data-author="visitor"]').map((m) => m.textContent)).toEqual([expect.stringContaining('Сколько стоит кухня?')]);
    expect(q('offline-thanks')?.textContent).toContain('Ответ появится здесь, в этом чате');
    expect(q('offline-thanks')?.textContent).toContain('ivan@example.com');
    expect(q('offline-thanks')?.textContent).not.toMatch(/ответим на|e-mail/i);
    expect(q('composer-input')).not.toBeNull();
    expect(q('visitor-identity')?.textContent).toContain('Иван');
    // The thanks already says when he will hear from us: no note repeats it.
    expect(q('availability-note')).toBeNull();
    chat.stop();
  });

  it('without the form, a note says the team may answer later', async () => {
    const { chat, q } = await mount({ availability: { ...away, offline_form: false, reason: 'outside_hours' } });
    expect(q('offline-form')).toBeNull();
    expect(q('composer-input')).not.toBeNull();
    expect(q('availability-note')?.textContent).toBe('Сейчас нерабочее время. Напишите — ответим, когда начнём работу.');
    chat.stop();
  });
});
