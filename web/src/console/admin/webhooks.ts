/**
 * Webhooks (admins): the endpoints Frontline posts events to, the form that adds or changes
 * one, its signing secret (shown, rotated), a test event, and the log of deliveries with each
 * one's request and attempts (replayed on demand). The pure rules the page needs live here
 * beside the controller (`WebhooksState`) that speaks to `/api/v1/webhooks`.
 *
 * What stays true: a secret never stays in this controller (the page holds it while it shows
 * it); a refusal is a `Problem` worded by the console (`invalid_field` read as the house's
 * `validation_failed`, so `server-issues.ts` words it beside its field); a late answer of an
 * earlier request never replaces a newer one.
 */
import type { Requester } from '../../shared/api';
import { query } from '../../shared/api';
import type {
  AttemptView,
  CatalogueEntry,
  DeliveryDetail,
  DeliveryPage,
  DeliveryStatus,
  DeliveryView,
  Items,
  WebhookCreated,
  WebhookCreateRequest,
  WebhookEndpointView,
  WebhookPatchRequest,
  WebhookRotated,
} from '../../shared/api-types';
import type { Lang, Translate } from '../../shared/i18n';
import { Observable } from '../../shared/store';
import { parseTime } from '../../shared/time';
import type { Problem } from '../console-state';
import type { ConsoleKey } from '../i18n';
import { withSaved } from './controllers';
import { placeField, type FieldIssue } from './field-issues';
import { issueText } from './issue-text';
import { serverIssue } from './server-issues';

type T = Translate<ConsoleKey>;

// ---- the wire --------------------------------------------------------------------------------

/** An address Frontline posts events to. */
export type WebhookEndpoint = WebhookEndpointView;
/** One event sent (or being sent) to one endpoint; `webhook_id` is the header the receiver
 * sees, the same on every attempt. */
export type Delivery = DeliveryView;
/** One try of a delivery: the receiver's status and the start of its answer, or the error. */
export type Attempt = AttemptView;
/** What the add and edit form sends (the kinds as the catalogue lists them at run time). */
export type WebhookInput = Omit<Required<WebhookCreateRequest>, 'events'> & { events: string[] };
export type WebhookPatch = Omit<WebhookPatchRequest, 'events'> & { events?: string[] | null };
export type CreatedWebhook = WebhookCreated;
/** The new secret, and until when the old one keeps working. */
export type RotatedSecret = WebhookRotated;
export type { CatalogueEntry, DeliveryDetail, DeliveryPage, DeliveryStatus };

/** Deliveries asked per page of the log. */
export const DELIVERIES_PAGE = 50;

// ---- event kinds ------------------------------------------------------------------------------

/** The catalogue's groups, by the kind's prefix, in the order the form shows them. */
export const EVENT_GROUPS = ['dialog', 'message', 'note', 'visitor', 'operator', 'rating', 'sla', 'ticket'] as const;
export type EventGroupName = (typeof EVENT_GROUPS)[number] | 'other';

export interface EventGroup {
  name: EventGroupName;
  kinds: string[];
}

/** Kinds whose payload is operators' internal text: the form warns that it leaves Frontline. */
export const INTERNAL_EVENTS: readonly string[] = ['note.created'];

const EVENT_LABELS: Readonly<Record<string, ConsoleKey>> = {
  'dialog.created': 'webhooks.event.dialog_created',
  'dialog.assigned': 'webhooks.event.dialog_assigned',
  'dialog.unassigned': 'webhooks.event.dialog_unassigned',
  'dialog.transferred': 'webhooks.event.dialog_transferred',
  'dialog.closed': 'webhooks.event.dialog_closed',
  'dialog.reopened': 'webhooks.event.dialog_reopened',
  'dialog.snoozed': 'webhooks.event.dialog_snoozed',
  'dialog.unsnoozed': 'webhooks.event.dialog_unsnoozed',
  'dialog.labels_changed': 'webhooks.event.dialog_labels_changed',
  'message.created': 'webhooks.event.message_created',
  'message.edited': 'webhooks.event.message_edited',
  'note.created': 'webhooks.event.note_created',
  'visitor.updated': 'webhooks.event.visitor_updated',
  'rating.created': 'webhooks.event.rating_created',
  'sla.breached': 'webhooks.event.sla_breached',
  'operator.presence_changed': 'webhooks.event.operator_presence_changed',
  'operator.updated': 'webhooks.event.operator_updated',
  'operator.membership_changed': 'webhooks.event.operator_membership_changed',
  'ticket.created': 'webhooks.event.ticket_created',
  'ticket.updated': 'webhooks.event.ticket_updated',
  'webhook.test': 'webhooks.event.webhook_test',
};

