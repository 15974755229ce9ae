/** Picks the screen: checking the session, sign-in, or the workspace with dialogs. */
import { useEffect } from 'preact/hooks';
import { useConsole } from '../context';
import { AppHeader } from './AppHeader';
import { ConnectionBanner } from './ConnectionBanner';
import { DialogList } from './DialogList';
import { DialogPane } from './DialogPane';
import { LoginForm } from './LoginForm';

export function App() {
  const { state, t, lang } = useConsole();
  const unread = state.auth === 'signed_in' ? state.unreadTotal() : 0;

  useEffect(() => {
    document.documentElement.lang = lang;
    document.title = unread > 0 ? t('app.title_unread', { n: unread }) : t('app.name');
  }, [lang, unread, t]);

  if (state.auth === 'checking') {
    return (
      <div class="splash" data-testid="app-loading">
        <span class="spinner" aria-hidden="true" />
        {t('app.loading')}
      </div>
    );
  }
  if (state.auth === 'unreachable') {
    return (
      <div class="splash" role="alert">
        <p>{t('app.load_failed')}</p>
        <button type="button" class="btn btn-primary" onClick={() => void state.start()}>
          {t('app.retry')}
        </button>
      </div>
    );
  }
  if (state.auth === 'signed_out') return <LoginForm />;

  return (
    <div class={`shell${state.selectedId ? ' has-selection' : ''}`}>
      <AppHeader />
      <ConnectionBanner />
      <div class="workspace">
        <DialogList />
        <DialogPane />
      </div>
    </div>
  );
}
