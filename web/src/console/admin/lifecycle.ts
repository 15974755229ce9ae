/**
 * The pure parts of an operator's life in the console: roles in words, the operators' order
 * (active ones first), the audit log's lines as sentences, a browser named from its
 * user-agent, and the checks of the change-password form before it is sent.
 */
import type { AuditView, OperatorView, Role } from '../../shared/api-types';
import type { Lang, Translate } from '../../shared/i18n';
import { parseTime } from '../../shared/time';
import type { Problem } from '../console-state';
import type { ConsoleKey } from '../i18n';

type T = Translate<ConsoleKey>;

/** The roles an admin can give, from the least rights to the most. */
export const ROLES: readonly Role[] = ['operator', 'supervisor', 'admin'];

export function roleLabel(t: T, role: Role | string): string {
  return role === 'admin' ? t('header.role_admin') : role === 'supervisor' ? t('header.role_supervisor') : role === 'operator' ? t('header.role_operator') : role;
}

/** Active operators by name, then the deactivated ones by name. */
export function sortOperators(list: Iterable<OperatorView>, lang: Lang): OperatorView[] {
  return [...list].sort(
    (a, b) => Number(!!a.deactivated) - Number(!!b.deactivated) || a.display_name.localeCompare(b.display_name, lang) || a.email.localeCompare(b.email),
  );
}

/** A date and time in the console's language: "4 дек. 2026 г., 17:20". */
export function formatWhen(iso: string, lang: Lang): string {
  const at = parseTime(iso);
  if (!at) return '';
  return new Intl.DateTimeFormat(lang === 'ru' ? 'ru-RU' : 'en-GB', {
    day: 'numeric',
    month: 'short',
    year: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
  }).format(at);
}

// ---- the audit log --------------------------------------------------------------------------

const text = (v: unknown): string => (typeof v === 'string' || typeof v === 'number' ? String(v).trim() : '');

/**
 * What an audit line says, as one sentence without its actor (he has his own column). Russian
 * needs a name's gender and case for "Анна деактивировала Бориса", and a display name tells
 * neither, so the sentences keep every name in its plain form ("Деактивирован оператор Борис").
 */
export function auditSentence(t: T, e: AuditView): string {
  const target = e.target?.name?.trim() || t('audit.someone');
  switch (e.action) {
    case 'operator.created':
      return t('audit.operator_created', { target });
    case 'operator.invited': {
      const email = text(e.details.email);
      const role = text(e.details.role);
      return email && role ? t('invite.audit_invited', { email, role: roleLabel(t, role) }) : t('invite.audit_invited_plain');
    }
    case 'operator.deactivated':
      return t('audit.operator_deactivated', { target });
    case 'operator.reactivated':
      return t('audit.operator_reactivated', { target });
    case 'operator.role_changed': {
      const from = text(e.details.from);
      const to = text(e.details.to);
      return from && to
        ? t('audit.role_changed', { target, from: roleLabel(t, from), to: roleLabel(t, to) })
        : t('audit.role_changed_plain', { target });
    }
    case 'operator.password_reset':
      return t('audit.password_reset', { target });
    case 'password.changed':
      return e.target && e.actor && e.target.id !== e.actor.id ? t('audit.password_changed_of', { target }) : t('audit.password_changed');
    case 'login.failed': {
      const email = text(e.details.email);
      return email ? t('audit.login_failed', { email }) : t('audit.login_failed_plain');
    }
    default:
      return t('audit.other', { action: e.action });
  }
}

/** Who did it: his name as recorded, or a dash for nobody signed in (a failed sign-in). */
export function auditActor(t: T, e: AuditView): string {
  return e.actor?.name?.trim() || t('audit.no_actor');
}

// ---- sessions -------------------------------------------------------------------------------

