/**
 * The console state's conversation tools against a fake server and socket: notes and files
 * go over REST, typing and read frames, mentions, close with a required category, bulk close,
 * snooze coming back live, search, the visitor card, saved replies and dictionaries.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ApiError } from '../shared/api';
import type { DialogView } from '../shared/api-types';
import { fakeApi, settle, type Handler } from '../test/fake-api';
import { channel, dialog, FakeSocket, message, operator, operatorMessage } from '../test/fixtures';
import type { Alerter, Tone } from './alerts';
import { ConsoleState } from './console-state';

const anna = operator('op1', { display_name: 'Анна', role: 'operator' });
const limits = { max_bytes: 1000, max_files: 3, types: ['image/png'] };
const me = { operator: anna, workspace: { id: 'w1', name: 'Кухни', slug: 'kitchens' }, upload_limits: limits };
const annaRef = { id: 'op1', display_name: 'Анна' };

function setup(opts: { dialogs?: DialogView[]; routes?: Record<string, Handler>; visible?: boolean } = {}) {
  const rows = opts.dialogs ?? [dialog('d1', { number: 7, assignee: annaRef, last_seq: 2 })];
  const played: Tone[] = [];
  const shown: string[] = [];
  const alerter: Alerter = {
    play: (tone) => played.push(tone),
    unlock: () => {},
    permission: () => 'granted',
    request: async () => 'granted',
    show: (title) => shown.push(title),
  };
  const api = fakeApi({
    'GET /api/v1/me': () => me,
    'GET /api/v1/dialogs/counts': () => ({ queue: 0, mine: rows.length, unanswered_mine: 0 }),
    'GET /api/v1/dialogs': () => ({ items: rows, next_cursor: null }),
    'GET /api/v1/dialogs/*': (path) => {
      if (path.includes('/messages')) return { items: [message(1), operatorMessage(2)], next_cursor: null };
      const id = path.split('/')[4];
      return rows.find((d) => d.id === id) ?? dialog(id);
    },
    'POST /api/v1/dialogs/*': (path) => {
      if (path.endsWith('/read')) return undefined;
      throw new ApiError(404, 'not_found', path);
    },
    'GET /api/v1/operators': () => ({ items: [anna] }),
    'GET /api/v1/channels': () => ({ items: [channel('c1')] }),
    'GET /api/v1/saved-replies': () => ({ items: [] }),
    'GET /api/v1/tags': (path) => ({ items: path.includes('archived=true') ? [{ id: 't0', name: 'старый', archived: true }] : [{ id: 't1', name: 'оплата', archived: false }] }),
    'GET /api/v1/categories': () => ({ items: [{ id: 'k1', name: 'Вопрос', archived: false }] }),
    ...opts.routes,
  });
  const state = new ConsoleState({
    api: api.request,
    WebSocketImpl: FakeSocket as unknown as typeof WebSocket,
    alerter,
    watching: () => opts.visible ?? true,
  });
  return { state, api, played, shown };
}

async function signedIn(s: ReturnType<typeof setup>) {
  await s.state.start();
  await settle();
  FakeSocket.last().open();
  await settle();
  return FakeSocket.last();
}

describe('ConsoleState, conversation tools', () => {
  beforeEach(() => {
    vi.useFakeTimers();
    FakeSocket.instances = [];
    localStorage.clear();
    history.replaceState(null, '', '/console/');
  });
  afterEach(() => vi.useRealTimers());

  it('knows the upload limits and loads the dictionaries on sign-in', async () => {
    const s = setup();
    await signedIn(s);
    expect(s.state.uploadLimits()).toEqual(limits);
    expect(s.state.tools.tags.map((t) => t.name)).toEqual(['оплата']);
    expect(s.state.tools.categories.map((c) => c.name)).toEqual(['Вопрос']);
    await s.state.loadLabels('tags', true);
    expect(s.state.tools.tags.map((t) => t.name)).toEqual(['оплата', 'старый']);
  });

  it('sends a note and files over REST, never over the socket; a plain reply over the socket', async () => {
    const posted: unknown[] = [];
    const s = setup({
      routes: {
        'POST /api/v1/dialogs/*': (path, o) => {
          if (path.endsWith('/read')) return undefined;
          posted.push(o.body);
          const b = o.body as { client_id: string; body: string; internal?: boolean };
          return operatorMessage(3, { client_id: b.client_id, body: b.body, audience: b.internal ? 'operators' : 'all' });
        },
      },
    });
    const ws = await signedIn(s);
    await s.state.open('d1');
    await settle();
    s.state.send('d1', 'Только для своих', { internal: true });
    s.state.send('d1', '', { attachments: [{ id: 'u1', name: 'a.png', content_type: 'image/png', size: 5 }] });
    s.state.send('d1', 'Здравствуйте');
    await settle();
    expect(posted).toEqual([
      expect.objectContaining({ body: 'Только для своих', internal: true }),
      expect.objectContaining({ body: '', attachments: ['u1'] }),
    ]);
    expect(posted[1]).not.toHaveProperty('internal');
    expect(ws.sentOfType('send').map((f) => f.body)).toEqual(['Здравствуйте']);
  });

  it('sends typing at most every 2 s and shows the visitor typing for 5 s', async () => {
    const s = setup();
    const ws = await signedIn(s);
    s.state.typed('d1');
    s.state.typed('d1');
    vi.advanceTimersByTime(2_100);
    s.state.typed('d1');
    expect(ws.sentOfType('typing')).toEqual([{ type: 'typing', dialog_id: 'd1' }, { type: 'typing', dialog_id: 'd1' }]);

    ws.push({ type: 'typing', dialog_id: 'd1', author: { kind: 'visitor', id: 'v1', name: null } });
    expect(s.state.dialog.typing.isTyping('d1', 'visitor')).toBe(true);
    vi.advanceTimersByTime(5_001);
    expect(s.state.dialog.typing.isTyping('d1', 'visitor')).toBe(false);
    // His own typing echoed back is not shown; his message ends the visitor's at once.
    ws.push({ type: 'typing', dialog_id: 'd1', author: { kind: 'operator', id: 'op1', name: 'Анна' } });
    expect(s.state.dialog.typing.typists('d1')).toEqual([]);
    ws.push({ type: 'typing', dialog_id: 'd1', author: { kind: 'visitor', id: 'v1', name: null } });
    ws.push({ type: 'message.created', message: message(3, { dialog_id: 'd1' }) });
    expect(s.state.dialog.typing.isTyping('d1', 'visitor')).toBe(false);
  });

  it('moves the visitor read mark forward on dialog.read', async () => {
    const s = setup();
    const ws = await signedIn(s);
    ws.push({ type: 'dialog.read', dialog_id: 'd1', reader: 'visitor', seq: 2 });
    expect(s.state.lists.dialogs.get('d1')?.visitor_read_seq).toBe(2);
    ws.push({ type: 'dialog.read', dialog_id: 'd1', reader: 'visitor', seq: 1 });
    ws.push({ type: 'dialog.read', dialog_id: 'd1', reader: 'operator', seq: 9 });
    expect(s.state.lists.dialogs.get('d1')?.visitor_read_seq).toBe(2);
  });

  it('shows a mention once, notifies when not looking, opens and dismisses', async () => {
    localStorage.setItem('frontline.console.notifications', 'on');
    localStorage.setItem('frontline.console.lang', 'ru');
    const s = setup({ visible: false });
    const ws = await signedIn(s);
    const note = operatorMessage(3, { id: 'n1', audience: 'operators', author: { kind: 'operator', id: 'op2', name: 'Иван' }, body: '@Анна глянь', mentions: ['op1'] });
    const d = dialog('d9', { number: 42 });
    ws.push({ type: 'mention', dialog: d, message: note });
    ws.push({ type: 'mention', dialog: d, message: note });
    expect(s.state.alerts.mentions).toHaveLength(1);
    expect(s.shown).toEqual(['Вас упомянули в диалоге № 42']);
    expect(s.played).toEqual(['message']);
    s.state.dismissMention('n1');
    expect(s.state.alerts.mentions).toEqual([]);
  });

  it('a close refused for want of a category asks for one; choosing it lets the close through', async () => {
    let hasCategory = false;
    const s = setup({
      routes: {
        'POST /api/v1/dialogs/*': (path) => {
          if (path.endsWith('/close')) {
            if (!hasCategory) throw new ApiError(409, 'category_required', 'Choose a category');
            return dialog('d1', { status: 'closed', updated_at: '2026-01-01T12:00:00Z' });
          }
          return undefined;
        },
        'PUT /api/v1/dialogs/*': (_p, o) => {
          hasCategory = true;
          expect(o.body).toEqual({ category_id: 'k1' });
          return dialog('d1', { category: { id: 'k1', name: 'Вопрос' }, updated_at: '2026-01-01T11:00:00Z' });
        },
      },
    });
    await signedIn(s);
    const refused = await s.state.closeDialog('d1');
    expect(refused?.code).toBe('category_required');
    expect(s.state.lists.categoryNeeded.has('d1')).toBe(true);
    expect(s.state.alerts.notice).toBeNull();
    expect(await s.state.setCategory('d1', 'k1')).toBeNull();
    expect(s.state.lists.categoryNeeded.has('d1')).toBe(false);
    expect(await s.state.closeDialog('d1')).toBeNull();
    expect(s.state.lists.dialogs.get('d1')?.status).toBe('closed');
  });

  it('bulk close keeps the refused ones ticked with their reason', async () => {
    const rows = [dialog('a', { number: 1 }), dialog('b', { number: 2 })];
    const s = setup({
      dialogs: rows,
      routes: {
        'POST /api/v1/dialogs/close': (_p, o) => {
          expect(o.body).toEqual({ ids: ['a', 'b'] });
          return { items: [{ id: 'a', ok: true }, { id: 'b', ok: false, code: 'category_required', message: 'Choose a category' }] };
        },
      },
    });
    await signedIn(s);
    s.state.toggleAll(['a', 'b']);
    expect([...s.state.lists.selection]).toEqual(['a', 'b']);
    await s.state.bulkClose();
    expect(s.state.lists.bulkResult).toEqual({ closed: 1, refused: 1 });
    expect([...s.state.lists.selection]).toEqual(['b']);
    expect(s.state.lists.bulkRefusals.get('b')?.code).toBe('category_required');
    s.state.clearSelection();
    expect(s.state.lists.bulkRefusals.size).toBe(0);
  });

  it('a snoozed dialog leaves the open list and comes back live when dialog.updated clears snoozed_until', async () => {
    const s = setup({
      routes: {
        'POST /api/v1/dialogs/*': (path, o) => {
          expect(path).toBe('/api/v1/dialogs/d1/snooze');
          return dialog('d1', { number: 7, assignee: annaRef, snoozed_until: (o.body as { until: string }).until, updated_at: '2026-01-01T11:00:00Z' });
        },
      },
    });
    const ws = await signedIn(s);
    expect(s.state.visible().map((d) => d.id)).toEqual(['d1']);
    expect(await s.state.snooze('d1', new Date(Date.now() + 3_600_000))).toBeNull();
    expect(s.state.visible()).toEqual([]);
    expect(s.state.active()).toEqual([]);
    s.state.setFilter({ status: 'snoozed' });
    expect(s.state.visible().map((d) => d.id)).toEqual(['d1']);
    s.state.setFilter({ status: 'open' });
    ws.push({ type: 'dialog.updated', dialog: dialog('d1', { number: 7, assignee: annaRef, snoozed_until: null, updated_at: '2026-01-01T12:00:00Z' }) });
    expect(s.state.visible().map((d) => d.id)).toEqual(['d1']);
  });

  it('search keeps only the latest answer and opens a hit', async () => {
    const answers: ((v: unknown) => void)[] = [];
    const s = setup({
      routes: { 'GET /api/v1/search': () => new Promise((done) => answers.push(done)) },
    });
    await signedIn(s);
    const hit = (id: string) => ({ dialog: dialog(id, { number: 5 }), match: 'message', message: { seq: 1, snippet: '[оплата]', created_at: '2026-01-01T10:00:00Z', audience: 'all' } });
    void s.state.searchFor('о');
    expect(s.api.callsTo('GET', '/api/v1/search')).toHaveLength(0); // one letter: nothing asked
    const first = s.state.searchFor('опл');
    const second = s.state.searchFor('оплата');
    answers[1]({ items: [hit('new')] });
    answers[0]({ items: [hit('old')] });
    await Promise.all([first, second]);
    expect(s.state.tools.search.hits?.map((h) => h.dialog.id)).toEqual(['new']);
    expect(s.api.callsTo('GET', '/api/v1/search')[1].path).toBe('/api/v1/search?q=%D0%BE%D0%BF%D0%BB%D0%B0%D1%82%D0%B0&limit=30');
    s.state.openHit(s.state.tools.search.hits![0]);
    await settle();
    expect(s.state.dialog.selectedId).toBe('new');
    s.state.clearSearch();
    expect(s.state.tools.search.hits).toBeNull();
  });

  it('the visitor card: load, edit, and every dialog of his shows the new name', async () => {
    const card = {
      id: 'v-d1', number: 42, name: null, email: null, phone: null, city: 'Москва', page_url: 'https://shop.example.com/', language: 'ru',
      properties: {}, first_seen_at: '2026-01-01T09:00:00Z', last_seen_at: '2026-01-01T10:00:00Z', visit_started_at: '2026-01-01T09:50:00Z',
      pages: [], dialogs: [], source: 'widget', telegram: [],
    };
    const s = setup({
      routes: {
        'GET /api/v1/dialogs/d1/visitor': () => card,
        'PATCH /api/v1/dialogs/d1/visitor': (_p, o) => ({ ...card, ...(o.body as object) }),
      },
    });
    await signedIn(s);
    await s.state.loadCard('d1');
    expect(s.state.dialog.cards.get('d1')?.card?.city).toBe('Москва');
    expect(await s.state.saveVisitor('d1', { name: 'Ольга' })).toBeNull();
    expect(s.state.dialog.cards.get('d1')?.card?.name).toBe('Ольга');
    expect(s.state.lists.dialogs.get('d1')?.visitor.name).toBe('Ольга');
  });

  it('saved replies and tags changed on the admin pages reach the composer at once', async () => {
    const s = setup({
      routes: {
        'POST /api/v1/saved-replies': (_p, o) => ({ id: 'r1', scope: 'personal', channel_id: null, owner_id: 'op1', ...(o.body as object) }),
        'DELETE /api/v1/saved-replies/*': () => undefined,
        'PATCH /api/v1/tags/*': (_p, o) => ({ id: 't1', name: 'оплата', archived: (o.body as { archived: boolean }).archived }),
      },
    });
    await signedIn(s);
    expect(await s.state.admin.createReply({ scope: 'personal', title: 'Привет', body: 'Здравствуйте, {visitor.first_name}!' })).toBeNull();
    expect(s.state.tools.savedReplies.map((r) => r.title)).toEqual(['Привет']);
    expect(await s.state.admin.deleteReply('r1')).toBeNull();
    expect(s.state.tools.savedReplies).toEqual([]);
    expect(await s.state.admin.patchLabel('tags', 't1', { archived: true })).toBeNull();
    expect(s.state.tools.tags).toEqual([{ id: 't1', name: 'оплата', archived: true }]);
  });

  it('an operator may open only the saved replies page', async () => {
    const s = setup();
    await signedIn(s);
    s.state.followPath('/console/admin/tags');
    expect(s.state.session.route).toEqual({ view: 'dialogs', dialogId: null });
    s.state.followPath('/console/admin/replies');
    expect(s.state.session.route).toEqual({ view: 'admin', section: 'replies' });
  });
});
