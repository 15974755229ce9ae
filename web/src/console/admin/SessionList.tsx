/**
 * The operator's sessions: the browser in a few words, its address, when it was last used and
 * signed in, this one marked; "End" for each other one and "End all other sessions".
 */
import { useEffect, useState } from 'preact/hooks';
import { useObservable } from '../../shared/store';
import type { Problem } from '../console-state';
import { formatWhen, shortUserAgent } from './lifecycle';
import { ProblemLine } from './ProblemLine';
import { useAdmin } from './use-admin';

export function SessionList() {
  const { admin, t, lang } = useAdmin();
  const security = admin.security;
  useObservable(security);
  const [problem, setProblem] = useState<Problem | null>(null);
  const [ended, setEnded] = useState<number | null>(null);

  useEffect(() => {
    void security.open();
  }, [security]);

  const others = security.sessions.filter((s) => !s.current).length;

  const endOne = async (id: string) => {
    setEnded(null);
    setProblem(await security.endSession(id));
  };
  const endOthers = async () => {
    setProblem(null);
    const done = await security.endOthers();
    if (typeof done === 'number') setEnded(done);
    else setProblem(done);
  };

  return (
    <section class="admin-card sessions-card" data-testid="sessions">
      <div class="sessions-head">
        <div>
          <h2>{t('security.sessions_title')}</h2>
          <p>{t('security.sessions_hint')}</p>
        </div>
        <button
          type="button"
          class="btn btn-secondary"
          disabled={others === 0 || security.endingOthers}
          onClick={() => void endOthers()}
          data-testid="sessions-end-others"
        >
          {security.endingOthers ? t('security.ending') : t('security.end_others')}
        </button>
      </div>
      {!security.loaded && security.loading && <p class="list-note">{t('security.loading')}</p>}
      {security.problem && <ProblemLine problem={security.problem} testid="sessions-load-error" />}
      {security.sessions.length > 0 && (
        <table class="admin-table sessions-table">
          <thead>
            <tr>
              <th>{t('security.browser')}</th>
              <th>{t('security.ip')}</th>
              <th>{t('security.last_seen')}</th>
              <th>
                <span class="visually-hidden">{t('security.end')}</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {security.sessions.map((s) => (
              <tr key={s.id} data-testid="session-row" data-session-id={s.id} data-current={s.current ? 'true' : undefined}>
                <td>
                  <div class="session-browser" title={s.user_agent ?? undefined} data-testid="session-browser">
                    {shortUserAgent(s.user_agent) ?? t('security.unknown_browser')}
                  </div>
                  <div class="session-meta">
                    {s.current && (
                      <span class="session-current" data-testid="session-current">
                        {t('security.current_session')}
                      </span>
                    )}
                    <span class="muted">
                      {t('security.signed_in')}: {formatWhen(s.created_at, lang)}
                    </span>
                  </div>
                </td>
                <td class="nowrap">{s.ip ?? <span class="muted">{t('security.unknown_ip')}</span>}</td>
                <td class="nowrap">{formatWhen(s.last_seen_at, lang)}</td>
                <td class="session-end">
                  {!s.current && (
                    <button
                      type="button"
                      class="btn btn-secondary btn-small"
                      disabled={security.ending.has(s.id)}
                      onClick={() => void endOne(s.id)}
                      data-testid="session-end"
                    >
                      {security.ending.has(s.id) ? t('security.ending') : t('security.end')}
                    </button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {security.loaded && others === 0 && <p class="list-note" data-testid="sessions-none">{t('security.no_others')}</p>}
      {ended !== null && (
        <p class="ok-note" role="status" data-testid="sessions-ended">
          {t('security.ended_n', { n: ended })}
        </p>
      )}
      {problem && <ProblemLine problem={problem} testid="sessions-error" />}
    </section>
  );
}
