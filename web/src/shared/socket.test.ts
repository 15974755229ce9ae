import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { FakeSocket } from '../test/fixtures';
import { backoffDelay, ReconnectingSocket, wsUrl } from './socket';

describe('backoffDelay', () => {
  it('doubles from 0.5 s and never passes 10 s', () => {
    const mid = () => 0.5; // no jitter
    expect([0, 1, 2, 3, 4, 5, 6, 10, 50].map((a) => backoffDelay(a, mid))).toEqual([
      500, 1000, 2000, 4000, 8000, 10000, 10000, 10000, 10000,
    ]);
    expect(backoffDelay(8, () => 1)).toBe(10000);
    expect(backoffDelay(0, () => 0)).toBe(400);
  });
});

describe('wsUrl', () => {
  it('matches the page protocol', () => {
    expect(wsUrl('http://127.0.0.1:8080', '/api/v1/ws')).toBe('ws://127.0.0.1:8080/api/v1/ws');
    expect(wsUrl('https://help.example', '/widget/v1/ws?token=a')).toBe('wss://help.example/widget/v1/ws?token=a');
  });
});

describe('ReconnectingSocket', () => {
  beforeEach(() => {
    vi.useFakeTimers();
    FakeSocket.instances = [];
  });
  afterEach(() => vi.useRealTimers());

  it('reconnects after a drop and reports the reconnect to onOpen', () => {
    const opens: boolean[] = [];
    const frames: unknown[] = [];
    const s = new ReconnectingSocket({
      url: () => 'ws://x/ws',
      onOpen: (again) => opens.push(again),
      onFrame: (f) => frames.push(f),
      WebSocketImpl: FakeSocket as unknown as typeof WebSocket,
    });
    s.start();
    FakeSocket.last().open();
    FakeSocket.last().push({ type: 'pong' });
    expect(frames).toEqual([{ type: 'pong' }]);
    FakeSocket.last().drop();
    expect(s.send({ type: 'ping' })).toBe(false);
    expect(FakeSocket.instances).toHaveLength(1);
    vi.advanceTimersByTime(10_000);
    expect(FakeSocket.instances).toHaveLength(2);
    FakeSocket.last().open();
    expect(opens).toEqual([false, true]);
    expect(s.send({ type: 'ping' })).toBe(true);
    expect(FakeSocket.last().sent).toEqual([{ type: 'ping' }]);
    s.stop();
    vi.advanceTimersByTime(60_000);
    expect(FakeSocket.instances).toHaveLength(2);
  });

  it('backs off longer after each failed attempt, up to 10 s', () => {
    const s = new ReconnectingSocket({
      url: () => 'ws://x/ws',
      onOpen: () => {},
      onFrame: () => {},
      WebSocketImpl: FakeSocket as unknown as typeof WebSocket,
    });
    s.start();
    const gaps: number[] = [];
    for (let i = 0; i < 7; i++) {
      const before = FakeSocket.instances.length;
      FakeSocket.last().drop();
      let waited = 0;
      while (FakeSocket.instances.length === before) {
        vi.advanceTimersByTime(100);
        waited += 100;
      }
      gaps.push(waited);
    }
    for (let i = 1; i < gaps.length; i++) expect(gaps[i]).toBeGreaterThanOrEqual(Math.min(gaps[i - 1], 8000));
    expect(Math.max(...gaps)).toBeLessThanOrEqual(10_000);
    expect(gaps[gaps.length - 1]).toBeGreaterThanOrEqual(8000);
    s.stop();
  });
});

describe('ReconnectingSocket and the browser network state', () => {
  beforeEach(() => {
    vi.useFakeTimers();
    FakeSocket.instances = [];
  });
  afterEach(() => vi.useRealTimers());

  it('drops the socket when the browser goes offline and dials at once when it is back', () => {
    const statuses: string[] = [];
    const s = new ReconnectingSocket({
      url: () => 'ws://x/ws',
      onOpen: () => {},
      onFrame: () => {},
      onStatus: (st) => statuses.push(st),
      WebSocketImpl: FakeSocket as unknown as typeof WebSocket,
    });
    s.start();
    FakeSocket.last().open();
    window.dispatchEvent(new Event('offline'));
    expect(s.state).toBe('closed');
    expect(FakeSocket.instances[0].readyState).toBe(3);
    const before = FakeSocket.instances.length;
    window.dispatchEvent(new Event('online'));
    expect(FakeSocket.instances.length).toBe(before + 1);
    expect(s.state).toBe('connecting');
    s.stop();
    window.dispatchEvent(new Event('online'));
    expect(FakeSocket.instances.length).toBe(before + 1);
  });
});
