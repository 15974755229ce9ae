/**
 * The live board for admins and supervisors (`GET /api/v1/board`, issue 17): each channel's
 * queue and its longest wait, the operators' presence and load against capacity, and the
 * dialogs due on an SLA target within five minutes or already overdue.
 *
 * What stays true:
 * - the board is read every 5 s while the page is visible, never two reads at once, and not at
 *   all while the tab is hidden (a read at once when it shows again) or after the page is left;
 * - what was shown stays until the next answer: a failed or slow read never empties a number;
 * - waits and countdowns tick each second from the server's own figures (`longest_wait_ms`,
 *   `left_ms`) and the time since they came, so a browser clock that is off does not skew them.
 */
import type { components } from '../shared/api-schema.gen';
import type { Translate } from '../shared/i18n';
import { Observable } from '../shared/store';
import type { Problem } from './console-state';
import type { ConsoleKey } from './i18n';
import { formatWaiting } from './queue';
import type { SupervisionHost } from './reports';

type Schemas = components['schemas'];
type T = Translate<ConsoleKey>;

export type Board = Schemas['Board'];
export type BoardChannel = Schemas['BoardChannel'];
export type BoardOperator = Schemas['BoardOperator'];
export type AtRisk = Schemas['AtRisk'];

export const BOARD_PATH = '/api/v1/board';
/** How often the board is read while the page is visible. */
export const BOARD_EVERY_MS = 5_000;
/** How soon the board is read again after the console heard of a change (at most this often). */
export const BOARD_NUDGE_MS = 1_000;

// ---- the figures as they tick ----------------------------------------------------------------

/** The channel's longest wait now, or null when nobody waits. */
export function waitNow(channel: Pick<BoardChannel, 'waiting' | 'longest_wait_ms'>, receivedAt: number, now: number): number | null {
  if (channel.waiting <= 0) return null;
  return Math.max(0, channel.longest_wait_ms + Math.max(0, now - receivedAt));
}

/** Until the due time now, in ms; negative once it passed. */
export function leftNow(risk: Pick<AtRisk, 'left_ms'>, receivedAt: number, now: number): number {
  return risk.left_ms - Math.max(0, now - receivedAt);
}

/** A countdown: "2:15" left (seconds rounded up, so 0:00 only once due) or "1:05" overdue. */
export function countdownText(leftMs: number, t: T): { text: string; overdue: boolean } {
  const overdue = leftMs <= 0;
  const ms = overdue ? -leftMs : Math.ceil(leftMs / 1000) * 1000;
  const time = formatWaiting(ms, t('time.days'));
  return { text: overdue ? t('board.overdue_by', { time }) : t('board.left', { time }), overdue };
}

export type LoadLevel = 'ok' | 'high' | 'full';

/** How full an operator is: full at capacity, high from 80 %. */
export function loadLevel(op: Pick<BoardOperator, 'load' | 'capacity'>): LoadLevel {
  if (op.capacity <= 0) return op.load > 0 ? 'full' : 'ok';
  if (op.load >= op.capacity) return 'full';
  return op.load / op.capacity >= 0.8 ? 'high' : 'ok';
}

/** The load bar's filled share, 0–100. */
export function loadShare(op: Pick<BoardOperator, 'load' | 'capacity'>): number {
  if (op.capacity <= 0) return op.load > 0 ? 100 : 0;
  return Math.min(100, Math.round((op.load / op.capacity) * 100));
}

export function targetLabel(t: T, target: string): string {
  switch (target) {
    case 'first_reply':
      return t('board.target_first_reply');
    case 'next_reply':
      return t('board.target_next_reply');
    case 'resolution':
      return t('board.target_resolution');
    default:
      return target;
  }
}

export type PresenceWord = 'online' | 'away' | 'offline';

export function presenceOf(value: string): PresenceWord {
  return value === 'online' || value === 'away' ? value : 'offline';
}

/** How many operators are online, away and offline. */
export function presenceCounts(operators: readonly Pick<BoardOperator, 'presence'>[]): Record<PresenceWord, number> {
  const counts: Record<PresenceWord, number> = { online: 0, away: 0, offline: 0 };
  for (const o of operators) counts[presenceOf(o.presence)]++;
  return counts;
}

// ---- the controller --------------------------------------------------------------------------

export interface BoardHost extends SupervisionHost {
  /** Whether the page is visible (document.visibilityState). */
  visible?: () => boolean;
  now?: () => number;
  /** Where to hear that the page was shown or hidden (the document). */
  events?: Pick<Document, 'addEventListener' | 'removeEventListener'>;
}

export class BoardState extends Observable {
  board: Board | null = null;
  /** The client's clock when `board` came, for the ticking figures. */
  receivedAt = 0;
  loading = false;
  problem: Problem | null = null;

  private running = false;
  private nudged = false;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private request = 0;
  private readonly onVisibility = () => this.visibilityChanged();

  constructor(private readonly host: BoardHost) {
    super();
  }

  private now(): number {
    return this.host.now ? this.host.now() : Date.now();
  }

  private visible(): boolean {
    if (this.host.visible) return this.host.visible();
    return typeof document === 'undefined' || document.visibilityState !== 'hidden';
  }

  private events(): BoardHost['events'] {
    return this.host.events ?? (typeof document === 'undefined' ? undefined : document);
  }

  /** The page opened: read now, then every 5 s while visible. */
  start(): void {
    if (this.running) return;
    this.running = true;
    this.events()?.addEventListener('visibilitychange', this.onVisibility);
    if (this.visible()) void this.refresh();
  }

  /** The page left: no more reads (an answer on its way is still taken, nothing after it). */
  stop(): void {
    this.running = false;
    clearTimeout(this.timer);
    this.timer = undefined;
    this.events()?.removeEventListener('visibilitychange', this.onVisibility);
  }

  /**
   * The console heard of a change over its socket (a dialog came, was taken, closed; someone's
   * presence changed): read again within a second instead of at the next 5 s, however many
   * changes come meanwhile.
   */
  nudge(): void {
    if (!this.running || !this.visible() || this.nudged) return;
    this.nudged = true;
    clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.refresh(), BOARD_NUDGE_MS);
  }

  get isRunning(): boolean {
    return this.running;
  }

  private visibilityChanged(): void {
    if (!this.running) return;
    clearTimeout(this.timer);
    this.timer = undefined;
    if (this.visible() && !this.loading) void this.refresh();
  }

  private schedule(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    if (this.running && this.visible()) this.timer = setTimeout(() => void this.refresh(), BOARD_EVERY_MS);
  }

  /** Reads the board; what was shown stays until the answer, and after a failure. */
  async refresh(): Promise<void> {
    this.nudged = false;
    const request = ++this.request;
    clearTimeout(this.timer);
    this.timer = undefined;
    this.loading = true;
    this.changed();
    try {
      const board = await this.host.api<Board>('GET', BOARD_PATH);
      if (request !== this.request) return;
      this.board = board;
      this.receivedAt = this.now();
      this.problem = null;
    } catch (e) {
      if (request === this.request) this.problem = this.host.guard(e);
    } finally {
      if (request === this.request) {
        this.loading = false;
        this.schedule();
      }
      this.changed();
    }
  }
}
