import { describe, expect, it } from 'vitest';
import { SeenClock, TOAST_MS } from './toast-clock';

describe('SeenClock', () => {
  it('lets a note go after it has been in sight for the whole time', () => {
    const clock = new SeenClock(0);
    expect(clock.tick(TOAST_MS - 1, true)).toBe(false);
    expect(clock.tick(TOAST_MS, true)).toBe(true);
  });

  it('stands still while the note is out of sight, hovered or focused', () => {
    const clock = new SeenClock(0, 1_000);
    expect(clock.tick(600, true)).toBe(false);
    // Ten seconds in another tab, or with the pointer on it: nothing counted.
    expect(clock.tick(10_600, false)).toBe(false);
    expect(clock.seenMs()).toBe(600);
    expect(clock.tick(10_999, true)).toBe(false);
    expect(clock.tick(11_000, true)).toBe(true);
  });

  it('adds nothing when the clock goes backwards', () => {
    const clock = new SeenClock(5_000, 1_000);
    expect(clock.tick(1_000, true)).toBe(false);
    expect(clock.seenMs()).toBe(0);
    expect(clock.tick(2_000, true)).toBe(true);
  });
});
