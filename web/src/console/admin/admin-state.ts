/**
 * What the admin pages do over the network: create and change channels and their members,
 * operators' capacity, the routing rules (read, then saved whole), each channel's automation
 * document (read, then saved whole) and the proactive messages (triggers). Channels and operators
 * themselves live in the console state (kept live there by `operator.updated`); this controller
 * hands every change back to it through `AdminHost`, so the dialog screens see it at once.
 */
import type { Requester } from '../../shared/api';
import type {
  AutomationView,
  ChannelPatch,
  ChannelView,
  Items,
  LabelPatch,
  OperatorView,
  PasswordResetView,
  Role,
  RoutingRuleView,
  SavedReplyInput,
  SavedReplyPatch,
  SavedReplyView,
  TagView,
  TriggerInput,
  TriggerView,
} from '../../shared/api-types';
import { Observable } from '../../shared/store';
import type { Problem } from '../console-state';
import { AuditLogState } from './audit-state';
import { rulesRequest, type RuleDraft } from './rules';
import { SecurityState } from './security-state';

export interface AdminHost {
  api: Requester;
  /** Turns a failure into a Problem (and signs out on 401). */
  guard: (e: unknown) => Problem;
  channelSaved: (c: ChannelView) => void;
  operatorSaved: (o: OperatorView) => void;
  replySaved: (r: SavedReplyView) => void;
  replyDeleted: (id: string) => void;
  labelSaved: (kind: LabelKind, label: TagView) => void;
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

  /** The Security page (his own password and sessions) and the audit log. */
  readonly security: SecurityState;
  readonly audit: AuditLogState;

  constructor(private readonly host: AdminHost) {
    super();
    this.security = new SecurityState(host);
    this.audit = new AuditLogState(host);
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

  setCapacity(operatorId: string, capacity: number): Promise<Problem | null> {
    return this.run(
      () => this.host.api<OperatorView>('PATCH', `/api/v1/operators/${encodeURIComponent(operatorId)}`, { body: { capacity } }),
      (o) => this.host.operatorSaved(o),
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
