/**
 * The live board in jsdom, in Russian and English: queues with their ticking longest wait,
 * operators with their load bars (red when full), the dialogs at SLA risk with the target in
 * words, a countdown (red once overdue) and a link to the dialog; read every 5 s while the
 * page is visible, never emptied between reads, and no more once the page is left.
 */
import { render } from 'preact';
import { act } from 'preact/test-utils';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ApiError } from '../../shared/api';
import type { Role } from '../../shared/api-types';
import { fakeApi, settle } from '../../test/fake-api';
import { dialog, FakeSocket, meView, operator } from '../../test/fixtures';
import type { Board } from '../board';
import { ConsoleState } from '../console-state';
import { ConsoleContext } from '../context';
import { atRisk, board, boardChannel, boardOperator } from '../reports-fixtures';
import { App } from './App';
import { BoardPage } from './BoardPage';

let host: HTMLDivElement;
let state: ConsoleState;
let api: ReturnType<typeof fakeApi>;
let answer: () => Board | Promise<Board>;

const theBoard = () =>
  board({
    channels: [boardChannel('c1', { name: 'Сайт', waiting: 2, longest_wait_ms: 65_000, online: 2 }), boardChannel('c2', { name: 'Доставка', online: 0 })],
    operators: [
      boardOperator('o1', { name: 'Анна', load: 5, capacity: 5 }),
      boardOperator('o2', { name: 'Борис', load: 2, capacity: 5 }),
      boardOperator('o3', { name: 'Вера', presence: 'away', load: 4, capacity: 5 }),
      boardOperator('o4', { name: 'Глеб', presence: 'offline' }),
    ],
    at_risk: [
      atRisk('d7', { number: 7, channel_id: 'c1', operator_id: 'o2', target: 'resolution', left_ms: -65_000 }),
      atRisk('d9', { number: 9, channel_id: 'c1', operator_id: null, target: 'first_reply', left_ms: 135_000 }),
    ],
  });

function setup(role: Role, lang: 'ru' | 'en') {
  localStorage.setItem('frontline.console.lang', lang);
  api = fakeApi({
    'GET /api/v1/me': () => meView({ operator: operator('me', { display_name: 'Анна', role }) }),
    'GET /api/v1/dialogs/counts': () => ({ queue: 0, mine: 0, unanswered_mine: 0 }),
    'GET /api/v1/dialogs': () => ({ items: [], next_cursor: null }),
    'GET /api/v1/dialogs/d7': () => dialog('d7'),
    'GET /api/v1/dialogs/d7/messages': () => ({ items: [], next_cursor: null }),
    'POST /api/v1/dialogs/d7/read': () => undefined,
    'GET /api/v1/operators': () => ({ items: [] }),
    'GET /api/v1/channels': () => ({ items: [] }),
    'GET /api/v1/saved-replies': () => ({ items: [] }),
    'GET /api/v1/tags': () => ({ items: [] }),
    'GET /api/v1/categories': () => ({ items: [] }),
    'GET /api/v1/board': () => answer(),
  });
  state = new ConsoleState({ api: api.request, WebSocketImpl: FakeSocket as unknown as typeof WebSocket, watching: () => true });
}

async function mount(node: preact.ComponentChild, { role = 'supervisor', lang = 'ru' }: { role?: Role; lang?: 'ru' | 'en' } = {}) {
  setup(role, lang);
  await state.start();
  await settle();
  host = document.createElement('div');
  document.body.appendChild(host);
  await act(async () => {
    render(<ConsoleContext.Provider value={state}>{node}</ConsoleContext.Provider>, host);
    await settle();
  });
  await act(async () => {
    await settle();
  });
}

/** Lets `ms` pass on the page's clocks. */
async function pass(ms: number) {
  await act(async () => {
    await vi.advanceTimersByTimeAsync(ms);
    await settle();
  });
}

