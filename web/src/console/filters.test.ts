import { describe, expect, it } from 'vitest';
import { dialog, sla } from '../test/fixtures';
import { compareDialogs, DEFAULT_FILTER, filterQuery, matchesFilter, parseFilter, type ListFilter } from './filters';

const f = (over: Partial<ListFilter> = {}): ListFilter => ({ ...DEFAULT_FILTER, ...over });
const anna = { id: 'anna', display_name: 'Анна' };
const ivan = { id: 'ivan', display_name: 'Иван' };

describe('list filters', () => {
  it('send the status always and the rest only when it differs from the server default', () => {
    expect(filterQuery(f(), { limit: 50 })).toBe('?status=open&limit=50');
    expect(filterQuery(f({ status: 'all', assignee: 'mine_or_unassigned', unanswered: true, channel: 'c 2', sort: 'activity' }), { limit: 20, cursor: 'x1' })).toBe(
      '?status=all&assignee=mine_or_unassigned&unanswered=true&channel=c%202&sort=activity&limit=20&cursor=x1',
    );
    expect(filterQuery(f({ assignee: 'ivan', sort: 'waiting' }), { limit: 50, cursor: null })).toBe('?status=open&assignee=ivan&limit=50');
  });

  it('test a dialog the way the server would, filters combined', () => {
    const mine = dialog('a', { assignee: anna, last_message: { author_kind: 'visitor', preview: 'hi', created_at: '2026-01-01T10:00:00Z' } });
    const theirs = dialog('b', { assignee: ivan, channel_id: 'c2' });
    const nobody = dialog('c', { last_message: { author_kind: 'operator', preview: 'ok', created_at: '2026-01-01T10:00:00Z' } });
    const closed = dialog('d', { status: 'closed' });
    const ids = (filter: ListFilter) => [mine, theirs, nobody, closed].filter((d) => matchesFilter(d, filter, 'anna')).map((d) => d.id);

    expect(ids(f())).toEqual(['a', 'b', 'c']);
    expect(ids(f({ status: 'all' }))).toEqual(['a', 'b', 'c', 'd']);
    expect(ids(f({ status: 'closed' }))).toEqual(['d']);
    expect(ids(f({ assignee: 'mine' }))).toEqual(['a']);
    expect(ids(f({ assignee: 'mine_or_unassigned' }))).toEqual(['a', 'c']);
    expect(ids(f({ assignee: 'unassigned' }))).toEqual(['c']);
    expect(ids(f({ assignee: 'ivan' }))).toEqual(['b']);
    expect(ids(f({ unanswered: true }))).toEqual(['a']);
    expect(ids(f({ channel: 'c2' }))).toEqual(['b']);
    expect(ids(f({ assignee: 'mine_or_unassigned', unanswered: true }))).toEqual(['a']);
    // Nobody signed in yet: "mine" matches nothing rather than the unassigned ones.
    expect([nobody].filter((d) => matchesFilter(d, f({ assignee: 'mine' }), null))).toEqual([]);
  });

  it('order by the longest wait first, then newest activity', () => {
    const rows = [
      dialog('idle-old', { updated_at: '2026-01-01T08:00:00Z' }),
      dialog('waits-5m', { waiting_since: '2026-01-01T11:55:00Z', updated_at: '2026-01-01T11:55:00Z' }),
      dialog('idle-new', { updated_at: '2026-01-01T11:59:00Z' }),
      dialog('waits-1h', { waiting_since: '2026-01-01T11:00:00Z', updated_at: '2026-01-01T11:30:00Z' }),
    ];
    expect([...rows].sort(compareDialogs('waiting')).map((d) => d.id)).toEqual(['waits-1h', 'waits-5m', 'idle-new', 'idle-old']);
    expect([...rows].sort(compareDialogs('activity')).map((d) => d.id)).toEqual(['idle-new', 'waits-5m', 'waits-1h', 'idle-old']);
  });

  it('read a stored filter back, falling back to the default for anything odd', () => {
    expect(parseFilter(null)).toEqual(DEFAULT_FILTER);
    expect(parseFilter('not json')).toEqual(DEFAULT_FILTER);
    expect(parseFilter('{"status":"weird","assignee":7,"unanswered":"yes","channel":"","sort":"x"}')).toEqual(DEFAULT_FILTER);
    const kept = f({ status: 'all', assignee: 'ivan', unanswered: true, channel: 'c2', sort: 'activity' });
    expect(parseFilter(JSON.stringify(kept))).toEqual(kept);
  });
});

describe('the segment filter', () => {
  it('asks the server with segment=<id>, keeps it stored, and shows only dialogs of the visitors it listed', () => {
    expect(filterQuery(f({ segment: 's 1' }), { limit: 50 })).toBe('?status=open&segment=s%201&limit=50');
    expect(filterQuery(f({ tag: 't1', segment: 's1' }), { limit: 50 })).toBe('?status=open&tag=t1&segment=s1&limit=50');
    const kept = f({ segment: 's1', tag: 't1' });
    expect(parseFilter(JSON.stringify(kept))).toEqual(kept);
    expect(parseFilter('{"segment":7}').segment).toBeNull();
    // A filter stored before segments: none.
    expect(parseFilter('{"status":"all"}').segment).toBeNull();

    const his = dialog('a');
    const other = dialog('b');
    const members = new Set([his.visitor.id]);
    const ids = (filter: ListFilter, known?: ReadonlySet<string>) => [his, other].filter((d) => matchesFilter(d, filter, 'anna', known)).map((d) => d.id);
    expect(ids(f({ segment: 's1' }), members)).toEqual(['a']);
    // Nothing listed yet: nothing shows (rather than every dialog).
    expect(ids(f({ segment: 's1' }))).toEqual([]);
    expect(ids(f(), members)).toEqual(['a', 'b']);
  });
});

