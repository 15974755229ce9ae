/**
 * What the admin pages do over the network: create and change channels and their members,
 * add operators and change their name and capacity, one's own profile (`PATCH /api/v1/me`),
 * the sites and their allowed origins (the installation page), the routing rules (read, then saved whole), each channel's automation
 * document (read, then saved whole) and the proactive messages (triggers); the webhooks page has its
 * own controller (`webhooks.ts`), as do the Web API's keys (`api-keys.ts`), Telegram (`telegram.ts`) and mail (`mail.ts`), beside the Security page's and the audit log's. Channels and operators
 * themselves live in the console state (kept live there by `operator.updated`); this controller
 * hands every change back to it through `AdminHost`, so the dialog screens see it at once.
 */
import type { Requester } from '../../shared/api';
import type {
  AutomationView,
  ChannelPatch,
  ChannelView,
  CustomFieldView,
  Items,
  LabelPatch,
  MePatch,
  MeView,
  OperatorPatch,
  OperatorView,
  PasswordResetView,
  Role,
  RoutingRuleView,
  SavedReplyInput,
  SavedReplyPatch,
  SavedReplyView,
  SitePatch,
  SiteView,
  TagView,
  TriggerInput,
  TriggerView,
} from '../../shared/api-types';
import { Observable } from '../../shared/store';
import type { Problem } from '../console-state';
import { ApiKeysState } from './api-keys';
import { AuditLogState } from './audit-state';
import { FormsAdminState } from './escalation-forms';
import { InvitationsState } from './invitations';
import { FieldsState } from './fields-state';
import { MailState } from './mail';
import { ModerationState } from './moderation';
import { QualityState } from './quality';
import { generatePassword, type RandomFill } from './people';
import { rulesRequest, type RuleDraft } from './rules';
import type { SegmentView } from './segments';
import { SegmentsState } from './segments-state';
import { SecurityState } from './security-state';
import { TelegramState } from './telegram';
import { WebhooksState } from './webhooks';

export interface AdminHost {
  api: Requester;
  /** Turns a failure into a Problem (and signs out on 401). */
  guard: (e: unknown) => Problem;
  channelSaved: (c: ChannelView) => void;
  operatorSaved: (o: OperatorView) => void;
  replySaved: (r: SavedReplyView) => void;
  replyDeleted: (id: string) => void;
  labelSaved: (kind: LabelKind, label: TagView) => void;
  /** His own `MeView` as `PATCH /api/v1/me` answered. */
  meSaved: (me: MeView) => void;
  /** Channel members changed: the channels' online counts are read again. */
  membersChanged: () => void;
  /** A segment saved or deleted on the segments page: the list filter and the conditions follow. */
  segmentSaved: (segment: SegmentView) => void;
  segmentDeleted: (id: string) => void;
  /** A custom field saved on the fields page: the dialog's header, the card and the list filter follow. */
  fieldSaved: (field: CustomFieldView) => void;
}

/** What the admin fills in to add an operator; the password is made in the browser. */
export interface NewOperatorInput {
  email: string;
  display_name: string;
  role: Role;
  capacity: number;
  channelIds: string[];
}

/**
 * An operator added: his first password (shown once) and, if some of the steps after the
 * account (channels, capacity) were refused, the first refusal — the account exists anyway.
 */
export interface AddedOperator {
  operator: OperatorView;
  password: string;
  followUp: Problem | null;
}

/** The two dictionaries that are edited alike: dialog tags and categories. */
export type LabelKind = 'tags' | 'categories';

export class AdminState extends Observable {
  rules: RoutingRuleView[] = [];
  rulesLoading = false;
  rulesProblem: Problem | null = null;
  /** Member ids per channel, as the server last answered. */
  readonly members = new Map<string, string[]>();
  readonly membersLoading = new Set<string>();
  /** Each channel's automation document as the server last answered, and its loading state. */
  readonly automation = new Map<string, AutomationView>();
  readonly automationLoading = new Set<string>();
  readonly automationProblems = new Map<string, Problem>();
  triggers: TriggerView[] = [];
  triggersLoading = false;
  triggersProblem: Problem | null = null;
  /** The workspace's sites (widget keys) for the installation page. */
  sites: SiteView[] = [];
  sitesLoading = false;
  sitesProblem: Problem | null = null;
  /** When the sites were last read (for "checked at"). */
  sitesCheckedAt: Date | null = null;

