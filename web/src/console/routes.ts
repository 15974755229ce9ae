/**
 * The console's paths: `/console/` (the list), `/console/dialogs/<id>` (a dialog),
 * `/console/admin/<section>` (admin pages, and the saved replies everyone edits),
 * `/console/admin/automation/<channel id>` (a channel's automation), `/console/admin/install`
 * (putting the widget on a site), `/console/admin/webhooks`, `/console/admin/api-keys` (the Web API's keys),
 * `/console/admin/telegram` and `/console/admin/mail` (admins), `/console/admin/moderation` (admins: complaints
 * about visitors and blocks), `/console/admin/segments` (saved filters over visitors: admins
 * edit, supervisors look), `/console/admin/fields` (admins: custom fields of dialogs and
 * visitors, beside the tags and categories), `/console/account`
 * (everyone's own profile page: his name, language, pinned replies, notifications, mail while
 * away, password and sessions), `/console/tickets` (everyone's list of the tickets forms made), and
 * `/console/reports` and `/console/board` (supervisors' and admins' reports and live board; the
 * reports' filters ride in the query). The server answers index.html for every `/console/…` path, so each of them is a
 * deep link.
 */
import type { Role } from '../shared/api-types';

export type AdminSection = 'channels' | 'automation' | 'operators' | 'install' | 'rules' | 'quality' | 'moderation' | 'segments' | 'triggers' | 'tags' | 'fields' | 'replies' | 'forms' | 'webhooks' | 'api-keys' | 'telegram' | 'mail' | 'audit' | 'account';
export const ADMIN_SECTIONS: readonly AdminSection[] = ['channels', 'automation', 'operators', 'install', 'rules', 'quality', 'moderation', 'segments', 'triggers', 'tags', 'fields', 'replies', 'forms', 'webhooks', 'api-keys', 'telegram', 'mail', 'audit', 'account'];

/**
 * Pages reached from another page rather than from the navigation (automation: from a channel;
 * the audit log: beside the operators; the quality guard, `/console/admin/quality`, and the
 * complaints and blocks, `/console/admin/moderation`, and the segments, `/console/admin/segments`:
 * beside the routing rules; the custom fields, `/console/admin/fields`: beside the tags and
 * categories, where an admin looks for what a dialog carries); the navigation marks the parent while one is open. A page whose
 * parent the operator may not open is in the navigation itself (a supervisor's segments).
 */
export const NAV_PARENT: Partial<Record<AdminSection, AdminSection>> = { automation: 'channels', audit: 'operators', webhooks: 'install', 'api-keys': 'install', telegram: 'install', mail: 'install', quality: 'rules', moderation: 'rules', segments: 'rules', fields: 'tags' };

/** Pages reached from the operator's own name in the header (his profile page), not from the navigation. */
export const USER_PAGES: readonly AdminSection[] = ['account'];

/**
 * The pages a role may open: everyone keeps his own saved replies and his profile page;
 * supervisors also edit the shared replies and the tag and category dictionaries, and look at
 * the segments (read-only: who is in each, the counts); admins
 * everything (the custom fields, the installation page, the webhooks, the Web API's keys, the Telegram bots, the mail setup and the audit log too).
 */
export function sectionsFor(role: Role | null): AdminSection[] {
  if (role === 'admin') return [...ADMIN_SECTIONS];
  if (role === 'supervisor') return ['segments', 'tags', 'replies', 'account'];
  if (role === 'operator') return ['replies', 'account'];
  return [];
}

export type Route =
  | { view: 'dialogs'; dialogId: string | null }
  | { view: 'admin'; section: AdminSection; channelId?: string | null }
  /** Every operator's list of the tickets escalation forms made (`/console/tickets`). */
  | { view: 'tickets' }
  /** Reports for supervisors and admins (`/console/reports`; the filters in the query). */
  | { view: 'reports' }
  /** The live board for supervisors and admins (`/console/board`). */
  | { view: 'board' };

export const BASE = '/console/';

/**
 * The invitation's page (`/console/invite#<secret>`): open without a session, so the console
 * shows it before the sign-in form and without asking who is signed in (main.tsx).
 */
export const INVITE_PATH = `${BASE}invite`;

export function isInvitePath(path: string): boolean {
  return path === INVITE_PATH || path === `${INVITE_PATH}/`;
}

/** The dialog id in a console path (`/console/dialogs/<id>`), or null. */
export function dialogIdFromPath(path: string): string | null {
  const m = /^\/console\/dialogs\/([^/?#]+)/.exec(path);
  return m ? decodeURIComponent(m[1]) : null;
}

export function routeFromPath(path: string): Route {
  if (/^\/console\/account(?:[/?#]|$)/.test(path)) return { view: 'admin', section: 'account' };
  if (/^\/console\/tickets(?:[/?#]|$)/.test(path)) return { view: 'tickets' };
  if (/^\/console\/reports(?:[/?#]|$)/.test(path)) return { view: 'reports' };
  if (/^\/console\/board(?:[/?#]|$)/.test(path)) return { view: 'board' };
  const admin = /^\/console\/admin(?:\/([^/?#]*))?(?:\/([^/?#]+))?/.exec(path);
  if (admin) {
    const section = ADMIN_SECTIONS.find((s) => s === admin[1]) ?? 'channels';
    if (section === 'automation') return { view: 'admin', section, channelId: admin[2] ? decodeURIComponent(admin[2]) : null };
    return { view: 'admin', section };
  }
  return { view: 'dialogs', dialogId: dialogIdFromPath(path) };
}

export function pathFor(route: Route): string {
  if (route.view === 'tickets') return `${BASE}tickets`;
  if (route.view === 'reports') return `${BASE}reports`;
  if (route.view === 'board') return `${BASE}board`;
  if (route.view === 'admin') {
    if (route.section === 'account') return `${BASE}account`;
    const tail = route.section === 'automation' && route.channelId ? `/${encodeURIComponent(route.channelId)}` : '';
    return `${BASE}admin/${route.section}${tail}`;
  }
  return route.dialogId ? `${BASE}dialogs/${encodeURIComponent(route.dialogId)}` : BASE;
}
