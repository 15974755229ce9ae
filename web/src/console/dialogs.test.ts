import { describe, expect, it } from 'vitest';
import { dialog, message } from '../test/fixtures';
import { mergeDialog, shownUnread, totalUnread, visibleDialogs, withMessage } from './dialogs';

describe('dialog list', () => {
  it('upserts by id and sorts by last activity, newest first', () => {
    const map = new Map();
    mergeDialog(map, dialog('a', { updated_at: '2026-01-01T10:00:00Z' }));
    mergeDialog(map, dialog('b', { updated_at: '2026-01-01T11:00:00Z' }));
    mergeDialog(map, dialog('c', { updated_at: '2026-01-01T09:00:00Z', status: 'closed' }));
    expect(visibleDialogs(map, 'all').map((d) => d.id)).toEqual(['b', 'a', 'c']);
    mergeDialog(map, dialog('a', { updated_at: '2026-01-01T12:00:00Z', unread_count: 2 }));
    expect(map.size).toBe(3);
    expect(visibleDialogs(map, 'open').map((d) => d.id)).toEqual(['a', 'b']);
    expect(visibleDialogs(map, 'closed').map((d) => d.id)).toEqual(['c']);
  });

  it('does not let an older version replace a newer one', () => {
    const map = new Map();
    mergeDialog(map, dialog('a', { updated_at: '2026-01-01T12:00:00Z', status: 'closed' }));
    expect(mergeDialog(map, dialog('a', { updated_at: '2026-01-01T11:00:00Z', status: 'open' }))).toBe(false);
    expect(map.get('a').status).toBe('closed');
  });

  it('moves a row forward for a new message but not for an old one', () => {
    const d = dialog('d1', { last_seq: 2, last_message: { author_kind: 'visitor', preview: 'old', created_at: '2026-01-01T10:00:00Z' } });
    const moved = withMessage(d, message(3, { body: 'fresh', created_at: '2026-01-01T12:00:00Z' }));
    expect(moved.last_seq).toBe(3);
    expect(moved.last_message?.preview).toBe('fresh');
    expect(moved.updated_at).toBe('2026-01-01T12:00:00Z');
    expect(withMessage(moved, message(2))).toBe(moved);
  });

  it('shows no unread once read up to the last seq, and sums open dialogs', () => {
    const map = new Map();
    mergeDialog(map, dialog('a', { last_seq: 5, unread_count: 2 }));
    mergeDialog(map, dialog('b', { last_seq: 3, unread_count: 3 }));
    mergeDialog(map, dialog('c', { last_seq: 3, unread_count: 4, status: 'closed' }));
    const read = new Map([['a', 4]]);
    expect(shownUnread(map.get('a'), read)).toBe(2);
    expect(totalUnread(map, read)).toBe(5);
    read.set('a', 5);
    expect(shownUnread(map.get('a'), read)).toBe(0);
    expect(totalUnread(map, read)).toBe(3);
  });
});
