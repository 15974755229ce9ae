import { describe, expect, it } from 'vitest';
import { dialog, sla } from '../test/fixtures';
import { farAhead, formatSla, replyDue, slaAlertKey, slaClock, withSlaAlert } from './sla';

const DUE = '2026-01-01T12:00:00Z';
const at = (iso: string) => Date.parse(iso);

describe('SLA countdown', () => {
  it('counts down to the reply due time, rounding seconds up', () => {
    const d = dialog('d1', { sla: sla(DUE) });
    const clock = slaClock(d, at('2026-01-01T11:59:17.400Z'))!;
    expect(clock).toMatchObject({ overdue: false, dueAt: DUE, target: 'first_reply' });
    expect(formatSla(clock, '{d} д {h} ч')).toBe('0:43');
    expect(formatSla(slaClock(d, at('2026-01-01T11:59:59.900Z'))!, '')).toBe('0:01');
    expect(formatSla(slaClock(d, at('2026-01-01T11:30:00Z'))!, '')).toBe('30:00');
  });

  it('turns overdue at the due time and counts up', () => {
    const d = dialog('d1', { sla: sla(DUE) });
    const due = slaClock(d, at(DUE))!;
    expect(due.overdue).toBe(true);
    expect(formatSla(due, '')).toBe('0:00');
    const late = slaClock(d, at('2026-01-01T12:03:10.800Z'))!;
    expect(late.overdue).toBe(true);
    expect(formatSla(late, '')).toBe('3:10');
    expect(formatSla(slaClock(d, at('2026-01-03T15:00:00Z'))!, '{d} д {h} ч')).toBe('2 д 3 ч');
  });

  it('is overdue once the server says breached, even before the due time on this clock', () => {
    const d = dialog('d1', { sla: sla(DUE, { reply_breached: true, reply_target: 'next_reply' }) });
    expect(slaClock(d, at('2026-01-01T11:59:58Z'))).toMatchObject({ overdue: true, ms: 0, target: 'next_reply' });
  });

  it('shows nothing without an SLA, without a reply due, or on a closed dialog', () => {
    const now = at('2026-01-01T11:00:00Z');
    expect(slaClock(dialog('d1'), now)).toBeNull();
    expect(slaClock(dialog('d1', { sla: null }), now)).toBeNull();
    expect(slaClock(dialog('d1', { sla: sla(null) }), now)).toBeNull();
    expect(slaClock(dialog('d1', { sla: sla(null, { reply_breached: true }) }), now)).toBeNull();
    expect(slaClock(dialog('d1', { status: 'closed', sla: sla(DUE) }), now)).toBeNull();
  });

  it('reads the due time for the due order', () => {
    expect(replyDue(dialog('d1', { sla: sla(DUE) }))).toBe(at(DUE));
    expect(replyDue(dialog('d1', { sla: sla(null) }))).toBeNull();
    expect(replyDue(dialog('d1'))).toBeNull();
  });

  it('keeps one breach note per dialog and target, the newest five', () => {
    const note = (id: string, target: 'first_reply' | 'resolution' = 'first_reply') => ({ dialog: dialog(id), target, due_at: DUE });
    let list = withSlaAlert([], note('a'));
    list = withSlaAlert(list, note('a', 'resolution'));
    list = withSlaAlert(list, { ...note('a'), due_at: '2026-01-01T13:00:00Z' });
    expect(list.map(slaAlertKey)).toEqual(['a:resolution', 'a:first_reply']);
    expect(list[1].due_at).toBe('2026-01-01T13:00:00Z');
    for (const id of ['b', 'c', 'd', 'e']) list = withSlaAlert(list, note(id));
    expect(list.map(slaAlertKey)).toEqual(['a:first_reply', 'b:first_reply', 'c:first_reply', 'd:first_reply', 'e:first_reply']);
  });
});

describe('a reply due far ahead', () => {
  it('reads as a time from more than an hour before it, as a countdown within the hour and when late', () => {
    const d = { status: 'open' as const, sla: { reply_target: 'first_reply' as const, reply_due_at: '2026-01-02T09:01:00Z', reply_breached: false, resolution_due_at: null, resolution_breached: false } };
    const at = (iso: string) => Date.parse(iso);
    expect(farAhead(slaClock(d, at('2026-01-01T23:00:00Z'))!)).toBe(true);
    expect(farAhead(slaClock(d, at('2026-01-02T08:01:00Z'))!)).toBe(false);
    expect(farAhead(slaClock(d, at('2026-01-02T09:30:00Z'))!)).toBe(false);
  });
});

