/**
 * The dialog list's filters: what the operator picked, the query string the server reads
 * (docs/api.md, "The dialog list"), and the same test and order applied on the client to
 * the dialogs socket events bring in, so a live row lands where a reload would put it.
 *
 * What stays true: `matchesFilter` and `compareDialogs` agree with the server's meaning of
 * each filter; the query leaves out what equals the server's default (except `status`).
 */
import { query } from '../shared/api';
import type { AssigneeFilter, DialogSort, DialogStatusFilter, DialogView } from '../shared/api-types';
import { parseTime } from '../shared/time';
import { holdsFieldValue, parseFieldFilter } from './field-values';
import { replyDue } from './sla';
import { isSnoozed } from './snooze';

export interface ListFilter {
  status: DialogStatusFilter;
  assignee: AssigneeFilter;
  unanswered: boolean;
  /** A channel id, or null for every channel. */
  channel: string | null;
  /** A tag id, or null for any. */
  tag: string | null;
  /** A segment id: only dialogs of visitors in that segment now; null for any visitor. */
  segment: string | null;
  /** A custom field's value, `key:value` (`device:Телефон`): only dialogs holding it; null for any. */
  field: string | null;
  sort: DialogSort;
}

export const DEFAULT_FILTER: Readonly<ListFilter> = {
  status: 'open',
  assignee: 'any',
  unanswered: false,
  channel: null,
  tag: null,
  segment: null,
  field: null,
  sort: 'waiting',
};

/** The assignee choices that are not an operator's id. */
export const ASSIGNEE_CHOICES = ['any', 'mine', 'mine_or_unassigned', 'unassigned'] as const;

/** `?status=…&assignee=…` for `GET /api/v1/dialogs`, with the page's limit and cursor. */
export function filterQuery(f: ListFilter, page: { limit: number; cursor?: string | null }): string {
  return query({
    status: f.status,
    assignee: f.assignee === 'any' ? undefined : f.assignee,
    unanswered: f.unanswered ? 'true' : undefined,
    channel: f.channel,
    tag: f.tag,
    segment: f.segment,
    field: f.field,
    sort: f.sort === 'waiting' ? undefined : f.sort,
    limit: page.limit,
    cursor: page.cursor,
  });
}

/**
 * Whether `d` belongs in the list under `f`, for the operator `meId`. Who is in a segment is
 * the server's to say: under a segment filter only the dialogs of `segmentVisitors` (the
 * visitors the server listed for it) belong.
 */
export function matchesFilter(d: DialogView, f: ListFilter, meId: string | null, segmentVisitors?: ReadonlySet<string>): boolean {
  if (!matchesStatus(d, f.status)) return false;
  if (f.segment && !segmentVisitors?.has(d.visitor.id)) return false;
  if (f.channel && d.channel_id !== f.channel) return false;
  if (f.tag && !(d.tags ?? []).some((t) => t.id === f.tag)) return false;
  if (f.field && !holdsFieldValue(d, f.field)) return false;
  if (f.unanswered && d.last_message?.author_kind !== 'visitor') return false;
  const holder = d.assignee?.id ?? null;
  switch (f.assignee) {
    case 'any':
      return true;
    case 'mine':
      return holder !== null && holder === meId;
    case 'mine_or_unassigned':
      return holder === null || holder === meId;
    case 'unassigned':
      return holder === null;
    default:
      return holder === f.assignee;
  }
}

/** `open` is open and not snoozed; `snoozed` is open with a wake-up time (docs/api.md). */
export function matchesStatus(d: DialogView, status: DialogStatusFilter): boolean {
  switch (status) {
    case 'all':
      return true;
    case 'open':
      return d.status === 'open' && !isSnoozed(d);
    case 'snoozed':
      return isSnoozed(d);
    default:
      return d.status === status;
  }
}

/** Newest activity first; ties: the higher number first. */
function byActivity(a: DialogView, b: DialogView): number {
  return parseTime(b.updated_at) - parseTime(a.updated_at) || b.number - a.number;
}

/**
 * The server's orders: `waiting` puts the longest-waiting visitor first, then dialogs nobody
 * waits on by newest activity; `activity` is newest activity first; `due` puts the earliest
 * SLA reply due time first (the most overdue), then the rest in the `waiting` order; `tone`
 * puts the most upset visitors first (`tone` 3 to 0), then the `waiting` order.
 */
export function compareDialogs(sort: DialogSort): (a: DialogView, b: DialogView) => number {
  if (sort === 'activity') return byActivity;
  if (sort === 'due') return byDue;
  if (sort === 'tone') return byTone;
  return byWaiting;
}

function byTone(a: DialogView, b: DialogView): number {
  return (b.tone ?? 0) - (a.tone ?? 0) || byWaiting(a, b);
}

function byDue(a: DialogView, b: DialogView): number {
  const da = replyDue(a);
  const db = replyDue(b);
  if (da !== null && db !== null) return da - db || byWaiting(a, b);
  if (da !== null) return -1;
  if (db !== null) return 1;
  return byWaiting(a, b);
}

function byWaiting(a: DialogView, b: DialogView): number {
  const wa = a.waiting_since ? parseTime(a.waiting_since) : null;
  const wb = b.waiting_since ? parseTime(b.waiting_since) : null;
  if (wa !== null && wb !== null) return wa - wb || byActivity(a, b);
  if (wa !== null) return -1;
  if (wb !== null) return 1;
  return byActivity(a, b);
}

/** A filter read back from storage; anything malformed falls back to the default. */
export function parseFilter(raw: string | null): ListFilter {
  let v: Partial<Record<keyof ListFilter, unknown>> = {};
  try {
    v = (JSON.parse(raw ?? '{}') ?? {}) as typeof v;
  } catch {
    v = {};
  }
  const status = v.status === 'open' || v.status === 'snoozed' || v.status === 'closed' || v.status === 'all' ? v.status : DEFAULT_FILTER.status;
  const assignee = typeof v.assignee === 'string' && v.assignee ? v.assignee : DEFAULT_FILTER.assignee;
  const channel = typeof v.channel === 'string' && v.channel ? v.channel : null;
  const tag = typeof v.tag === 'string' && v.tag ? v.tag : null;
  const segment = typeof v.segment === 'string' && v.segment ? v.segment : null;
  const field = typeof v.field === 'string' && parseFieldFilter(v.field) ? v.field : null;
  const sort = v.sort === 'activity' || v.sort === 'due' || v.sort === 'tone' ? v.sort : 'waiting';
  return { status, assignee, unanswered: v.unanswered === true, channel, tag, segment, field, sort };
}
