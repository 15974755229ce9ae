/**
 * The workspace's mail setup (admins, docs/email.md): the support address and the name mail
 * goes out under, the SMTP server it goes out through, the IMAP mailbox and folder it is read
 * from, the channel new mail opens dialogs in, the switch, and the minutes after which a reply a
 * website visitor has not read is mailed to him — as the form holds them (text),
 * checked the way the server checks them and sent whole (`PUT /api/v1/mail/settings`); and the
 * test (`POST /api/v1/mail/test`), which sends a mail to the support address and reads it back.
 * The controller (`MailState`) speaks to `/api/v1/mail`.
 *
 * What stays true: a password is never read back (the server says only `password_set`); one left
 * untouched is left out of the body, so the stored one stays; one the admin removed is sent as
 * `""`; a field is named as the server names it (`smtp.port`, `imap.password`), so the console's
 * own check and the server's `validation_failed` land beside the same input.
 */
import type { Requester } from '../../shared/api';
import type { components } from '../../shared/api-schema.gen';
import type { Lang, Translate } from '../../shared/i18n';
import { Observable } from '../../shared/store';
import type { Problem } from '../console-state';
import type { ConsoleKey } from '../i18n';
import { placeField, type FieldIssue } from './field-issues';
import { issueText } from './issue-text';
import { serverIssue } from './server-issues';

type T = Translate<ConsoleKey>;
type Schemas = components['schemas'];

// ---- the wire --------------------------------------------------------------------------------

/** The setup as admins see it (never a password). */
export type MailSettingsView = Schemas['MailSettingsView'];
export type MailSettingsInput = Schemas['MailSettingsInput'];
export type ServerView = Schemas['ServerView'];
export type ServerInput = Schemas['ServerInput'];
/** What a test showed: each leg, and the time from sending to finding the mail. */
export type MailTestView = Schemas['MailTestView'];
export type TestLeg = Schemas['TestLeg'];

/** The two servers: mail goes out by SMTP and is read by IMAP. */
export const LEGS = ['smtp', 'imap'] as const;
export type Leg = (typeof LEGS)[number];

/** How a server is spoken to: plain (loopback only), STARTTLS, or TLS from the first byte. */
export type Security = 'none' | 'starttls' | 'tls';
export const SECURITIES: readonly Security[] = ['starttls', 'tls', 'none'];

/**
 * What each server may use. The mail client reads IMAP over TLS or, locally, plain: STARTTLS
 * for IMAP is refused at the test (docs/email.md), so the form does not offer it there.
 */
export const OFFERED: Record<Leg, readonly Security[]> = { smtp: ['starttls', 'tls', 'none'], imap: ['tls', 'none'] };

/** The usual port of each way to speak to each server. */
export const STANDARD_PORTS: Record<Leg, Record<Security, number>> = {
  smtp: { starttls: 587, tls: 465, none: 25 },
  imap: { starttls: 143, tls: 993, none: 143 },
};

/** A new setup: SMTP submission with STARTTLS on 587, IMAP over TLS on 993, the inbox. */
export const NEW_SERVER: Record<Leg, { port: number; security: Security }> = {
  smtp: { port: 587, security: 'starttls' },
  imap: { port: 993, security: 'tls' },
};
export const DEFAULT_MAILBOX = 'INBOX';
/** A new setup mails a website visitor a reply he has not read in 2 minutes. */
export const DEFAULT_FOLLOWUP_MINUTES = 2;

/** Examples shown in empty fields (not words: the same in both languages). */
export const HOST_EXAMPLE = { address: 'support@example.com', smtp: 'smtp.example.com', imap: 'imap.example.com' } as const;

/** The marks of a test's legs. */
export const MARKS = { ok: '✓', failed: '✗' } as const;

/** The server's limits (crates/core/src/mail/settings.rs). */
export const LIMITS = {
  address: 254,
  displayName: 100,
  host: 253,
  username: 200,
  password: 500,
  mailbox: 100,
  portMin: 1,
  portMax: 65535,
  followupMin: 0,
  followupMax: 1440,
} as const;

export function isSecurity(s: string): s is Security {
  return (SECURITIES as readonly string[]).includes(s);
}

// ---- the form ---------------------------------------------------------------------------------

export interface ServerDraft {
  host: string;
  /** As typed. */
  port: string;
  /** As stored; a word the console does not know is kept (and sent back) as it is. */
  security: string;
  username: string;
  /** A new password as typed; '' leaves the stored one as it is (unless `removePassword`). */
  password: string;
  /** The admin asked to remove the stored password. */
  removePassword: boolean;
}

export interface MailDraft {
  address: string;
  display_name: string;
  smtp: ServerDraft;
  imap: ServerDraft;
  mailbox: string;
  /** '' until picked for a new setup: the workspace's default channel. */
  channel_id: string;
  enabled: boolean;
  /** As typed: minutes a reply may stay unread in the widget before it is mailed (0: never). */
  followup_minutes: string;
}

