/** The visitor's chat and issue 5's automation: proactive messages and the offline contact form. */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ApiError } from '../shared/api';
import type { MessageView, WidgetAvailability, WidgetDialogView, WidgetTrigger } from '../shared/api-types';
import { fakeApi, type Handler } from '../test/fake-api';
import { FakeSocket, message, operatorMessage } from '../test/fixtures';
import { WidgetChat } from './chat';

const params = { key: 'site-key', origin: 'https://shop.example', page: 'https://shop.example/', lang: 'ru' as const };
const PERSONA = 'Служба поддержки';
const trigger = (id: string, seconds: number, text = `Подсказать с выбором? (${id})`): WidgetTrigger => ({ id, message: text, persona: PERSONA, time_on_site_seconds: seconds });
const openDialog: WidgetDialogView = { id: 'd1', number: 1, status: 'open', last_seq: 1, close_reason: null, rating: null, operator_read_seq: 0 };
const online: WidgetAvailability = { online: true, reason: null, offline_form: false, message: '', next_open_at: null };

function setup(
  opts: {
    triggers?: WidgetTrigger[];
    visit?: number;
    dialog?: WidgetDialogView | null;
    availability?: WidgetAvailability;
    history?: () => MessageView[];
    routes?: Record<string, Handler>;
  } = {},
) {
  const api = fakeApi({
    'POST /widget/v1/session': () => ({
      token: 'tok-1',
      visitor: { id: 'v1', number: 42, name: null },
      dialog: opts.dialog ?? null,
      site: { name: 'Кухни' },
      availability: opts.availability ?? online,
      time_on_site_seconds: opts.visit ?? 0,
      triggers: opts.triggers ?? [],
    }),
    'GET /widget/v1/messages': (path) => (path.includes('cursor') ? { items: [], next_cursor: null } : { items: opts.history?.() ?? [], next_cursor: null }),
    'POST /widget/v1/triggers/*': () => ({ shown: true }),
    'POST /widget/v1/read': () => undefined,
    ...opts.routes,
  });
  const unread: number[] = [];
  const chat = new WidgetChat(params, (n) => unread.push(n), { api: api.request, WebSocketImpl: FakeSocket as unknown as typeof WebSocket });
  const teasers: WidgetTrigger[] = [];
  chat.onProactive = (t) => teasers.push(t);
  return { chat, api, unread, teasers };
}

beforeEach(() => {
  vi.useFakeTimers();
  FakeSocket.instances = [];
  localStorage.clear();
});
afterEach(() => vi.useRealTimers());

