/**
 * The console when the operator's rights change (`resync` with `access_changed`): it reads
 * `/api/v1/me` again, so the role shown and the pages he may open follow; one demoted on an
 * admin page is moved to the dialogs with a word why.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { MeView, Role } from '../shared/api-types';
import { fakeApi, settle } from '../test/fake-api';
import { FakeSocket, meView, operator } from '../test/fixtures';
import { ConsoleState } from './console-state';

function setup(role: Role) {
  let me: MeView = meView({ operator: operator('op1', { display_name: 'Анна', role }), workspace: { id: 'w1', name: 'Кухни', slug: 'kitchens' } });
  const api = fakeApi({
    'GET /api/v1/me': () => me,
    'GET /api/v1/dialogs/counts': () => ({ queue: 0, mine: 0, unanswered_mine: 0 }),
    'GET /api/v1/dialogs': () => ({ items: [], next_cursor: null }),
    'GET /api/v1/operators': () => ({ items: [me.operator] }),
    'GET /api/v1/channels': () => ({ items: [] }),
    'GET /api/v1/saved-replies': () => ({ items: [] }),
    'GET /api/v1/tags': () => ({ items: [] }),
    'GET /api/v1/categories': () => ({ items: [] }),
  });
  const state = new ConsoleState({ api: api.request, WebSocketImpl: FakeSocket as unknown as typeof WebSocket, watching: () => true });
  return {
    state,
    api,
    becomes: (next: Role) => (me = { ...me, operator: { ...me.operator, role: next } }),
  };
}

async function signedIn(s: ReturnType<typeof setup>) {
  await s.state.start();
  await settle();
  FakeSocket.last().open();
  return FakeSocket.last();
}

describe('ConsoleState, access changes', () => {
  beforeEach(() => {
    vi.useFakeTimers();
    FakeSocket.instances = [];
    localStorage.clear();
    history.replaceState(null, '', '/console/');
  });
  afterEach(() => vi.useRealTimers());

  it('reads /me again on access_changed: a promoted operator gets the admin pages', async () => {
    const s = setup('operator');
    const ws = await signedIn(s);
    expect(s.state.isAdmin()).toBe(false);
    expect(s.state.adminSections()).toEqual(['replies', 'account']);
    s.becomes('admin');
    s.api.calls.length = 0;
    ws.push({ type: 'resync', reason: 'access_changed' });
    await settle();
    expect(s.api.callsTo('GET', '/api/v1/me')).toHaveLength(1);
    // The lists are reloaded as for any resync, and the channels he may see now.
    expect(s.api.callsTo('GET', '/api/v1/dialogs').length).toBeGreaterThan(0);
    expect(s.api.callsTo('GET', '/api/v1/channels')).toHaveLength(1);
    expect(s.state.session.me?.operator.role).toBe('admin');
    expect(s.state.adminSections()).toContain('operators');
    expect(s.state.adminSections()).toContain('audit');
  });

  it('moves a demoted admin off an admin page and says why', async () => {
    history.replaceState(null, '', '/console/admin/audit');
    const s = setup('admin');
    const ws = await signedIn(s);
    expect(s.state.session.route).toEqual({ view: 'admin', section: 'audit' });
    s.becomes('operator');
    ws.push({ type: 'resync', reason: 'access_changed' });
    await settle();
    expect(s.state.session.me?.operator.role).toBe('operator');
    expect(s.state.session.route).toEqual({ view: 'dialogs', dialogId: null });
    expect(location.pathname).toBe('/console/');
    expect(s.state.alerts.notice?.code).toBe('access_changed');
  });

  it('keeps a demoted admin on a page he may still open', async () => {
    history.replaceState(null, '', '/console/account');
    const s = setup('admin');
    const ws = await signedIn(s);
    s.becomes('supervisor');
    ws.push({ type: 'resync', reason: 'access_changed' });
    await settle();
    expect(s.state.session.me?.operator.role).toBe('supervisor');
    expect(s.state.session.route).toEqual({ view: 'admin', section: 'account' });
    expect(s.state.alerts.notice).toBeNull();
  });

  it('does not read /me for a resync of another reason', async () => {
    const s = setup('operator');
    const ws = await signedIn(s);
    s.api.calls.length = 0;
    ws.push({ type: 'resync', reason: 'lagged' });
    await settle();
    expect(s.api.callsTo('GET', '/api/v1/me')).toHaveLength(0);
    expect(s.api.callsTo('GET', '/api/v1/dialogs').length).toBeGreaterThan(0);
  });

  it('goes to the sign-in form when the session ended meanwhile', async () => {
    const s = setup('operator');
    const ws = await signedIn(s);
    ws.push({ type: 'error', code: 'unauthenticated', message: 'session ended' });
    expect(s.state.session.auth).toBe('signed_out');
    expect(s.state.session.me).toBeNull();
  });
});
