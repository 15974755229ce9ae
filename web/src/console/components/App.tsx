/** Picks the screen: checking the session, sign-in, the dialogs, the tickets, the reports, the live board, or an admin page. */
import { useEffect } from 'preact/hooks';
import { useConsole } from '../context';
import { documentTitle } from '../dialogs';
import { AdminPage } from '../admin/AdminPage';
import { AppHeader } from './AppHeader';
import { BoardPage } from './BoardPage';
import { ConnectionBanner } from './ConnectionBanner';
import { DialogList } from './DialogList';
import { DialogPane } from './DialogPane';
import { KeyboardShortcuts } from './KeyboardShortcuts';
import { LoginForm } from './LoginForm';
import { MentionToasts } from './MentionToasts';
import { NoticeBar } from './NoticeBar';
import { PresenceBanner } from './PresenceBanner';
import { ReportsPage } from './ReportsPage';
import { SkipLinks } from './SkipLinks';
import { SlaToasts } from './SlaToasts';
import { TicketsPage } from './TicketsPage';

/**
 * The page's language and title (unread and queued counts). Its own component: it follows the
 * lists and the read marks, which the shell itself must not redraw for.
 */
function DocumentTitle() {
  const { state, t, lang } = useConsole('lists', 'dialog');
  const signedIn = state.session.auth === 'signed_in';
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
  return null;
}

export function App() {
  return (
    <>
      <DocumentTitle />
      <Screen />
    </>
  );
}

/** Redrawn only by the session (sign-in, the page open, the language): the parts below follow their own slices. */
function Screen() {
  const { state, t } = useConsole();
  if (state.session.auth === 'checking') {
    return (
      <div class="splash" data-testid="app-loading">
        <span class="spinner" aria-hidden="true" />
        {t('app.loading')}
      </div>
    );
  }
  if (state.session.auth === 'unreachable') {
    return (
      <div class="splash" role="alert">
        <p>{t('app.load_failed')}</p>
        <button type="button" class="btn btn-primary" onClick={() => void state.start()}>
          {t('app.retry')}
        </button>
      </div>
    );
  }
  if (state.session.auth === 'signed_out') return <LoginForm />;

  const route = state.session.route;
  // The route names the open dialog as `dialog.selectedId` does (ConsoleState.open keeps them together).
  return (
    <div class={`shell${route.view === 'dialogs' && route.dialogId ? ' has-selection' : ''}`}>
      {route.view === 'dialogs' && <SkipLinks />}
      <AppHeader />
      <ConnectionBanner />
      <PresenceBanner />
      <NoticeBar />
      {/* Notes take their own room under the top bar: they never cover a control (Toast). */}
      <section class="toasts" aria-label={t('toasts.label')} aria-live="polite">
        <SlaToasts />
        <MentionToasts />
      </section>
      {route.view === 'admin' ? (
        <AdminPage section={route.section} channelId={route.channelId} />
      ) : route.view === 'tickets' ? (
        <TicketsPage />
      ) : route.view === 'reports' ? (
        <ReportsPage />
      ) : route.view === 'board' ? (
        <BoardPage />
      ) : (
        <div class="workspace">
          <DialogList />
          <DialogPane />
        </div>
      )}
      <KeyboardShortcuts />
    </div>
  );
}
