import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ApiError } from '../shared/api';
import { fakeApi, settle } from '../test/fake-api';
import { dialog, FakeSocket, message, operatorMessage } from '../test/fixtures';
import { ConsoleState, dialogIdFromPath } from './console-state';

const me = {
  operator: { id: 'op1', email: 'admin@example.com', display_name: 'Анна', role: 'admin' as const },
  workspace: { id: 'w1', name: 'Кухни', slug: 'kitchens' },
};

function setup(opts: { signedIn?: boolean } = {}) {
  let signedIn = opts.signedIn ?? true;
  const d1 = dialog('d1', { last_seq: 2, unread_count: 1, updated_at: '2026-01-01T11:00:00Z' });
  const api = fakeApi({
    'GET /api/v1/me': () => {
      if (!signedIn) throw new ApiError(401, 'unauthenticated', '');
      return me;
    },
    'POST /api/v1/auth/login': (_p, o) => {
      const body = o.body as { email: string; workspace?: string };
      if (!body.workspace) throw new ApiError(400, 'workspace_required', '');
      signedIn = true;
      return me;
    },
    'POST /api/v1/auth/logout': () => undefined,
    'GET /api/v1/dialogs': () => ({ items: [d1], next_cursor: null }),
    'GET /api/v1/dialogs/*': (path) => {
      if (path.includes('/messages')) return path.includes('cursor') ? { items: [], next_cursor: null } : { items: [message(1), operatorMessage(2)], next_cursor: null };
      return dialog(path.split('/')[4]);
    },
    'POST /api/v1/dialogs/*': (path) => (path.endsWith('/close') ? { ...d1, status: 'closed', updated_at: '2026-01-01T12:00:00Z' } : undefined),
  });
  const state = new ConsoleState({ api: api.request, WebSocketImpl: FakeSocket as unknown as typeof WebSocket });
  return { state, api };
}

