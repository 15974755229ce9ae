/**
 * The frame's side of the page API: the session opens as the user the page named, another
 * user or a reset is a new chat (nothing of the last one stays), a refused identify is an
 * anonymous chat, attributes and events wait for the session and go in batches.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ApiError, type RequestOptions } from '../shared/api';
import type { MessageView } from '../shared/api-types';
import type { FrameMessage } from '../shared/bridge';
import { fakeApi, settle } from '../test/fake-api';
import { FakeSocket, message, operatorMessage } from '../test/fixtures';
import { WidgetChat } from './chat';
import { BATCH_MS, FrameHost, MAX_BATCH } from './host';
import { TokenStore, type PageUser } from './identity';

const params = { key: 'site-key', origin: 'https://shop.example', page: 'https://shop.example/', lang: 'ru' as const };
const ANON = 'frontline.visitor.site-key';
const USER = 'frontline.user.site-key';

type SessionBody = { token?: string; user_id?: string; user_hash?: string };

/**
 * A server as far as the widget sees it: tokens of visitors, a user's visitor by user id, his
 * history; the hash of user u is `h-u`. An anonymous visitor becomes the user when nobody is him yet.
 */
function fakeServer() {
  const tokens = new Map<string, { visitor: string; user: string | null }>();
  const users = new Map<string, string>([['42', 'v42']]);
  const history: Record<string, MessageView[]> = {
    v42: [message(1, { dialog_id: 'd42', body: 'Заказ 42 не пришёл' }), operatorMessage(2, { dialog_id: 'd42', body: 'Проверим, 42' })],
  };
  let n = 0;
  const session = (token: string) => ({
    token,
    visitor: { id: tokens.get(token)!.visitor, number: 1, name: null, source: 'widget' },
    dialog: null,
    site: { name: 'Кухни' },
  });
  const api = fakeApi({
    'POST /widget/v1/session': (_p, o) => {
      const body = o.body as SessionBody;
      const known = body.token ? tokens.get(body.token) : undefined;
      if (body.user_id) {
        const user = body.user_id;
        if (body.user_hash !== `h-${user}`) {
          throw new ApiError(403, 'identity_refused', "The site's user could not be identified: the hash does not match this user id.", { field: 'user_hash' });
        }
        if (known && known.user === user) return session(body.token!);
        if (known && known.user === null && !users.has(user)) {
          users.set(user, known.visitor);
          known.user = user;
          return session(body.token!);
        }
        if (!users.has(user)) users.set(user, `v${user}`);
        const token = `tok-${user}-${++n}`;
        tokens.set(token, { visitor: users.get(user)!, user });
        return session(token);
      }
      if (known) return session(body.token!);
      const token = `tok-anon-${++n}`;
      tokens.set(token, { visitor: `anon-${n}`, user: null });
      return session(token);
    },
    'GET /widget/v1/messages': (path, o) => {
      const visitor = tokens.get(o.token ?? '')?.visitor ?? '';
      return { items: path.includes('cursor') ? [] : history[visitor] ?? [], next_cursor: null };
    },
    'PATCH /widget/v1/attributes': () => ({ attributes: [] }),
    'POST /widget/v1/events': (_p, o) => ({ counted: (o.body as { events: unknown[] }).events.map(() => true) }),
  });
  return { api, tokens, history };
}

function setup(server = fakeServer()) {
  const sent: FrameMessage[] = [];
  const chats: WidgetChat[] = [];
  const host = new FrameHost({
    make: (user: PageUser | null) => {
      const chat = new WidgetChat({ ...params, user }, () => {}, { api: server.api.request, WebSocketImpl: FakeSocket as unknown as typeof WebSocket });
      chats.push(chat);
      return chat;
    },
    send: (m) => sent.push(m),
    tokens: new TokenStore(params.key),
  });
  const sessions = () => server.api.callsTo('POST', '/widget/v1/session').map((c) => c.options.body as SessionBody);
  const of = (type: FrameMessage['type']) => sent.filter((m) => m.type === type);
  const bodies = (chat: WidgetChat) => chat.conversation.threads().flatMap((t) => t.messages.map((m) => m.body));
  return { host, server, sent, chats, sessions, of, bodies };
}

/** Lets the session, the history and the host's notices go through. */
async function settled(): Promise<void> {
  for (let i = 0; i < 10; i++) await settle();
}

