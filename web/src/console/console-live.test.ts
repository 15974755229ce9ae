/**
 * The console state against a fake server and socket: the queue count following events,
 * accepting, transferring, presence, operators and alerts.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ApiError } from '../shared/api';
import type { DialogView } from '../shared/api-types';
import { fakeApi, settle, type Handler } from '../test/fake-api';
import { channel, dialog, FakeSocket, message, operator, sla } from '../test/fixtures';
import type { Alerter, Tone } from './alerts';
import { ConsoleState } from './console-state';

const anna = operator('op1', { display_name: 'Анна', role: 'operator' });
const ivan = operator('op2', { display_name: 'Иван' });
const me = { operator: anna, workspace: { id: 'w1', name: 'Кухни', slug: 'kitchens' } };
const annaRef = { id: 'op1', display_name: 'Анна' };
const ivanRef = { id: 'op2', display_name: 'Иван' };

function recorder() {
  const played: Tone[] = [];
  const shown: string[] = [];
  const alerter: Alerter = {
    play: (tone) => played.push(tone),
    unlock: () => {},
    permission: () => 'granted',
    request: async () => 'granted',
    show: (title) => shown.push(title),
  };
  return { alerter, played, shown };
}

function setup(opts: { queue?: DialogView[]; queueCount?: number; queueCursor?: string | null; routes?: Record<string, Handler> } = {}) {
  const queue = opts.queue ?? [dialog('q1', { number: 1 }), dialog('q2', { number: 2 })];
  const api = fakeApi({
    'GET /api/v1/me': () => me,
    'GET /api/v1/dialogs/counts': () => ({ queue: opts.queueCount ?? queue.length, mine: 0, unanswered_mine: 0 }),
    'GET /api/v1/dialogs': (path) => {
      if (path.includes('assignee=unassigned')) return { items: queue, next_cursor: opts.queueCursor ?? null };
      return { items: [], next_cursor: null };
    },
    'GET /api/v1/dialogs/*': (path) => {
      if (path.includes('/messages')) return { items: [], next_cursor: null };
      const id = path.split('/')[4];
      return queue.find((d) => d.id === id) ?? dialog(id);
    },
    'GET /api/v1/operators': () => ({ items: [anna, ivan] }),
    'GET /api/v1/channels': () => ({ items: [channel('c1', { name: 'Москва' }), channel('c2', { name: 'Сервис', online_members: 0 })] }),
    ...opts.routes,
  });
  const alerts = recorder();
  const state = new ConsoleState({
    api: api.request,
    WebSocketImpl: FakeSocket as unknown as typeof WebSocket,
    alerter: alerts.alerter,
    watching: () => true,
  });
  return { state, api, ...alerts };
}

async function signedIn(s: ReturnType<typeof setup>) {
  await s.state.start();
  await settle();
  FakeSocket.last().open();
  return FakeSocket.last();
}

describe('ConsoleState, live', () => {
  beforeEach(() => {
    vi.useFakeTimers();
    FakeSocket.instances = [];
    localStorage.clear();
    history.replaceState(null, '', '/console/');
  });
  afterEach(() => vi.useRealTimers());

  it('keeps the queue count from the server and follows socket events', async () => {
    const s = setup();
    const ws = await signedIn(s);
    expect(s.state.queueCount()).toBe(2);
    ws.push({ type: 'dialog.created', dialog: dialog('q3', { number: 3, updated_at: '2026-01-01T11:00:00Z' }) });
    expect(s.state.queueCount()).toBe(3);
    ws.push({ type: 'dialog.updated', dialog: dialog('q1', { assignee: ivanRef, updated_at: '2026-01-01T11:01:00Z' }) });
    expect(s.state.queueCount()).toBe(2);
    ws.push({ type: 'dialog.closed', dialog: dialog('q2', { status: 'closed', updated_at: '2026-01-01T11:02:00Z' }) });
    expect(s.state.queueCount()).toBe(1);
    // Put back in the queue by a supervisor.
    ws.push({ type: 'dialog.updated', dialog: dialog('q1', { assignee: null, updated_at: '2026-01-01T11:03:00Z' }) });
    expect(s.state.queue().map((d) => d.id)).toEqual(['q1', 'q3']);
    // An older copy of a dialog does not undo a newer one.
    ws.push({ type: 'dialog.updated', dialog: dialog('q1', { assignee: ivanRef, updated_at: '2026-01-01T11:00:30Z' }) });
    expect(s.state.queueCount()).toBe(2);
  });

  it('counts what the first queue page left out, and asks the server again after events', async () => {
    let count = 130;
    const s = setup({ queueCursor: 'more', routes: { 'GET /api/v1/dialogs/counts': () => ({ queue: count, mine: 0, unanswered_mine: 0 }) } });
    const ws = await signedIn(s);
    expect(s.state.queueCount()).toBe(130);
    count = 129;
    ws.push({ type: 'dialog.updated', dialog: dialog('q1', { assignee: ivanRef, updated_at: '2026-01-01T11:01:00Z' }) });
    expect(s.state.queueCount()).toBe(129);
    count = 128;
    vi.advanceTimersByTime(3_000);
    await settle();
    expect(s.state.queueCount()).toBe(128);
  });

  it('finds out about queued dialogs taken while it was not listening', async () => {
    const s = setup();
    const ws = await signedIn(s);
    ws.push({ type: 'dialog.created', dialog: dialog('gone', { updated_at: '2026-01-01T11:00:00Z' }) });
    expect(s.state.queueCount()).toBe(3);
    s.api.calls.length = 0;
    ws.drop();
    vi.advanceTimersByTime(10_000);
    FakeSocket.last().open();
    await settle();
    // The reloaded queue (q1, q2) leaves "gone" out: its row is asked for again.
    expect(s.api.callsTo('GET', '/api/v1/dialogs/gone')).toHaveLength(1);
  });

  it('asks the list with the filters, and reloads when they change', async () => {
    const s = setup();
    await signedIn(s);
    s.state.setFilter({ assignee: 'mine_or_unassigned', unanswered: true, channel: 'c2' });
    await settle();
    const last = s.api.callsTo('GET', '/api/v1/dialogs?').pop()!;
    expect(last.path).toBe('/api/v1/dialogs?status=open&assignee=mine_or_unassigned&unanswered=true&channel=c2&limit=50');
    expect(JSON.parse(localStorage.getItem('frontline.console.filter')!)).toMatchObject({ channel: 'c2', unanswered: true });
  });

  it('accepts a dialog and opens it', async () => {
    const s = setup({
      routes: { 'POST /api/v1/dialogs/*': () => dialog('q1', { assignee: annaRef, assigned_at: '2026-01-01T11:00:00Z', updated_at: '2026-01-01T11:00:00Z' }) },
    });
    const ws = await signedIn(s);
    expect(await s.state.accept('q1')).toBeNull();
    expect(s.api.callsTo('POST', '/api/v1/dialogs/q1/accept')).toHaveLength(1);
    expect(s.state.queueCount()).toBe(1);
    expect(s.state.active().map((d) => d.id)).toEqual(['q1']);
    expect(s.state.dialog.selectedId).toBe('q1');
    // The server's own event about it makes no sound: the operator did it himself.
    ws.push({ type: 'dialog.updated', dialog: dialog('q1', { assignee: annaRef, updated_at: '2026-01-01T11:00:00Z' }) });
    expect(s.played).toEqual([]);
  });

  it('keeps an accept refusal on the dialog, with who took it', async () => {
    const s = setup({
      routes: {
        'POST /api/v1/dialogs/*': () => {
          throw new ApiError(409, 'already_assigned', 'Already taken by Иван', { assignee: 'Иван' });
        },
      },
    });
    await signedIn(s);
    const problem = await s.state.accept('q1');
    expect(problem).toMatchObject({ code: 'already_assigned', details: { assignee: 'Иван' } });
    expect(s.state.lists.actionProblems.get('q1')?.code).toBe('already_assigned');
    // Its row is fetched again so it stops offering "Accept".
    expect(s.api.callsTo('GET', '/api/v1/dialogs/q1')).toHaveLength(1);
    expect(s.state.dialog.selectedId).toBeNull();
  });

  it('transfers with one target and a comment, and returns the refusal', async () => {
    let refuse = true;
    const s = setup({
      routes: {
        'POST /api/v1/dialogs/*': () => {
          if (refuse) throw new ApiError(409, 'channel_unavailable', 'No operator online');
          return dialog('q1', { assignee: ivanRef, updated_at: '2026-01-01T11:00:00Z' });
        },
      },
    });
    await signedIn(s);
    expect(await s.state.transfer('q1', { kind: 'channel', id: 'c2' }, '')).toMatchObject({ code: 'channel_unavailable' });
    refuse = false;
    expect(await s.state.transfer('q1', { kind: 'operator', id: 'op2' }, 'Про доставку')).toBeNull();
    expect(s.api.callsTo('POST', '/api/v1/dialogs/q1/transfer').map((c) => c.options.body)).toEqual([
      { channel_id: 'c2' },
      { operator_id: 'op2', comment: 'Про доставку' },
    ]);
    expect(s.state.lists.dialogs.get('q1')?.assignee?.id).toBe('op2');
  });

  it('reports a handover as a success and leaves the dialog quietly', async () => {
    const s = setup({
      routes: {
        'POST /api/v1/dialogs/*': () => dialog('q1', { assignee: ivanRef, updated_at: '2026-01-01T11:00:00Z' }),
        'GET /api/v1/dialogs/*': (path) => {
          if (path.includes('/messages')) return { items: [], next_cursor: null };
          throw new ApiError(404, 'dialog_not_found', '');
        },
      },
    });
    await signedIn(s);
    await s.state.open('q1');
    expect(s.state.dialog.selectedId).toBe('q1');
    expect(await s.state.transfer('q1', { kind: 'operator', id: 'op2' }, '')).toBeNull();
    expect(s.state.dialog.selectedId).toBeNull();
    expect(s.state.alerts.notice?.code).toBe('handed_over');
    expect(s.state.alerts.notice?.code).not.toBe('moved_away');
  });

  it('drops a dialog moved to a channel the operator does not see', async () => {
    const s = setup({
      routes: {
        'GET /api/v1/dialogs/*': (path) => {
          if (path.includes('/messages')) return { items: [], next_cursor: null };
          throw new ApiError(404, 'dialog_not_found', '');
        },
      },
    });
    const ws = await signedIn(s);
    s.state.dialog.selectedId = 'q1';
    ws.push({ type: 'dialog.updated', dialog: dialog('q1', { channel_id: 'c9', updated_at: '2026-01-01T11:00:00Z' }) });
    await settle();
    expect(s.state.lists.dialogs.has('q1')).toBe(false);
    expect(s.state.dialog.selectedId).toBeNull();
    expect(s.state.alerts.notice?.code).toBe('moved_away');
  });

  it('sets presence, and follows operator.updated for itself and others', async () => {
    const s = setup({ routes: { 'PUT /api/v1/me/presence': (_p, o) => ({ ...anna, presence: (o.body as { presence: string }).presence }) } });
    const ws = await signedIn(s);
    await s.state.setPresence('away');
    expect(s.api.callsTo('PUT', '/api/v1/me/presence')[0].options.body).toEqual({ presence: 'away' });
    expect(s.state.presence()).toBe('away');
    ws.push({ type: 'operator.updated', operator: { ...anna, presence: 'offline' } });
    expect(s.state.presence()).toBe('offline');
    ws.push({ type: 'operator.updated', operator: { ...ivan, presence: 'offline', active_dialogs: 3 } });
    expect(s.state.team.operators.get('op2')).toMatchObject({ presence: 'offline', active_dialogs: 3 });
  });

  it('puts presence back when the server refuses', async () => {
    const s = setup({
      routes: {
        'PUT /api/v1/me/presence': () => {
          throw new ApiError(503, 'unavailable', '');
        },
      },
    });
    await signedIn(s);
    await s.state.setPresence('offline');
    expect(s.state.presence()).toBe('online');
    expect(s.state.alerts.notice?.code).toBe('unavailable');
  });

  it('sounds and notifies a long wait unless offline, and honours the sound switch', async () => {
    const s = setup();
    const ws = await signedIn(s);
    s.state.setLang('ru');
    await s.state.alerts.attention.enableNotifications();
    ws.push({ type: 'dialog.waiting', dialog: dialog('q1', { waiting_alert: true, updated_at: '2026-01-01T11:00:00Z' }) });
    expect(s.played).toEqual(['dialog']);
    expect(s.shown).toEqual(['Диалог долго ждёт в очереди']);
    expect(s.state.lists.dialogs.get('q1')?.waiting_alert).toBe(true);

    s.state.alerts.attention.toggleSound();
    ws.push({ type: 'message.created', message: message(2, { dialog_id: 'q1' }) });
    expect(s.played).toEqual(['dialog']);
    expect(localStorage.getItem('frontline.console.sound')).toBe('off');

    s.state.alerts.attention.toggleSound();
    ws.push({ type: 'operator.updated', operator: { ...anna, presence: 'offline' } });
    ws.push({ type: 'dialog.waiting', dialog: dialog('q2', { waiting_alert: true, updated_at: '2026-01-01T11:00:00Z' }) });
    expect(s.played).toEqual(['dialog']);
    expect(s.shown).toHaveLength(1);
  });

  it('shows an SLA breach as a note with sound, updates the row, and dismisses or opens it', async () => {
    const s = setup();
    const ws = await signedIn(s);
    s.state.setLang('ru');
    const breached = dialog('q1', { number: 1, updated_at: '2026-01-01T11:00:00Z', sla: sla('2026-01-01T10:01:00Z', { reply_breached: true }) });
    ws.push({ type: 'sla.breached', dialog: breached, target: 'first_reply', due_at: '2026-01-01T10:01:00Z' });
    expect(s.played).toEqual(['dialog']);
    // Watching the console: the note in the page is enough, no desktop notification.
    expect(s.shown).toEqual([]);
    expect(s.state.lists.dialogs.get('q1')?.sla?.reply_breached).toBe(true);
    expect(s.state.alerts.slaAlerts.map((a) => `${a.dialog.id}:${a.target}`)).toEqual(['q1:first_reply']);
    // The same breach again (a resume): still one note.
    ws.push({ type: 'sla.breached', dialog: breached, target: 'first_reply', due_at: '2026-01-01T10:01:00Z' });
    ws.push({ type: 'sla.breached', dialog: { ...breached, updated_at: '2026-01-01T11:30:00Z' }, target: 'resolution', due_at: '2026-01-01T10:30:00Z' });
    expect(s.state.alerts.slaAlerts).toHaveLength(2);
    s.state.dismissSlaAlert('q1:first_reply');
    expect(s.state.alerts.slaAlerts.map((a) => a.target)).toEqual(['resolution']);
    await s.state.logout();
    expect(s.state.alerts.slaAlerts).toEqual([]);
  });
});
