/**
 * A visitor the server blocked (`visitor_blocked`): at the session or on any later call (REST,
 * socket, upload), the chat stops for good, the page hears `blocked` once (the loader hides the
 * widget and makes the `error` event), the tokens stay, and nothing asks the server again.
 */
import { render } from 'preact';
import { act } from 'preact/test-utils';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ApiError, type RequestOptions } from '../shared/api';
import type { FrameMessage } from '../shared/bridge';
import { fakeApi, settle } from '../test/fake-api';
import { FakeSocket, message } from '../test/fixtures';
import { WidgetChat } from './chat';
import { ChatWindow } from './components/ChatWindow';
import { ChatContext } from './context';
import { BATCH_MS, FrameHost } from './host';
import { makeT } from './i18n';
import { TokenStore, type PageUser } from './identity';

const params = { key: 'site-key', origin: 'https://shop.example', page: 'https://shop.example/', lang: 'ru' as const };
const ANON = 'frontline.visitor.site-key';
const USER = 'frontline.user.site-key';
const SAID = 'This chat is not available to you.';
const blockedError = () => new ApiError(403, 'visitor_blocked', SAID);
const refuse = () => {
  throw blockedError();
};

type Routes = Record<string, (path: string, options: RequestOptions) => unknown>;

const session = (_p: string, o: RequestOptions) => ({
  token: (o.body as { token?: string }).token ?? 'tok-new',
  visitor: { id: 'v1', number: 1, name: null },
  dialog: null,
  site: { name: 'Кухни' },
});

function setup(routes: Routes) {
  const api = fakeApi({
    'POST /widget/v1/session': session,
    'GET /widget/v1/messages': () => ({ items: [message(1)], next_cursor: null }),
    'PATCH /widget/v1/attributes': () => ({ attributes: [] }),
    'POST /widget/v1/events': (_p, o) => ({ counted: (o.body as { events: unknown[] }).events.map(() => true) }),
    ...routes,
  });
  const sent: FrameMessage[] = [];
  const chats: WidgetChat[] = [];
  const host = new FrameHost({
    make: (user: PageUser | null) => {
      const chat = new WidgetChat({ ...params, user }, () => {}, { api: api.request, WebSocketImpl: FakeSocket as unknown as typeof WebSocket });
      chats.push(chat);
      return chat;
    },
    send: (m) => sent.push(m),
    tokens: new TokenStore(params.key),
  });
  const of = (type: FrameMessage['type']) => sent.filter((m) => m.type === type);
  return { api, host, sent, chats, of };
}

async function settled(): Promise<void> {
  for (let i = 0; i < 10; i++) await settle();
}

