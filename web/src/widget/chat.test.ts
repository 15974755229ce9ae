import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ApiError } from '../shared/api';
import { fakeApi, settle } from '../test/fake-api';
import { FakeSocket, message, operatorMessage, systemMessage } from '../test/fixtures';
import { WidgetChat } from './chat';

const params = { key: 'site-key', origin: 'https://shop.example', page: 'https://shop.example/cart', lang: 'ru' as const };

function setup(history = [message(1), operatorMessage(2)]) {
  const api = fakeApi({
    'POST /widget/v1/session': (_p, o) => ({
      token: (o.body as { token?: string }).token ?? 'tok-new',
      visitor: { id: 'v1', number: 42, name: null },
      dialog: null,
      site: { name: 'Кухни на заказ', workspace_name: 'Кухни' },
    }),
    'GET /widget/v1/messages': (path) => (path.includes('cursor') ? { items: [], next_cursor: null } : { items: history, next_cursor: null }),
    'PATCH /widget/v1/visitor': (_p, o) => ({ id: 'v1', number: 42, name: (o.body as { name: string }).name }),
  });
  const unread: number[] = [];
  const chat = new WidgetChat(params, (n) => unread.push(n), {
    api: api.request,
    WebSocketImpl: FakeSocket as unknown as typeof WebSocket,
  });
  return { chat, api, unread };
}

