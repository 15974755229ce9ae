/**
 * How long an in-app note (an SLA breach, a mention) stays on screen: it goes by itself once it
 * has been in sight for `TOAST_MS`. Only time in sight counts: while the operator is not
 * looking at the console (another tab, another window) or rests the pointer or the focus on
 * the note (he is reading it or about to click), its clock stands still.
 *
 * What stays true: a note is never taken away before it has been in sight for the whole time.
 */

/** How long a note stays in sight before it goes by itself. */
export const TOAST_MS = 8_000;

/** How often a shown note looks at its clock. */
export const TOAST_TICK_MS = 250;

export class SeenClock {
  private seen = 0;
  private last: number;

  constructor(
    now: number,
    private readonly limit = TOAST_MS,
  ) {
    this.last = now;
  }

  /**
   * Adds the time since the last call when the note was in sight, and answers whether it has
   * now been seen long enough to go. A clock going backwards adds nothing.
   */
  tick(now: number, inSight: boolean): boolean {
    if (inSight) this.seen += Math.max(0, now - this.last);
    this.last = now;
    return this.seen >= this.limit;
  }

  /** How long the note has been in sight, in ms. */
  seenMs(): number {
    return this.seen;
  }
}