const GROUP_LABELS: Record<EventGroupName, ConsoleKey> = {
  dialog: 'webhooks.group.dialog',
  message: 'webhooks.group.message',
  note: 'webhooks.group.note',
  visitor: 'webhooks.group.visitor',
  operator: 'webhooks.group.operator',
  rating: 'webhooks.group.rating',
  sla: 'webhooks.group.sla',
  ticket: 'webhooks.group.ticket',
  other: 'webhooks.group.other',
};

/** An event kind in the console's words; a kind it has no words for is shown as it is. */
export function eventLabel(t: T, kind: string): string {
  const key = Object.prototype.hasOwnProperty.call(EVENT_LABELS, kind) ? EVENT_LABELS[kind] : null;
  return key ? t(key) : kind;
}

export function groupLabel(t: T, group: EventGroupName): string {
  return t(GROUP_LABELS[group]);
}

export function groupOf(kind: string): EventGroupName {
  const prefix = kind.split('.')[0];
  return EVENT_GROUPS.find((g) => g === prefix) ?? 'other';
}

/**
 * The kinds to offer, grouped by prefix in `EVENT_GROUPS` order (the catalogue's order inside a
 * group), then the rest as "other". Kinds the endpoint has but the catalogue no longer lists are
 * offered too, so they can be unticked. Empty groups are left out.
 */
export function groupEvents(catalogue: readonly CatalogueEntry[], chosen: readonly string[] = []): EventGroup[] {
  const kinds = [...catalogue.map((c) => c.kind)];
  for (const k of chosen) if (!kinds.includes(k)) kinds.push(k);
  const names: EventGroupName[] = [...EVENT_GROUPS, 'other'];
  return names.map((name) => ({ name, kinds: kinds.filter((k) => groupOf(k) === name) })).filter((g) => g.kinds.length > 0);
}

/** Whether all, some or none of `kinds` are chosen (the "all" box: ticked, mixed, empty). */
export function groupState(kinds: readonly string[], chosen: readonly string[]): 'all' | 'some' | 'none' {
  const n = kinds.filter((k) => chosen.includes(k)).length;
  return n === 0 ? 'none' : n === kinds.length ? 'all' : 'some';
}

/** `chosen` with `kinds` added or taken away. */
export function setKinds(chosen: readonly string[], kinds: readonly string[], on: boolean): string[] {
  if (!on) return chosen.filter((k) => !kinds.includes(k));
  return [...chosen, ...kinds.filter((k) => !chosen.includes(k))];
}

/** The chosen kinds in the catalogue's order, those it does not list after them by name. */
export function orderEvents(events: readonly string[], catalogue: readonly CatalogueEntry[]): string[] {
  const unique = [...new Set(events)];
  const order = catalogue.map((c) => c.kind);
  const known = order.filter((k) => unique.includes(k));
  return [...known, ...unique.filter((k) => !order.includes(k)).sort()];
}

/** Whether these events send operators' internal notes to the receiver. */
export function sendsInternal(events: readonly string[]): boolean {
  return events.some((k) => INTERNAL_EVENTS.includes(k));
}

// ---- the form ---------------------------------------------------------------------------------

const sameSet = (a: readonly string[], b: readonly string[]) => a.length === b.length && a.every((k) => b.includes(k));

export interface WebhookDraft {
  url: string;
  description: string;
  events: string[];
  enabled: boolean;
}

/** The form for an endpoint, or for a new one (enabled, nothing chosen). */
export function webhookDraft(e: WebhookEndpoint | null): WebhookDraft {
  return { url: e?.url ?? '', description: e?.description ?? '', events: [...(e?.events ?? [])], enabled: e?.enabled ?? true };
}

/** Whether the form differs from how it started (the address and description trimmed, the events in any order). */
export function draftChanged(from: WebhookDraft, to: WebhookDraft): boolean {
  return (
    from.url.trim() !== to.url.trim() ||
    from.description.trim() !== to.description.trim() ||
    from.enabled !== to.enabled ||
    !sameSet([...new Set(from.events)], [...new Set(to.events)])
  );
}

/** The fields the form has a place for; a refused `events[2]` lands on `events`. */
export const WEBHOOK_FIELDS: ReadonlySet<string> = new Set(['url', 'description', 'events', 'enabled']);

/** An address the form accepts: http or https, with a host, no spaces. Where it may point is the server's to say. */
export function isWebhookUrl(text: string): boolean {
  const s = text.trim();
  if (!s || /\s/.test(s)) return false;
  try {
    const u = new URL(s);
    return (u.protocol === 'https:' || u.protocol === 'http:') && u.hostname !== '';
  } catch {
    return false;
  }
}

