/**
 * Inviting operators (admins, docs/api.md «Inviting operators»): the admin writes a person's
 * e-mail, name and role; the server makes a link (`…/console/invite#<secret>`) that works once,
 * for 7 days, mails it when the workspace's mail is set up and answers it this once. The person
 * opens it, sets his own password and is signed in. Here: the invite form's checks, the
 * invitations' states in words, the secret read from the link's `#`, the invitation page's
 * checks, and the controller (`InvitationsState`) that speaks to `/api/v1/invitations`.
 *
 * What stays true: a link (and its secret) never stays in this controller — the page holds it
 * while it shows it; a refusal is a `Problem` worded by the console, a refused field (`email`,
 * `display_name`, `role`, `password`) beside its input; a revoked invitation stays on the list.
 */
import type { Requester } from '../../shared/api';
import type { components } from '../../shared/api-schema.gen';
import { oneOf, type Items, type Role } from '../../shared/api-types';
import type { Translate } from '../../shared/i18n';
import { Observable } from '../../shared/store';
import { parseTime } from '../../shared/time';
import type { Problem } from '../console-state';
import type { ConsoleKey } from '../i18n';
import { withSaved } from './controllers';
import type { FieldIssue } from './field-issues';
import { issueText } from './issue-text';
import { PASSWORD_MAX, PASSWORD_MIN, ROLES } from './lifecycle';
import { looksLikeEmail, nameIssue } from './people';
import { serverIssue } from './server-issues';

type T = Translate<ConsoleKey>;
type Schemas = components['schemas'];

// ---- the wire ----------------------------------------------------------------------------------

export type InvitationView = Schemas['InvitationView'];
export type InvitationRequest = Schemas['InvitationRequest'];
export type CreatedInvitation = Schemas['CreatedInvitation'];
export type InvitationPreview = Schemas['InvitationPreview'];
export type AcceptRequest = Schemas['AcceptRequest'];

/** `InvitationView.state`: the document types it as a bare string. */
export type InvitationState = 'pending' | 'accepted' | 'revoked' | 'expired';
export const INVITATION_STATES: readonly InvitationState[] = ['pending', 'accepted', 'revoked', 'expired'];

/** How long a link works (the server's rule, for the words of the page). */
export const VALID_DAYS = 7;

const STATE_WORDS: Record<InvitationState, ConsoleKey> = {
  pending: 'invite.state_pending',
  accepted: 'invite.state_accepted',
  revoked: 'invite.state_revoked',
  expired: 'invite.state_expired',
};

/**
 * The state as of `now`: a pending one whose time ran out since the list was read is expired
 * (the server says so at the next read); a state the console does not know is kept as it came.
 */
export function stateOf(i: InvitationView, now: Date = new Date()): InvitationState | string {
  if (i.state === 'pending') {
    const until = parseTime(i.expires_at);
    if (until && until <= now.getTime()) return 'expired';
  }
  return i.state;
}

const known = (s: string): s is InvitationState => (INVITATION_STATES as readonly string[]).includes(s);

/** «Ожидает», «Принято», «Отозвано», «Истекло»; an unknown state as it came. */
export function stateLabel(t: T, state: string): string {
  return known(state) ? t(STATE_WORDS[state]) : state;
}

/** Only an invitation not yet used, revoked or run out can be revoked. */
export function revocable(i: InvitationView, now: Date = new Date()): boolean {
  return stateOf(i, now) === 'pending';
}

/** A revoked or run-out one can be sent again (a new link, the same person); an accepted one cannot. */
export function renewable(i: InvitationView, now: Date = new Date()): boolean {
  const s = stateOf(i, now);
  return s === 'revoked' || s === 'expired';
}

// ---- the invite form ---------------------------------------------------------------------------

export interface InviteDraft {
  email: string;
  display_name: string;
  role: Role;
}

/** An empty form (an operator, the least rights), or one filled from an earlier invitation. */
export function inviteDraft(from?: Pick<InvitationView, 'email' | 'display_name' | 'role'>): InviteDraft {
  return { email: from?.email ?? '', display_name: from?.display_name ?? '', role: oneOf(from?.role, ROLES) ?? 'operator' };
}

/** The fields the form shows; a refusal of another goes under it. */
export const INVITE_FIELDS: ReadonlySet<string> = new Set(['email', 'display_name', 'role']);

export type InviteResult = { ok: true; body: InvitationRequest } | { ok: false; issues: FieldIssue[] };

/** The form checked as the server checks it, and the body of `POST /api/v1/invitations`. */
export function inviteRequest(d: InviteDraft): InviteResult {
  const issues: FieldIssue[] = [];
  const email = d.email.trim();
  if (!email) issues.push({ field: 'email', reason: 'required' });
  else if (!looksLikeEmail(email)) issues.push({ field: 'email', reason: 'email' });
  const name = nameIssue(d.display_name);
  if (name) issues.push(name);
  if (issues.length) return { ok: false, issues };
  return { ok: true, body: { email, display_name: d.display_name.trim(), role: d.role } };
}

/**
 * What to show beside each field: the form's own issues (once the admin pressed «Пригласить»),
 * the server's `validation_failed` in the console's words, and `email_taken` beside the e-mail.
 */
export function inviteMessages(t: T, issues: readonly FieldIssue[], problem: Problem | null): Map<string, string> {
  const out = new Map<string, string>();
  for (const issue of issues) if (!out.has(issue.field)) out.set(issue.field, issueText(t, issue));
  const refused = serverIssue(problem);
  if (refused) out.set(refused.field, issueText(t, refused));
  if (problem?.code === 'email_taken') out.set('email', t('invite.email_taken'));
  return out;
}