function serverDraft(leg: Leg, s: ServerView | null): ServerDraft {
  if (!s) return { host: '', port: String(NEW_SERVER[leg].port), security: NEW_SERVER[leg].security, username: '', password: '', removePassword: false };
  return { host: s.host, port: String(s.port), security: s.security, username: s.username, password: '', removePassword: false };
}

/** The form as the setup was saved, or the defaults of a new one (`null`). */
export function mailDraft(saved: MailSettingsView | null): MailDraft {
  return {
    address: saved?.address ?? '',
    display_name: saved?.display_name ?? '',
    smtp: serverDraft('smtp', saved?.smtp ?? null),
    imap: serverDraft('imap', saved?.imap ?? null),
    mailbox: saved?.mailbox ?? DEFAULT_MAILBOX,
    channel_id: saved?.channel_id ?? '',
    enabled: saved?.enabled ?? true,
    followup_minutes: String(saved?.followup_minutes ?? DEFAULT_FOLLOWUP_MINUTES),
  };
}

/**
 * Another way to speak to the server: the port follows when it was the usual one of the old way
 * (or empty), so 587 becomes 465 with TLS; a port the admin typed stays.
 */
export function withSecurity(leg: Leg, s: ServerDraft, security: Security): ServerDraft {
  const before = isSecurity(s.security) ? STANDARD_PORTS[leg][s.security] : null;
  const port = s.port.trim();
  const follows = port === '' || (before !== null && port === String(before));
  return { ...s, security, port: follows ? String(STANDARD_PORTS[leg][security]) : s.port };
}

/** What a password field holds: nothing kept, kept (and left alone), a new one typed, or to be removed. */
export type PasswordState = 'none' | 'saved' | 'new' | 'remove';

export function passwordState(savedSet: boolean, s: ServerDraft): PasswordState {
  if (s.removePassword) return savedSet ? 'remove' : 'none';
  if (s.password !== '') return 'new';
  return savedSet ? 'saved' : 'none';
}

/** The server's name of each field of the form. */
export const FIELD = {
  address: 'address',
  displayName: 'display_name',
  host: (leg: Leg) => `${leg}.host`,
  port: (leg: Leg) => `${leg}.port`,
  security: (leg: Leg) => `${leg}.security`,
  username: (leg: Leg) => `${leg}.username`,
  password: (leg: Leg) => `${leg}.password`,
  mailbox: 'mailbox',
  channel: 'channel_id',
  enabled: 'enabled',
  followup: 'followup_minutes',
} as const;

/** Every field the form shows a message beside (and the servers' groups, for what else is named in them). */
export const MAIL_FIELDS: ReadonlySet<string> = new Set([
  FIELD.address,
  FIELD.displayName,
  ...LEGS.flatMap((l) => [l, FIELD.host(l), FIELD.port(l), FIELD.security(l), FIELD.username(l), FIELD.password(l)]),
  FIELD.mailbox,
  FIELD.channel,
  FIELD.enabled,
  FIELD.followup,
]);

/** A port from its input: a whole number 1–65535, or null. */
export function portNumber(text: string): number | null {
  const s = text.trim();
  if (!/^\d{1,5}$/.test(s)) return null;
  const n = Number(s);
  return n >= LIMITS.portMin && n <= LIMITS.portMax ? n : null;
}

/** The follow-up's minutes from its input: a whole number 0–1440, or null. */
export function followupMinutes(text: string): number | null {
  const s = text.trim();
  if (!/^\d{1,4}$/.test(s)) return null;
  const n = Number(s);
  return n >= LIMITS.followupMin && n <= LIMITS.followupMax ? n : null;
}

/** A host name or address as the server takes it: no spaces, control characters or slashes. */
export function isHost(text: string): boolean {
  const s = text.trim();
  return s.length > 0 && s.length <= LIMITS.host && !/[\s/\p{Cc}]/u.test(s);
}

/**
 * The console's quick look at an address: one `@` with something on both sides, no spaces. The
 * server's own rules (a domain with a dot…) come back as its refusal, at the same field.
 */
export function looksLikeAddress(text: string): boolean {
  const s = text.trim();
  return /^[^\s@]+@[^\s@]+$/.test(s) && s.length <= LIMITS.address;
}

const chars = (s: string) => [...s].length;
const hasControl = (s: string) => /\p{Cc}/u.test(s);

export type MailResult = { ok: true; body: MailSettingsInput } | { ok: false; issues: FieldIssue[] };

