import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { AuthorView } from './api-types';
import { TypingThrottle, TypingTracker } from './typing';

const visitor: AuthorView = { kind: 'visitor', id: 'v1', name: null };
const anna: AuthorView = { kind: 'operator', id: 'op1', name: 'Анна' };

beforeEach(() => vi.useFakeTimers());
afterEach(() => vi.useRealTimers());

describe('TypingThrottle', () => {
  it('emits at most every 2 s per key while the person types', () => {
    const sent: string[] = [];
    const throttle = new TypingThrottle((k) => sent.push(k));
    for (let i = 0; i < 10; i++) {
      throttle.typed('d1');
      vi.advanceTimersByTime(300); // 10 keystrokes over 3 s
    }
    expect(sent).toEqual(['d1', 'd1']); // at 0 s and at 2.1 s
    throttle.typed('d2');
    expect(sent).toEqual(['d1', 'd1', 'd2']);
  });

  it('after a send, the next keystroke emits at once', () => {
    const sent: string[] = [];
    const throttle = new TypingThrottle((k) => sent.push(k));
    throttle.typed();
    vi.advanceTimersByTime(500);
    expect(throttle.typed()).toBe(false);
    throttle.reset();
    expect(throttle.typed()).toBe(true);
    expect(sent).toHaveLength(2);
  });
});

describe('TypingTracker', () => {
  it('shows someone for 5 s after his last frame', () => {
    const changes = vi.fn();
    const tracker = new TypingTracker(changes);
    tracker.seen('d1', visitor);
    expect(tracker.isTyping('d1', 'visitor')).toBe(true);
    vi.advanceTimersByTime(4_000);
    tracker.seen('d1', visitor); // still typing: the 5 s start again
    vi.advanceTimersByTime(4_000);
    expect(tracker.isTyping('d1', 'visitor')).toBe(true);
    vi.advanceTimersByTime(1_001);
    expect(tracker.isTyping('d1', 'visitor')).toBe(false);
    expect(tracker.typists('d1')).toEqual([]);
    expect(changes).toHaveBeenCalledTimes(2); // appeared, expired
  });

  it('keeps dialogs and authors apart and drops one whose message arrived', () => {
    const tracker = new TypingTracker();
    tracker.seen('d1', visitor);
    tracker.seen('d1', anna);
    tracker.seen('d2', visitor);
    expect(tracker.typists('d1').map((a) => a.kind)).toEqual(['visitor', 'operator']);
    tracker.stopped('d1', visitor);
    expect(tracker.isTyping('d1', 'visitor')).toBe(false);
    expect(tracker.isTyping('d1', 'operator')).toBe(true);
    expect(tracker.isTyping('d2', 'visitor')).toBe(true);
    tracker.clear();
    expect(tracker.typists('d2')).toEqual([]);
    vi.advanceTimersByTime(10_000); // no stray timers fire
  });
});