const byId = <T extends HTMLElement = HTMLElement>(testid: string, from: ParentNode = host) => from.querySelector<T>(`[data-testid="${testid}"]`);
const allById = (testid: string, from: ParentNode = host) => [...from.querySelectorAll<HTMLElement>(`[data-testid="${testid}"]`)];
const text = (el: Element | null | undefined) => el?.textContent?.replace(/\s+/g, ' ').trim() ?? null;
const boardCalls = () => api.callsTo('GET', '/api/v1/board').length;

function setVisibility(value: 'visible' | 'hidden') {
  Object.defineProperty(document, 'visibilityState', { value, configurable: true });
  document.dispatchEvent(new Event('visibilitychange'));
}

beforeEach(() => {
  vi.useFakeTimers({ now: Date.UTC(2026, 0, 15, 9, 30), toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date'] });
  FakeSocket.instances = [];
  answer = theBoard;
  history.replaceState(null, '', '/console/board');
});
afterEach(() => {
  act(() => render(null, host));
  host?.remove();
  localStorage.clear();
  Object.defineProperty(document, 'visibilityState', { value: 'visible', configurable: true });
  vi.useRealTimers();
});

describe('the live board', () => {
  it('shows the queues, the operators and the dialogs at risk, in Russian', async () => {
    await mount(<BoardPage />);
    const page = byId('board-page')!;
    expect(text(page.querySelector('h1'))).toBe('Монитор');
    expect(text(byId('board-updated'))).toMatch(/^Обновлено в \d\d:\d\d:\d\d$/);

    const channels = allById('board-channel');
    expect(channels.map((c) => [text(c.querySelector('th')), text(byId('board-channel-waiting', c)), text(byId('board-channel-longest', c)), text(byId('board-channel-online', c))])).toEqual([
      ['Сайт', '2', '1:05', '2'],
      ['Доставка', '0', '—', '0'],
    ]);
    expect(text(byId('board-waiting-total'))).toBe('ждут ответа: 2');

    const operators = allById('board-operator');
    expect(operators.map((o) => [text(o.querySelector('.board-operator-name')), o.dataset.presence, o.dataset.level, text(o.querySelector('[aria-hidden="true"]:not(.presence-dot):not(.board-load-bar)'))])).toEqual([
      ['Анна', 'online', 'full', '5 / 5'],
      ['Борис', 'online', 'ok', '2 / 5'],
      ['Вера', 'away', 'high', '4 / 5'],
      ['Глеб', 'offline', 'ok', '0 / 5'],
    ]);
    expect(operators[0].querySelector('.board-load-bar')!.classList.contains('load-full')).toBe(true);
    expect(operators[0].querySelector<HTMLElement>('.board-load-bar > span')!.style.width).toBe('100%');
    expect(text(operators[0].querySelector('.board-full'))).toBe('Нет мест');
    expect(text(operators[1].querySelector('.visually-hidden'))).toBe('Диалогов: 2 из 5');
    expect(text(operators[2].querySelector('.board-operator-presence'))).toBe('Нет на месте');
    expect(text(byId('board-presence-counts'))).toBe('в сети 2 · нет на месте 1 · не в сети 1');

    const risks = allById('board-risk-row');
    expect(risks.map((r) => [text(byId('board-risk-link', r)), text(byId('board-risk-target', r)), text(byId('board-risk-left', r)), r.dataset.overdue])).toEqual([
      ['№ 7', 'Решение', 'просрочен на 1:05', 'true'],
      ['№ 9', 'Первый ответ', 'через 2:15', 'false'],
    ]);
    expect(byId('board-risk-left', risks[0])!.classList.contains('overdue')).toBe(true);
    expect(text(risks[0].querySelector('td:nth-child(5)'))).toBe('Борис');
    expect(text(risks[1].querySelector('td:nth-child(5)'))).toBe('не назначен');
    expect(text(risks[1].querySelector('td:nth-child(4)'))).toBe('Сайт');
  });

  it('ticks waits and countdowns each second between reads', async () => {
    await mount(<BoardPage />);
    await pass(3_000);
    const [site] = allById('board-channel');
    expect(text(byId('board-channel-longest', site))).toBe('1:08');
    const risks = allById('board-risk-row');
    expect(text(byId('board-risk-left', risks[0]))).toBe('просрочен на 1:08');
    expect(text(byId('board-risk-left', risks[1]))).toBe('через 2:12');
    expect(boardCalls()).toBe(1);
  });

  it('reads every 5 s, and never shows a number empty while a read is on its way or failed', async () => {
    await mount(<BoardPage />);
    let release: (b: Board) => void = () => {};
    answer = () => new Promise<Board>((done) => (release = done));
    await pass(5_000);
    expect(boardCalls()).toBe(2);
    // The read has not come back: what was shown stays, and keeps ticking.
    expect(text(byId('board-channel-waiting'))).toBe('2');
    expect(text(byId('board-channel-longest'))).toBe('1:10');
    await act(async () => {
      const next = theBoard();
      next.channels[0] = { ...next.channels[0], waiting: 3, longest_wait_ms: 80_000 };
      release(next);
      await settle();
    });
    expect(text(byId('board-channel-waiting'))).toBe('3');
    expect(text(byId('board-channel-longest'))).toBe('1:20');

    answer = () => {
      throw new ApiError(503, 'unavailable', 'down');
    };
    await pass(5_000);
    expect(boardCalls()).toBe(3);
    expect(text(byId('board-error'))).toMatch(/^Не удалось обновить — показаны прежние данные\. Сервер временно недоступен/);
    expect(text(byId('board-channel-waiting'))).toBe('3');
    answer = theBoard;
    await pass(5_000);
    expect(byId('board-error')).toBeNull();
  });

  it('does not read while the tab is hidden, and stops once the page is left', async () => {
    await mount(<BoardPage />);
    await act(async () => setVisibility('hidden'));
    await pass(20_000);
    expect(boardCalls()).toBe(1);
    await act(async () => {
      setVisibility('visible');
      await settle();
    });
    expect(boardCalls()).toBe(2);
    await pass(5_000);
    expect(boardCalls()).toBe(3);
    act(() => render(null, host));
    await pass(30_000);
    expect(boardCalls()).toBe(3);
  });

  it('links a dialog at risk to the dialog', async () => {
    await mount(<BoardPage />);
    const link = byId<HTMLAnchorElement>('board-risk-link')!;
    expect(link.getAttribute('href')).toBe('/console/dialogs/d7');
    expect(link.getAttribute('aria-label')).toBe('Открыть диалог № 7');
    await act(async () => {
      link.click();
      await settle();
    });
    expect(location.pathname).toBe('/console/dialogs/d7');
    expect(state.session.route).toEqual({ view: 'dialogs', dialogId: 'd7' });
  });

  it('says when nothing is at risk, and speaks English', async () => {
    answer = () => ({ ...theBoard(), at_risk: [] });
    await mount(<BoardPage />, { lang: 'en' });
    expect(text(byId('board-page')!.querySelector('h1'))).toBe('Live board');
    expect(text(byId('board-risk-empty'))).toBe('Every dialog is within its targets.');
    expect(text(byId('board-waiting-total'))).toBe('2 waiting');
    expect(text(byId('board-presence-counts'))).toBe('2 online · 1 away · 1 offline');
    expect([...byId('board-queues')!.querySelectorAll('thead th')].map((th) => text(th))).toEqual(['Channel', 'Waiting', 'Longest wait', 'Online']);
    expect(text(allById('board-operator')[0].querySelector('.board-full'))).toBe('Full');
  });

  it('opens from a deep link for a supervisor, and tells an operator it is not for his role', async () => {
    await mount(<App />);
    expect(byId('board-page')).not.toBeNull();
    expect(byId('nav-board')!.getAttribute('aria-current')).toBe('page');
    act(() => render(null, host));
    host.remove();

    await mount(<App />, { role: 'operator', lang: 'en' });
    expect(text(byId('not-for-role')!.querySelector('h1'))).toBe('This page is for supervisors and admins');
    expect(boardCalls()).toBe(0);
  });
});