  /** The Security page (his own password and sessions), the audit log and the webhooks. */
  readonly security: SecurityState;
  readonly audit: AuditLogState;
  readonly webhooks: WebhooksState;
  /** The Web API's keys (`api-keys.ts`). */
  readonly apiKeys: ApiKeysState;
  /** The Telegram bots page (`telegram.ts`). */
  readonly telegram: TelegramState;
  /** The mail setup page (`mail.ts`). */
  readonly mail: MailState;
  /** The escalation forms page (`escalation-forms.ts`). */
  readonly forms: FormsAdminState;
  /** Invitations on the operators page (`invitations.ts`). */
  readonly invitations: InvitationsState;
  /** The quality guard page (`quality.ts`). */
  readonly quality: QualityState;
  /** Complaints about visitors and blocks (`moderation.ts`). */
  readonly moderation: ModerationState;
  /** The segments page: saving, deleting, counting (`segments-state.ts`). */
  readonly segments: SegmentsState;
  /** The custom fields page: defining, changing, archiving (`fields-state.ts`). */
  readonly fields: FieldsState;

  constructor(
    private readonly host: AdminHost,
    private readonly random?: RandomFill,
  ) {
    super();
    this.security = new SecurityState(host);
    this.audit = new AuditLogState(host);
    this.webhooks = new WebhooksState(host);
    this.apiKeys = new ApiKeysState(host);
    this.telegram = new TelegramState(host);
    this.mail = new MailState(host);
    this.forms = new FormsAdminState(host);
    this.invitations = new InvitationsState(host);
    this.quality = new QualityState(host);
    this.moderation = new ModerationState(host);
    this.segments = new SegmentsState(host);
    this.fields = new FieldsState(host);
  }

  private async run<T>(call: () => Promise<T>, done: (value: T) => void): Promise<Problem | null> {
    try {
      done(await call());
      return null;
    } catch (e) {
      return this.host.guard(e);
    } finally {
      this.changed();
    }
  }

  createChannel(name: string): Promise<Problem | null> {
    return this.run(
      () => this.host.api<ChannelView>('POST', '/api/v1/channels', { body: { name: name.trim() } }),
      (c) => this.host.channelSaved(c),
    );
  }

  patchChannel(id: string, patch: ChannelPatch): Promise<Problem | null> {
    return this.run(
      () => this.host.api<ChannelView>('PATCH', `/api/v1/channels/${encodeURIComponent(id)}`, { body: patch }),
      (c) => this.host.channelSaved(c),
    );
  }

  async loadMembers(channelId: string): Promise<Problem | null> {
    this.membersLoading.add(channelId);
    this.changed();
    const problem = await this.run(
      () => this.host.api<Items<OperatorView>>('GET', `/api/v1/channels/${encodeURIComponent(channelId)}/members`),
      (list) => this.members.set(channelId, list.items.map((o) => o.id)),
    );
    this.membersLoading.delete(channelId);
    this.changed();
    return problem;
  }

  setMembers(channelId: string, operatorIds: string[]): Promise<Problem | null> {
    return this.run(
      () =>
        this.host.api<Items<OperatorView>>('PUT', `/api/v1/channels/${encodeURIComponent(channelId)}/members`, {
          body: { operator_ids: operatorIds },
        }),
      (list) => this.members.set(channelId, list.items.map((o) => o.id)),
    );
  }

  /** Changes an operator's name, capacity or both (only what is given). */
  patchOperator(operatorId: string, patch: OperatorPatch): Promise<Problem | null> {
    return this.run(
      () => this.host.api<OperatorView>('PATCH', `/api/v1/operators/${encodeURIComponent(operatorId)}`, { body: patch }),
      (o) => this.host.operatorSaved(o),
    );
  }

  /** Members of a channel as held, read first when not held yet. */
  private async membersOf(channelId: string): Promise<string[] | Problem> {
    const held = this.members.get(channelId);
    if (held) return held;
    const problem = await this.loadMembers(channelId);
    return problem ?? this.members.get(channelId) ?? [];
  }

  /** Puts an operator in these channels and out of those, one channel at a time; the first refusal. */
  async changeMembership(operatorId: string, join: readonly string[], leave: readonly string[]): Promise<Problem | null> {
    let first: Problem | null = null;
    for (const channelId of [...join, ...leave]) {
      const held = await this.membersOf(channelId);
      if (!Array.isArray(held)) {
        first ??= held;
        continue;
      }
      const next = join.includes(channelId) ? [...held.filter((id) => id !== operatorId), operatorId] : held.filter((id) => id !== operatorId);
      const refused = await this.setMembers(channelId, next);
      if (refused) first ??= refused;
    }
    if (join.length || leave.length) this.host.membersChanged();
    return first;
  }