describe('WidgetChat', () => {
  beforeEach(() => {
    vi.useFakeTimers();
    FakeSocket.instances = [];
    localStorage.clear();
  });
  afterEach(() => vi.useRealTimers());

  it('opens a session, keeps its token and loads the history', async () => {
    localStorage.setItem('frontline.visitor.site-key', 'tok-old');
    const { chat, api } = setup();
    await chat.start();
    expect(api.calls[0].options.body).toEqual({
      key: 'site-key',
      token: 'tok-old',
      page_url: 'https://shop.example/cart',
      origin: 'https://shop.example',
    });
    expect(api.callsTo('GET', '/widget/v1/messages')[0].path).toContain('after_seq=0');
    expect(api.callsTo('GET', '/widget/v1/messages')[0].options.token).toBe('tok-old');
    expect(chat.phase).toBe('ready');
    expect(chat.siteName).toBe('Кухни на заказ');
    expect(chat.conversation.latest()?.messages.map((m) => m.seq)).toEqual([1, 2]);
    // The token is in the first frame, never in the socket's URL.
    expect(FakeSocket.last().url).toMatch(/^ws:.*\/widget\/v1\/ws$/);
    FakeSocket.last().open();
    expect(FakeSocket.last().sent[0]).toEqual({ type: 'auth', token: 'tok-old' });
    expect(FakeSocket.last().sentOfType('resume')).toHaveLength(1);
    chat.stop();
  });

  it('sends the browser language and the page\'s visitor properties with the session', async () => {
    const api = fakeApi({
      'POST /widget/v1/session': () => ({ token: 't', visitor: { id: 'v1', number: 42, name: null }, dialog: null, site: { name: 'Кухни' } }),
      'GET /widget/v1/messages': () => ({ items: [], next_cursor: null }),
    });
    const chat = new WidgetChat({ ...params, language: 'ru-RU', properties: { city: 'Москва' } }, () => {}, {
      api: api.request,
      WebSocketImpl: FakeSocket as unknown as typeof WebSocket,
    });
    await chat.start();
    expect(api.calls[0].options.body).toMatchObject({ language: 'ru-RU', properties: { city: 'Москва' } });
    chat.stop();
  });

  it('shows the transfer notice it receives', async () => {
    const { chat } = setup([message(1)]);
    await chat.start();
    FakeSocket.last().open();
    FakeSocket.last().push({ type: 'message.created', message: systemMessage(2, { kind: 'transfer_notice', operator: { id: 'op2', display_name: 'Иван' } }) });
    expect(chat.conversation.latest()?.messages.map((m) => m.event?.kind ?? m.author.kind)).toEqual(['visitor', 'transfer_notice']);
    // A notice is not an operator's reply: the unread badge stays as it was.
    expect(chat.unread()).toBe(0);
    chat.stop();
  });

  it('resumes from the last seq on every open, and again after a reconnect', async () => {
    const { chat } = setup();
    await chat.start();
    FakeSocket.last().open();
    expect(FakeSocket.last().sentOfType('resume')).toEqual([{ type: 'resume', after_seq: 2 }]);
    FakeSocket.last().push({ type: 'message.created', message: operatorMessage(3) });
    FakeSocket.last().push({ type: 'message.created', message: operatorMessage(3) });
    expect(chat.conversation.latest()?.messages).toHaveLength(3);
    FakeSocket.last().drop();
    vi.advanceTimersByTime(10_000);
    FakeSocket.last().open();
    expect(FakeSocket.instances).toHaveLength(2);
    expect(FakeSocket.last().sentOfType('resume')).toEqual([{ type: 'resume', after_seq: 3 }]);
    chat.stop();
  });

  it('shows a send as pending until the ack, and sends it again after a reconnect', async () => {
    const { chat } = setup([]);
    await chat.start();
    FakeSocket.last().open();
    chat.send('  Здравствуйте, нужна кухня  ');
    const [frame] = FakeSocket.last().sentOfType('send');
    expect(frame).toMatchObject({ type: 'send', body: 'Здравствуйте, нужна кухня' });
    const clientId = frame.client_id as string;
    expect(clientId).toMatch(/^[0-9a-f-]{36}$/);
    expect(chat.conversation.outbox.list().map((p) => p.state)).toEqual(['sending']);

    // Lost before the ack: the same client_id goes again after the reconnect.
    FakeSocket.last().drop();
    vi.advanceTimersByTime(10_000);
    FakeSocket.last().open();
    expect(FakeSocket.last().sentOfType('send')).toEqual([{ type: 'send', client_id: clientId, body: 'Здравствуйте, нужна кухня' }]);

    FakeSocket.last().push({ type: 'ack', client_id: clientId, duplicate: true, message: message(1, { client_id: clientId, body: 'Здравствуйте, нужна кухня' }) });
    expect(chat.conversation.outbox.size).toBe(0);
    expect(chat.conversation.latest()?.messages.map((m) => m.body)).toEqual(['Здравствуйте, нужна кухня']);
    chat.stop();
  });

  it('marks a refused send failed with the server code', async () => {
    const { chat } = setup([]);
    await chat.start();
    FakeSocket.last().open();
    chat.send('x'.repeat(5000));
    const clientId = FakeSocket.last().sentOfType('send')[0].client_id;
    FakeSocket.last().push({ type: 'error', code: 'message_too_long', message: 'too long', client_id: clientId, details: { limit: 4000 } });
    const [p] = chat.conversation.outbox.list();
    expect(p.state).toBe('failed');
    expect(p.error).toEqual({ code: 'message_too_long', details: { limit: 4000 } });
    chat.stop();
  });

  it('ignores blank sends', async () => {
    const { chat } = setup([]);
    await chat.start();
    FakeSocket.last().open();
    chat.send('   \n ');
    expect(FakeSocket.last().sentOfType('send')).toEqual([]);
    expect(chat.conversation.outbox.size).toBe(0);
    chat.stop();
  });

  it('counts operator replies as unread while the panel is closed', async () => {
    const { chat, unread } = setup([message(1)]);
    await chat.start();
    chat.setWatching(false);
    FakeSocket.last().open();
    FakeSocket.last().push({ type: 'message.created', message: operatorMessage(2) });
    expect(unread[unread.length - 1]).toBe(1);
    chat.setWatching(true);
    expect(unread[unread.length - 1]).toBe(0);
    chat.setWatching(false);
    expect(unread[unread.length - 1]).toBe(0);
    chat.stop();
  });

  it('fails visibly for an unknown site key', async () => {
    const api = fakeApi({
      'POST /widget/v1/session': () => {
        throw new ApiError(403, 'unknown_site_key', 'no such key');
      },
    });
    const chat = new WidgetChat(params, () => {}, { api: api.request, WebSocketImpl: FakeSocket as unknown as typeof WebSocket });
    await chat.start();
    await settle();
    expect(chat.phase).toBe('failed');
    expect(chat.failure?.code).toBe('unknown_site_key');
    expect(FakeSocket.instances).toHaveLength(0);
  });

  it('renames the visitor', async () => {
    const { chat, api } = setup([]);
    await chat.start();
    expect(await chat.rename(' Иван ')).toBeNull();
    expect(api.callsTo('PATCH', '/widget/v1/visitor')[0].options.body).toEqual({ name: 'Иван' });
    expect(chat.visitor?.name).toBe('Иван');
    chat.stop();
  });
});
