/**
 * The audit log (admins), a tab beside the operators: newest first, each line's time in the console's language, who, what
 * happened in words, and from which address; "Load more" follows `next_cursor`.
 */
import { useEffect } from 'preact/hooks';
import { useObservable } from '../../shared/store';
import { auditActor, auditSentence, formatWhen } from './lifecycle';
import { OperatorsTabs } from './OperatorsTabs';
import { ProblemLine } from './ProblemLine';
import { useAdmin } from './use-admin';
import '../account.css';

export function AuditLogAdmin() {
  const { admin, t, lang } = useAdmin();
  const audit = admin.audit;
  useObservable(audit);

  useEffect(() => {
    void audit.load();
  }, [audit]);

  return (
    <section class="admin-section">
      <OperatorsTabs current="audit" />
      <header class="admin-head admin-head-row">
        <div>
          <h1>{t('audit.title')}</h1>
          <p>{t('audit.hint')}</p>
        </div>
        <button type="button" class="btn btn-secondary" disabled={audit.loading} onClick={() => void audit.load()} data-testid="audit-refresh">
          {t('audit.refresh')}
        </button>
      </header>
      <div class="admin-card">
        {!audit.loaded && audit.loading && <p class="list-note">{t('audit.loading')}</p>}
        {audit.loaded && audit.items.length === 0 && <p class="list-note">{t('audit.empty')}</p>}
        {audit.items.length > 0 && (
          <table class="admin-table audit-table" data-testid="audit-table">
            <thead>
              <tr>
                <th>{t('audit.when')}</th>
                <th>{t('audit.who')}</th>
                <th>{t('audit.what')}</th>
                <th>{t('audit.where')}</th>
              </tr>
            </thead>
            <tbody>
              {audit.items.map((e) => (
                <tr key={e.id} class={e.action === 'login.failed' ? 'is-failure' : ''} data-testid="audit-row" data-action={e.action}>
                  <td class="audit-when">
                    <time dateTime={e.at}>{formatWhen(e.at, lang)}</time>
                  </td>
                  <td class={`audit-who${e.actor ? '' : ' muted'}`}>{auditActor(t, e)}</td>
                  <td class="audit-what" data-testid="audit-what">
                    {auditSentence(t, e)}
                  </td>
                  <td class="audit-ip">{e.ip ?? t('audit.no_ip')}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
        {audit.problem && <ProblemLine problem={audit.problem} testid="audit-error" />}
        {audit.nextCursor && (
          <div class="audit-foot">
            <button type="button" class="btn btn-secondary" disabled={audit.loading} onClick={() => void audit.load(true)} data-testid="audit-more">
              {audit.loading ? t('admin.loading') : t('audit.load_more')}
            </button>
          </div>
        )}
      </div>
    </section>
  );
}
