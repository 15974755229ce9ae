/**
 * The pages about connecting Frontline to the outside, side by side: installing the widget on
 * a site, and webhooks (admins). The navigation shows them as one entry, "Integrations".
 */
import { pathFor, type AdminSection } from '../routes';
import { useAdmin } from './use-admin';
import '../account.css';

type Tab = 'install' | 'webhooks';

export function IntegrationsTabs({ current }: { current: Tab }) {
  const { state, t } = useAdmin();
  const allowed = state.adminSections();
  const tabs: [Tab, string][] = [
    ['install', t('install.title')],
    ['webhooks', t('webhooks.title')],
  ];
  const shown = tabs.filter(([s]) => allowed.includes(s));
  if (shown.length < 2) return null;
  const tab = (section: AdminSection & Tab, label: string) => (
    <a
      key={section}
      href={pathFor({ view: 'admin', section })}
      class={current === section ? 'active' : ''}
      aria-current={current === section ? 'page' : undefined}
      onClick={(e) => {
        if (e.ctrlKey || e.metaKey || e.shiftKey || e.button !== 0) return;
        e.preventDefault();
        state.navigate({ view: 'admin', section });
      }}
      data-testid={`integrations-tab-${section}`}
    >
      {label}
    </a>
  );
  return (
    <nav class="page-tabs" aria-label={t('nav.install')}>
      {shown.map(([s, label]) => tab(s, label))}
    </nav>
  );
}