function serverRequest(leg: Leg, s: ServerDraft, issues: FieldIssue[]): ServerInput {
  const host = s.host.trim();
  if (!host) issues.push({ field: FIELD.host(leg), reason: 'required' });
  else if (!isHost(host)) issues.push({ field: FIELD.host(leg), reason: 'invalid' });
  const port = portNumber(s.port);
  if (port === null) issues.push({ field: FIELD.port(leg), reason: 'range', min: LIMITS.portMin, max: LIMITS.portMax });
  const username = s.username.trim();
  if (chars(username) > LIMITS.username) issues.push({ field: FIELD.username(leg), reason: 'too_long', max: LIMITS.username });
  else if (hasControl(username)) issues.push({ field: FIELD.username(leg), reason: 'control_chars' });
  if (!s.removePassword && chars(s.password) > LIMITS.password) issues.push({ field: FIELD.password(leg), reason: 'too_long', max: LIMITS.password });
  const out: ServerInput = { host, port: port ?? 0, security: s.security, username };
  // Left out: the stored password stays. A password is sent exactly as typed (spaces are characters too).
  if (s.removePassword) out.password = '';
  else if (s.password !== '') out.password = s.password;
  return out;
}

/** The body of `PUT /api/v1/mail/settings`, or every field the console refuses (named as the server names them). */
export function mailRequest(d: MailDraft): MailResult {
  const issues: FieldIssue[] = [];
  const address = d.address.trim();
  if (!address) issues.push({ field: FIELD.address, reason: 'required' });
  else if (!looksLikeAddress(address)) issues.push({ field: FIELD.address, reason: 'email' });
  const display_name = d.display_name.trim();
  if (chars(display_name) > LIMITS.displayName) issues.push({ field: FIELD.displayName, reason: 'too_long', max: LIMITS.displayName });
  else if (hasControl(display_name)) issues.push({ field: FIELD.displayName, reason: 'control_chars' });
  const smtp = serverRequest('smtp', d.smtp, issues);
  const imap = serverRequest('imap', d.imap, issues);
  const mailbox = d.mailbox.trim() || DEFAULT_MAILBOX;
  if (chars(mailbox) > LIMITS.mailbox) issues.push({ field: FIELD.mailbox, reason: 'length', min: 1, max: LIMITS.mailbox });
  else if (hasControl(mailbox)) issues.push({ field: FIELD.mailbox, reason: 'control_chars' });
  const followup_minutes = followupMinutes(d.followup_minutes);
  if (followup_minutes === null) issues.push({ field: FIELD.followup, reason: 'range', min: LIMITS.followupMin, max: LIMITS.followupMax });
  if (issues.length > 0 || followup_minutes === null) return { ok: false, issues };
  const body: MailSettingsInput = { address, display_name, smtp, imap, mailbox, enabled: d.enabled, followup_minutes };
  if (d.channel_id) body.channel_id = d.channel_id;
  return { ok: true, body };
}

/**
 * Whether the form differs from the setup as saved (or from a new one's defaults): any field as
 * it would be sent, a password typed, or one to be removed.
 */
export function draftChanged(saved: MailSettingsView | null, d: MailDraft): boolean {
  const was = mailDraft(saved);
  const comparable = (x: MailDraft) => {
    const server = (s: ServerDraft) => [s.host.trim(), s.port.trim(), s.security, s.username.trim()];
    return JSON.stringify([
      x.address.trim(),
      x.display_name.trim(),
      server(x.smtp),
      server(x.imap),
      x.mailbox.trim() || DEFAULT_MAILBOX,
      x.channel_id,
      x.enabled,
      followupMinutes(x.followup_minutes) ?? x.followup_minutes.trim(),
    ]);
  };
  const passwords = LEGS.some((l) => d[l].password !== '' || (d[l].removePassword && !!saved?.[l].password_set));
  return passwords || comparable(was) !== comparable(d);
}

// ---- refusals in the console's words ------------------------------------------------------------

/**
 * The field of the form the server refused and why: `validation_failed` (its English reason
 * read), or `not_found` on `channel_id` (the channel was deleted meanwhile).
 */
export function mailIssue(problem: Problem | null): FieldIssue | null {
  if (!problem) return null;
  const field = typeof problem.details.field === 'string' ? problem.details.field.trim() : '';
  if (problem.code === 'not_found' && field) return { field, reason: 'not_found' };
  return serverIssue(problem);
}

/** An issue of the mail form in the console's words (the address, hosts, ports, channel and follow-up have their own). */
export function mailIssueText(t: T, issue: FieldIssue): string {
  const f = issue.field;
  if (f === FIELD.followup) return t('mail.issue_followup');
  if (f === FIELD.address && issue.reason !== 'required') return t('mail.issue_address');
  if (/^(smtp|imap)\.host$/.test(f) && issue.reason !== 'required') return t('mail.issue_host');
  if (/^(smtp|imap)\.port$/.test(f) && issue.reason !== 'required') return t('mail.issue_port');
  if (/^(smtp|imap)\.security$/.test(f)) return t('mail.issue_security');
  if (f === FIELD.channel && (issue.reason === 'not_found' || issue.reason === 'invalid')) return t('mail.issue_channel');
  return issueText(t, issue);
}