describe('proactive messages', () => {
  it('asks the server when the first trigger falls due and, on 200, shows it from the persona', async () => {
    const { chat, api, unread, teasers } = setup({ triggers: [trigger('late', 60), trigger('t1', 25)], visit: 20 });
    await chat.start();
    await vi.advanceTimersByTimeAsync(4_900);
    expect(api.callsTo('POST', '/widget/v1/triggers/')).toHaveLength(0);
    await vi.advanceTimersByTimeAsync(100);
    const [shown] = api.callsTo('POST', '/widget/v1/triggers/');
    expect(shown.path).toBe('/widget/v1/triggers/t1/shown');
    expect(shown.options.token).toBe('tok-1');
    expect(chat.proactive?.trigger).toEqual(trigger('t1', 25));
    // The panel is folded: the page is told (teaser) and the badge counts it.
    expect(teasers.map((t) => t.id)).toEqual(['t1']);
    expect(unread[unread.length - 1]).toBe(1);
    // Nothing more on this page.
    await vi.advanceTimersByTimeAsync(120_000);
    expect(api.callsTo('POST', '/widget/v1/triggers/')).toHaveLength(1);
    chat.setWatching(true);
    expect(unread[unread.length - 1]).toBe(0);
    chat.stop();
  });

  it('shows nothing on 409 trigger_already_shown, and tries the next one', async () => {
    const { chat, api, teasers } = setup({
      triggers: [trigger('seen', 0), trigger('next', 10)],
      routes: {
        'POST /widget/v1/triggers/seen/shown': () => {
          throw new ApiError(409, 'trigger_already_shown', 'seen');
        },
      },
    });
    await chat.start();
    await vi.advanceTimersByTimeAsync(0);
    expect(api.callsTo('POST', '/widget/v1/triggers/').map((c) => c.path)).toEqual(['/widget/v1/triggers/seen/shown']);
    expect(chat.proactive).toBeNull();
    expect(teasers).toEqual([]);
    await vi.advanceTimersByTimeAsync(10_000);
    expect(chat.proactive?.trigger.id).toBe('next');
    chat.stop();
  });

  it('does not show one to a visitor with an open dialog (and does not tell the server)', async () => {
    const { chat, api } = setup({ triggers: [trigger('t1', 0)], dialog: openDialog, history: () => [message(1)] });
    await chat.start();
    await vi.advanceTimersByTimeAsync(60_000);
    expect(api.callsTo('POST', '/widget/v1/triggers/')).toHaveLength(0);
    expect(chat.proactive).toBeNull();
    chat.stop();
  });

  it('does show one after his last dialog closed', async () => {
    const { chat } = setup({ triggers: [trigger('t1', 0)], dialog: { ...openDialog, status: 'closed', close_reason: 'auto' }, history: () => [message(1)] });
    await chat.start();
    await vi.advanceTimersByTimeAsync(0);
    expect(chat.proactive?.trigger.id).toBe('t1');
    chat.stop();
  });

  it('does not show one where the offline form is', async () => {
    const { chat, api } = setup({ triggers: [trigger('t1', 0)], availability: { ...online, online: false, reason: 'nobody_online', offline_form: true } });
    await chat.start();
    await vi.advanceTimersByTimeAsync(1_000);
    expect(api.callsTo('POST', '/widget/v1/triggers/')).toHaveLength(0);
    chat.stop();
  });

  it('sends his answer with trigger_id, then the server\'s copy takes the local one\'s place', async () => {
    let history: MessageView[] = [];
    const { chat, api } = setup({
      triggers: [trigger('t1', 0, 'Подсказать с выбором кухни?')],
      history: () => history,
      routes: {
        'POST /widget/v1/messages': (_p, o) => {
          const b = o.body as { client_id: string; body: string };
          history = [
            operatorMessage(1, { author: { kind: 'operator', id: 't1', name: PERSONA }, body: 'Подсказать с выбором кухни?' }),
            message(2, { client_id: b.client_id, body: b.body }),
          ];
          return history[1];
        },
      },
    });
    await chat.start();
    FakeSocket.last().open();
    chat.setWatching(true);
    await vi.advanceTimersByTimeAsync(0);
    expect(chat.proactive).not.toBeNull();
    expect(chat.proactivePlace()).toBeNull(); // after everything: nothing held yet

    chat.send('Да, нужна угловая');
    // Over REST (the socket frame has no trigger_id), with the trigger.
    expect(FakeSocket.last().sentOfType('send')).toEqual([]);
    const [sent] = api.callsTo('POST', '/widget/v1/messages');
    expect(sent.options.body).toMatchObject({ body: 'Да, нужна угловая', trigger_id: 't1' });
    await vi.advanceTimersByTimeAsync(0);

    // The answer came without the copy: the history is fetched, and the copy is now the first message.
    expect(api.callsTo('GET', '/widget/v1/messages').length).toBeGreaterThanOrEqual(2);
    expect(chat.proactive).toBeNull();
    const thread = chat.conversation.latest()!;
    expect(thread.messages.map((m) => [m.author.kind, m.author.name, m.body])).toEqual([
      ['operator', PERSONA, 'Подсказать с выбором кухни?'],
      ['visitor', null, 'Да, нужна угловая'],
    ]);
    // He saw it as it came: the copy is not a new unread message.
    expect(chat.unread()).toBe(0);
    chat.stop();
  });

  it('keeps the local bubble just before his answer until the copy arrives, and only once', async () => {
    const { chat } = setup({
      triggers: [trigger('t1', 0)],
      routes: { 'POST /widget/v1/messages': (_p, o) => message(2, { client_id: (o.body as { client_id: string }).client_id, body: 'Да' }) },
    });
    await chat.start();
    FakeSocket.last().open();
    await vi.advanceTimersByTimeAsync(0);
    chat.send('Да');
    await vi.advanceTimersByTimeAsync(0);
    // The history did not have it yet: the local one stays, placed before his message.
    expect(chat.proactivePlace()).toEqual({ dialogId: 'd1', beforeSeq: 2 });
    // Then the socket brings it.
    FakeSocket.last().push({ type: 'message.created', message: operatorMessage(1, { author: { kind: 'operator', id: 't1', name: PERSONA }, body: 'Подсказать с выбором? (t1)' }) });
    expect(chat.proactive).toBeNull();
    expect(chat.conversation.latest()!.messages.map((m) => m.seq)).toEqual([1, 2]);
    chat.stop();
  });

  it('an old copy of the same trigger in an earlier dialog does not take the new one away', async () => {
    const old = operatorMessage(1, { dialog_id: 'd0', author: { kind: 'operator', id: 't1', name: PERSONA }, created_at: '2025-12-01T10:00:00Z' });
    const { chat } = setup({ triggers: [trigger('t1', 0)], dialog: { ...openDialog, id: 'd0', status: 'closed', close_reason: 'auto' }, history: () => [old] });
    await chat.start();
    await vi.advanceTimersByTimeAsync(0);
    expect(chat.proactive?.trigger.id).toBe('t1');
    chat.stop();
  });

  it('a discarded answer answers nothing: the next message carries the trigger', async () => {
    const bodies: unknown[] = [];
    const { chat } = setup({
      triggers: [trigger('t1', 0)],
      routes: {
        'POST /widget/v1/messages': (_p, o) => {
          bodies.push(o.body);
          throw new ApiError(400, 'message_too_long', 'too long', { limit: 10 });
        },
      },
    });
    await chat.start();
    await vi.advanceTimersByTimeAsync(0);
    chat.send('x'.repeat(20));
    await vi.advanceTimersByTimeAsync(0);
    const [failed] = chat.conversation.outbox.list();
    expect(failed.state).toBe('failed');
    chat.discard(failed.client_id);
    expect(chat.proactive?.answer).toBeNull();
    chat.send('Да');
    await vi.advanceTimersByTimeAsync(0);
    expect(bodies.map((b) => (b as { trigger_id?: string }).trigger_id)).toEqual(['t1', 't1']);
    chat.stop();
  });
});

