/**
 * What the segments page does over the network: save, rename and delete a segment (admins),
 * count the saved ones for the list, and the editor's live count of a draft. The list itself
 * lives in the console's tools (`ConsoleState.loadSegments`), where the dialog list's filter and
 * the conditions editor read it too; every change is handed back there through the host.
 *
 * What stays true: counts are asked one at a time (the server limits them per workspace, 120 a
 * minute) and stop at the first `429`; the live count asks only about a complete draft, about
 * 400 ms after the last change, and an answer to an older draft is dropped.
 */
import type { Requester } from '../../shared/api';
import { Observable } from '../../shared/store';
import type { Problem } from '../console-state';
import type { SegmentBody, SegmentFilter, SegmentPreview, SegmentView } from './segments';

export interface SegmentsHost {
  api: Requester;
  guard: (e: unknown) => Problem;
  segmentSaved: (segment: SegmentView) => void;
  segmentDeleted: (id: string) => void;
}

/** How long the live count waits after the last change of the draft. */
export const PREVIEW_DELAY_MS = 400;

export class SegmentsState extends Observable {
  /** Saved segments' counts, as last asked. */
  readonly counts = new Map<string, number>();
  /** Whose count is being asked, and whose could not be (a refusal). */
  readonly counting = new Set<string>();
  readonly countProblems = new Map<string, Problem>();
  private countRun = 0;

  constructor(private readonly host: SegmentsHost) {
    super();
  }

  async create(body: SegmentBody): Promise<SegmentView | Problem> {
    try {
      const made = await this.host.api<SegmentView>('POST', '/api/v1/segments', { body });
      this.host.segmentSaved(made);
      return made;
    } catch (e) {
      return this.host.guard(e);
    } finally {
      this.changed();
    }
  }

  async update(id: string, body: Partial<SegmentBody>): Promise<SegmentView | Problem> {
    try {
      const saved = await this.host.api<SegmentView>('PATCH', `/api/v1/segments/${encodeURIComponent(id)}`, { body });
      this.host.segmentSaved(saved);
      return saved;
    } catch (e) {
      return this.host.guard(e);
    } finally {
      this.changed();
    }
  }

  /** Deletes a segment; one a routing rule or a proactive message uses is refused (`409 segment_in_use`). */
  async remove(id: string): Promise<Problem | null> {
    try {
      await this.host.api('DELETE', `/api/v1/segments/${encodeURIComponent(id)}`);
      this.counts.delete(id);
      this.host.segmentDeleted(id);
      return null;
    } catch (e) {
      return this.host.guard(e);
    } finally {
      this.changed();
    }
  }

  /** How many visitors a draft's filter holds now, and the newest of them. */
  preview(filter: SegmentFilter): Promise<SegmentPreview> {
    return this.host.api<SegmentPreview>('POST', '/api/v1/segments/preview', { body: { filter } });
  }

  /** A live count for an editor (segments.ts `previewFilter` gives it the draft's filter). */
  live(): LivePreview {
    return new LivePreview((filter) => this.preview(filter), (e) => this.host.guard(e));
  }

  /** A saved segment's count was learnt (by its editor's live count): the list shows it too. */
  counted(id: string, count: number): void {
    if (this.counts.get(id) === count) return;
    this.counts.set(id, count);
    this.changed();
  }

  /**
   * Counts the saved segments for the list, one after another; a `429` stops the rest (they
   * show no count, and the page may ask again later). A newer call stops an older one.
   */
  async countAll(ids: readonly string[]): Promise<void> {
    const run = ++this.countRun;
    this.countProblems.clear();
    for (const id of ids) {
      if (run !== this.countRun) return;
      this.counting.add(id);
      this.changed();
      try {
        const got = await this.host.api<SegmentPreview>('GET', `/api/v1/segments/${encodeURIComponent(id)}/preview`);
        this.counts.set(id, got.count);
      } catch (e) {
        const problem = this.host.guard(e);
        this.countProblems.set(id, problem);
        if (problem.code === 'rate_limited' || problem.code === 'unauthenticated') break;
      } finally {
        this.counting.delete(id);
        this.changed();
      }
    }
  }

  /** The page closed: counting stops. */
  stop(): void {
    this.countRun++;
    this.counting.clear();
    this.changed();
  }
}

export type LivePhase = 'incomplete' | 'waiting' | 'loading' | 'done' | 'failed';

/**
 * The editor's live count: `set` the draft's filter (null while a rule is incomplete) after each
 * change; the count is asked `delay` ms after the last one, and only the newest answer is kept.
 */
export class LivePreview extends Observable {
  phase: LivePhase = 'incomplete';
  /** The last answer (kept, dimmed, while a newer one is awaited). */
  preview: SegmentPreview | null = null;
  problem: Problem | null = null;
  private asked: string | null = null;
  private filter: SegmentFilter | null = null;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private request = 0;

  constructor(
    private readonly run: (filter: SegmentFilter) => Promise<SegmentPreview>,
    private readonly guard: (e: unknown) => Problem,
    private readonly delay = PREVIEW_DELAY_MS,
  ) {
    super();
  }

  /** The draft changed: its filter, or null while a rule is incomplete. */
  set(filter: SegmentFilter | null): void {
    const key = filter ? JSON.stringify(filter) : null;
    if (key !== null && key === this.asked && this.phase !== 'failed') return;
    clearTimeout(this.timer);
    // An answer on its way is for another draft now.
    this.request++;
    this.filter = filter;
    this.asked = key;
    this.problem = null;
    if (!filter) {
      this.phase = 'incomplete';
      this.changed();
      return;
    }
    this.phase = 'waiting';
    this.changed();
    this.timer = setTimeout(() => void this.ask(), this.delay);
  }

  /** Asks again at once (after a refusal, or because visitors changed meanwhile). */
  refresh(): void {
    if (!this.filter) return;
    clearTimeout(this.timer);
    this.request++;
    void this.ask();
  }

  private async ask(): Promise<void> {
    const filter = this.filter;
    if (!filter) return;
    const request = ++this.request;
    this.phase = 'loading';
    this.changed();
    try {
      const got = await this.run(filter);
      if (request !== this.request) return;
      this.preview = got;
      this.phase = 'done';
    } catch (e) {
      const problem = this.guard(e);
      if (request !== this.request) return;
      this.problem = problem;
      this.phase = 'failed';
    }
    this.changed();
  }

  /** The editor closed: nothing more is asked, no answer is taken. */
  stop(): void {
    clearTimeout(this.timer);
    this.request++;
  }
}
