/**
 * «Приглашения» under the operators list: who was invited, in which role, its state in words
 * (waiting, accepted, revoked, run out), when it was sent and until when it works (or when it
 * was accepted), «Отозвать» for one still waiting (after asking) and «Пригласить снова» for one
 * revoked or run out. Read when the page opens, when someone joins the team and when the admin
 * comes back to the window; an invitation accepted since brings its new operator into the list
 * above (the server sends no event for him).
 */
import { useEffect, useRef, useState } from 'preact/hooks';
import { useObservable } from '../../shared/store';
import type { Problem } from '../console-state';
import { problemText } from '../context';
import { renewable, revocable, stateLabel, stateOf, type InvitationView } from './invitations';
import { formatWhen, roleLabel } from './lifecycle';
import { ProblemLine } from './ProblemLine';
import { useAdmin } from './use-admin';
import './invitations.css';

/** The admin controller's invitations part, redrawn on its changes. */
function useInvitations() {
  const env = useAdmin('team');
  useObservable(env.admin.invitations);
  return { ...env, invitations: env.admin.invitations };
}

export function InvitationsSection({ onRenew }: { onRenew: (i: InvitationView) => void }) {
  const { state, admin, invitations, t, lang } = useInvitations();
  const team = state.team.operators.size;

  useEffect(() => {
    void invitations.load();
  }, [invitations, team]);
  useEffect(() => {
    const again = () => void invitations.load();
    addEventListener('focus', again);
    return () => removeEventListener('focus', again);
  }, [invitations]);
  // Someone accepted: his account is new to this console (the server tells it no event then).
  const asked = useRef(new Set<string>());
  useEffect(() => {
    const emails = new Set([...state.team.operators.values()].map((o) => o.email.toLowerCase()));
    const joined = invitations.items.filter((i) => i.state === 'accepted' && !emails.has(i.email.toLowerCase()) && !asked.current.has(i.id));
    if (joined.length === 0) return;
    for (const i of joined) asked.current.add(i.id);
    void state.loadOperators();
    // He joined the default channel as he accepted: the channels' member lists are read again.
    for (const c of state.team.channels) void admin.loadMembers(c.id);
  }, [invitations.items]);

  const now = new Date();
  return (
    <section class="admin-card invitations-card" aria-labelledby="invitations-title" data-testid="invitations">
      <div class="invitations-head">
        <div>
          <h2 id="invitations-title">{t('invite.list_title')}</h2>
          <p>{t('invite.list_hint')}</p>
        </div>
      </div>
      {invitations.problem && (
        <p class="form-error" role="alert" data-testid="invitations-load-error" data-code={invitations.problem.code}>
          {problemText(t, lang, invitations.problem)}{' '}
          <button type="button" class="link" onClick={() => void invitations.load()}>
            {t('app.retry')}
          </button>
        </p>
      )}
      {invitations.loading && !invitations.loaded && <p class="list-note">{t('admin.loading')}</p>}
      {invitations.loaded && invitations.items.length === 0 && (
        <p class="list-note" data-testid="invitations-empty">
          {t('invite.list_empty')}
        </p>
      )}
      {invitations.items.length > 0 && (
        <table class="admin-table invitations-table" aria-labelledby="invitations-title" data-testid="invitations-table">
          <thead>
            <tr>
              <th>{t('invite.col_who')}</th>
              <th>{t('operators.role')}</th>
              <th>{t('invite.col_state')}</th>
              <th>{t('invite.col_when')}</th>
              <th>
                <span class="visually-hidden">{t('operators.actions')}</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {invitations.items.map((i) => (
              <InvitationRow key={i.id} invitation={i} now={now} onRenew={() => onRenew(i)} />
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

function InvitationRow({ invitation: i, now, onRenew }: { invitation: InvitationView; now: Date; onRenew: () => void }) {
  const { invitations, t, lang } = useInvitations();
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<Problem | null>(null);
  const s = stateOf(i, now);

  const revoke = async () => {
    if (!confirm(t('invite.revoke_confirm', { name: i.display_name, email: i.email }))) return;
    setBusy(true);
    setProblem(null);
    setProblem(await invitations.revoke(i.id));
    setBusy(false);
  };

  return (
    <tr class={`invitation-row is-${s}`} data-testid="invitation-row" data-invitation-id={i.id} data-state={s}>
      <td>
        <div class="cell-name" data-testid="invitation-name">
          {i.display_name}
        </div>
        <div class="muted" data-testid="invitation-email">
          {i.email}
        </div>
      </td>
      <td data-testid="invitation-role">{roleLabel(t, i.role)}</td>
      <td>
        <span class={`invite-state is-${s}`} data-testid="invitation-state">
          <span class="status-dot" aria-hidden="true" />
          {stateLabel(t, s)}
        </span>
      </td>
      <td class="invitation-when" data-testid="invitation-when">
        <div>{t('invite.sent_at', { when: formatWhen(i.created_at, lang) })}</div>
        {s === 'pending' && <div class="muted">{t('invite.valid_until', { when: formatWhen(i.expires_at, lang) })}</div>}
        {s === 'accepted' && i.accepted_at && <div class="muted">{t('invite.accepted_at', { when: formatWhen(i.accepted_at, lang) })}</div>}
        {s === 'expired' && <div class="muted">{t('invite.expired_at', { when: formatWhen(i.expires_at, lang) })}</div>}
      </td>
      <td class="invitation-actions">
        {revocable(i, now) && (
          <button
            type="button"
            class="btn btn-secondary btn-small btn-danger-quiet"
            disabled={busy}
            aria-label={t('invite.revoke_of', { name: i.display_name })}
            onClick={() => void revoke()}
            data-testid="invitation-revoke"
          >
            {busy ? t('invite.revoking') : t('invite.revoke')}
          </button>
        )}
        {renewable(i, now) && (
          <button
            type="button"
            class="btn btn-secondary btn-small"
            aria-label={t('invite.again_of', { name: i.display_name })}
            onClick={onRenew}
            data-testid="invitation-again"
          >
            {t('invite.again')}
          </button>
        )}
        {problem && <ProblemLine problem={problem} testid="invitation-revoke-error" />}
      </td>
    </tr>
  );
}
