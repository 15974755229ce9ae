/** Picks the screen: checking the session, sign-in, the dialogs, or an admin page. */
import { useEffect } from 'preact/hooks';
import { useConsole } from '../context';
import { documentTitle } from '../dialogs';
import { AdminPage } from '../admin/AdminPage';
import { AppHeader } from './AppHeader';
import { ConnectionBanner } from './ConnectionBanner';
import { DialogList } from './DialogList';
import { DialogPane } from './DialogPane';
import { LoginForm } from './LoginForm';
import { MentionToasts } from './MentionToasts';
import { NoticeBar } from './NoticeBar';
import { SlaToasts } from './SlaToasts';

export function App() {
  const { state, t, lang } = useConsole();
  const signedIn = state.auth === 'signed_in';
  const unread = signedIn ? state.unreadTotal() : 0;
  const queue = signedIn ? state.queueCount() : 0;

  useEffect(() => {
    document.documentElement.lang = lang;
    document.title = documentTitle(unread, queue, {
      plain: t('app.name'),
      unread: t('app.title_unread'),
      queue: t('app.title_queue'),
      both: t('app.title_unread_queue'),
    });
  }, [lang, unread, queue, t]);

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

  const admin = state.route.view === 'admin';
  return (
    <div class={`shell${state.selectedId && !admin ? ' has-selection' : ''}`}>
      <AppHeader />
      <ConnectionBanner />
      <NoticeBar />
      {state.route.view === 'admin' ? (
        <AdminPage section={state.route.section} channelId={state.route.channelId} />
      ) : (
        <div class="workspace">
          <DialogList />
          <DialogPane />
        </div>
      )}
      <div class="toasts" aria-live="polite">
        <SlaToasts />
        <MentionToasts />
      </div>
    </div>
  );
}
