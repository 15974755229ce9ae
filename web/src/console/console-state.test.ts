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

describe('ConsoleState: a message edited in Telegram', () => {
  beforeEach(() => {
    vi.useFakeTimers();
    FakeSocket.instances = [];
    history.replaceState(null, '', '/console/');
  });
  afterEach(() => vi.useRealTimers());

  const EDITED = '2026-01-01T12:05:00Z';
  const edits = [{ version: 1, body: 'заказ 1234', replaced_at: EDITED }];

  function setup() {
    const d1 = dialog('d1', { last_seq: 2, unread_count: 1, updated_at: '2026-01-01T11:00:00Z', last_message: { author_kind: 'operator', preview: 'message 2', created_at: '2026-01-01T12:00:02Z' } });
    const d2 = dialog('d2', { number: 2, last_seq: 1, unread_count: 1, updated_at: '2026-01-01T10:30:00Z' });
    let editsAnswer: () => unknown = () => edits;
    const api = fakeApi({
      'GET /api/v1/me': () => me,
      'GET /api/v1/dialogs': () => ({ items: [d1, d2], next_cursor: null }),
      'GET /api/v1/dialogs/d1/messages/*': () => editsAnswer(),
      'GET /api/v1/dialogs/*': (path) => {
        if (path.includes('/messages')) return path.includes('cursor') ? { items: [], next_cursor: null } : { items: [message(1), operatorMessage(2)], next_cursor: null };
        return dialog(path.split('/')[4]);
      },
      'POST /api/v1/dialogs/*': () => undefined,
    });
    const state = new ConsoleState({ api: api.request, WebSocketImpl: FakeSocket as unknown as typeof WebSocket });
    return { state, api, answerEdits: (f: () => unknown) => (editsAnswer = f) };
  }

  const bodies = (state: ConsoleState, id = 'd1') => state.dialog.loaded.get(id)?.messages.log.list().map((m) => m.body);

  it('replaces the message in place in the open dialog; no new message, no unread, no row moved', async () => {
    const { state } = setup();
    await state.start();
    await settle();
    FakeSocket.last().open();
    await state.open('d1');
    const rowBefore = state.lists.dialogs.get('d1');
    const version = state.dialog.version;

    FakeSocket.last().push({ type: 'message.updated', message: message(1, { body: 'заказ 12345', edited_at: EDITED }) });
    expect(bodies(state)).toEqual(['заказ 12345', 'message 2']);
    expect(state.dialog.loaded.get('d1')?.messages.log.list()[0]).toMatchObject({ id: 'm-d1-1', seq: 1, edited_at: EDITED });
    // Announced on the dialog slice (the timeline redraws); the list row is the same object.
    expect(state.dialog.version).toBeGreaterThan(version);
    expect(state.lists.dialogs.get('d1')).toBe(rowBefore);
    expect(state.unreadTotal()).toBe(1);

    // The same frame again (or an older version) changes nothing.
    const after = state.dialog.version;
    FakeSocket.last().push({ type: 'message.updated', message: message(1, { body: 'заказ 12345', edited_at: EDITED }) });
    FakeSocket.last().push({ type: 'message.updated', message: message(1, { body: 'заказ 123', edited_at: '2026-01-01T12:04:00Z' }) });
    expect(bodies(state)).toEqual(['заказ 12345', 'message 2']);
    expect(state.dialog.version).toBe(after);
  });

  it('leaves a dialog that is not open alone: nothing added, no unread counted, its row as it was', async () => {
    const { state, api } = setup();
    await state.start();
    await settle();
    FakeSocket.last().open();
    await state.open('d1');
    const row = state.lists.dialogs.get('d2');
    const unread = state.unreadTotal();
    const calls = api.calls.length;
    FakeSocket.last().push({ type: 'message.updated', message: message(1, { dialog_id: 'd2', body: 'исправлено', edited_at: EDITED }) });
    // A message of the open dialog it does not hold (another seq) is not added either.
    FakeSocket.last().push({ type: 'message.updated', message: message(7, { body: 'нет такого', edited_at: EDITED }) });
    expect(state.dialog.loaded.has('d2')).toBe(false);
    expect(state.lists.dialogs.get('d2')).toBe(row);
    expect(state.unreadTotal()).toBe(unread);
    expect(bodies(state)).toEqual(['message 1', 'message 2']);
    // Nothing was fetched for it.
    expect(api.calls.length).toBe(calls);
  });

  it('loads the earlier texts on the first show, hides and shows them again without asking twice', async () => {
    const { state, api } = setup();
    await state.start();
    await settle();
    FakeSocket.last().open();
    await state.open('d1');
    const m = message(1, { body: 'заказ 12345', edited_at: EDITED });
    FakeSocket.last().push({ type: 'message.updated', message: m });

    state.toggleEdits(m);
    expect(state.dialog.edits.get(m.id)).toMatchObject({ open: true, loading: true, items: null });
    await settle();
    expect(state.dialog.edits.get(m.id)).toMatchObject({ open: true, loading: false, items: edits, version: EDITED, problem: null });
    expect(api.callsTo('GET', '/api/v1/dialogs/d1/messages/m-d1-1/edits')).toHaveLength(1);

    state.toggleEdits(m);
    expect(state.dialog.edits.get(m.id)?.open).toBe(false);
    state.toggleEdits(m);
    expect(state.dialog.edits.get(m.id)).toMatchObject({ open: true, items: edits });
    await settle();
    expect(api.callsTo('GET', '/api/v1/dialogs/d1/messages/m-d1-1/edits')).toHaveLength(1);
  });

  it('reads them again when another edit comes while they are shown', async () => {
    const { state, api, answerEdits } = setup();
    await state.start();
    await settle();
    FakeSocket.last().open();
    await state.open('d1');
    const m = message(1, { body: 'заказ 12345', edited_at: EDITED });
    FakeSocket.last().push({ type: 'message.updated', message: m });
    state.toggleEdits(m);
    await settle();

    const later = [...edits, { version: 2, body: 'заказ 12345', replaced_at: '2026-01-01T12:09:00Z' }];
    answerEdits(() => later);
    FakeSocket.last().push({ type: 'message.updated', message: message(1, { body: 'заказ 12345, квартира 7', edited_at: '2026-01-01T12:09:00Z' }) });
    await settle();
    expect(api.callsTo('GET', '/api/v1/dialogs/d1/messages/m-d1-1/edits')).toHaveLength(2);
    expect(state.dialog.edits.get(m.id)).toMatchObject({ open: true, items: later, version: '2026-01-01T12:09:00Z' });
  });

  it('keeps a failed load as a problem in place; trying again loads them', async () => {
    const { state, answerEdits } = setup();
    await state.start();
    await settle();
    FakeSocket.last().open();
    await state.open('d1');
    const m = message(1, { body: 'заказ 12345', edited_at: EDITED });
    FakeSocket.last().push({ type: 'message.updated', message: m });

    answerEdits(() => {
      throw new ApiError(503, 'unavailable', 'The store is unavailable');
    });
    state.toggleEdits(m);
    await settle();
    expect(state.dialog.edits.get(m.id)).toMatchObject({ open: true, loading: false, items: null, problem: { code: 'unavailable' } });
    expect(state.session.auth).toBe('signed_in');

    answerEdits(() => edits);
    await state.loadEdits(m);
    expect(state.dialog.edits.get(m.id)).toMatchObject({ open: true, items: edits, problem: null });
  });
});
