/**
 * The way between the dialogs and the pages beside them: admins see channels (a channel's
 * automation is reached from there), operators (and beside them the audit log), installing
 * the widget, routing rules, proactive messages, tags (and beside them the custom fields), saved replies and webhooks; supervisors
 * the segments, tags and saved replies; operators their saved replies; everyone the tickets escalation forms made;
 * supervisors and admins the reports and the live board. Everyone's profile page opens from his name
 * (AppHeader). Leaving a page with unsaved edits is asked about (ConsoleState.navigate).
 */
import type { AdminSection } from '../routes';
import { NAV_PARENT, pathFor, USER_PAGES } from '../routes';
import { useConsole } from '../context';
import type { ConsoleKey } from '../i18n';

const LABELS: Record<AdminSection, ConsoleKey> = {
  channels: 'nav.channels',
  automation: 'nav.channels',
  operators: 'nav.operators',
  install: 'nav.install',
  rules: 'nav.rules',
  quality: 'quality.title',
  moderation: 'moderation.title',
  segments: 'segments.title',
  triggers: 'nav.triggers',
  tags: 'nav.tags',
  fields: 'fields.title',
  replies: 'nav.replies',
  forms: 'forms.admin.nav',
  webhooks: 'nav.webhooks',
  'api-keys': 'apikeys.title',
  telegram: 'nav.telegram',
  mail: 'nav.mail',
  audit: 'nav.audit',
  account: 'nav.account',
};

export function AdminNav() {
  const { state, t } = useConsole();
  // Everyone has the tickets page beside the dialogs. A page reached from a parent he may not
  // open (a supervisor's segments) is in the navigation itself.
  const allowed = state.adminSections();
  const sections = allowed.filter((s) => (!NAV_PARENT[s] || !allowed.includes(NAV_PARENT[s]!)) && !USER_PAGES.includes(s));
  const label = (s: AdminSection) => t(LABELS[s]);
  const route = state.session.route;
  const go = (e: MouseEvent, to: () => void) => {
    if (e.ctrlKey || e.metaKey || e.shiftKey || e.button !== 0) return;
    e.preventDefault();
    to();
  };
  return (
    <nav class="admin-nav" aria-label={t('nav.label')} data-testid="admin-nav">
      <a
        href={pathFor({ view: 'dialogs', dialogId: null })}
        class={route.view === 'dialogs' ? 'active' : ''}
        aria-current={route.view === 'dialogs' ? 'page' : undefined}
        onClick={(e) => go(e, () => state.navigate({ view: 'dialogs', dialogId: state.dialog.selectedId }))}
        data-testid="nav-dialogs"
      >
        {t('nav.dialogs')}
      </a>
      <a
        href={pathFor({ view: 'tickets' })}
        class={route.view === 'tickets' ? 'active' : ''}
        aria-current={route.view === 'tickets' ? 'page' : undefined}
        onClick={(e) => go(e, () => state.navigate({ view: 'tickets' }))}
        data-testid="nav-tickets"
      >
        {t('tickets.nav')}
      </a>
      {state.isSupervisor() && (
        <>
          <a
            href={pathFor({ view: 'reports' })}
            class={route.view === 'reports' ? 'active' : ''}
            aria-current={route.view === 'reports' ? 'page' : undefined}
            onClick={(e) => go(e, () => state.navigate({ view: 'reports' }))}
            data-testid="nav-reports"
          >
            {t('reports.nav')}
          </a>
          <a
            href={pathFor({ view: 'board' })}
            class={route.view === 'board' ? 'active' : ''}
            aria-current={route.view === 'board' ? 'page' : undefined}
            onClick={(e) => go(e, () => state.navigate({ view: 'board' }))}
            data-testid="nav-board"
          >
            {t('board.nav')}
          </a>
        </>
      )}
      {sections.map((s) => {
        const current = route.view === 'admin' && (route.section === s || NAV_PARENT[route.section] === s);
        return (
          <a
            key={s}
            href={pathFor({ view: 'admin', section: s })}
            class={current ? 'active' : ''}
            aria-current={current ? 'page' : undefined}
            onClick={(e) => go(e, () => state.navigate({ view: 'admin', section: s }))}
            data-testid={`nav-${s}`}
          >
            {label(s)}
          </a>
        );
      })}
    </nav>
  );
}
