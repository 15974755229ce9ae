/** The live board, the pure part and the controller: ticking figures, load, words, polling while visible. */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ApiError } from '../shared/api';
import { fakeApi, settle } from '../test/fake-api';
import { BOARD_EVERY_MS, BOARD_NUDGE_MS, BoardState, countdownText, leftNow, loadLevel, loadShare, presenceCounts, presenceOf, targetLabel, waitNow } from './board';
import { makeT } from './i18n';
import { atRisk, board, boardChannel, boardOperator } from './reports-fixtures';

const ru = makeT('ru');
const en = makeT('en');

describe('the figures as they tick', () => {
  it('grow a wait from what the server said, and show none when nobody waits', () => {
    expect(waitNow(boardChannel('c', { waiting: 2, longest_wait_ms: 65_000 }), 1_000, 4_000)).toBe(68_000);
    expect(waitNow(boardChannel('c', { waiting: 0, longest_wait_ms: 0 }), 1_000, 4_000)).toBeNull();
    // A clock that went back never shrinks it.
    expect(waitNow(boardChannel('c', { waiting: 1, longest_wait_ms: 5_000 }), 9_000, 4_000)).toBe(5_000);
  });

  it('count down to the due time, then up once overdue', () => {
    expect(leftNow(atRisk('d', { left_ms: 60_000 }), 0, 15_000)).toBe(45_000);
    expect(countdownText(45_000, ru)).toEqual({ text: 'через 0:45', overdue: false });
    // Rounded up: 0:00 only once due.
    expect(countdownText(200, en)).toEqual({ text: 'in 0:01', overdue: false });
    expect(countdownText(0, en)).toEqual({ text: 'overdue by 0:00', overdue: true });
    expect(countdownText(-65_000, ru)).toEqual({ text: 'просрочен на 1:05', overdue: true });
    expect(countdownText(-3_725_000, en).text).toBe('overdue by 1:02:05');
  });

  it('tell how full an operator is', () => {
    expect(loadLevel({ load: 1, capacity: 5 })).toBe('ok');
    expect(loadLevel({ load: 4, capacity: 5 })).toBe('high');
    expect(loadLevel({ load: 5, capacity: 5 })).toBe('full');
    expect(loadLevel({ load: 7, capacity: 5 })).toBe('full');
    expect(loadLevel({ load: 0, capacity: 0 })).toBe('ok');
    expect(loadShare({ load: 2, capacity: 5 })).toBe(40);
    expect(loadShare({ load: 7, capacity: 5 })).toBe(100);
    expect(loadShare({ load: 0, capacity: 0 })).toBe(0);
  });

  it('word targets and presence', () => {
    expect(targetLabel(ru, 'first_reply')).toBe('Первый ответ');
    expect(targetLabel(en, 'next_reply')).toBe('Next reply');
    expect(targetLabel(ru, 'resolution')).toBe('Решение');
    expect(targetLabel(en, 'lunch')).toBe('lunch');
    expect(presenceOf('away')).toBe('away');
    expect(presenceOf('dnd')).toBe('offline');
    expect(presenceCounts([boardOperator('a'), boardOperator('b', { presence: 'away' }), boardOperator('c', { presence: 'offline' }), boardOperator('d')])).toEqual({
      online: 2,
      away: 1,
      offline: 1,
    });
  });
});

describe('BoardState', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  function setup() {
    let visible = true;
    let fail = false;
    let n = 0;
    const listeners = new Set<() => void>();
    const api = fakeApi({
      'GET /api/v1/board': () => {
        if (fail) throw new ApiError(503, 'unavailable', 'down');
        n++;
        return board({ channels: [boardChannel('c1', { waiting: n, longest_wait_ms: n * 1000 })] });
      },
    });
    const events = {
      addEventListener: (_: string, f: () => void) => listeners.add(f),
      removeEventListener: (_: string, f: () => void) => listeners.delete(f),
    } as unknown as Pick<Document, 'addEventListener' | 'removeEventListener'>;
    const state = new BoardState({
      api: api.request,
      guard: (e) => ({ code: (e as ApiError).code, details: {} }),
      visible: () => visible,
      events,
      now: () => Date.now(),
    });
    const setVisible = (v: boolean) => {
      visible = v;
      for (const f of listeners) f();
    };
    return { api, state, setVisible, listeners, failing: (v: boolean) => (fail = v) };
  }

  it('reads at once, then every 5 s, one read at a time', async () => {
    const { api, state } = setup();
    state.start();
    await settle();
    expect(api.calls).toHaveLength(1);
    expect(state.board?.channels[0].waiting).toBe(1);
    await vi.advanceTimersByTimeAsync(BOARD_EVERY_MS - 1);
    expect(api.calls).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(api.calls).toHaveLength(2);
    expect(state.board?.channels[0].waiting).toBe(2);
    await vi.advanceTimersByTimeAsync(BOARD_EVERY_MS * 3);
    expect(api.calls).toHaveLength(5);
    state.stop();
  });

  it('reads again within a second of a change the console heard, once for many', async () => {
    const { api, state } = setup();
    state.start();
    await settle();
    expect(api.calls).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(500);
    state.nudge();
    state.nudge();
    state.nudge();
    await vi.advanceTimersByTimeAsync(BOARD_NUDGE_MS - 1);
    expect(api.calls).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(api.calls).toHaveLength(2);
    // Then the 5 s rhythm again, from that read.
    await vi.advanceTimersByTimeAsync(BOARD_EVERY_MS);
    expect(api.calls).toHaveLength(3);
    state.stop();
    state.nudge();
    await vi.advanceTimersByTimeAsync(BOARD_EVERY_MS * 2);
    expect(api.calls).toHaveLength(3);
  });

  it('keeps what it showed when a read fails, and goes on reading', async () => {
    const { api, state, failing } = setup();
    state.start();
    await settle();
    failing(true);
    await vi.advanceTimersByTimeAsync(BOARD_EVERY_MS);
    expect(state.problem?.code).toBe('unavailable');
    expect(state.board?.channels[0].waiting).toBe(1);
    failing(false);
    await vi.advanceTimersByTimeAsync(BOARD_EVERY_MS);
    expect(state.problem).toBeNull();
    expect(state.board?.channels[0].waiting).toBe(2);
    expect(api.calls).toHaveLength(3);
    state.stop();
  });

  it('does not read while the page is hidden, and reads at once when it shows again', async () => {
    const { api, state, setVisible } = setup();
    state.start();
    await settle();
    setVisible(false);
    await vi.advanceTimersByTimeAsync(BOARD_EVERY_MS * 4);
    expect(api.calls).toHaveLength(1);
    setVisible(true);
    await settle();
    expect(api.calls).toHaveLength(2);
    await vi.advanceTimersByTimeAsync(BOARD_EVERY_MS);
    expect(api.calls).toHaveLength(3);
    state.stop();
  });

  it('stops reading when the page is left', async () => {
    const { api, state, listeners } = setup();
    state.start();
    await settle();
    state.stop();
    expect(listeners.size).toBe(0);
    await vi.advanceTimersByTimeAsync(BOARD_EVERY_MS * 4);
    expect(api.calls).toHaveLength(1);
    expect(state.isRunning).toBe(false);
  });
});
