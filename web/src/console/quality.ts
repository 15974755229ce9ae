/**
 * The quality guard as the composer shows it (issue 17), and the visitor's tone.
 *
 * As the operator types a reply, the draft is checked by the server (`POST …/guard`, nothing
 * kept) about 300 ms after the last key; an answer to an older draft is dropped (a newer draft
 * wins). Each hit is a rule, `warn` or `block`, and a range of the text in UTF-16 code units
 * (a JavaScript string's indexes), so the composer can mark it in place. A hit is shown only
 * while the text still holds what was found at that place: a fixed word loses its mark at once,
 * before the next answer comes.
 *
 * What stays true: the check never stops a send by itself; the server decides, and its refusal
 * (`guard_blocked`, with the same hits) leads to the same block as a check that came in time.
 */
import type { components } from '../shared/api-schema.gen';
import type { Translate } from '../shared/i18n';
import type { PendingMessage } from '../shared/messages';
import type { ConsoleKey } from './i18n';

type Schemas = components['schemas'];
export type HitView = Schemas['HitView'];
export type GuardDoc = Schemas['GuardDoc'];
export type RuleDoc = Schemas['RuleDoc'];
export type ForbiddenDoc = Schemas['ForbiddenDoc'];

/** The rules, in the order the admin page lists them. */
export const GUARD_RULES = ['polite', 'phone_8800', 'forbidden', 'second_greeting', 'caps'] as const;
export type GuardRule = (typeof GUARD_RULES)[number];
export const GUARD_MODES = ['off', 'warn', 'block'] as const;
export type GuardMode = (typeof GUARD_MODES)[number];

/** The check endpoint's limit (`DraftRequest.body`, like a message). */
export const DRAFT_LIMIT = 4000;
/** How long after the last key the draft is checked. */
export const CHECK_DELAY_MS = 300;
/** The reason of `guard_override`: 1–500 characters. */
export const REASON_MAX = 500;

export function isBlock(h: HitView): boolean {
  return h.mode === 'block';
}

/** Whether a hit still stands in `text`: what was found is still there, at the same place. */
export function stillThere(h: HitView, text: string): boolean {
  return h.end > h.start && h.end <= text.length && text.slice(h.start, h.end) === h.found;
}

/** The hits that still stand in the text as it is now. */
export function standing(hits: readonly HitView[], text: string): HitView[] {
  return hits.filter((h) => stillThere(h, text));
}

/** «вам» → «Вам». */
function capitalised(word: string): string {
  return word ? word[0].toLocaleUpperCase('ru') + word.slice(1) : word;
}

/** One hit as a short line in plain words: what is wrong, and what was found. */
export function hitText(t: Translate<ConsoleKey>, h: HitView): string {
  const found = h.found.trim();
  switch (h.rule) {
    case 'polite':
      return t('quality.hit.polite', { found, fixed: capitalised(found) });
    case 'phone_8800':
      return t('quality.hit.phone_8800', { found });
    case 'forbidden':
      return t('quality.hit.forbidden', { found });
    case 'second_greeting':
      return t('quality.hit.second_greeting');
    case 'caps':
      return t('quality.hit.caps');
    default:
      return t('quality.hit.other', { rule: h.rule, found });
  }
}

/**
 * The lines under the box: one per rule and what was found (the same «вам» twice is one line),
 * blocks first, each in text order within its kind.
 */
