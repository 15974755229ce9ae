/**
 * The top bar: product and workspace, admin pages, presence, alerts, the operator (the way to
 * his Security page), language, sign-out.
 */
import { useConsole } from '../context';
import { AccountLink } from './AccountLink';
import { AdminNav } from './AdminNav';
import { AlertSettings } from './AlertSettings';
import { LanguageSwitch } from './LanguageSwitch';
import { PresenceSwitch } from './PresenceSwitch';

export function AppHeader() {
  const { state, t } = useConsole();
  const me = state.me!;
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
        <AccountLink />
        <LanguageSwitch />
        <button type="button" class="btn btn-ghost" onClick={() => void state.logout()} data-testid="logout">
          {t('header.logout')}
        </button>
      </div>
    </header>
  );
}
