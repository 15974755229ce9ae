import { describe, expect, it } from 'vitest';
import { dialog } from '../test/fixtures';
import { countQueued, formatWaiting, isQueued, queueBeyond, queuedDialogs, waitingSince } from './queue';

describe('queue', () => {
  it('holds open dialogs nobody holds, the longest waiting first', () => {
    const map = new Map(
      [
        dialog('late', { number: 3, queued_at: '2026-01-01T11:50:00Z' }),
        dialog('taken', { assignee: { id: 'op1', display_name: 'Анна' } }),
        dialog('early', { number: 2, queued_at: '2026-01-01T11:00:00Z' }),
        dialog('closed', { status: 'closed' }),
      ].map((d) => [d.id, d]),
    );
    expect(queuedDialogs(map).map((d) => d.id)).toEqual(['early', 'late']);
    expect(countQueued(map)).toBe(2);
    expect(isQueued(map.get('taken')!)).toBe(false);
    expect(isQueued(map.get('closed')!)).toBe(false);
  });

  it('waits since the queue entry, else the visitor\'s wait, else (queued) since creation', () => {
    expect(waitingSince(dialog('a', { queued_at: '2026-01-01T11:00:00Z', waiting_since: '2026-01-01T10:00:00Z' }))).toBe('2026-01-01T11:00:00Z');
    expect(waitingSince(dialog('b', { waiting_since: '2026-01-01T10:00:00Z' }))).toBe('2026-01-01T10:00:00Z');
    expect(waitingSince(dialog('c'))).toBe('2026-01-01T10:00:00Z');
    expect(waitingSince(dialog('d', { assignee: { id: 'x', display_name: 'X' } }))).toBeNull();
  });

  it('counts only what the server listed beyond a page that was not complete', () => {
    expect(queueBeyond(120, 100, false)).toBe(20);
    expect(queueBeyond(3, 3, true)).toBe(0);
    expect(queueBeyond(5, 3, true)).toBe(0);
    expect(queueBeyond(2, 4, false)).toBe(0);
  });

  it('formats a ticking wait', () => {
    expect(formatWaiting(0, '{d} д {h} ч')).toBe('0:00');
    expect(formatWaiting(7_400, '{d} д {h} ч')).toBe('0:07');
    expect(formatWaiting(754_000, '{d} д {h} ч')).toBe('12:34');
    expect(formatWaiting(3_723_000, '{d} д {h} ч')).toBe('1:02:03');
    expect(formatWaiting(-5_000, '{d} d {h} h')).toBe('0:00');
    expect(formatWaiting((26 * 3600 + 59) * 1000, '{d} д {h} ч')).toBe('1 д 2 ч');
    expect(formatWaiting(49 * 3600 * 1000, '{d} d {h} h')).toBe('2 d 1 h');
  });
});

describe('snoozed dialogs and the queue', () => {
  it('a snoozed unassigned dialog is not queued', () => {
    expect(isQueued(dialog('a'))).toBe(true);
    expect(isQueued(dialog('a', { snoozed_until: '2026-01-01T15:00:00Z' }))).toBe(false);
  });
});