describe('the custom field filter', () => {
  it('asks the server with field=key:value, keeps it stored, and shows the dialogs holding the value', () => {
    expect(filterQuery(f({ field: 'device:Телефон' }), { limit: 50 })).toBe('?status=open&field=device%3A%D0%A2%D0%B5%D0%BB%D0%B5%D1%84%D0%BE%D0%BD&limit=50');
    const kept = f({ field: 'device:Телефон', tag: 't1' });
    expect(parseFilter(JSON.stringify(kept))).toEqual(kept);
    expect(parseFilter('{"field":"device"}').field).toBeNull();
    expect(parseFilter('{"field":7}').field).toBeNull();
    // A filter stored before custom fields: none.
    expect(parseFilter('{"status":"all"}').field).toBeNull();

    const phone = dialog('a', { fields: { device: 'Телефон' } });
    const laptop = dialog('b', { fields: { device: 'Ноутбук' } });
    const none = dialog('c');
    expect([phone, laptop, none].filter((d) => matchesFilter(d, f({ field: 'device:Телефон' }), 'anna')).map((d) => d.id)).toEqual(['a']);
  });
});

describe('tags and snoozed dialogs in the list', () => {
  const pay = { id: 't-pay', name: 'оплата' };
  const late = { id: 't-late', name: 'доставка' };
  const anna = { id: 'anna', display_name: 'Анна' };

  it('sends tag and status=snoozed', () => {
    expect(filterQuery(f({ status: 'snoozed', tag: 't-pay' }), { limit: 50 })).toBe('?status=snoozed&tag=t-pay&limit=50');
  });

  it('a tag combines with mine and unanswered', () => {
    const visitorLast = { author_kind: 'visitor' as const, preview: 'hi', created_at: '2026-01-01T10:00:00Z' };
    const rows = [
      dialog('a', { assignee: anna, tags: [pay], last_message: visitorLast }),
      dialog('b', { assignee: anna, tags: [late], last_message: visitorLast }),
      dialog('c', { tags: [pay, late], last_message: visitorLast }),
      dialog('d', { assignee: anna, tags: [pay] }),
    ];
    const ids = (filter: ListFilter) => rows.filter((d) => matchesFilter(d, filter, 'anna')).map((d) => d.id);
    expect(ids(f({ tag: 't-pay' }))).toEqual(['a', 'c', 'd']);
    expect(ids(f({ tag: 't-pay', assignee: 'mine', unanswered: true }))).toEqual(['a']);
  });

  it('open leaves snoozed dialogs out, snoozed lists only them, and an unsnooze brings one back', () => {
    const snoozed = dialog('s', { snoozed_until: '2026-01-01T15:00:00Z' });
    const plain = dialog('p');
    const ids = (filter: ListFilter, list = [snoozed, plain]) => list.filter((d) => matchesFilter(d, filter, 'anna')).map((d) => d.id);
    expect(ids(f())).toEqual(['p']);
    expect(ids(f({ status: 'snoozed' }))).toEqual(['s']);
    expect(ids(f({ status: 'all' }))).toEqual(['s', 'p']);
    expect(ids(f(), [{ ...snoozed, snoozed_until: null }, plain])).toEqual(['s', 'p']);
  });

  it('keeps tag and snoozed when stored', () => {
    const kept = f({ status: 'snoozed', tag: 't-pay' });
    expect(parseFilter(JSON.stringify(kept))).toEqual(kept);
  });

  it('order by SLA due: the earliest (most overdue) first, then the rest as for waiting', () => {
    const rows = [
      dialog('quiet', { updated_at: '2026-01-01T12:00:00Z' }),
      dialog('waits', { waiting_since: '2026-01-01T09:00:00Z' }),
      dialog('later', { sla: sla('2026-01-01T12:05:00Z'), waiting_since: '2026-01-01T11:00:00Z' }),
      dialog('overdue', { sla: sla('2026-01-01T11:00:00Z', { reply_breached: true }), waiting_since: '2026-01-01T10:59:00Z' }),
      dialog('answered', { sla: sla(null), updated_at: '2026-01-01T11:00:00Z' }),
    ];
    expect([...rows].sort(compareDialogs('due')).map((d) => d.id)).toEqual(['overdue', 'later', 'waits', 'quiet', 'answered']);
    expect(filterQuery(f({ sort: 'due' }), { limit: 50 })).toBe('?status=open&sort=due&limit=50');
    expect(parseFilter(JSON.stringify({ sort: 'due' })).sort).toBe('due');
    expect(parseFilter(JSON.stringify({ sort: 'soon' })).sort).toBe('waiting');
  });
});