describe('offline mode', () => {
  const away: WidgetAvailability = { online: false, reason: 'nobody_online', offline_form: true, message: 'Сейчас мы не на связи.', next_open_at: null };
  const fields = { name: ' Иван ', email: 'ivan@example.com', phone: '', question: ' Сколько стоит кухня? ' };

  it('shows the form only without an open dialog', async () => {
    const a = setup({ availability: away });
    await a.chat.start();
    expect(a.chat.offlineForm()).toBe(true);
    a.chat.stop();
    const b = setup({ availability: away, dialog: openDialog, history: () => [message(1)] });
    await b.chat.start();
    expect(b.chat.offlineForm()).toBe(false);
    b.chat.stop();
  });

  it('checks the form before sending anything', async () => {
    const { chat, api } = setup({ availability: away });
    await chat.start();
    const refused = await chat.sendOffline({ name: '', email: 'ivan@', phone: '', question: '' });
    expect(refused?.fields).toEqual({ name: 'required', email: 'invalid', question: 'required' });
    expect(api.callsTo('POST', '/widget/v1/offline')).toHaveLength(0);
    chat.stop();
  });

  it('shows the server\'s refusal at the field it names, and keeps the client_id for the retry', async () => {
    let refuse = true;
    const { chat, api } = setup({
      availability: away,
      routes: {
        'POST /widget/v1/offline': (_p, o) => {
          if (refuse) throw new ApiError(400, 'validation_failed', 'bad phone', { field: 'phone' });
          const b = o.body as { client_id: string; question: string };
          return { dialog: { ...openDialog, id: 'd7' }, message: message(1, { dialog_id: 'd7', client_id: b.client_id, body: b.question }) };
        },
      },
    });
    await chat.start();
    const refused = await chat.sendOffline({ ...fields, phone: '+7 900 123-45-67' });
    expect(refused).toMatchObject({ code: 'validation_failed', fields: { phone: 'invalid' } });
    refuse = false;
    expect(await chat.sendOffline(fields)).toBeNull();
    const [first, second] = api.callsTo('POST', '/widget/v1/offline');
    expect(second.options.body).toEqual({ client_id: (first.options.body as { client_id: string }).client_id, name: 'Иван', email: 'ivan@example.com', question: 'Сколько стоит кухня?' });
    expect(second.options.token).toBe('tok-1');
    chat.stop();
  });

  it('after the send the question is his message of an open dialog and the composer is back', async () => {
    const { chat } = setup({
      availability: away,
      routes: {
        'POST /widget/v1/offline': (_p, o) => {
          const b = o.body as { client_id: string; question: string };
          return { dialog: { ...openDialog, id: 'd7' }, message: message(1, { dialog_id: 'd7', client_id: b.client_id, body: b.question }) };
        },
      },
    });
    await chat.start();
    expect(await chat.sendOffline(fields)).toBeNull();
    expect(chat.offlineForm()).toBe(false);
    expect(chat.hasOpenDialog()).toBe(true);
    expect(chat.conversation.latest()?.messages.map((m) => m.body)).toEqual(['Сколько стоит кухня?']);
    expect(chat.offlineSent).toEqual({ dialog_id: 'd7', seq: 1, contact: 'ivan@example.com' });
    expect(chat.visitor?.name).toBe('Иван');
    expect(chat.contact.email).toBe('ivan@example.com');
    chat.stop();
  });

  it('shows a whole-form problem when the refusal names no field', async () => {
    const { chat } = setup({
      availability: away,
      routes: {
        'POST /widget/v1/offline': () => {
          throw new ApiError(429, 'rate_limited', 'slow down');
        },
      },
    });
    await chat.start();
    expect(await chat.sendOffline(fields)).toMatchObject({ code: 'rate_limited', fields: {} });
    chat.stop();
  });
});