export type WebhookResult = { ok: true; body: WebhookInput } | { ok: false; issues: FieldIssue[] };

/** The form checked and turned into the body of `POST /api/v1/webhooks` (events in catalogue order). */
export function webhookRequest(d: WebhookDraft, catalogue: readonly CatalogueEntry[] = []): WebhookResult {
  const issues: FieldIssue[] = [];
  const url = d.url.trim();
  if (!url) issues.push({ field: 'url', reason: 'required' });
  else if (!isWebhookUrl(url)) issues.push({ field: 'url', reason: 'invalid' });
  if (d.events.length === 0) issues.push({ field: 'events', reason: 'too_few', min: 1 });
  if (issues.length > 0) return { ok: false, issues };
  return { ok: true, body: { url, description: d.description.trim(), events: orderEvents(d.events, catalogue), enabled: d.enabled } };
}

/** What differs from the endpoint as loaded (`PATCH` sends only that); empty when nothing does. */
export function webhookPatch(e: WebhookEndpoint, body: WebhookInput): WebhookPatch {
  const patch: WebhookPatch = {};
  if (body.url !== e.url) patch.url = body.url;
  if (body.description !== e.description) patch.description = body.description;
  if (!sameSet([...new Set(body.events)], [...new Set(e.events)])) patch.events = body.events;
  if (body.enabled !== e.enabled) patch.enabled = body.enabled;
  return patch;
}

/**
 * A refusal as the console's problem: the webhooks API's `invalid_field` has the shape of the
 * house's `validation_failed` (`details.field`, maybe `reason`) and is read as one, so the
 * field helpers word it; every other code stays as it is.
 */
export function readRefusal(problem: Problem): Problem {
  return problem.code === 'invalid_field' ? { ...problem, code: 'validation_failed' } : problem;
}

/** An issue of the webhook form in the console's words (the address and the events have their own). */
export function webhookIssueText(t: T, issue: FieldIssue): string {
  if (issue.field === 'url' && (issue.reason === 'invalid' || issue.reason === 'origin' || issue.reason === 'choice')) return t('webhooks.issue_url');
  if (issue.field === 'events') {
    if (issue.reason === 'required' || issue.reason === 'too_few') return t('webhooks.issue_events_required');
    if (issue.reason === 'invalid' || issue.reason === 'choice' || issue.reason === 'not_found') return t('webhooks.issue_events_unknown');
  }
  return issueText(t, issue);
}

/**
 * What to show beside each field of the form: its own checks (once the admin tried to save),
 * then the server's refusal of a field (`validation_failed` / `invalid_field`, placed on the
 * nearest field the form shows) and `url_not_allowed` beside the address.
 */
export function webhookFieldMessages(t: T, issues: readonly FieldIssue[], problem: Problem | null): Map<string, string> {
  const out = new Map<string, string>();
  const place = (issue: FieldIssue): FieldIssue => ({ ...issue, field: placeField(issue.field, WEBHOOK_FIELDS) ?? issue.field });
  for (const issue of issues.map(place)) if (!out.has(issue.field)) out.set(issue.field, webhookIssueText(t, issue));
  const refused = serverIssue(problem ? readRefusal(problem) : null);
  if (refused) {
    const at = place(refused);
    out.set(at.field, webhookIssueText(t, at));
  }
  if (problem?.code === 'url_not_allowed') out.set('url', t('webhooks.issue_url_not_allowed'));
  return out;
}

/** Whether a refusal is already shown beside a field of the form (and needs no line under it). */
export function shownBesideField(problem: Problem): boolean {
  if (problem.code === 'url_not_allowed') return true;
  const issue = serverIssue(readRefusal(problem));
  return !!issue && WEBHOOK_FIELDS.has(placeField(issue.field, WEBHOOK_FIELDS) ?? '');
}

// ---- what the page shows ----------------------------------------------------------------------

/**
 * An endpoint's state in one word: working, switched off by an admin, switched off by
 * Frontline after failing (five days without a success), or on but failing lately.
 */
export type EndpointHealth = 'ok' | 'off' | 'failing_off' | 'failing';

export function endpointHealth(e: WebhookEndpoint): EndpointHealth {
  if (!e.enabled) return e.disabled_reason === 'failing' ? 'failing_off' : 'off';
  return e.failing_since ? 'failing' : 'ok';
}

/** Until when the previous secret still works, while it does; else null. */
export function previousSecretUntil(e: WebhookEndpoint, now: number): string | null {
  const until = parseTime(e.previous_secret_until);
  return until > now ? e.previous_secret_until : null;
}