describe('FrameHost', () => {
  beforeEach(() => {
    vi.useFakeTimers();
    FakeSocket.instances = [];
    // The storage wrapper keeps a copy in memory too: forget through it.
    new TokenStore(params.key).forgetAll();
    localStorage.clear();
  });
  afterEach(() => vi.useRealTimers());

  it('opens no session before the page says start, and then at once as the user it named', async () => {
    const { host, sessions, of, bodies, server } = setup();
    host.receive({ type: 'identify', id: '42', hash: 'h-42' });
    await settled();
    expect(sessions()).toEqual([]);
    expect(host.chat.phase).toBe('loading');

    host.receive({ type: 'start' });
    await settled();
    // One session, as 42: no anonymous visitor was made first.
    expect(sessions()).toHaveLength(1);
    expect(sessions()[0]).toMatchObject({ key: 'site-key', user_id: '42', user_hash: 'h-42' });
    expect(sessions()[0].token).toBeUndefined();
    // The server answered his own visitor, with a new token: kept as his, his history shown.
    const token = [...server.tokens.keys()][0];
    expect(JSON.parse(localStorage.getItem(USER)!)).toEqual({ user_id: '42', token });
    expect(localStorage.getItem(ANON)).toBeNull();
    expect(server.api.callsTo('GET', '/widget/v1/messages')[0].options.token).toBe(token);
    expect(host.chat.phase).toBe('ready');
    expect(host.chat.identifiedAs).toBe('42');
    expect(bodies(host.chat)).toEqual(['Заказ 42 не пришёл', 'Проверим, 42']);
    expect(of('started')).toEqual([{ type: 'started', user: '42' }]);
    FakeSocket.last().open();
    expect(FakeSocket.last().sent[0]).toEqual({ type: 'auth', token });
  });

  it('an identify after an anonymous start is a new chat with the user\'s token and history; nothing of the anonymous one stays', async () => {
    const { host, sessions, of, bodies, chats } = setup();
    host.start();
    await settled();
    const anonymous = host.chat;
    const anonToken = localStorage.getItem(ANON);
    expect(anonToken).toMatch(/^tok-anon-/);
    anonymous.send('анонимный вопрос');
    expect(anonymous.conversation.outbox.size).toBe(1);
    const socket = FakeSocket.last();
    const generation = host.generation;

    host.receive({ type: 'identify', id: '42', hash: 'h-42' });
    // At once a new, loading chat: the window is drawn anew (its generation) without the old messages.
    expect(host.chat).not.toBe(anonymous);
    expect(host.generation).toBe(generation + 1);
    expect(host.chat.phase).toBe('loading');
    expect(host.chat.conversation.outbox.size).toBe(0);
    // The old chat is stopped: its socket is gone.
    expect(socket.readyState).toBe(3);
    await settled();

    // The browser's anonymous token went along (the server may let that visitor become him).
    expect(sessions()[1]).toMatchObject({ token: anonToken, user_id: '42', user_hash: 'h-42' });
    const token = JSON.parse(localStorage.getItem(USER)!).token as string;
    expect(token).toMatch(/^tok-42-/);
    expect(token).not.toBe(anonToken);
    expect(bodies(host.chat)).toEqual(['Заказ 42 не пришёл', 'Проверим, 42']);
    expect(host.chat.visitor?.id).toBe('v42');
    // The anonymous visitor stays this browser's anonymous one.
    expect(localStorage.getItem(ANON)).toBe(anonToken);
    expect(of('started')).toEqual([
      { type: 'started', user: null },
      { type: 'started', user: '42' },
    ]);
    expect(chats).toHaveLength(3); // the placeholder, the anonymous chat, 42's

    // The same user again changes nothing.
    host.receive({ type: 'identify', id: '42', hash: 'h-42' });
    await settled();
    expect(sessions()).toHaveLength(2);
  });

  it('an anonymous visitor whom nobody is yet becomes the user: same token, kept as his only', async () => {
    const { host, sessions } = setup();
    host.start();
    await settled();
    const anonToken = localStorage.getItem(ANON)!;
    host.identify({ id: '77', hash: 'h-77' });
    await settled();
    expect(sessions()[1]).toMatchObject({ token: anonToken, user_id: '77' });
    expect(JSON.parse(localStorage.getItem(USER)!)).toEqual({ user_id: '77', token: anonToken });
    // That token is 77's now: an anonymous chat must never open with it.
    expect(localStorage.getItem(ANON)).toBeNull();
  });

  it('a refused identify forgets the user\'s token, tells the page, and opens an anonymous chat with nothing of his', async () => {
    // This browser was 42's, and someone now claims 42 with a wrong hash.
    localStorage.setItem(USER, JSON.stringify({ user_id: '42', token: 'tok-42-old' }));
    const server = fakeServer();
    server.tokens.set('tok-42-old', { visitor: 'v42', user: '42' });
    const { host, sessions, of, bodies } = setup(server);
    host.receive({ type: 'identify', id: '42', hash: 'wrong' });
    host.receive({ type: 'start' });
    await settled();

    expect(sessions()[0]).toMatchObject({ user_id: '42', user_hash: 'wrong', token: 'tok-42-old' });
    // Then anonymous, without 42's token (and no user).
    expect(sessions()[1].token).toBeUndefined();
    expect(sessions()[1].user_id).toBeUndefined();
    expect(localStorage.getItem(USER)).toBeNull();
    expect(localStorage.getItem(ANON)).toMatch(/^tok-anon-/);
    expect(of('error')).toEqual([
      { type: 'error', code: 'identity_refused', message: expect.stringContaining('could not be identified'), field: 'user_hash' },
    ]);
    expect(of('started')).toEqual([{ type: 'started', user: null }]);
    expect(host.chat.identifiedAs).toBeNull();
    expect(host.chat.visitor?.id).toMatch(/^anon-/);
    expect(bodies(host.chat)).toEqual([]);

    // The right hash afterwards: his chat.
    host.receive({ type: 'identify', id: '42', hash: 'h-42' });
    await settled();
    expect(host.chat.identifiedAs).toBe('42');
    expect(bodies(host.chat)).toEqual(['Заказ 42 не пришёл', 'Проверим, 42']);
  });

  it('reset forgets every token and opens a fresh anonymous chat; nothing of the user stays', async () => {
    const { host, sessions, of, bodies } = setup();
    host.identify({ id: '42', hash: 'h-42' });
    host.start();
    await settled();
    expect(bodies(host.chat)).toHaveLength(2);
    localStorage.setItem('frontline.seen.site-key', '{"dialog_id":"d42","seq":2}');
    localStorage.setItem('frontline.contact.site-key', '{"visitor_id":"v42","email":"u42@example.com"}');

    host.receive({ type: 'reset' });
    expect(bodies(host.chat)).toEqual([]);
    for (const k of [USER, ANON, 'frontline.seen.site-key', 'frontline.contact.site-key']) expect(localStorage.getItem(k)).toBeNull();
    await settled();
    // A new visitor: no token, no user.
    expect(sessions()[1]).not.toHaveProperty('user_id');
    expect(sessions()[1].token).toBeUndefined();
    expect(host.chat.visitor?.id).toMatch(/^anon-/);
    expect(bodies(host.chat)).toEqual([]);
    expect(of('started').at(-1)).toEqual({ type: 'started', user: null });
  });

  it('the answer of a chat replaced meanwhile is not kept (no token of the user after a reset)', async () => {
    const { host } = setup();
    host.identify({ id: '42', hash: 'h-42' });
    host.start();
    // Reset before 42's session answered.
    host.reset();
    await settled();
    expect(localStorage.getItem(USER)).toBeNull();
    expect(host.chat.identifiedAs).toBeNull();
    expect(FakeSocket.instances).toHaveLength(1);
  });

  it('attributes and events wait for the session, then go merged and batched', async () => {
    const { host, server } = setup();
    host.receive({ type: 'attributes', attributes: { plan: 'free', orders: 3 } });
    host.receive({ type: 'track', name: 'viewed_pricing', properties: {} });
    host.receive({ type: 'identify', id: '42', hash: 'h-42' });
    host.receive({ type: 'attributes', attributes: { plan: 'pro', vip: true, signed_up_at: '2026-03-01T10:00:00Z' } });
    host.receive({ type: 'track', name: 'order_paid', properties: { sum: 1500 } });
    vi.advanceTimersByTime(BATCH_MS);
    expect(server.api.callsTo('PATCH', '/widget/v1/attributes')).toEqual([]);

    host.receive({ type: 'start' });
    await settled();
    const attrs = server.api.callsTo('PATCH', '/widget/v1/attributes');
    expect(attrs).toHaveLength(1);
    // 42's token: they were asked for the user the page named.
    expect(attrs[0].options.token).toBe(JSON.parse(localStorage.getItem(USER)!).token);
    expect(attrs[0].options.body).toEqual({ attributes: { plan: 'pro', orders: 3, vip: true, signed_up_at: '2026-03-01T10:00:00Z' } });
    const events = server.api.callsTo('POST', '/widget/v1/events');
    expect(events).toHaveLength(1);
    expect(events[0].options.body).toEqual({ events: [{ name: 'viewed_pricing' }, { name: 'order_paid', properties: { sum: 1500 } }] });

    // Once open: quick calls go together, at most 100 a request.
    for (let i = 0; i < MAX_BATCH + 5; i++) host.track(`e${i}`, {});
    expect(server.api.callsTo('POST', '/widget/v1/events')).toHaveLength(1);
    vi.advanceTimersByTime(BATCH_MS);
    await settled();
    const later = server.api.callsTo('POST', '/widget/v1/events').slice(1).map((c) => (c.options.body as { events: unknown[] }).events.length);
    expect(later).toEqual([MAX_BATCH, 5]);
  });

  it('a reset drops what waited for the signed-out user', async () => {
    const { host, server } = setup();
    host.identify({ id: '42', hash: 'h-42' });
    host.setAttributes({ plan: 'pro' });
    host.track('order_paid', {});
    host.reset();
    host.start();
    await settled();
    vi.advanceTimersByTime(BATCH_MS);
    await settled();
    expect(server.api.callsTo('PATCH', '/widget/v1/attributes')).toEqual([]);
    expect(server.api.callsTo('POST', '/widget/v1/events')).toEqual([]);
  });

  it('tells the page a refused call: the field of a bad attribute, a rate limit', async () => {
    const server = fakeServer();
    const reject = (e: ApiError) => (_p: string, _o: RequestOptions) => {
      throw e;
    };
    const { host, of } = setup({
      ...server,
      api: fakeApi({
        'POST /widget/v1/session': (p, o) => server.api.request('POST', p, o),
        'GET /widget/v1/messages': () => ({ items: [], next_cursor: null }),
        'PATCH /widget/v1/attributes': reject(new ApiError(400, 'validation_failed', 'attributes.signed_up_at: a date', { field: 'attributes.signed_up_at' })),
        'POST /widget/v1/events': reject(new ApiError(429, 'rate_limited', 'Too many requests', { limit: 'widget_events', retry_after: 30 })),
      }),
    });
    host.start();
    await settled();
    host.setAttributes({ signed_up_at: 'вчера' });
    host.track('clicked', {});
    vi.advanceTimersByTime(BATCH_MS);
    await settled();
    expect(of('error')).toEqual([
      { type: 'error', code: 'validation_failed', message: 'setAttributes: attributes.signed_up_at: a date', field: 'attributes.signed_up_at' },
      { type: 'error', code: 'rate_limited', message: 'track: Too many requests' },
    ]);
  });

  it('tells the page why the chat could not start, once, and that it did after a retry', async () => {
    const server = fakeServer();
    let refuse = true;
    const { host, of } = setup({
      ...server,
      api: fakeApi({
        'POST /widget/v1/session': (p, o) => {
          if (refuse) throw new ApiError(403, 'origin_not_allowed', 'This page may not embed the chat.');
          return server.api.request('POST', p, o);
        },
        'GET /widget/v1/messages': () => ({ items: [], next_cursor: null }),
      }),
    });
    host.start();
    await settled();
    expect(host.chat.phase).toBe('failed');
    expect(of('error')).toEqual([{ type: 'error', code: 'origin_not_allowed', message: 'The chat could not start: origin_not_allowed.' }]);
    expect(of('started')).toEqual([]);
    // The window's "retry": the page hears the session once it opens.
    refuse = false;
    await host.chat.start();
    await settled();
    expect(of('error')).toHaveLength(1);
    expect(of('started')).toEqual([{ type: 'started', user: null }]);
  });

  it('tells the page each new operator message and the unread count, of the chat shown only', async () => {
    const { host, of, sent } = setup();
    host.start();
    await settled();
    const first = host.chat;
    const socket = FakeSocket.last();
    socket.open();
    socket.push({ type: 'message.created', message: operatorMessage(1, { body: 'Здравствуйте! Чем помочь?', created_at: '2026-03-01T10:00:00.000Z' }) });
    // The visitor's own message is no `message` event.
    socket.push({ type: 'message.created', message: message(2) });
    expect(of('message')).toEqual([{ type: 'message', text: 'Здравствуйте! Чем помочь?', at: '2026-03-01T10:00:00.000Z' }]);
    expect(of('unread').at(-1)).toEqual({ type: 'unread', count: 1 });

    // A replaced chat says nothing any more.
    host.reset();
    await settled();
    const before = sent.length;
    first.onMessage(operatorMessage(3));
    first.onUnread(5);
    expect(sent).toHaveLength(before);
  });
});