export function hitLines(t: Translate<ConsoleKey>, hits: readonly HitView[]): { key: string; text: string; block: boolean; hit: HitView }[] {
  const seen = new Set<string>();
  const out: { key: string; text: string; block: boolean; hit: HitView }[] = [];
  for (const h of [...hits].sort((a, b) => Number(isBlock(b)) - Number(isBlock(a)) || a.start - b.start)) {
    const text = hitText(t, h);
    const key = `${h.mode}|${text.toLocaleLowerCase()}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push({ key, text, block: isBlock(h), hit: h });
  }
  return out;
}

/** What a block lets the operator do: send with a reason only when every block hit allows it. */
export function blockAllowsOverride(hits: readonly HitView[]): boolean {
  const blocks = hits.filter(isBlock);
  return blocks.length > 0 && blocks.every((h) => h.allow_override);
}

export type MarkLevel = 'warn' | 'block';

/** The text cut into runs, each plain or marked (the stronger level where two hits overlap). */
export function markRuns(text: string, hits: readonly HitView[]): { text: string; level: MarkLevel | null }[] {
  if (hits.length === 0) return [{ text, level: null }];
  const level = new Uint8Array(text.length);
  for (const h of hits) {
    const v = isBlock(h) ? 2 : 1;
    for (let i = Math.max(0, h.start); i < Math.min(text.length, h.end); i++) if (level[i] < v) level[i] = v;
  }
  const runs: { text: string; level: MarkLevel | null }[] = [];
  let from = 0;
  for (let i = 1; i <= text.length; i++) {
    if (i === text.length || level[i] !== level[from]) {
      runs.push({ text: text.slice(from, i), level: level[from] === 2 ? 'block' : level[from] === 1 ? 'warn' : null });
      from = i;
    }
  }
  return runs;
}

/** A send the server refused with `guard_blocked` (never a note): the composer takes it back. */
export function refusedByGuard(pending: readonly PendingMessage[]): PendingMessage | undefined {
  return pending.find((p) => p.state === 'failed' && p.error?.code === 'guard_blocked' && !p.internal);
}

/** The hits a `guard_blocked` refusal carries (`details.hits`), those that look like hits. */
export function refusalHits(details: Record<string, unknown> | undefined): HitView[] {
  const hits = details?.hits;
  if (!Array.isArray(hits)) return [];
  return hits.filter(
    (h): h is HitView =>
      !!h &&
      typeof h === 'object' &&
      typeof (h as HitView).rule === 'string' &&
      typeof (h as HitView).mode === 'string' &&
      typeof (h as HitView).start === 'number' &&
      typeof (h as HitView).end === 'number' &&
      typeof (h as HitView).found === 'string',
  );
}

/** `guard_blocked` in words, for a refused message left in the timeline. */
export function blockedProblemText(t: Translate<ConsoleKey>, details: Record<string, unknown>): string {
  const hits = refusalHits(details);
  const rule = typeof details.rule === 'string' ? details.rule : null;
  const hit = hits.find((h) => isBlock(h) && (!rule || h.rule === rule)) ?? hits.find(isBlock);
  return hit ? t('quality.problem', { what: hitText(t, hit) }) : t('quality.problem_plain');
}

// ---- the check as the operator types ------------------------------------------------------------

export interface DraftResult {
  dialogId: string;
  /** The text the hits are of. */
  text: string;
  hits: HitView[];
}

/**
 * Checks drafts a moment after the last change. Each `request` replaces the one before: its
 * timer restarts, and an answer to an earlier draft that arrives later is dropped.
 */
export class DraftChecker {
  result: DraftResult | null = null;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private latest = 0;

  constructor(
    private readonly check: (dialogId: string, text: string) => Promise<HitView[]>,
    private readonly changed: () => void,
    private readonly delay = CHECK_DELAY_MS,
  ) {}

  /** The draft changed: check it once typing pauses (nothing to check: the hits go at once). */
  request(dialogId: string, text: string): void {
    const request = ++this.latest;
    clearTimeout(this.timer);
    if (!text.trim() || text.length > DRAFT_LIMIT) {
      this.set({ dialogId, text, hits: [] });
      return;
    }
    this.timer = setTimeout(() => {
      this.check(dialogId, text).then(
        (hits) => {
          if (request === this.latest) this.set({ dialogId, text, hits });
        },
        () => {
          // No answer: nothing to show; the server checks the message again when it is sent.
          if (request === this.latest) this.set({ dialogId, text, hits: [] });
        },
      );
    }, this.delay);
  }

  /** The hits are known without asking (the server's refusal carried them). */
  known(dialogId: string, text: string, hits: HitView[]): void {
    ++this.latest;
    clearTimeout(this.timer);
    this.set({ dialogId, text, hits });
  }

  /** Nothing to check any more (a note, another dialog, the composer gone). */
  stop(): void {
    ++this.latest;
    clearTimeout(this.timer);
    if (this.result) this.set(null);
  }

  /** Whether the answer held is for exactly this draft. */
  answered(dialogId: string, text: string): boolean {
    return !!this.result && this.result.dialogId === dialogId && this.result.text === text;
  }

  /** The hits of this dialog's last answer that still stand in `text`. */
  hitsFor(dialogId: string, text: string): HitView[] {
    if (!this.result || this.result.dialogId !== dialogId) return [];
    return this.result.text === text ? this.result.hits : standing(this.result.hits, text);
  }

  private set(result: DraftResult | null): void {
    const before = JSON.stringify(this.result);
    this.result = result;
    if (JSON.stringify(result) !== before) this.changed();
  }
}

// ---- the visitor's tone ---------------------------------------------------------------------------

export type ToneLevel = 'tense' | 'upset';

/** `DialogView.tone` 0–3 read as words: 1 tense, 2–3 upset, else nothing to show. */
export function toneLevel(tone: number | null | undefined): ToneLevel | null {
  const n = typeof tone === 'number' && Number.isFinite(tone) ? tone : 0;
  if (n >= 2) return 'upset';
  if (n >= 1) return 'tense';
  return null;
}