describe('ConsoleState', () => {
  beforeEach(() => {
    vi.useFakeTimers();
    FakeSocket.instances = [];
    history.replaceState(null, '', '/console/');
  });
  afterEach(() => vi.useRealTimers());

  it('asks for the workspace when the server needs one, then signs in', async () => {
    const { state } = setup({ signedIn: false });
    await state.start();
    expect(state.session.auth).toBe('signed_out');
    expect((await state.login('a@b.c', 'pw'))?.code).toBe('workspace_required');
    expect(await state.login('a@b.c', 'pw', 'kitchens')).toBeNull();
    expect(state.session.auth).toBe('signed_in');
    await settle();
    expect(state.visible().map((d) => d.id)).toEqual(['d1']);
  });

  it('upserts dialogs from socket events and keeps newest first', async () => {
    const { state } = setup();
    await state.start();
    await settle();
    const ws = FakeSocket.last();
    ws.open();
    ws.push({ type: 'dialog.created', dialog: dialog('d2', { number: 2, updated_at: '2026-01-01T12:00:00Z' }) });
    expect(state.visible().map((d) => d.id)).toEqual(['d2', 'd1']);
    ws.push({ type: 'dialog.updated', dialog: dialog('d1', { updated_at: '2026-01-01T13:00:00Z', unread_count: 3, last_seq: 5 }) });
    expect(state.visible().map((d) => d.id)).toEqual(['d1', 'd2']);
    expect(state.unreadTotal()).toBe(3);
    ws.push({ type: 'dialog.closed', dialog: dialog('d2', { status: 'closed', updated_at: '2026-01-01T14:00:00Z' }) });
    expect(state.visible().map((d) => d.id)).toEqual(['d1']);
    state.setFilter({ status: 'all' });
    expect(state.visible().map((d) => d.id)).toEqual(['d2', 'd1']);
  });

  it('opens a dialog, marks it read, and marks new visitor messages read while open', async () => {
    const { state, api } = setup();
    await state.start();
    await settle();
    FakeSocket.last().open();
    await state.open('d1');
    expect(location.pathname).toBe('/console/dialogs/d1');
    expect(state.dialog.loaded.get('d1')?.messages.log.list().map((m) => m.seq)).toEqual([1, 2]);
    expect(api.callsTo('POST', '/api/v1/dialogs/d1/read').map((c) => c.options.body)).toEqual([{ seq: 2 }]);
    FakeSocket.last().push({ type: 'message.created', message: message(3, { body: 'ещё вопрос' }) });
    FakeSocket.last().push({ type: 'message.created', message: message(3, { body: 'ещё вопрос' }) });
    expect(state.dialog.loaded.get('d1')?.messages.log.size).toBe(3);
    expect(api.callsTo('POST', '/api/v1/dialogs/d1/read').map((c) => c.options.body)).toEqual([{ seq: 2 }, { seq: 3 }]);
    expect(state.lists.dialogs.get('d1')?.last_message?.preview).toBe('ещё вопрос');
    expect(state.unreadTotal()).toBe(0);
  });

  it('sends with dialog_id, pending until ack, and resumes held dialogs after a reconnect', async () => {
    const { state } = setup();
    await state.start();
    await settle();
    FakeSocket.last().open();
    await state.open('d1');
    state.send('d1', 'Добрый день! Чем помочь?');
    const [frame] = FakeSocket.last().sentOfType('send');
    expect(frame).toMatchObject({ type: 'send', dialog_id: 'd1', body: 'Добрый день! Чем помочь?' });
    expect(state.dialog.loaded.get('d1')?.messages.outbox.size).toBe(1);

    FakeSocket.last().drop();
    vi.advanceTimersByTime(10_000);
    FakeSocket.last().open();
    await settle();
    const again = FakeSocket.last();
    expect(again.sentOfType('resume')).toEqual([{ type: 'resume', dialog_id: 'd1', after_seq: 2 }]);
    expect(again.sentOfType('send')).toEqual([frame]);

    again.push({ type: 'ack', client_id: frame.client_id, duplicate: false, message: operatorMessage(3, { client_id: frame.client_id as string }) });
    expect(state.dialog.loaded.get('d1')?.messages.outbox.size).toBe(0);
    expect(state.dialog.loaded.get('d1')?.messages.lastSeq()).toBe(3);
  });

  it('shows a refused send as failed', async () => {
    const { state } = setup();
    await state.start();
    await settle();
    FakeSocket.last().open();
    await state.open('d1');
    state.send('d1', 'text');
    const [frame] = FakeSocket.last().sentOfType('send');
    FakeSocket.last().push({ type: 'error', code: 'dialog_closed', message: '', client_id: frame.client_id });
    expect(state.dialog.loaded.get('d1')?.messages.outbox.list()[0]).toMatchObject({ state: 'failed', error: { code: 'dialog_closed' } });
  });

  it('closes a dialog and goes back to sign-in when the session ends', async () => {
    const { state } = setup();
    await state.start();
    await settle();
    await state.closeDialog('d1');
    expect(state.lists.dialogs.get('d1')?.status).toBe('closed');
    await state.logout();
    expect(state.session.auth).toBe('signed_out');
    expect(state.session.sessionEnded).toBe(false);
    expect(state.lists.dialogs.size).toBe(0);
  });

  it('goes back to sign-in when the server ends the session on the socket', async () => {
    const { state } = setup();
    await state.start();
    await settle();
    FakeSocket.last().push({ type: 'error', code: 'unauthenticated', message: 'Sign in first.', details: {} });
    expect(state.session.auth).toBe('signed_out');
    expect(state.session.sessionEnded).toBe(true);
    expect(state.lists.dialogs.size).toBe(0);
  });

  it('reads the dialog id from a deep link', () => {
    expect(dialogIdFromPath('/console/dialogs/0193abc')).toBe('0193abc');
    expect(dialogIdFromPath('/console/')).toBeNull();
  });
});
