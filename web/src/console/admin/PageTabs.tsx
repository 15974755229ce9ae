/**
 * Pages shown side by side under one navigation entry (operators and the audit log;
 * installation and webhooks): a tab for each page the operator may open, none when only one.
 */
import { pathFor, type AdminSection } from '../routes';
import { useAdmin } from './use-admin';
import '../account.css';

export function PageTabs<S extends AdminSection>({
  label,
  current,
  tabs,
  testid,
}: {
  label: string;
  current: S;
  tabs: readonly [S, string][];
  /** `data-testid` of each tab: `${testid}-${section}`. */
  testid: string;
}) {
  const { state } = useAdmin();
  const allowed = state.adminSections();
  const shown = tabs.filter(([s]) => allowed.includes(s));
  if (shown.length < 2) return null;
  return (
    <nav class="page-tabs" aria-label={label}>
      {shown.map(([section, text]) => (
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
          data-testid={`${testid}-${section}`}
        >
          {text}
        </a>
      ))}
    </nav>
  );
}
