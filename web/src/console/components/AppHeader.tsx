/** The top bar: product and workspace, admin pages, presence, alerts, the operator, language, sign-out. */
import { useConsole } from '../context';
import { AdminNav } from './AdminNav';
import { AlertSettings } from './AlertSettings';
import { Avatar } from './Avatar';
import { LanguageSwitch } from './LanguageSwitch';
import { PresenceSwitch } from './PresenceSwitch';

export function AppHeader() {
  const { state, t } = useConsole();
  const me = state.me!;
  const role = me.operator.role === 'admin' ? t('header.role_admin') : me.operator.role === 'supervisor' ? t('header.role_supervisor') : t('header.role_operator');
  return (
    <header class="app-header" data-testid="app-header">
      <div class="app-brand">
        <span class="brand-mark" aria-hidden="true">F</span>
        <span class="brand-name">{t('app.name')}</span>
        <span class="brand-workspace" data-testid="workspace-name">{me.workspace.name}</span>
        <AdminNav />
      </div>
      <div class="app-user">
        <PresenceSwitch />
        <AlertSettings />
        <Avatar name={me.operator.display_name} tone="operator" />
        <div class="app-user-text">
          <span class="app-user-name" data-testid="operator-name">{me.operator.display_name}</span>
          {role.toLowerCase() !== me.operator.display_name.trim().toLowerCase() && <span class="app-user-role">{role}</span>}
        </div>
        <LanguageSwitch />
        <button type="button" class="btn btn-ghost" onClick={() => void state.logout()} data-testid="logout">
          {t('header.logout')}
        </button>
      </div>
    </header>
  );
}
