/**
 * The operator in the top bar (avatar, name, role) as the way to his Security page: his
 * password and sessions. Marked while that page is open.
 */
import { useConsole } from '../context';
import { roleLabel } from '../admin/lifecycle';
import { pathFor } from '../routes';
import { Avatar } from './Avatar';
import '../account.css';

export function AccountLink() {
  const { state, t } = useConsole();
  const me = state.session.me!;
  const role = roleLabel(t, me.operator.role);
  const route = { view: 'admin', section: 'account' } as const;
  const current = state.session.route.view === 'admin' && state.session.route.section === 'account';
  return (
    <a
      class={`app-user-link${current ? ' active' : ''}`}
      href={pathFor(route)}
      title={t('nav.account_title')}
      aria-current={current ? 'page' : undefined}
      onClick={(e) => {
        if (e.ctrlKey || e.metaKey || e.shiftKey || e.button !== 0) return;
        e.preventDefault();
        state.navigate(route);
      }}
      data-testid="nav-account"
    >
      <Avatar name={me.operator.display_name} tone="operator" />
      <span class="app-user-text">
        <span class="app-user-name" data-testid="operator-name">
          {me.operator.display_name}
        </span>
        {role.toLowerCase() !== me.operator.display_name.trim().toLowerCase() && (
          <span class="app-user-role" data-testid="operator-role-shown">
            {role}
          </span>
        )}
      </span>
    </a>
  );
}