const BROWSERS: readonly [RegExp, string][] = [
  [/\bEdg(?:e|A|iOS)?\/(\d+)/, 'Edge'],
  [/\bYaBrowser\/(\d+)/, 'Yandex Browser'],
  [/\b(?:OPR|Opera)\/(\d+)/, 'Opera'],
  [/\bSamsungBrowser\/(\d+)/, 'Samsung Internet'],
  [/\b(?:Firefox|FxiOS)\/(\d+)/, 'Firefox'],
  [/\bHeadlessChrome\/(\d+)/, 'Chrome Headless'],
  [/\b(?:Chrome|CriOS|Chromium)\/(\d+)/, 'Chrome'],
  [/\bVersion\/(\d+)(?:[.\d]*)? (?:Mobile\/\S+ )?Safari\//, 'Safari'],
];

const SYSTEMS: readonly [RegExp, string][] = [
  [/\bWindows\b/, 'Windows'],
  [/\b(?:iPhone|iPad|iPod)\b/, 'iOS'],
  [/\bAndroid\b/, 'Android'],
  [/\bCrOS\b/, 'ChromeOS'],
  [/\bMac OS X\b|\bMacintosh\b/, 'macOS'],
  [/\bLinux\b/, 'Linux'],
];

/**
 * A browser in a few words from its user-agent: "Chrome 131, Windows", "Safari 17, iOS",
 * "Firefox 133"; a user-agent it cannot read is cut to its first words; null for none.
 */
export function shortUserAgent(ua: string | null | undefined): string | null {
  const s = (ua ?? '').trim();
  if (!s) return null;
  let browser: string | null = null;
  for (const [re, name] of BROWSERS) {
    const m = re.exec(s);
    if (m) {
      browser = `${name} ${m[1]}`;
      break;
    }
  }
  const system = SYSTEMS.find(([re]) => re.test(s))?.[1] ?? null;
  if (browser) return system ? `${browser}, ${system}` : browser;
  const head = s.length > 40 ? `${s.slice(0, 39).trimEnd()}…` : s;
  return system && !head.includes(system) ? `${head}, ${system}` : head;
}

// ---- the change-password form ---------------------------------------------------------------

/** The server's bounds of a password (characters). */
export const PASSWORD_MIN = 8;
export const PASSWORD_MAX = 256;

export interface PasswordDraft {
  current: string;
  next: string;
  repeat: string;
}

/** The fields as the server names them (`current_password`, `new_password`) and the repeat. */
export type PasswordField = 'current_password' | 'new_password' | 'new_password_repeat';

export interface PasswordIssue {
  field: PasswordField;
  reason: 'required' | 'too_short' | 'too_long' | 'mismatch';
}

/** What the form refuses before sending: an empty field, a length out of 8–256, a repeat that differs. */
export function passwordIssues(d: PasswordDraft): PasswordIssue[] {
  const issues: PasswordIssue[] = [];
  if (!d.current) issues.push({ field: 'current_password', reason: 'required' });
  const length = [...d.next].length;
  if (!d.next) issues.push({ field: 'new_password', reason: 'required' });
  else if (length < PASSWORD_MIN) issues.push({ field: 'new_password', reason: 'too_short' });
  else if (length > PASSWORD_MAX) issues.push({ field: 'new_password', reason: 'too_long' });
  if (!d.repeat) issues.push({ field: 'new_password_repeat', reason: 'required' });
  else if (d.repeat !== d.next) issues.push({ field: 'new_password_repeat', reason: 'mismatch' });
  return issues;
}

export function passwordIssueText(t: T, issue: PasswordIssue): string {
  switch (issue.reason) {
    case 'required':
      return t('security.required');
    case 'too_short':
    case 'too_long':
      return t('security.new_length', { min: PASSWORD_MIN, max: PASSWORD_MAX });
    case 'mismatch':
      return t('security.mismatch');
  }
}

/**
 * The text beside each field of the form: the form's own issues (once the operator tried to
 * save), or the server's refusal of one field in the console's words.
 */
export function passwordMessages(t: T, issues: readonly PasswordIssue[], problem: Problem | null): Map<PasswordField, string> {
  const out = new Map<PasswordField, string>();
  for (const issue of issues) if (!out.has(issue.field)) out.set(issue.field, passwordIssueText(t, issue));
  const field = problem?.code === 'validation_failed' ? problem.details.field : undefined;
  if (field === 'current_password') out.set(field, t('security.current_wrong'));
  if (field === 'new_password') out.set(field, t('security.new_length', { min: PASSWORD_MIN, max: PASSWORD_MAX }));
  return out;
}

/** Whether a refusal of the form is shown beside a field (else under the form). */
export function isPasswordFieldProblem(problem: Problem | null): boolean {
  const field = problem?.code === 'validation_failed' ? problem.details.field : undefined;
  return field === 'current_password' || field === 'new_password';
}

// ---- refusals on the operators page ---------------------------------------------------------

/** The field a refusal names (`details.field`), if any. */
export function problemField(problem: Problem | null): string | null {
  const field = problem?.details.field;
  return typeof field === 'string' && field.trim() ? field.trim() : null;
}