  /**
   * Adds an operator: the account with a strong random password made here, then his channels
   * and his capacity when it differs from the server's default. Resolves to the refusal of the
   * account itself, or to the operator and his password (with a later step's refusal, if any).
   */
  async addOperator(input: NewOperatorInput): Promise<AddedOperator | Problem> {
    const password = generatePassword(this.random);
    let operator: OperatorView | null = null;
    const refused = await this.run(
      () =>
        this.host.api<OperatorView>('POST', '/api/v1/operators', {
          body: { email: input.email.trim(), display_name: input.display_name.trim(), password, role: input.role },
        }),
      (o) => {
        operator = o;
        this.host.operatorSaved(o);
      },
    );
    if (refused || !operator) return refused ?? { code: 'internal', details: {} };
    const created: OperatorView = operator;
    let followUp = await this.changeMembership(created.id, input.channelIds, []);
    if (input.capacity !== created.capacity) followUp = (await this.patchOperator(created.id, { capacity: input.capacity })) ?? followUp;
    return { operator: created, password, followUp };
  }

  // ---- one's own profile -------------------------------------------------------------------

  /** Changes his own name, language or pinned replies; the answer is his whole `MeView`. */
  patchMe(patch: MePatch): Promise<Problem | null> {
    return this.run(
      () => this.host.api<MeView>('PATCH', '/api/v1/me', { body: patch }),
      (me) => this.host.meSaved(me),
    );
  }

  // ---- sites: the installation page ----------------------------------------------------------

  /** Reads the sites (again, for "check installation": the widget's last sighting comes with them). */
  async loadSites(): Promise<void> {
    this.sitesLoading = true;
    this.sitesProblem = null;
    this.changed();
    this.sitesProblem = await this.run(
      () => this.host.api<Items<SiteView>>('GET', '/api/v1/sites'),
      (list) => {
        this.sites = list.items;
        this.sitesCheckedAt = new Date();
      },
    );
    this.sitesLoading = false;
    this.changed();
  }

  /** Replaces a site's allowed origins; a refusal names the line (`allowed_origins[1]`). */
  patchSite(siteId: string, patch: SitePatch): Promise<Problem | null> {
    return this.run(
      () => this.host.api<SiteView>('PATCH', `/api/v1/sites/${encodeURIComponent(siteId)}`, { body: patch }),
      (site) => (this.sites = this.sites.map((x) => (x.id === site.id ? site : x))),
    );
  }

  // ---- an operator's access: role, deactivation, password reset ----------------------------

  setRole(operatorId: string, role: Role): Promise<Problem | null> {
    return this.run(
      () => this.host.api<OperatorView>('PUT', `/api/v1/operators/${encodeURIComponent(operatorId)}/role`, { body: { role } }),
      (o) => this.host.operatorSaved(o),
    );
  }

  /** Signs him out everywhere and refuses his sign-ins; his dialogs follow each channel's offline policy. */
  deactivate(operatorId: string): Promise<Problem | null> {
    return this.run(
      () => this.host.api<OperatorView>('POST', `/api/v1/operators/${encodeURIComponent(operatorId)}/deactivate`),
      (o) => this.host.operatorSaved(o),
    );
  }

  reactivate(operatorId: string): Promise<Problem | null> {
    return this.run(
      () => this.host.api<OperatorView>('POST', `/api/v1/operators/${encodeURIComponent(operatorId)}/reactivate`),
      (o) => this.host.operatorSaved(o),
    );
  }

  /** A new random password for him (his sessions end); resolves to it, shown once, or the refusal. */
  async resetPassword(operatorId: string): Promise<{ password: string } | Problem> {
    let password = '';
    const problem = await this.run(
      () => this.host.api<PasswordResetView>('POST', `/api/v1/operators/${encodeURIComponent(operatorId)}/password-reset`),
      (done) => {
        password = done.password;
        this.host.operatorSaved(done.operator);
      },
    );
    return problem ?? { password };
  }

  async loadRules(): Promise<void> {
    this.rulesLoading = true;
    this.rulesProblem = null;
    this.changed();
    this.rulesProblem = await this.run(
      () => this.host.api<Items<RoutingRuleView>>('GET', '/api/v1/routing-rules'),
      (list) => (this.rules = list.items),
    );
    this.rulesLoading = false;
    this.changed();
  }

