/**
 * The console's slices: a change is announced on its own slice only, so a typing frame or a
 * toast neither notifies the lists' subscribers nor redraws what shows the list. Counted three
 * ways: listeners on each slice, a probe component that reads only the list, and the whole
 * console (every component's renders, counted through Preact's render hook).
 */
import { Fragment, options, render } from 'preact';
import { act } from 'preact/test-utils';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { MeView } from '../shared/api-types';
import { fakeApi, settle } from '../test/fake-api';
import { channel, dialog, FakeSocket, message, operator, operatorMessage } from '../test/fixtures';
import type { Alerter } from './alerts';
import { App } from './components/App';
import { ConsoleState } from './console-state';
import { ConsoleContext, useConsole } from './context';

const anna = operator('op1', { display_name: 'Анна', role: 'operator' });
const me = { operator: anna, workspace: { id: 'w1', name: 'Кухни', slug: 'kitchens' } } as MeView;
const d1 = dialog('d1', { number: 7, assignee: { id: 'op1', display_name: 'Анна' }, last_seq: 2 });
const d2 = dialog('d2', { number: 8, updated_at: '2026-01-01T09:00:00Z' });
const silent: Alerter = { play: () => {}, unlock: () => {}, permission: () => 'default', request: async () => 'default', show: () => {} };

const visitorTyping = { type: 'typing', dialog_id: 'd1', author: { kind: 'visitor', id: 'v-d1', name: null } };
/** A mention toast whose row is the one held: nothing of the list changes. */
const mention = {
  type: 'mention',
  dialog: d1,
  message: operatorMessage(3, { id: 'n1', audience: 'operators', author: { kind: 'operator', id: 'op2', name: 'Иван' }, body: '@Анна', mentions: ['op1'] }),
};
/** A refusal shown in the notice bar. */
const notice = { type: 'error', code: 'rate_limited', message: 'Slow down', details: {} };

async function signedIn() {
  const api = fakeApi({
    'GET /api/v1/me': () => me,
    'GET /api/v1/dialogs/counts': () => ({ queue: 1, mine: 1, unanswered_mine: 0 }),
    'GET /api/v1/dialogs': () => ({ items: [d1, d2], next_cursor: null }),
    'GET /api/v1/dialogs/*': (path) => (path.includes('/messages') ? { items: [message(1), operatorMessage(2)], next_cursor: null } : d1),
    'POST /api/v1/dialogs/*': () => undefined,
    'GET /api/v1/operators': () => ({ items: [anna] }),
    'GET /api/v1/channels': () => ({ items: [channel('c1')] }),
    'GET /api/v1/saved-replies': () => ({ items: [] }),
    'GET /api/v1/tags': () => ({ items: [] }),
    'GET /api/v1/categories': () => ({ items: [] }),
  });
  const state = new ConsoleState({ api: api.request, WebSocketImpl: FakeSocket as unknown as typeof WebSocket, alerter: silent, watching: () => true });
  await state.start();
  await settle();
  const ws = FakeSocket.last();
  ws.open();
  await state.open('d1');
  await settle();
  return { state, ws };
}

/** Which slices announced a change while `step` ran (and its microtasks settled). */
async function announced(state: ConsoleState, step: () => void): Promise<string[]> {
  const slices = {
    session: state.session,
    lists: state.lists,
    dialog: state.dialog,
    typing: state.dialog.typists,
    tools: state.tools,
    alerts: state.alerts,
    team: state.team,
  };
  const heard = new Set<string>();
  const offs = Object.entries(slices).map(([name, slice]) => slice.subscribe(() => heard.add(name)));
  step();
  await settle();
  for (const off of offs) off();
  return [...heard].sort();
}

let host: HTMLDivElement;

