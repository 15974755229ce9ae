/**
 * The Web API's keys (admins): a site's backend sends Frontline its users' data — name,
 * attributes, events, tags — with a key (`Authorization: Bearer flk_…`). The page lists the keys
 * (revoked ones too), makes one with a name and its scopes, shows its secret this once, and
 * revokes one. The pure rules the page needs live here beside the controller (`ApiKeysState`)
 * that speaks to `/api/v1/api-keys`.
 *
 * What stays true: a secret never stays in this controller (the page holds it while it shows
 * it); a refusal is a `Problem` worded by the console, a refused field (`name`, `scopes`,
 * `scopes[1]`) beside its input; a revoked key stays on the list, revoked.
 */
import type { Requester } from '../../shared/api';
import type { ApiKeyCreated, ApiKeyRequest, ApiKeyView, ApiScope, Items } from '../../shared/api-types';
import type { Lang, Translate } from '../../shared/i18n';
import { Observable } from '../../shared/store';
import type { Problem } from '../console-state';
import type { ConsoleKey } from '../i18n';
import { withSaved } from './controllers';
import { placeField, type FieldIssue } from './field-issues';
import { issueText } from './issue-text';
import { serverIssue } from './server-issues';

type T = Translate<ConsoleKey>;

export type { ApiKeyCreated, ApiKeyView, ApiScope };

/** Every scope, in the order the page shows them (and a new key has them all). */
export const SCOPES: readonly ApiScope[] = ['visitors:read', 'visitors:write', 'events:write'];

/** The server's limits: a key's name (characters, once trimmed), live keys in a workspace. */
export const NAME_MAX = 80;
export const KEYS_MAX = 20;

const SCOPE_WORDS: Record<ApiScope, { label: ConsoleKey; hint: ConsoleKey }> = {
  'visitors:read': { label: 'apikeys.scope.visitors_read', hint: 'apikeys.scope.visitors_read_hint' },
  'visitors:write': { label: 'apikeys.scope.visitors_write', hint: 'apikeys.scope.visitors_write_hint' },
  'events:write': { label: 'apikeys.scope.events_write', hint: 'apikeys.scope.events_write_hint' },
};

const isScope = (s: string): s is ApiScope => (SCOPES as readonly string[]).includes(s);

/** A scope in the console's words; one it does not know (from a later server) is shown as it is. */
export function scopeLabel(t: T, scope: string): string {
  return isScope(scope) ? t(SCOPE_WORDS[scope].label) : scope;
}

export function scopeHint(t: T, scope: ApiScope): string {
  return t(SCOPE_WORDS[scope].hint);
}

/** A key's scopes in the page's order, unknown ones after them. */
export function orderScopes(scopes: readonly string[]): string[] {
  const known = SCOPES.filter((s) => scopes.includes(s));
  return [...known, ...scopes.filter((s) => !isScope(s))];
}

/** "…ab12": the end of the secret, to tell keys apart. */
export function keyHint(k: ApiKeyView): string {
  return `…${k.hint}`;
}

export function isRevoked(k: ApiKeyView): boolean {
  return !!k.revoked_at;
}

// ---- the form ---------------------------------------------------------------------------------

export interface KeyDraft {
  name: string;
  scopes: ApiScope[];
}

/** A new key's form: no name yet, every scope ticked. */
export function keyDraft(): KeyDraft {
  return { name: '', scopes: [...SCOPES] };
}

/** The fields the form has a place for; a refused `scopes[1]` lands on `scopes`. */
export const KEY_FIELDS: ReadonlySet<string> = new Set(['name', 'scopes']);

export type KeyResult = { ok: true; body: ApiKeyRequest } | { ok: false; issues: FieldIssue[] };

/** The form checked the way the server checks it, and turned into the body of `POST /api/v1/api-keys`. */
export function keyRequest(d: KeyDraft): KeyResult {
  const issues: FieldIssue[] = [];
  const name = d.name.trim();
  if (!name) issues.push({ field: 'name', reason: 'required' });
  else if ([...name].length > NAME_MAX) issues.push({ field: 'name', reason: 'too_long', max: NAME_MAX });
  if (d.scopes.length === 0) issues.push({ field: 'scopes', reason: 'too_few', min: 1 });
  if (issues.length > 0) return { ok: false, issues };
  return { ok: true, body: { name, scopes: SCOPES.filter((s) => d.scopes.includes(s)) } };
}

/** An issue of the form in the console's words (the scopes have their own). */
export function keyIssueText(t: T, issue: FieldIssue): string {
  if (issue.field === 'scopes') return issue.reason === 'required' || issue.reason === 'too_few' ? t('apikeys.issue_scopes') : t('apikeys.issue_scope_unknown');
  return issueText(t, issue);
}