  /** Saves the whole ordered list; all or nothing on the server. */
  saveRules(drafts: readonly RuleDraft[]): Promise<Problem | null> {
    return this.run(
      () => this.host.api<Items<RoutingRuleView>>('PUT', '/api/v1/routing-rules', { body: rulesRequest(drafts) }),
      (list) => (this.rules = list.items),
    );
  }

  // ---- saved replies ----------------------------------------------------------------------

  createReply(input: SavedReplyInput): Promise<Problem | null> {
    return this.run(
      () => this.host.api<SavedReplyView>('POST', '/api/v1/saved-replies', { body: input }),
      (r) => this.host.replySaved(r),
    );
  }

  patchReply(id: string, patch: SavedReplyPatch): Promise<Problem | null> {
    return this.run(
      () => this.host.api<SavedReplyView>('PATCH', `/api/v1/saved-replies/${encodeURIComponent(id)}`, { body: patch }),
      (r) => this.host.replySaved(r),
    );
  }

  deleteReply(id: string): Promise<Problem | null> {
    return this.run(
      () => this.host.api<void>('DELETE', `/api/v1/saved-replies/${encodeURIComponent(id)}`),
      () => this.host.replyDeleted(id),
    );
  }

  // ---- tags and categories (never deleted, only archived) -----------------------------------

  createLabel(kind: LabelKind, name: string): Promise<Problem | null> {
    return this.run(
      () => this.host.api<TagView>('POST', `/api/v1/${kind}`, { body: { name: name.trim() } }),
      (l) => this.host.labelSaved(kind, l),
    );
  }

  patchLabel(kind: LabelKind, id: string, patch: LabelPatch): Promise<Problem | null> {
    return this.run(
      () => this.host.api<TagView>('PATCH', `/api/v1/${kind}/${encodeURIComponent(id)}`, { body: patch }),
      (l) => this.host.labelSaved(kind, l),
    );
  }

  // ---- automation of a channel ------------------------------------------------------------

  async loadAutomation(channelId: string): Promise<void> {
    this.automationLoading.add(channelId);
    this.automationProblems.delete(channelId);
    this.changed();
    const problem = await this.run(
      () => this.host.api<AutomationView>('GET', `/api/v1/channels/${encodeURIComponent(channelId)}/automation`),
      (doc) => this.automation.set(channelId, doc),
    );
    if (problem) this.automationProblems.set(channelId, problem);
    this.automationLoading.delete(channelId);
    this.changed();
  }

  /** Replaces the whole document; a refusal names its field (`details.field`) and changes nothing. */
  saveAutomation(channelId: string, doc: AutomationView): Promise<Problem | null> {
    return this.run(
      () => this.host.api<AutomationView>('PUT', `/api/v1/channels/${encodeURIComponent(channelId)}/automation`, { body: doc }),
      (saved) => this.automation.set(channelId, saved),
    );
  }

  // ---- proactive messages -----------------------------------------------------------------

  async loadTriggers(): Promise<void> {
    this.triggersLoading = true;
    this.triggersProblem = null;
    this.changed();
    this.triggersProblem = await this.run(
      () => this.host.api<Items<TriggerView>>('GET', '/api/v1/triggers'),
      (list) => (this.triggers = list.items),
    );
    this.triggersLoading = false;
    this.changed();
  }

  private triggerSaved(t: TriggerView): void {
    const at = this.triggers.findIndex((x) => x.id === t.id);
    this.triggers = at < 0 ? [...this.triggers, t] : this.triggers.map((x) => (x.id === t.id ? t : x));
  }

  /** Creates a trigger; resolves to its id, or the refusal. */
  async createTrigger(input: TriggerInput): Promise<{ id: string } | Problem> {
    let id = '';
    const problem = await this.run(
      () => this.host.api<TriggerView>('POST', '/api/v1/triggers', { body: input }),
      (t) => {
        id = t.id;
        this.triggerSaved(t);
      },
    );
    return problem ?? { id };
  }

  patchTrigger(id: string, patch: TriggerInput): Promise<Problem | null> {
    return this.run(
      () => this.host.api<TriggerView>('PATCH', `/api/v1/triggers/${encodeURIComponent(id)}`, { body: patch }),
      (t) => this.triggerSaved(t),
    );
  }

  deleteTrigger(id: string): Promise<Problem | null> {
    return this.run(
      () => this.host.api<void>('DELETE', `/api/v1/triggers/${encodeURIComponent(id)}`),
      () => (this.triggers = this.triggers.filter((t) => t.id !== id)),
    );
  }
}
