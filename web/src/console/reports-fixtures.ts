/** Reports and live boards for the tests: figures with only what a test names, the rest empty. */
import type { Board, BoardChannel, BoardOperator, AtRisk } from './board';
import type { FiguresView, Report, ReportRow, TimingView } from './reports';

const noTiming = (): TimingView => ({ count: 0, median_ms: null, p90_ms: null, average_ms: null });
const timed = (ms: number | null | undefined): TimingView => (ms === null || ms === undefined ? noTiming() : { count: 1, median_ms: ms, p90_ms: ms, average_ms: ms });

export interface FigureOptions extends Partial<Omit<FiguresView, 'first_reply' | 'reply' | 'resolution'>> {
  /** The first reply's median (and p90) in calendar time, ms. */
  first?: number | null;
  /** The same in business hours (else as `first`). */
  firstBusiness?: number | null;
  reply?: number | null;
  resolution?: number | null;
}

export function figures(o: FigureOptions = {}): FiguresView {
  const { first, firstBusiness, reply, resolution, ...rest } = o;
  return {
    dialogs_new: 0,
    closed_by_operator: 0,
    closed_automatically: 0,
    missed: 0,
    first_reply: { calendar: timed(first), business: timed(firstBusiness === undefined ? first : firstBusiness) },
    reply: { calendar: timed(reply), business: timed(reply) },
    resolution: { calendar: timed(resolution), business: timed(resolution) },
    sla_first_reply: { measured: 0, met: 0, met_percent: null },
    sla_next_reply: { measured: 0, met: 0, met_percent: null },
    sla_resolution: { measured: 0, met: 0, met_percent: null },
    csat: { answered: 0, average: null, good_percent: null },
    online_ms: 0,
    average_load: null,
    load_percent: null,
    guard_hits: 0,
    guard_by_rule: {},
    ...rest,
  };
}

export function row(key: string, f: FiguresView = figures(), label = key): ReportRow {
  return { key, label, figures: f };
}

export function report(over: Partial<Report> = {}): Report {
  return {
    time_zone: 'Europe/Moscow',
    from: '2026-01-09',
    to: '2026-01-15',
    group: 'day',
    channel_id: null,
    operator_id: null,
    rows: [],
    totals: figures(),
    as_of: '2026-01-15T09:30:00Z',
    catching_up: false,
    ...over,
  };
}

export function boardChannel(id: string, over: Partial<BoardChannel> = {}): BoardChannel {
  return { id, name: id, waiting: 0, longest_wait_ms: 0, online: 1, ...over };
}

export function boardOperator(id: string, over: Partial<BoardOperator> = {}): BoardOperator {
  return { id, name: id, presence: 'online', load: 0, capacity: 5, ...over };
}

export function atRisk(dialogId: string, over: Partial<AtRisk> = {}): AtRisk {
  return { dialog_id: dialogId, number: 1, channel_id: 'c1', operator_id: null, target: 'first_reply', due_at: '2026-01-15T10:00:00Z', left_ms: 60_000, ...over };
}

export function board(over: Partial<Board> = {}): Board {
  return { at: '2026-01-15T09:30:00Z', channels: [], operators: [], at_risk: [], ...over };
}
