import { describe, expect, it } from 'vitest';
import { dialog, message, operatorMessage, sla, systemMessage } from '../test/fixtures';
import { activeDialogs, documentTitle, mergeDialog, shownUnread, totalUnread, visibleDialogs, withMessage } from './dialogs';
import { DEFAULT_FILTER } from './filters';

const status = (s: 'open' | 'closed' | 'all') => ({ ...DEFAULT_FILTER, status: s });

describe('dialog list', () => {
  it('upserts by id and sorts by last activity, newest first', () => {
    const map = new Map();
    mergeDialog(map, dialog('a', { updated_at: '2026-01-01T10:00:00Z' }));
    mergeDialog(map, dialog('b', { updated_at: '2026-01-01T11:00:00Z' }));
    mergeDialog(map, dialog('c', { updated_at: '2026-01-01T09:00:00Z', status: 'closed' }));
    expect(visibleDialogs(map, status('all'), null).map((d) => d.id)).toEqual(['b', 'a', 'c']);
    mergeDialog(map, dialog('a', { updated_at: '2026-01-01T12:00:00Z', unread_count: 2 }));
    expect(map.size).toBe(3);
    expect(visibleDialogs(map, status('open'), null).map((d) => d.id)).toEqual(['a', 'b']);
    expect(visibleDialogs(map, status('closed'), null).map((d) => d.id)).toEqual(['c']);
  });

  it('does not let an older version replace a newer one', () => {
    const map = new Map();
    mergeDialog(map, dialog('a', { updated_at: '2026-01-01T12:00:00Z', status: 'closed' }));
    expect(mergeDialog(map, dialog('a', { updated_at: '2026-01-01T11:00:00Z', status: 'open' }))).toBe(false);
    expect(map.get('a').status).toBe('closed');
  });

  it('reports no change for a copy of the row held, and a change for the same time with other fields', () => {
    const map = new Map();
    mergeDialog(map, dialog('a', { updated_at: '2026-01-01T12:00:00Z' }));
    expect(mergeDialog(map, dialog('a', { updated_at: '2026-01-01T12:00:00Z' }))).toBe(false);
    expect(mergeDialog(map, dialog('a', { updated_at: '2026-01-01T12:00:00Z', unread_count: 1 }))).toBe(true);
    expect(map.get('a').unread_count).toBe(1);
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

  it('counts a visitor\'s wait on the row until an operator answers; system lines move only the seq', () => {
    const d = dialog('d1', { last_seq: 1 });
    const asked = withMessage(d, message(2, { created_at: '2026-01-01T12:00:00Z' }));
    const again = withMessage(asked, message(3, { created_at: '2026-01-01T12:01:00Z' }));
    expect([again.pending_count, again.waiting_since]).toEqual([2, '2026-01-01T12:00:00Z']);
    const line = withMessage(again, systemMessage(4, { kind: 'assigned', operator: { id: 'op1', display_name: 'Анна' }, by: null }));
    expect([line.last_seq, line.last_message?.preview, line.pending_count]).toEqual([4, 'message 3', 2]);
    // An internal note is no answer either, nor the row's last words.
    const noted = withMessage(line, message(5, { author: { kind: 'operator', id: 'op1', name: 'Анна' }, audience: 'operators', body: 'перезвонить' }));
    expect([noted.last_seq, noted.last_message?.preview, noted.pending_count]).toEqual([5, 'message 3', 2]);
    const answered = withMessage(line, message(5, { author: { kind: 'operator', id: 'op1', name: 'Анна' } }));
    expect([answered.pending_count, answered.waiting_since]).toEqual([0, null]);
  });

  it('lists my open dialogs as tabs in the order I got them', () => {
    const me = { id: 'op1', display_name: 'Анна' };
    const map = new Map(
      [
        dialog('later', { assignee: me, assigned_at: '2026-01-01T11:00:00Z' }),
        dialog('other', { assignee: { id: 'op2', display_name: 'Иван' }, assigned_at: '2026-01-01T09:00:00Z' }),
        dialog('first', { assignee: me, assigned_at: '2026-01-01T10:00:00Z' }),
        dialog('done', { assignee: me, status: 'closed' }),
      ].map((d) => [d.id, d]),
    );
    expect(activeDialogs(map, 'op1').map((d) => d.id)).toEqual(['first', 'later']);
    expect(activeDialogs(map, null)).toEqual([]);
  });

  it('titles the tab with unread messages and the queue', () => {
    const words = { plain: 'Frontline', unread: '({n}) Frontline', queue: 'Очередь {q} · Frontline', both: '({n}) Очередь {q} · Frontline' };
    expect(documentTitle(0, 0, words)).toBe('Frontline');
    expect(documentTitle(3, 0, words)).toBe('(3) Frontline');
    expect(documentTitle(0, 2, words)).toBe('Очередь 2 · Frontline');
    expect(documentTitle(3, 2, words)).toBe('(3) Очередь 2 · Frontline');
  });

  it('an answer stops the reply countdown; the visitor\'s words stop the auto-close plan', () => {
    const waiting = dialog('d1', { last_seq: 1, sla: sla('2026-01-01T12:01:00Z'), auto_close: null });
    const answered = withMessage(waiting, operatorMessage(2, { created_at: '2026-01-01T12:00:30Z' }));
    expect(answered.sla).toMatchObject({ reply_due_at: null, reply_target: null, reply_breached: false });
    const planned = { ...answered, auto_close: { at: '2026-01-01T12:10:30Z', action: 'close' as const, hold_phrase: null } };
    expect(withMessage(planned, message(3, { created_at: '2026-01-01T12:02:00Z' })).auto_close).toBeNull();
    // A server without SLA or auto-close: the row gets no such fields.
    const bare = withMessage(dialog('d2'), operatorMessage(1));
    expect('sla' in bare).toBe(false);
    expect('auto_close' in withMessage(dialog('d3'), message(1))).toBe(false);
  });
});