/** A delivery's status as the page reads it: a word it does not know counts as pending. */
export function deliveryStatus(d: Delivery): DeliveryStatus {
  return d.status === 'delivered' || d.status === 'failed' ? d.status : 'pending';
}

/** The HTTP status and latency of a delivery's last attempt, null where there is none. */
export function lastAnswer(d: Delivery): { statusCode: number | null; latencyMs: number | null } {
  return { statusCode: d.last_attempt?.status_code ?? null, latencyMs: d.last_attempt?.latency_ms ?? null };
}

/** Whether a receiver's status code counts as success (2xx). */
export function isSuccessCode(code: number | null): boolean {
  return code !== null && code >= 200 && code < 300;
}

/** What the secret's field shows while the secret is hidden (not a word: no translation). */
export const SECRET_MASK = `whsec_${'•'.repeat(24)}`;

/** A delivery's time in the log, to the second (several may share a minute): "4 дек., 17:20:05". */
export function formatLogTime(iso: string, lang: Lang): string {
  const at = parseTime(iso);
  if (!at) return '';
  return new Intl.DateTimeFormat(lang === 'ru' ? 'ru-RU' : 'en-GB', {
    day: 'numeric',
    month: 'short',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  }).format(at);
}

/** After a test or a replay the log is read again every `LOG_POLL_MS` while a delivery on it is pending, for `LOG_WATCH_MS`. */
export const LOG_POLL_MS = 3_000;
/** Otherwise, while an endpoint's page is open and in view, its log's first page is read again this often. */
export const LOG_IDLE_POLL_MS = 15_000;
export const LOG_WATCH_MS = 60_000;

/** A request body for reading: JSON indented, anything else as it came. */
export function prettyBody(text: string): string {
  try {
    return JSON.stringify(JSON.parse(text), null, 2);
  } catch {
    return text;
  }
}

// ---- the controller ---------------------------------------------------------------------------

export interface WebhooksHost {
  api: Requester;
  /** Turns a failure into a Problem (and signs out on 401). */
  guard: (e: unknown) => Problem;
}

/** The delivery log of the endpoint open on the page. */
export interface DeliveryLog {
  webhookId: string;
  items: Delivery[];
  nextCursor: string | null;
  loaded: boolean;
  loading: boolean;
  problem: Problem | null;
}

const path = (id: string, tail = '') => `/api/v1/webhooks/${encodeURIComponent(id)}${tail}`;

export class WebhooksState extends Observable {
  endpoints: WebhookEndpoint[] = [];
  loaded = false;
  loading = false;
  problem: Problem | null = null;
  catalogue: CatalogueEntry[] = [];
  catalogueLoaded = false;
  catalogueProblem: Problem | null = null;
  log: DeliveryLog | null = null;
  private listRequest = 0;
  private logRequest = 0;

  constructor(private readonly host: WebhooksHost) {
    super();
  }

  private refused(e: unknown): Problem {
    return readRefusal(this.host.guard(e));
  }

  /** The page opened: nothing of an earlier visit shows, then the endpoints and the catalogue. */
  open(): Promise<void> {
    this.endpoints = [];
    this.loaded = false;
    this.log = null;
    return Promise.all([this.load(), this.loadCatalogue()]).then(() => undefined);
  }

  async load(): Promise<void> {
    const request = ++this.listRequest;
    this.loading = true;
    this.problem = null;
    this.changed();
    try {
      const list = await this.host.api<Items<WebhookEndpoint>>('GET', '/api/v1/webhooks');
      if (request !== this.listRequest) return;
      this.endpoints = list.items;
      this.loaded = true;
    } catch (e) {
      if (request === this.listRequest) this.problem = this.refused(e);
    } finally {
      if (request === this.listRequest) this.loading = false;
      this.changed();
    }
  }

  async loadCatalogue(): Promise<void> {
    this.catalogueProblem = null;
    this.changed();
    try {
      this.catalogue = (await this.host.api<Items<CatalogueEntry>>('GET', '/api/v1/webhooks/catalogue')).items;
      this.catalogueLoaded = true;
    } catch (e) {
      this.catalogueProblem = this.refused(e);
    } finally {
      this.changed();
    }
  }

  private saved(e: WebhookEndpoint): void {
    this.endpoints = withSaved(this.endpoints, e);
  }

  /** Adds an endpoint; resolves to it and its secret (shown to the admin), or the refusal. */
  async create(input: WebhookInput): Promise<CreatedWebhook | Problem> {
    try {
      const made = await this.host.api<CreatedWebhook>('POST', '/api/v1/webhooks', { body: input });
      this.saved(made.endpoint);
      return made;
    } catch (e) {
      return this.refused(e);
    } finally {
      this.changed();
    }
  }

