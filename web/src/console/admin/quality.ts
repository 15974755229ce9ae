/**
 * The quality guard as admins edit it (`GET/PUT /api/v1/quality`, issue 17): each rule off, a
 * warning or a block (a block may let the operator send with a reason), the forbidden words
 * and regular expressions. The form holds the document as the server sends it, is checked the
 * way the server checks it (the words and expressions' counts and lengths; a regular
 * expression's syntax is the server's to judge) and is sent whole. A field is named as the
 * server names it (`forbidden.patterns[1]`), so the console's own check and the server's
 * `validation_failed` land beside the same input.
 *
 * The "try it" box asks the check endpoint of a dialog the admin has open: the saved rules, as
 * that dialog would see them (a second greeting depends on the dialog).
 */
import type { Requester } from '../../shared/api';
import type { Translate } from '../../shared/i18n';
import { Observable } from '../../shared/store';
import type { Problem } from '../console-state';
import type { ConsoleKey } from '../i18n';
import { GUARD_MODES, GUARD_RULES, type ForbiddenDoc, type GuardDoc, type GuardMode, type GuardRule, type HitView, type RuleDoc } from '../quality';
import type { FieldIssue } from './field-issues';
import { issueText } from './issue-text';
import { serverIssue } from './server-issues';

type T = Translate<ConsoleKey>;

/** The server's limits (crates/domain/src/quality.rs). */
export const LIMITS = { words: 200, wordLength: 100, patterns: 50, patternLength: 300 } as const;

export const FIELD = {
  mode: (rule: GuardRule) => `${rule}.mode`,
  allowOverride: (rule: GuardRule) => `${rule}.allow_override`,
  words: 'forbidden.words',
  word: (i: number) => `forbidden.words[${i}]`,
  patterns: 'forbidden.patterns',
  pattern: (i: number) => `forbidden.patterns[${i}]`,
};

/** The document's defaults (`GuardDoc::default`), for what a saved one leaves out. */
export const DEFAULT_GUARD: GuardDoc = {
  polite: { mode: 'warn', allow_override: false },
  phone_8800: { mode: 'off', allow_override: true },
  forbidden: { mode: 'warn', allow_override: true, words: [], patterns: [] },
  second_greeting: { mode: 'warn', allow_override: false },
  caps: { mode: 'warn', allow_override: false },
};

export function isMode(s: string): s is GuardMode {
  return (GUARD_MODES as readonly string[]).includes(s);
}

/** The document as the form edits it: every part present, lists copied. */
export function guardDraft(saved: GuardDoc | null): GuardDoc {
  const d = saved ?? DEFAULT_GUARD;
  const rule = (name: Exclude<GuardRule, 'forbidden'>): RuleDoc => ({ ...DEFAULT_GUARD[name], ...(d[name] ?? {}) });
  const f: ForbiddenDoc = { ...DEFAULT_GUARD.forbidden, ...(d.forbidden ?? {}) };
  return {
    polite: rule('polite'),
    phone_8800: rule('phone_8800'),
    forbidden: { ...f, words: [...(f.words ?? [])], patterns: [...(f.patterns ?? [])] },
    second_greeting: rule('second_greeting'),
    caps: rule('caps'),
  };
}

/** What the form would send differs from what is saved. */
export function guardChanged(saved: GuardDoc | null, draft: GuardDoc): boolean {
  return JSON.stringify(guardDraft(saved)) !== JSON.stringify(draft);
}

/** The document with one rule's mode or override changed. */
export function withRule(doc: GuardDoc, rule: GuardRule, change: Partial<RuleDoc>): GuardDoc {
  return { ...doc, [rule]: { ...doc[rule], ...change } };
}

export type WordRefusal = 'letter' | 'twice' | 'too_long' | 'too_many';

/** Whether a word may join the list, and why not: it needs a letter or a digit, once (ignoring case and ё/е). */
export function wordRefusal(words: readonly string[], word: string): WordRefusal | null {
  const w = word.trim();
  if (!/[\p{L}\p{N}]/u.test(w)) return 'letter';
  if ([...w].length > LIMITS.wordLength) return 'too_long';
  const fold = (s: string) => s.trim().toLocaleLowerCase('ru').replace(/ё/g, 'е');
  if (words.some((x) => fold(x) === fold(w))) return 'twice';
  if (words.length >= LIMITS.words) return 'too_many';
  return null;
}

export type GuardResult = { ok: true; body: GuardDoc } | { ok: false; issues: FieldIssue[] };

