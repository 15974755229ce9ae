/**
 * The console's paths: `/console/` (the list), `/console/dialogs/<id>` (a dialog),
 * `/console/admin/<section>` (admin pages, and the saved replies everyone edits), and
 * `/console/admin/automation/<channel id>` (a channel's automation). The server answers
 * index.html for every `/console/…` path, so each of them is a deep link.
 */
import type { Role } from '../shared/api-types';

export type AdminSection = 'channels' | 'automation' | 'operators' | 'rules' | 'triggers' | 'tags' | 'replies';
export const ADMIN_SECTIONS: readonly AdminSection[] = ['channels', 'automation', 'operators', 'rules', 'triggers', 'tags', 'replies'];

/** Pages reached from another page rather than from the navigation (automation: from a channel). */
export const NAV_PARENT: Partial<Record<AdminSection, AdminSection>> = { automation: 'channels' };

/**
 * The pages a role may open: everyone keeps his own saved replies; supervisors also edit the
 * shared replies and the tag and category dictionaries; admins everything.
 */
export function sectionsFor(role: Role | null): AdminSection[] {
  if (role === 'admin') return [...ADMIN_SECTIONS];
  if (role === 'supervisor') return ['tags', 'replies'];
  if (role === 'operator') return ['replies'];
  return [];
}

export type Route =
  | { view: 'dialogs'; dialogId: string | null }
  | { view: 'admin'; section: AdminSection; channelId?: string | null };

export const BASE = '/console/';

/** The dialog id in a console path (`/console/dialogs/<id>`), or null. */
export function dialogIdFromPath(path: string): string | null {
  const m = /^\/console\/dialogs\/([^/?#]+)/.exec(path);
  return m ? decodeURIComponent(m[1]) : null;
}

export function routeFromPath(path: string): Route {
  const admin = /^\/console\/admin(?:\/([^/?#]*))?(?:\/([^/?#]+))?/.exec(path);
  if (admin) {
    const section = ADMIN_SECTIONS.find((s) => s === admin[1]) ?? 'channels';
    if (section === 'automation') return { view: 'admin', section, channelId: admin[2] ? decodeURIComponent(admin[2]) : null };
    return { view: 'admin', section };
  }
  return { view: 'dialogs', dialogId: dialogIdFromPath(path) };
}

export function pathFor(route: Route): string {
  if (route.view === 'admin') {
    const tail = route.section === 'automation' && route.channelId ? `/${encodeURIComponent(route.channelId)}` : '';
    return `${BASE}admin/${route.section}${tail}`;
  }
  return route.dialogId ? `${BASE}dialogs/${encodeURIComponent(route.dialogId)}` : BASE;
}
