/** The two pages about operators, side by side: the operators themselves and the audit log. */
import { pathFor, type AdminSection } from '../routes';
import { useAdmin } from './use-admin';
import '../account.css';

export function OperatorsTabs({ current }: { current: 'operators' | 'audit' }) {
  const { state, t } = useAdmin();
  const tab = (section: AdminSection & ('operators' | 'audit'), label: string) => (
    <a
      href={pathFor({ view: 'admin', section })}
      class={current === section ? 'active' : ''}
      aria-current={current === section ? 'page' : undefined}
      onClick={(e) => {
        if (e.ctrlKey || e.metaKey || e.shiftKey || e.button !== 0) return;
        e.preventDefault();
        state.navigate({ view: 'admin', section });
      }}
      data-testid={`operators-tab-${section}`}
    >
      {label}
    </a>
  );
  return (
    <nav class="page-tabs" aria-label={t('nav.operators')}>
      {tab('operators', t('operators.title'))}
      {tab('audit', t('audit.title'))}
    </nav>
  );
}