  /** Changes only what `patch` names (the form's edits, or "enable again"). */
  async update(id: string, patch: WebhookPatch): Promise<Problem | null> {
    try {
      const done = await this.host.api<{ endpoint: WebhookEndpoint }>('PATCH', path(id), { body: patch });
      this.saved(done.endpoint);
      return null;
    } catch (e) {
      return this.refused(e);
    } finally {
      this.changed();
    }
  }

  async remove(id: string): Promise<Problem | null> {
    try {
      await this.host.api<void>('DELETE', path(id));
      this.endpoints = this.endpoints.filter((x) => x.id !== id);
      if (this.log?.webhookId === id) this.log = null;
      return null;
    } catch (e) {
      return this.refused(e);
    } finally {
      this.changed();
    }
  }

  /** The endpoint's current secret, for the page to show (not kept here). */
  async revealSecret(id: string): Promise<{ secret: string } | Problem> {
    try {
      return await this.host.api<{ secret: string }>('GET', path(id, '/secret'));
    } catch (e) {
      return this.refused(e);
    }
  }

  /** A new secret; the old one keeps working until `previous_valid_until` (marked on the endpoint). */
  async rotateSecret(id: string): Promise<RotatedSecret | Problem> {
    try {
      const done = await this.host.api<RotatedSecret>('POST', path(id, '/rotate'));
      const held = this.endpoints.find((x) => x.id === id);
      if (held) this.saved({ ...held, previous_secret_until: done.previous_valid_until });
      return done;
    } catch (e) {
      return this.refused(e);
    } finally {
      this.changed();
    }
  }

  /** Sends a `webhook.test` event; the new delivery heads the log, which is then read again. */
  async sendTest(id: string): Promise<Delivery | Problem> {
    try {
      const done = await this.host.api<{ delivery: Delivery }>('POST', path(id, '/test'));
      this.prepend(id, done.delivery);
      void this.loadDeliveries(id);
      return done.delivery;
    } catch (e) {
      return this.refused(e);
    } finally {
      this.changed();
    }
  }

  private prepend(id: string, d: Delivery): void {
    if (this.log?.webhookId !== id) return;
    this.log = { ...this.log, items: [d, ...this.log.items.filter((x) => x.id !== d.id)] };
  }

  /** The log's first page (anew, or again for another endpoint), or the next one with `more`. */
  async loadDeliveries(id: string, more = false): Promise<void> {
    const held = this.log?.webhookId === id ? this.log : null;
    if (more && (!held?.nextCursor || held.loading)) return;
    const request = ++this.logRequest;
    const cursor = more ? held!.nextCursor : null;
    // Read again for the same endpoint: the rows stay until the answer replaces them.
    this.log = { webhookId: id, items: held?.items ?? [], nextCursor: held?.nextCursor ?? null, loaded: held?.loaded ?? false, loading: true, problem: null };
    this.changed();
    try {
      const page = await this.host.api<DeliveryPage>('GET', path(id, `/deliveries${query({ limit: DELIVERIES_PAGE, cursor })}`));
      if (request !== this.logRequest || this.log?.webhookId !== id) return;
      const items = more ? [...this.log.items, ...page.items.filter((d) => !this.log!.items.some((x) => x.id === d.id))] : page.items;
      this.log = { ...this.log, items, nextCursor: page.next_cursor ?? null, loaded: true };
    } catch (e) {
      if (request === this.logRequest && this.log?.webhookId === id) this.log = { ...this.log, problem: this.refused(e) };
    } finally {
      if (request === this.logRequest && this.log?.webhookId === id) this.log = { ...this.log, loading: false };
      this.changed();
    }
  }

  /** One delivery with the body sent and every attempt. */
  async loadDelivery(id: string, deliveryId: string): Promise<DeliveryDetail | Problem> {
    try {
      return await this.host.api<DeliveryDetail>('GET', path(id, `/deliveries/${encodeURIComponent(deliveryId)}`));
    } catch (e) {
      return this.refused(e);
    }
  }

  /** Sends a delivery's event again (a new delivery); the log is read again. */
  async replay(id: string, deliveryId: string): Promise<Delivery | Problem> {
    try {
      const done = await this.host.api<{ delivery: Delivery }>('POST', path(id, `/deliveries/${encodeURIComponent(deliveryId)}/replay`));
      this.prepend(id, done.delivery);
      void this.loadDeliveries(id);
      return done.delivery;
    } catch (e) {
      return this.refused(e);
    } finally {
      this.changed();
    }
  }
}
