import { describe, expect, it } from 'vitest';
import { fromLocalInput, isSnoozed, presetTime, sameLocalDay, snoozeProblem, snoozeTime, toLocalInput } from './snooze';

describe('snooze presets', () => {
  const now = new Date(2026, 2, 10, 22, 15, 30); // 10 March 2026, 22:15:30 local
  it('adds one or three hours', () => {
    expect(presetTime('1h', now).getTime() - now.getTime()).toBe(3_600_000);
    expect(presetTime('3h', now).getTime() - now.getTime()).toBe(10_800_000);
  });
  it('tomorrow is 09:00 local of the next day, across a month end too', () => {
    expect(presetTime('tomorrow', now)).toEqual(new Date(2026, 2, 11, 9, 0, 0, 0));
    expect(presetTime('tomorrow', new Date(2026, 0, 31, 1, 0))).toEqual(new Date(2026, 1, 1, 9, 0, 0, 0));
  });
});

describe('custom time', () => {
  it('round-trips a datetime-local value in local time', () => {
    const d = new Date(2026, 2, 10, 7, 5);
    expect(toLocalInput(d)).toBe('2026-03-10T07:05');
    expect(fromLocalInput('2026-03-10T07:05')).toEqual(d);
    expect(fromLocalInput('2026-02-30T10:00')).toBeNull();
    expect(fromLocalInput('')).toBeNull();
  });
  it('refuses the past and more than a year ahead', () => {
    const now = new Date(2026, 2, 10, 12, 0);
    expect(snoozeProblem(new Date(2026, 2, 10, 12, 30), now)).toBeNull();
    expect(snoozeProblem(new Date(2026, 2, 10, 11, 59), now)).toBe('past');
    expect(snoozeProblem(new Date(2027, 2, 11, 12, 0), now)).toBe('too_far');
    expect(snoozeProblem(null, now)).toBe('invalid');
  });
});

describe('isSnoozed', () => {
  it('is an open dialog with a wake-up time', () => {
    expect(isSnoozed({ status: 'open', snoozed_until: '2026-03-10T12:00:00Z' })).toBe(true);
    expect(isSnoozed({ status: 'open', snoozed_until: null })).toBe(false);
    expect(isSnoozed({ status: 'closed', snoozed_until: '2026-03-10T12:00:00Z' })).toBe(false);
  });
  it('tells a time on the same local day', () => {
    const now = new Date(2026, 2, 10, 12, 0).getTime();
    expect(sameLocalDay(new Date(2026, 2, 10, 23, 0).toISOString(), now)).toBe(true);
    expect(sameLocalDay(new Date(2026, 2, 11, 9, 0).toISOString(), now)).toBe(false);
  });
});

describe('snoozeTime', () => {
  it('shows the clock today and the date with it later', () => {
    const now = new Date(2026, 2, 10, 12, 0).getTime();
    expect(snoozeTime(new Date(2026, 2, 10, 15, 30).toISOString(), 'ru', now)).toBe('15:30');
    expect(snoozeTime(new Date(2026, 2, 11, 9, 0).toISOString(), 'ru', now)).toMatch(/^11 мар.*09:00$/);
    expect(snoozeTime(new Date(2026, 2, 11, 9, 0).toISOString(), 'en', now)).toMatch(/^11 Mar.*09:00$/);
  });
});