describe('a blocked visitor', () => {
  beforeEach(() => {
    vi.useFakeTimers();
    FakeSocket.instances = [];
    new TokenStore(params.key).forgetAll();
    localStorage.clear();
  });
  afterEach(() => vi.useRealTimers());

  it('refused at the session: the page hears `blocked` once, the tokens stay, nothing is asked again', async () => {
    localStorage.setItem(ANON, 'tok-anon');
    localStorage.setItem(USER, JSON.stringify({ user_id: '42', token: 'tok-42' }));
    const { api, host, of, sent } = setup({ 'POST /widget/v1/session': refuse });
    host.receive({ type: 'identify', id: '42', hash: 'h-42' });
    host.receive({ type: 'start' });
    await settled();

    // As the user the page named, with his token; no anonymous session after it (a block is no refused identify).
    const sessions = api.callsTo('POST', '/widget/v1/session');
    expect(sessions).toHaveLength(1);
    expect(sessions[0].options.body).toMatchObject({ token: 'tok-42', user_id: '42' });
    expect(sent).toEqual([{ type: 'blocked', code: 'visitor_blocked', message: SAID }]);
    expect(of('error')).toEqual([]);
    expect(host.blocked).toEqual({ code: 'visitor_blocked', message: SAID });
    expect(host.chat.phase).toBe('failed');
    expect(host.chat.failure?.code).toBe('visitor_blocked');
    // Kept: once the block is lifted, the next page load is his chat again.
    expect(localStorage.getItem(ANON)).toBe('tok-anon');
    expect(JSON.parse(localStorage.getItem(USER)!)).toEqual({ user_id: '42', token: 'tok-42' });

    // No retry loop, and what the page asks afterwards asks the server nothing.
    await host.chat.start();
    host.receive({ type: 'identify', id: '77', hash: 'h-77' });
    host.receive({ type: 'attributes', attributes: { plan: 'pro' } });
    host.receive({ type: 'track', name: 'clicked', properties: {} });
    host.receive({ type: 'start' });
    vi.advanceTimersByTime(10 * 60_000);
    await settled();
    expect(api.calls.map((c) => `${c.method} ${c.path}`)).toEqual(['POST /widget/v1/session']);
    expect(FakeSocket.instances).toEqual([]);
    expect(sent).toHaveLength(1);

    // A reset (the user signed out) still forgets his tokens, and still asks nothing.
    host.receive({ type: 'reset' });
    expect(localStorage.getItem(USER)).toBeNull();
    expect(localStorage.getItem(ANON)).toBeNull();
    await settled();
    expect(api.calls).toHaveLength(1);
  });

  it('a later send refused over REST: the chat stops, the page hears `blocked`', async () => {
    const { api, host, of } = setup({ 'POST /widget/v1/messages': refuse });
    host.start();
    await settled();
    expect(host.chat.phase).toBe('ready');
    expect(of('started')).toHaveLength(1);
    const socket = FakeSocket.last();
    // The socket is not open: the message goes over REST, and is refused.
    expect(host.chat.send('Ещё реклама')).toBe(true);
    await settled();

    expect(api.callsTo('POST', '/widget/v1/messages')).toHaveLength(1);
    expect(of('blocked')).toEqual([{ type: 'blocked', code: 'visitor_blocked', message: SAID }]);
    expect(of('error')).toEqual([]);
    expect(host.chat.phase).toBe('failed');
    expect(host.chat.blocked?.code).toBe('visitor_blocked');
    expect(localStorage.getItem(ANON)).toBe('tok-new');
    // The socket is stopped and never dialled again; the availability timer is gone too.
    expect(socket.readyState).toBe(3);
    const calls = api.calls.length;
    vi.advanceTimersByTime(10 * 60_000);
    await settled();
    expect(FakeSocket.instances).toEqual([socket]);
    expect(api.calls).toHaveLength(calls);
  });

  it('a send refused on the socket: the chat stops, no reconnect, `blocked` once', async () => {
    const { api, host, of } = setup({});
    host.start();
    await settled();
    const socket = FakeSocket.last();
    socket.open();
    host.chat.send('Через сокет');
    const [frame] = socket.sentOfType('send');
    socket.push({ type: 'error', code: 'visitor_blocked', message: SAID, client_id: frame.client_id, details: null });
    // The server closes the socket after it; the widget does not dial again.
    socket.drop();
    vi.advanceTimersByTime(10 * 60_000);
    await settled();

    expect(of('blocked')).toEqual([{ type: 'blocked', code: 'visitor_blocked', message: SAID }]);
    expect(of('error')).toEqual([]);
    expect(host.chat.phase).toBe('failed');
    expect(FakeSocket.instances).toEqual([socket]);
    expect(api.callsTo('POST', '/widget/v1/messages')).toEqual([]);
    expect(api.callsTo('POST', '/widget/v1/session')).toHaveLength(1);
  });

  it('a workspace suspended while the socket is open: the chat stops, `blocked` with its code, no reconnect', async () => {
    const { api, host, of } = setup({});
    host.start();
    await settled();
    const socket = FakeSocket.last();
    socket.open();
    const said = 'This workspace is suspended.';
    socket.push({ type: 'error', code: 'workspace_suspended', message: said, details: null });
    socket.drop();
    vi.advanceTimersByTime(10 * 60_000);
    await settled();

    expect(of('blocked')).toEqual([{ type: 'blocked', code: 'workspace_suspended', message: said }]);
    expect(of('error')).toEqual([]);
    expect(host.chat.phase).toBe('failed');
    expect(host.chat.failure?.code).toBe('workspace_suspended');
    expect(FakeSocket.instances).toEqual([socket]);
    expect(api.callsTo('POST', '/widget/v1/session')).toHaveLength(1);
  });

  it('a page call refused: `blocked`, not an `error` of the call', async () => {
    const { host, of, sent } = setup({ 'PATCH /widget/v1/attributes': refuse, 'POST /widget/v1/events': refuse });
    host.start();
    await settled();
    host.receive({ type: 'attributes', attributes: { plan: 'pro' } });
    host.receive({ type: 'track', name: 'clicked', properties: {} });
    vi.advanceTimersByTime(BATCH_MS);
    await settled();
    expect(of('blocked')).toEqual([{ type: 'blocked', code: 'visitor_blocked', message: SAID }]);
    expect(of('error')).toEqual([]);
    expect(sent.at(-1)).toEqual({ type: 'blocked', code: 'visitor_blocked', message: SAID });
  });

  it('an upload refused blocks too', async () => {
    const chat = new WidgetChat(params, () => {}, {
      api: fakeApi({ 'POST /widget/v1/session': session, 'GET /widget/v1/messages': () => ({ items: [], next_cursor: null }) }).request,
      WebSocketImpl: FakeSocket as unknown as typeof WebSocket,
      fetchImpl: (async () => new Response(JSON.stringify({ code: 'visitor_blocked', message: SAID }), { status: 403 })) as unknown as typeof fetch,
    });
    const heard: unknown[] = [];
    chat.onBlocked = (e) => heard.push(e);
    await chat.start();
    chat.attach([new File(['x'], 'a.txt', { type: 'text/plain' })]);
    await vi.waitFor(() => expect(heard).toEqual([{ code: 'visitor_blocked', message: SAID }]));
    expect(chat.phase).toBe('failed');
  });

  it('the window says the chat is not available, with nothing to retry', async () => {
    vi.useRealTimers();
    const { host } = setup({ 'POST /widget/v1/session': refuse });
    host.start();
    await settled();
    const el = document.createElement('div');
    document.body.appendChild(el);
    await act(async () => {
      render(
        <ChatContext.Provider value={{ chat: host.chat, t: makeT('ru'), lang: 'ru', close: () => {}, embedded: false }}>
          <ChatWindow />
        </ChatContext.Provider>,
        el,
      );
    });
    const failed = el.querySelector('[data-testid="chat-failed"]');
    expect(failed?.textContent).toContain('Чат для вас недоступен.');
    expect(failed?.querySelector('button')).toBeNull();
    render(null, el);
    el.remove();
  });
});