/**
 * What to show beside each field: the form's own checks (once the admin tried to save), then the
 * server's `validation_failed` placed on the nearest field the form shows.
 */
export function keyFieldMessages(t: T, issues: readonly FieldIssue[], problem: Problem | null): Map<string, string> {
  const out = new Map<string, string>();
  const place = (issue: FieldIssue): FieldIssue => ({ ...issue, field: placeField(issue.field, KEY_FIELDS) ?? issue.field });
  for (const issue of issues.map(place)) if (!out.has(issue.field)) out.set(issue.field, keyIssueText(t, issue));
  const refused = serverIssue(problem);
  if (refused) {
    const at = place(refused);
    out.set(at.field, keyIssueText(t, at));
  }
  return out;
}

/** Whether a refusal is already shown beside a field of the form (and needs no line under it). */
export function shownBesideField(problem: Problem): boolean {
  const issue = serverIssue(problem);
  return !!issue && KEY_FIELDS.has(placeField(issue.field, KEY_FIELDS) ?? '');
}

// ---- the example ------------------------------------------------------------------------------

/**
 * A first call with the new key, for the admin to hand to the site's developers: what the key
 * may do — create or update a user (`visitors:write`), else track an event (`events:write`),
 * else read a user — against the console's own origin.
 */
export function usageExample(origin: string, secret: string, scopes: readonly string[], lang: Lang): string {
  const base = `${origin.replace(/\/+$/, '')}/api/v1/web/users/42`;
  const auth = `  -H "Authorization: Bearer ${secret}"`;
  if (scopes.includes('visitors:write')) {
    const name = lang === 'ru' ? 'Анна' : 'Anna';
    return [`curl -X PUT ${base} \\`, `${auth} \\`, '  -H "Content-Type: application/json" \\', `  -d '{"name":"${name}","attributes":{"plan":"pro"}}'`].join('\n');
  }
  if (scopes.includes('events:write')) {
    return [`curl -X POST ${base}/events \\`, `${auth} \\`, '  -H "Content-Type: application/json" \\', `  -d '{"events":[{"name":"order_paid"}]}'`].join('\n');
  }
  return [`curl ${base} \\`, auth].join('\n');
}

// ---- the controller ---------------------------------------------------------------------------

export interface ApiKeysHost {
  api: Requester;
  /** Turns a failure into a Problem (and signs out on 401). */
  guard: (e: unknown) => Problem;
}

const path = (id: string) => `/api/v1/api-keys/${encodeURIComponent(id)}`;

export class ApiKeysState extends Observable {
  /** Newest first, revoked ones too. */
  keys: ApiKeyView[] = [];
  loaded = false;
  loading = false;
  problem: Problem | null = null;
  private request = 0;

  constructor(private readonly host: ApiKeysHost) {
    super();
  }

  /** Keys that still work. */
  live(): number {
    return this.keys.filter((k) => !isRevoked(k)).length;
  }

  /** The page opened: nothing of an earlier visit shows, then the keys. */
  open(): Promise<void> {
    this.keys = [];
    this.loaded = false;
    return this.load();
  }

  async load(): Promise<void> {
    const request = ++this.request;
    this.loading = true;
    this.problem = null;
    this.changed();
    try {
      const list = await this.host.api<Items<ApiKeyView>>('GET', '/api/v1/api-keys');
      if (request !== this.request) return;
      this.keys = list.items;
      this.loaded = true;
    } catch (e) {
      if (request === this.request) this.problem = this.host.guard(e);
    } finally {
      if (request === this.request) this.loading = false;
      this.changed();
    }
  }

  /** Makes a key; resolves to it and its secret (for the page to show once), or the refusal. */
  async create(body: ApiKeyRequest): Promise<ApiKeyCreated | Problem> {
    try {
      const made = await this.host.api<ApiKeyCreated>('POST', '/api/v1/api-keys', { body });
      this.keys = [made.key, ...this.keys.filter((k) => k.id !== made.key.id)];
      return made;
    } catch (e) {
      return this.host.guard(e);
    } finally {
      this.changed();
    }
  }

  /** Revokes a key at once; it stays on the list, revoked. */
  async revoke(id: string): Promise<Problem | null> {
    try {
      const done = await this.host.api<ApiKeyView>('DELETE', path(id));
      this.keys = withSaved(this.keys, done);
      return null;
    } catch (e) {
      return this.host.guard(e);
    } finally {
      this.changed();
    }
  }
}