describe('console slices', () => {
  beforeEach(() => {
    // Timers stand still: the lists' one-second clocks (waiting times) redraw nothing here.
    vi.useFakeTimers();
    FakeSocket.instances = [];
    localStorage.clear();
    localStorage.setItem('frontline.console.lang', 'en');
    history.replaceState(null, '', '/console/');
    host = document.createElement('div');
    document.body.appendChild(host);
  });
  afterEach(() => {
    act(() => render(null, host));
    host.remove();
    vi.useRealTimers();
  });

  it('announce a change on the slice that holds it, and nowhere else', async () => {
    const { state, ws } = await signedIn();
    expect(await announced(state, () => ws.push(visitorTyping))).toEqual(['typing']);
    expect(await announced(state, () => ws.push(mention))).toEqual(['alerts']);
    expect(await announced(state, () => ws.push(notice))).toEqual(['alerts']);
    expect(await announced(state, () => state.dismissMention('n1'))).toEqual(['alerts']);
    // What does change the list still reaches it (the listeners above can hear).
    expect(await announced(state, () => ws.push({ type: 'dialog.updated', dialog: { ...d2, updated_at: '2026-01-01T13:00:00Z' } }))).toEqual(['lists']);
    expect(await announced(state, () => ws.push({ type: 'message.created', message: message(3) }))).toEqual(['dialog', 'lists']);
  });

  it('do not redraw a component that reads only the list for a typing frame or a toast', async () => {
    const { state, ws } = await signedIn();
    let listRenders = 0;
    let typingRenders = 0;
    function ListProbe() {
      const { state } = useConsole('lists');
      listRenders++;
      return <span data-testid="rows">{state.visible().length}</span>;
    }
    function TypingProbe() {
      const { state } = useConsole('typing');
      typingRenders++;
      return <span data-testid="typists">{state.dialog.typing.typists('d1').length}</span>;
    }
    act(() =>
      render(
        <ConsoleContext.Provider value={state}>
          <ListProbe />
          <TypingProbe />
        </ConsoleContext.Provider>,
        host,
      ),
    );
    const push = (frame: unknown) =>
      act(async () => {
        ws.push(frame);
        await settle();
      });
    await act(settle);
    const [lists0, typing0] = [listRenders, typingRenders];

    await push(visitorTyping);
    expect(host.querySelector('[data-testid="typists"]')?.textContent).toBe('1');
    expect(typingRenders).toBe(typing0 + 1);
    await push(mention);
    await push(notice);
    expect(state.alerts.notice?.code).toBe('rate_limited');
    expect(listRenders).toBe(lists0);

    // The probe is live: a new dialog redraws it.
    await push({ type: 'dialog.created', dialog: dialog('d3', { number: 9, updated_at: '2026-01-01T14:00:00Z' }) });
    expect(listRenders).toBe(lists0 + 1);
    expect(host.querySelector('[data-testid="rows"]')?.textContent).toBe('3');
  });

  it('redraw only the typing line of the whole console for a typing frame, and only the toasts for a mention', async () => {
    const { state, ws } = await signedIn();
    const rendered = new Map<string, number>();
    // `__r` is Preact's hook before each component render (what preact/hooks and the devtools use).
    const hooks = options as unknown as { __r?: (vnode: { type: unknown }) => void };
    const before = hooks.__r;
    hooks.__r = (vnode) => {
      before?.(vnode);
      if (typeof vnode.type === 'function' && vnode.type !== Fragment) rendered.set(vnode.type.name, (rendered.get(vnode.type.name) ?? 0) + 1);
    };
    try {
      act(() =>
        render(
          <ConsoleContext.Provider value={state}>
            <App />
          </ConsoleContext.Provider>,
          host,
        ),
      );
      await act(settle);
      expect(host.querySelector('[data-testid="dialog-view"]')).not.toBeNull();
      // Everything the list and the dialog show was drawn once at least: the counts below can move.
      for (const name of ['DialogList', 'DialogRows', 'DialogRow', 'DialogPane', 'DialogTimeline', 'TypingLine', 'MentionToasts']) expect(rendered.get(name), name).toBeGreaterThan(0);

      const redrawnBy = async (frame: unknown) => {
        rendered.clear();
        await act(async () => {
          ws.push(frame);
          await settle();
        });
        return [...rendered.keys()].sort();
      };
      expect(await redrawnBy(visitorTyping)).toEqual(['TypingLine']);
      expect(host.querySelector('[data-testid="typing-indicator"]')?.getAttribute('data-active')).toBe('true');

      const toast = await redrawnBy(mention);
      expect(toast).toContain('MentionToasts');
      for (const list of ['DialogList', 'DialogRows', 'DialogRow', 'QueueList', 'ListTabs', 'DialogPane', 'DialogTimeline']) expect(toast).not.toContain(list);

      // A message in the open dialog does redraw the list's rows and the timeline.
      const msg = await redrawnBy({ type: 'message.created', message: message(4) });
      for (const name of ['DialogRows', 'DialogRow', 'DialogTimeline']) expect(msg).toContain(name);
    } finally {
      hooks.__r = before;
    }
  });
});
