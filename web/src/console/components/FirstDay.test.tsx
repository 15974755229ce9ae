/**
 * An operator's first day in jsdom: notes that go by themselves (and stay while the pointer
 * rests on them), the offline banner and its button, the filters folded into one row, the
 * resolution breach kept on the row and in the header, and the keyboard shortcuts.
 */
import { render } from 'preact';
import { act } from 'preact/test-utils';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { DialogView, MeView } from '../../shared/api-types';
import { local } from '../../shared/storage';
import { fakeApi, settle, type Handler } from '../../test/fake-api';
import { dialog, operator, sla } from '../../test/fixtures';
import { ConsoleState } from '../console-state';
import { ConsoleContext } from '../context';
import { TOAST_MS } from '../toast-clock';
import { DialogHeader } from './DialogHeader';
import { DialogRow } from './DialogRow';
import { KeyboardShortcuts } from './KeyboardShortcuts';
import { ListFilters } from './ListFilters';
import { PresenceBanner } from './PresenceBanner';
import { SlaToasts } from './SlaToasts';

const NOW = Date.parse('2026-01-01T12:00:00Z');
const anna = operator('op1', { display_name: 'Анна', role: 'operator', presence: 'offline' });
const me = { operator: anna, workspace: { id: 'w1', name: 'Кухни', slug: 'kitchens' } } as MeView;

let host: HTMLDivElement;
let state: ConsoleState;
let api: ReturnType<typeof fakeApi>;

function setup(routes: Record<string, Handler> = {}) {
  api = fakeApi({
    'GET /api/v1/dialogs/*': (path) => (path.includes('/messages') ? { items: [], next_cursor: null } : dialog(path.split('/')[4])),
    ...routes,
  });
  state = new ConsoleState({ api: api.request, watching: () => true });
  state.session.me = me;
  state.session.auth = 'signed_in';
}

function mount(node: preact.ComponentChild) {
  act(() => render(<ConsoleContext.Provider value={state}>{node}</ConsoleContext.Provider>, host));
}
const byTestId = (id: string) => host.querySelector<HTMLElement>(`[data-testid="${id}"]`);
const key = (code: string, key: string, mods: KeyboardEventInit = {}, target: EventTarget = document.body) =>
  act(() => {
    target.dispatchEvent(new KeyboardEvent('keydown', { code, key, bubbles: true, cancelable: true, ...mods }));
  });