describe('availability', () => {
  const nobody: WidgetAvailability = { online: false, reason: 'nobody_online', offline_form: true, message: 'Оставьте контакты', next_open_at: null };

  it('asks again every minute while nobody answers, and the form gives way when someone comes online', async () => {
    let now: WidgetAvailability = nobody;
    const { chat, api } = setup({ availability: nobody, routes: { 'GET /widget/v1/availability': () => now } });
    await chat.start();
    expect(chat.availability?.offline_form).toBe(true);
    await vi.advanceTimersByTimeAsync(59_000);
    expect(api.callsTo('GET', '/widget/v1/availability')).toHaveLength(0);
    await vi.advanceTimersByTimeAsync(1_000);
    expect(api.callsTo('GET', '/widget/v1/availability')).toHaveLength(1);
    expect(chat.availability?.offline_form).toBe(true);
    now = online;
    await vi.advanceTimersByTimeAsync(60_000);
    expect(chat.availability?.online).toBe(true);
    // Someone answers now: no more asking.
    await vi.advanceTimersByTimeAsync(300_000);
    expect(api.callsTo('GET', '/widget/v1/availability')).toHaveLength(2);
    chat.stop();
  });

  it('does not ask while someone answers or while the visitor has an open dialog', async () => {
    const first = setup({ routes: { 'GET /widget/v1/availability': () => nobody } });
    await first.chat.start();
    await vi.advanceTimersByTimeAsync(180_000);
    expect(first.api.callsTo('GET', '/widget/v1/availability')).toHaveLength(0);
    first.chat.stop();
    const second = setup({ availability: nobody, dialog: openDialog, routes: { 'GET /widget/v1/availability': () => online } });
    await second.chat.start();
    await vi.advanceTimersByTimeAsync(180_000);
    expect(second.api.callsTo('GET', '/widget/v1/availability')).toHaveLength(0);
    second.chat.stop();
  });
});