/**
 * What to show beside each field: the console's own checks (once the admin tried to save), then
 * the server's refusal, placed at the field or the nearest part of the form around it.
 */
export function mailFieldMessages(t: T, issues: readonly FieldIssue[], problem: Problem | null): Map<string, string> {
  const out = new Map<string, string>();
  const put = (issue: FieldIssue, over: boolean) => {
    const at = placeField(issue.field, MAIL_FIELDS) ?? issue.field;
    if (over || !out.has(at)) out.set(at, mailIssueText(t, issue));
  };
  for (const issue of issues) put(issue, false);
  const refused = mailIssue(problem);
  if (refused) put(refused, true);
  return out;
}

/** Whether a refusal of a save is shown beside a field of the form (and needs only a short line under it). */
export function shownBesideField(problem: Problem | null): boolean {
  const issue = mailIssue(problem);
  return !!issue && placeField(issue.field, MAIL_FIELDS) !== null;
}

/** The test's refusal when nothing is saved yet (`validation_failed` on `mail`). */
export function notSetUp(problem: Problem | null): boolean {
  return !!problem && problem.code === 'validation_failed' && problem.details.field === 'mail';
}

// ---- the test --------------------------------------------------------------------------------

/**
 * One leg of a test as the page shows it: it worked; it failed (with the server's words); or,
 * for IMAP, the mailbox was read but no test mail was looked for, since none was sent.
 */
export type LegOutcome = 'ok' | 'failed' | 'not_looked';

export function legOutcome(leg: Leg, result: MailTestView): LegOutcome {
  const l = result[leg];
  if (!l.ok) return 'failed';
  if (leg === 'imap' && l.error && !result.smtp.ok) return 'not_looked';
  return 'ok';
}

/** The server's words of a failed leg (English, as the mail server answered), or null. */
export function legError(l: TestLeg): string | null {
  const e = (l.error ?? '').trim();
  return !l.ok && e ? e : null;
}

/** The round trip in the console's language: "850 мс", "1,4 с" / "850 ms", "1.4 s". */
export function roundTripText(t: T, lang: Lang, ms: number): string {
  const locale = lang === 'ru' ? 'ru-RU' : 'en-GB';
  if (ms < 1000) return t('mail.ms', { n: new Intl.NumberFormat(locale).format(Math.max(0, Math.round(ms))) });
  const s = new Intl.NumberFormat(locale, { minimumFractionDigits: 1, maximumFractionDigits: 1 }).format(ms / 1000);
  return t('mail.seconds', { n: s });
}

// ---- the controller ---------------------------------------------------------------------------

export interface MailHost {
  api: Requester;
  /** Turns a failure into a Problem (and signs out on 401). */
  guard: (e: unknown) => Problem;
}

const SETTINGS = '/api/v1/mail/settings';
const TEST = '/api/v1/mail/test';

export class MailState extends Observable {
  /** The saved setup; null until an admin makes one. */
  settings: MailSettingsView | null = null;
  loaded = false;
  loading = false;
  problem: Problem | null = null;
  private request = 0;

  constructor(private readonly host: MailHost) {
    super();
  }

  /** The page opened: nothing of an earlier visit shows, then the setup. */
  open(): Promise<void> {
    this.settings = null;
    this.loaded = false;
    return this.load();
  }

  async load(): Promise<void> {
    const request = ++this.request;
    this.loading = true;
    this.problem = null;
    this.changed();
    try {
      const answer = await this.host.api<Schemas['MailSettingsAnswer']>('GET', SETTINGS);
      if (request !== this.request) return;
      this.settings = answer.settings ?? null;
      this.loaded = true;
    } catch (e) {
      if (request === this.request) this.problem = this.host.guard(e);
    } finally {
      if (request === this.request) this.loading = false;
      this.changed();
    }
  }

  /** Writes the setup whole; resolves to it as saved, or the refusal. */
  async save(body: MailSettingsInput): Promise<MailSettingsView | Problem> {
    try {
      const saved = await this.host.api<MailSettingsView>('PUT', SETTINGS, { body });
      this.request++;
      this.settings = saved;
      this.loaded = true;
      return saved;
    } catch (e) {
      return this.host.guard(e);
    } finally {
      this.changed();
    }
  }

  /** Sends a test mail to the support address and reads it back (up to ~20 s); what each leg showed, or the refusal. */
  async test(): Promise<MailTestView | Problem> {
    try {
      return await this.host.api<MailTestView>('POST', TEST);
    } catch (e) {
      return this.host.guard(e);
    }
  }
}
