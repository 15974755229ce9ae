/**
 * The top bar: product and workspace, admin pages, presence, alerts, the keyboard shortcuts'
 * help, the operator (the way to his Security page), language, sign-out. On a laptop the
 * operator's name folds into his avatar and the pages' links wrap rather than being cut off
 * (console.css), so every page stays in reach.
 */
import { useConsole } from '../context';
import { AccountLink } from './AccountLink';
import { AdminNav } from './AdminNav';
import { AlertSettings } from './AlertSettings';
import { LanguageSwitch } from './LanguageSwitch';
import { PresenceSwitch } from './PresenceSwitch';

export function AppHeader() {
  const { state, t } = useConsole();
  const me = state.session.me!;
  return (
    <header class="app-header" data-testid="app-header">
      <h1 class="visually-hidden">{t('app.heading')}</h1>
      <div class="app-brand">
        <span class="brand-mark" aria-hidden="true">F</span>
        <span class="brand-name">{t('app.name')}</span>
        <span class="brand-workspace" title={me.workspace.name} data-testid="workspace-name">
          {me.workspace.name}
        </span>
        <AdminNav />
      </div>
      <div class="app-user">
        <PresenceSwitch />
        <AlertSettings />
        <button
          type="button"
          class="icon-btn shortcuts-btn"
          aria-label={t('keys.open')}
          title={t('keys.open')}
          aria-haspopup="dialog"
          onClick={() => state.session.showShortcuts(true)}
          data-testid="shortcuts-open"
        >
          <svg viewBox="0 0 24 24" width="18" height="18" aria-hidden="true">
            <rect x="2.5" y="6" width="19" height="12" rx="2" fill="none" stroke="currentColor" stroke-width="1.7" />
            <path d="M6 10h1M9.5 10h1M13 10h1M16.5 10h1M7.5 14h9" stroke="currentColor" stroke-width="1.7" stroke-linecap="round" />
          </svg>
        </button>
        <AccountLink />
        <LanguageSwitch />
        <button type="button" class="btn btn-ghost" onClick={() => void state.logout()} data-testid="logout">
          {t('header.logout')}
        </button>
      </div>
    </header>
  );
}
