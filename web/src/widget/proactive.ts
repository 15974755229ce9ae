/**
 * Proactive messages (docs/api.md, "Automation", widget side): which of the session's triggers
 * shows, and when.
 *
 * Each trigger is due once the visit has lasted its `time_on_site_seconds`; the session
 * answer says how long it has lasted already, so the wait here is the difference (none when
 * it is past). The triggers are tried one at a time, the first due first:
 * - one that falls due while the visitor cannot be shown a message (an open dialog, a send on
 *   its way, the contact form) is let go without telling the server, which offers it again on
 *   a later page since it was never marked shown;
 * - the server has the last word (`POST …/shown`): only its 200 shows the message; a 409
 *   `trigger_already_shown` (seen in another tab), a 404 or no answer moves on to the next;
 * - after one has shown, this page shows no other.
 */
import type { WidgetTrigger } from '../shared/api-types';

export interface PlannedTrigger {
  trigger: WidgetTrigger;
  /** How long from now until it is due (0: at once). */
  delayMs: number;
}

/** The triggers in the order they fall due (ties: as the server listed them). */
export function planTriggers(triggers: readonly WidgetTrigger[], visitSeconds: number): PlannedTrigger[] {
  const visit = Number.isFinite(visitSeconds) ? visitSeconds : 0;
  return triggers
    .map((trigger, order) => ({ trigger, order, delayMs: Math.max(0, Math.round((trigger.time_on_site_seconds - visit) * 1000)) }))
    .sort((a, b) => a.delayMs - b.delayMs || a.order - b.order)
    .map(({ trigger, delayMs }) => ({ trigger, delayMs }));
}

export interface ScheduleHooks {
  /** Whether a proactive message may show now. */
  canShow(): boolean;
  /** Tells the server it shows; resolves true only when the server agreed (200). */
  claim(trigger: WidgetTrigger): Promise<boolean>;
  /** Shows it (called at most once per `start`). */
  show(trigger: WidgetTrigger): void;
}

export class TriggerSchedule {
  private queue: { trigger: WidgetTrigger; dueAt: number }[] = [];
  private timer: ReturnType<typeof setTimeout> | null = null;
  /** Bumped by start and stop: a claim answered after either is ignored. */
  private run = 0;

  constructor(
    private readonly hooks: ScheduleHooks,
    private readonly now: () => number = () => Date.now(),
  ) {}

  /** Plans the session's triggers from now; forgets any earlier plan. */
  start(triggers: readonly WidgetTrigger[], visitSeconds: number): void {
    this.stop();
    const at = this.now();
    this.queue = planTriggers(triggers, visitSeconds).map((p) => ({ trigger: p.trigger, dueAt: at + p.delayMs }));
    this.next(this.run);
  }

  stop(): void {
    this.run++;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.queue = [];
  }

  /** Triggers still waiting their turn (for tests and diagnostics). */
  waiting(): WidgetTrigger[] {
    return this.queue.map((q) => q.trigger);
  }

  private next(run: number): void {
    if (run !== this.run || this.timer) return;
    const head = this.queue[0];
    if (!head) return;
    this.timer = setTimeout(() => {
      this.timer = null;
      void this.fire(run);
    }, Math.max(0, head.dueAt - this.now()));
  }

  private async fire(run: number): Promise<void> {
    const head = this.queue.shift();
    if (!head || run !== this.run) return;
    if (!this.hooks.canShow()) return this.next(run);
    let agreed = false;
    try {
      agreed = await this.hooks.claim(head.trigger);
    } catch {
      agreed = false;
    }
    if (run !== this.run) return;
    if (!agreed) return this.next(run);
    // One per page: the rest are dropped, shown or not (he may have written meanwhile).
    this.queue = [];
    if (this.hooks.canShow()) this.hooks.show(head.trigger);
  }
}