describe("an operator's first day", () => {
  beforeEach(() => {
    vi.useFakeTimers();
    vi.setSystemTime(NOW);
    localStorage.clear();
    // The storage keeps a copy in memory too: the filters of an earlier test are forgotten here.
    for (const k of ['frontline.console.filter', 'frontline.console.filters_shown']) local.remove(k);
    localStorage.setItem('frontline.console.lang', 'ru');
    history.replaceState(null, '', '/console/');
    setup();
    host = document.createElement('div');
    document.body.appendChild(host);
  });
  afterEach(() => {
    act(() => render(null, host));
    host.remove();
    vi.useRealTimers();
  });

  describe('notes', () => {
    const breach = (id: string) => ({ dialog: dialog(id, { number: 7 }), target: 'first_reply' as const, due_at: '2026-01-01T11:59:00Z' });

    it('go by themselves once they have been in sight long enough', () => {
      state.alerts.slaAlerts = [breach('d1')];
      mount(<SlaToasts />);
      expect(byTestId('sla-toast')?.textContent).toContain('Просрочен первый ответ — диалог № 7');
      act(() => {
        vi.advanceTimersByTime(TOAST_MS - 500);
      });
      expect(state.alerts.slaAlerts).toHaveLength(1);
      act(() => {
        vi.advanceTimersByTime(1_000);
      });
      expect(state.alerts.slaAlerts).toHaveLength(0);
    });

    it('stay while the pointer rests on them or the operator looks elsewhere', () => {
      let looking = true;
      state = new ConsoleState({ api: api.request, watching: () => looking });
      state.session.me = me;
      state.alerts.slaAlerts = [breach('d1')];
      mount(<SlaToasts />);
      act(() => {
        byTestId('sla-toast')!.dispatchEvent(new MouseEvent('mouseenter'));
      });
      act(() => {
        vi.advanceTimersByTime(TOAST_MS * 3);
      });
      expect(state.alerts.slaAlerts).toHaveLength(1);
      act(() => {
        byTestId('sla-toast')!.dispatchEvent(new MouseEvent('mouseleave'));
      });
      looking = false;
      act(() => {
        vi.advanceTimersByTime(TOAST_MS * 3);
      });
      expect(state.alerts.slaAlerts).toHaveLength(1);
      looking = true;
      act(() => {
        vi.advanceTimersByTime(TOAST_MS + 500);
      });
      expect(state.alerts.slaAlerts).toHaveLength(0);
    });

    it('are dismissed by ×, and show the newest three at most', () => {
      state.alerts.slaAlerts = ['d1', 'd2', 'd3', 'd4'].map(breach);
      mount(<SlaToasts />);
      expect([...host.querySelectorAll('[data-testid="sla-toast"]')].map((n) => n.getAttribute('data-dialog-id'))).toEqual(['d2', 'd3', 'd4']);
      const close = byTestId('sla-toast-dismiss')!;
      expect(close.getAttribute('aria-label')).toBe('Закрыть уведомление');
      act(() => {
        close.click();
      });
      expect(state.alerts.slaAlerts.map((a) => a.dialog.id)).toEqual(['d1', 'd3', 'd4']);
    });
  });

  it('an offline operator sees the banner, and its button puts her online', async () => {
    setup({ 'PUT /api/v1/me/presence': () => ({ ...anna, presence: 'online' }) });
    mount(<PresenceBanner />);
    expect(byTestId('presence-banner')?.textContent).toBe('Вы не в сети: новые чаты к вам не попадутВыйти в сеть');
    await act(async () => {
      byTestId('go-online')!.click();
      await settle();
    });
    expect(api.callsTo('PUT', '/api/v1/me/presence')[0].options.body).toEqual({ presence: 'online' });
    expect(state.presence()).toBe('online');
    mount(<PresenceBanner />);
    expect(byTestId('presence-banner')).toBeNull();
  });

  it('folds the filters into one row: "Filters" with the count of those set, the order in sight', async () => {
    mount(<ListFilters />);
    expect(byTestId('filter-sort')).not.toBeNull();
    expect(byTestId('filter-assignee')).toBeNull();
    expect(byTestId('filters-count')).toBeNull();
    await act(async () => {
      state.setFilter({ assignee: 'mine', unanswered: true });
      await settle();
    });
    expect(byTestId('filters-count')?.textContent).toBe('Включено фильтров: 22');
    expect(byTestId('filter-reset')).not.toBeNull();
    await act(async () => {
      byTestId('filters-toggle')!.click();
      await settle();
    });
    expect(byTestId('filters-toggle')?.getAttribute('aria-expanded')).toBe('true');
    expect(byTestId('filter-assignee')).not.toBeNull();
    // Kept for the next visit.
    expect(localStorage.getItem('frontline.console.filters_shown')).toBe('on');
  });

  it('keeps a passed resolution target on the row and in the header', () => {
    const d = dialog('d1', { sla: sla(null, { resolution_breached: true, resolution_due_at: '2026-01-01T11:00:00Z' }) });
    mount(
      <>
        <DialogRow dialog={d} now={NOW} />
        <DialogHeader dialog={d} name="Ольга" />
      </>,
    );
    expect(byTestId('dialog-row-breach')?.getAttribute('aria-label')).toBe('Срок решения просрочен');
    expect(byTestId('dialog-breach')?.textContent).toContain('Срок решения просрочен');
    mount(<DialogRow dialog={{ ...d, status: 'closed' }} now={NOW} />);
    expect(byTestId('dialog-row-breach')).toBeNull();
  });

  it('labels the header\'s buttons by their names, words or icons', () => {
    const d = dialog('d1');
    mount(<DialogHeader dialog={d} name="Ольга" />);
    for (const id of ['transfer', 'snooze', 'close-dialog']) {
      expect(byTestId(id)?.getAttribute('aria-label'), id).toBeTruthy();
      expect(byTestId(id)?.getAttribute('title'), id).toBeTruthy();
    }
    expect(byTestId('close-dialog')?.getAttribute('aria-label')).toBe('Закрыть диалог');
  });

  describe('the keyboard', () => {
    const list: DialogView[] = [
      dialog('d1', { number: 1, waiting_since: '2026-01-01T11:50:00Z' }),
      dialog('d2', { number: 2, waiting_since: '2026-01-01T11:55:00Z' }),
    ];
    beforeEach(() => {
      setup({
        'POST /api/v1/dialogs/*': (path) => ({ ...list.find((d) => path.includes(d.id))!, assignee: { id: 'op1', display_name: 'Анна' } }),
      });
      for (const d of list) state.lists.dialogs.set(d.id, d);
    });

    it('J and K move through the list as shown, outside text fields only', async () => {
      mount(<KeyboardShortcuts />);
      key('KeyJ', 'j');
      expect(state.dialog.selectedId).toBe('d1');
      key('KeyJ', 'о');
      expect(state.dialog.selectedId).toBe('d2');
      key('KeyK', 'k');
      expect(state.dialog.selectedId).toBe('d1');
      const box = document.createElement('textarea');
      document.body.appendChild(box);
      box.focus();
      key('KeyJ', 'j', {}, box);
      expect(state.dialog.selectedId).toBe('d1');
      // Alt+↓ works from a text field too.
      key('ArrowDown', 'ArrowDown', { altKey: true }, box);
      expect(state.dialog.selectedId).toBe('d2');
      box.remove();
      await act(async () => settle());
    });

    it('A accepts the open dialog and asks the focus for the reply box', async () => {
      mount(<KeyboardShortcuts />);
      await act(async () => {
        await state.open('d1');
        await settle();
      });
      await act(async () => {
        key('KeyA', 'a');
        await settle();
      });
      expect(api.callsTo('POST', '/api/v1/dialogs/d1/accept')).toHaveLength(1);
      expect(state.dialog.focusWish).toBe('composer');
      expect(state.takeFocus('composer')).toBe(true);
      expect(state.dialog.focusWish).toBeNull();
    });

    it('? shows the help, Esc closes it; Ctrl+1 is left to the saved replies', async () => {
      mount(<KeyboardShortcuts />);
      key('Digit1', '1', { ctrlKey: true });
      expect(state.dialog.selectedId).toBeNull();
      await act(async () => {
        key('Slash', '?', { shiftKey: true });
        await settle();
      });
      expect(byTestId('shortcut-help')?.textContent).toContain('Горячие клавиши');
      expect(byTestId('shortcut-help')?.textContent).toContain('Shift+C');
      await act(async () => {
        key('Escape', 'Escape');
        await settle();
      });
      expect(byTestId('shortcut-help')).toBeNull();
    });
  });
});
