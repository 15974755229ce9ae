/**
 * The console's paths: `/console/` (the list), `/console/dialogs/<id>` (a dialog),
 * `/console/admin/<section>` (admin pages, and the saved replies everyone edits). The server answers index.html for every
 * `/console/…` path, so each of them is a deep link.
 */
import type { Role } from '../shared/api-types';

export type AdminSection = 'channels' | 'operators' | 'rules' | 'tags' | 'replies';
export const ADMIN_SECTIONS: readonly AdminSection[] = ['channels', 'operators', 'rules', 'tags', 'replies'];

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

export type Route = { view: 'dialogs'; dialogId: string | null } | { view: 'admin'; section: AdminSection };

export const BASE = '/console/';

/** The dialog id in a console path (`/console/dialogs/<id>`), or null. */
export function dialogIdFromPath(path: string): string | null {
  const m = /^\/console\/dialogs\/([^/?#]+)/.exec(path);
  return m ? decodeURIComponent(m[1]) : null;
}

export function routeFromPath(path: string): Route {
  const admin = /^\/console\/admin(?:\/([^/?#]*))?/.exec(path);
  if (admin) {
    const section = ADMIN_SECTIONS.find((s) => s === admin[1]) ?? 'channels';
    return { view: 'admin', section };
  }
  return { view: 'dialogs', dialogId: dialogIdFromPath(path) };
}

export function pathFor(route: Route): string {
  if (route.view === 'admin') return `${BASE}admin/${route.section}`;
  return route.dialogId ? `${BASE}dialogs/${encodeURIComponent(route.dialogId)}` : BASE;
}