/** The console's own check before a save, field by field as the server names them. */
export function guardRequest(draft: GuardDoc): GuardResult {
  const issues: FieldIssue[] = [];
  const f = draft.forbidden;
  if (f.words.length > LIMITS.words) issues.push({ field: FIELD.words, reason: 'too_many', max: LIMITS.words });
  f.words.forEach((w, i) => {
    const n = [...w.trim()].length;
    if (n === 0) issues.push({ field: FIELD.word(i), reason: 'required' });
    else if (n > LIMITS.wordLength) issues.push({ field: FIELD.word(i), reason: 'too_long', max: LIMITS.wordLength });
    else if (!/[\p{L}\p{N}]/u.test(w)) issues.push({ field: FIELD.word(i), reason: 'letter' });
  });
  if (f.patterns.length > LIMITS.patterns) issues.push({ field: FIELD.patterns, reason: 'too_many', max: LIMITS.patterns });
  f.patterns.forEach((p, i) => {
    const n = [...p].length;
    if (n === 0) issues.push({ field: FIELD.pattern(i), reason: 'required' });
    else if (n > LIMITS.patternLength) issues.push({ field: FIELD.pattern(i), reason: 'too_long', max: LIMITS.patternLength });
  });
  if (issues.length > 0) return { ok: false, issues };
  return { ok: true, body: { ...draft, forbidden: { ...f, words: f.words.map((w) => w.trim()) } } };
}

/**
 * The message beside each field: the console's own issues, and the server's refusal worded in
 * the console's language ("1 to 100 characters", "needs a letter or a digit", "not a regular
 * expression: …", "matches an empty text", "off, warn or block").
 */
export function guardFieldMessages(t: T, issues: readonly FieldIssue[], problem: Problem | null): Map<string, string> {
  const out = new Map<string, string>();
  for (const issue of issues) if (!out.has(issue.field)) out.set(issue.field, issueText(t, issue));
  const refused = serverIssue(problem);
  if (refused) {
    const message = problem?.message ?? '';
    const length = /(\d+)\s*(?:to|–|-)\s*(\d+)\s*characters/i.exec(message);
    if (/matches an empty text/i.test(message)) out.set(refused.field, t('quality.empty_match'));
    else if (length) out.set(refused.field, issueText(t, { field: refused.field, reason: 'length', min: Number(length[1]), max: Number(length[2]) }));
    else if (/off, warn or block/i.test(message)) out.set(refused.field, issueText(t, { field: refused.field, reason: 'choice' }));
    else out.set(refused.field, issueText(t, refused));
  }
  return out;
}

/** The fields the form has a place for (others are named under it). */
export function guardFields(draft: GuardDoc): Set<string> {
  const fields = new Set<string>([FIELD.words, FIELD.patterns]);
  for (const rule of GUARD_RULES) {
    fields.add(FIELD.mode(rule));
    fields.add(FIELD.allowOverride(rule));
  }
  draft.forbidden.words.forEach((_, i) => fields.add(FIELD.word(i)));
  draft.forbidden.patterns.forEach((_, i) => fields.add(FIELD.pattern(i)));
  return fields;
}

/** Whether the server's refusal names a field this form shows (then it stands there, not under the form). */
export function refusedAtField(problem: Problem | null, draft: GuardDoc): boolean {
  const issue = serverIssue(problem);
  return !!issue && guardFields(draft).has(issue.field);
}

// ---- the controller -------------------------------------------------------------------------------

export interface QualityHost {
  api: Requester;
  /** Turns a failure into a Problem (and signs out on 401). */
  guard: (e: unknown) => Problem;
}

const PATH = '/api/v1/quality';

export class QualityState extends Observable {
  /** The saved document; null until read. */
  doc: GuardDoc | null = null;
  loading = false;
  problem: Problem | null = null;
  private request = 0;

  constructor(private readonly host: QualityHost) {
    super();
  }

  /** The page opened: nothing of an earlier visit shows, then the rules. */
  open(): Promise<void> {
    this.doc = null;
    return this.load();
  }

  async load(): Promise<void> {
    const request = ++this.request;
    this.loading = true;
    this.problem = null;
    this.changed();
    try {
      const doc = await this.host.api<GuardDoc>('GET', PATH);
      if (request === this.request) this.doc = guardDraft(doc);
    } catch (e) {
      if (request === this.request) this.problem = this.host.guard(e);
    } finally {
      if (request === this.request) this.loading = false;
      this.changed();
    }
  }

  /** Writes the document whole; resolves to it as saved (trimmed by the server), or the refusal. */
  async save(body: GuardDoc): Promise<GuardDoc | Problem> {
    try {
      const saved = guardDraft(await this.host.api<GuardDoc>('PUT', PATH, { body }));
      this.request++;
      this.doc = saved;
      this.loading = false;
      return saved;
    } catch (e) {
      return this.host.guard(e);
    } finally {
      this.changed();
    }
  }

  /** What the saved rules find in a sample text, as in the dialog `dialogId`. */
  async tryText(dialogId: string, body: string): Promise<HitView[] | Problem> {
    try {
      const answer = await this.host.api<{ hits: HitView[] }>('POST', `/api/v1/dialogs/${encodeURIComponent(dialogId)}/guard`, { body: { body } });
      return answer.hits ?? [];
    } catch (e) {
      return this.host.guard(e);
    }
  }
}
