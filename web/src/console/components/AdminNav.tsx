/** Admins' way between the dialogs and the admin pages (channels, operators, routing rules). */
import type { AdminSection } from '../routes';
import { ADMIN_SECTIONS, pathFor } from '../routes';
import { useConsole } from '../context';

export function AdminNav() {
  const { state, t } = useConsole();
  if (!state.isAdmin()) return null;
  const label = (s: AdminSection) => (s === 'channels' ? t('nav.channels') : s === 'operators' ? t('nav.operators') : t('nav.rules'));
  const route = state.route;
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
        onClick={(e) => go(e, () => state.navigate({ view: 'dialogs', dialogId: state.selectedId }))}
        data-testid="nav-dialogs"
      >
        {t('nav.dialogs')}
      </a>
      {ADMIN_SECTIONS.map((s) => {
        const current = route.view === 'admin' && route.section === s;
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