/** Whether a refusal is shown beside a field of the form (and needs no line under it). */
export function shownBesideField(problem: Problem): boolean {
  if (problem.code === 'email_taken') return true;
  const issue = serverIssue(problem);
  return !!issue && INVITE_FIELDS.has(issue.field);
}

// ---- the link and the invitation page ----------------------------------------------------------

/** The server's bound of the secret (characters). */
const TOKEN_MAX = 200;

/** The secret in a link's `#…` (`#abc`, `abc`), or null when there is none to send. */
export function inviteToken(hash: string): string | null {
  let raw = hash.startsWith('#') ? hash.slice(1) : hash;
  try {
    raw = decodeURIComponent(raw);
  } catch {
    // Not percent-encoded after all: taken as it is.
  }
  const token = raw.trim();
  return token && token.length <= TOKEN_MAX && !/\s/.test(token) ? token : null;
}

export interface AcceptDraft {
  display_name: string;
  password: string;
  repeat: string;
}

/** The fields of the invitation page, named as the server names them (and the repeat). */
export type AcceptField = 'display_name' | 'password' | 'password_repeat';

export interface AcceptIssue {
  field: AcceptField;
  reason: 'required' | 'too_long' | 'length' | 'mismatch';
}

/** What the page refuses before sending: no name, a password out of 8–256 characters, a repeat that differs. */
export function acceptIssues(d: AcceptDraft): AcceptIssue[] {
  const issues: AcceptIssue[] = [];
  const name = nameIssue(d.display_name);
  if (name) issues.push({ field: 'display_name', reason: name.reason === 'required' ? 'required' : 'too_long' });
  const length = [...d.password].length;
  if (!d.password) issues.push({ field: 'password', reason: 'required' });
  else if (length < PASSWORD_MIN || length > PASSWORD_MAX) issues.push({ field: 'password', reason: 'length' });
  if (!d.repeat) issues.push({ field: 'password_repeat', reason: 'required' });
  else if (d.password && d.repeat !== d.password) issues.push({ field: 'password_repeat', reason: 'mismatch' });
  return issues;
}

/** The body of `POST /api/v1/invitations/accept`: the name only when he changed it. */
export function acceptRequest(token: string, d: AcceptDraft, preview: Pick<InvitationPreview, 'display_name'>): AcceptRequest {
  const name = d.display_name.trim();
  return name && name !== preview.display_name ? { token, password: d.password, display_name: name } : { token, password: d.password };
}

function acceptIssueText(t: T, issue: AcceptIssue): string {
  if (issue.reason === 'mismatch') return t('invite.password_mismatch');
  if (issue.field === 'password' && issue.reason !== 'required') return t('invite.password_length', { min: PASSWORD_MIN, max: PASSWORD_MAX });
  return issueText(t, { field: issue.field, reason: issue.reason === 'length' ? 'too_long' : issue.reason, max: 80 });
}

/** The text beside each field of the page: its own checks (once he pressed «Войти»), or the server's refusal of a field. */
export function acceptMessages(t: T, issues: readonly AcceptIssue[], problem: Problem | null): Map<AcceptField, string> {
  const out = new Map<AcceptField, string>();
  for (const issue of issues) if (!out.has(issue.field)) out.set(issue.field, acceptIssueText(t, issue));
  const refused = serverIssue(problem);
  if (refused?.field === 'password') out.set('password', t('invite.password_length', { min: PASSWORD_MIN, max: PASSWORD_MAX }));
  if (refused?.field === 'display_name') out.set('display_name', issueText(t, refused));
  return out;
}

/** A refusal that means the link no longer works: used, revoked or run out. */
export function deadLink(problem: Problem | null): boolean {
  return problem?.code === 'not_found';
}

// ---- the controller ----------------------------------------------------------------------------

export interface InvitationsHost {
  api: Requester;
  /** Turns a failure into a Problem (and signs out on 401). */
  guard: (e: unknown) => Problem;
}

export class InvitationsState extends Observable {
  /** Newest first, used, revoked and run-out ones too. */
  items: InvitationView[] = [];
  loaded = false;
  loading = false;
  problem: Problem | null = null;
  private request = 0;

  constructor(private readonly host: InvitationsHost) {
    super();
  }

  async load(): Promise<void> {
    const request = ++this.request;
    this.loading = true;
    this.problem = null;
    this.changed();
    try {
      const list = await this.host.api<Items<InvitationView>>('GET', '/api/v1/invitations');
      if (request !== this.request) return;
      this.items = list.items;
      this.loaded = true;
    } catch (e) {
      if (request === this.request) this.problem = this.host.guard(e);
    } finally {
      if (request === this.request) this.loading = false;
      this.changed();
    }
  }

  /** Invites; resolves to the invitation with its link (for the page to show once), or the refusal. */
  async create(body: InvitationRequest): Promise<CreatedInvitation | Problem> {
    try {
      const made = await this.host.api<CreatedInvitation>('POST', '/api/v1/invitations', { body });
      this.items = [made.invitation, ...this.items.filter((i) => i.id !== made.invitation.id)];
      return made;
    } catch (e) {
      return this.host.guard(e);
    } finally {
      this.changed();
    }
  }

  /** Revokes one not yet used: the link stops working at once; it stays on the list, revoked. */
  async revoke(id: string): Promise<Problem | null> {
    try {
      const done = await this.host.api<InvitationView>('POST', `/api/v1/invitations/${encodeURIComponent(id)}/revoke`);
      this.items = withSaved(this.items, done);
      return null;
    } catch (e) {
      return this.host.guard(e);
    } finally {
      this.changed();
    }
  }
}
