/**
 * Operators: who is online, how loaded, each one's capacity (1–50), and his access (role,
 * deactivation, password reset; see OperatorAccess). "Invite" opens InviteDialog (e-mail, name,
 * role: the person sets his own password by a link); "Add operator" (an account with a first
 * password made here) and each row's "Edit" open OperatorDialog (name, channels, capacity;
 * e-mail and role when adding). Deactivated ones come last; the invitations are listed under
 * them (InvitationsAdmin). Everything here follows `operator.updated`: another admin's additions
 * and renames show without a reload.
 */
import { useEffect, useState } from 'preact/hooks';
import type { OperatorView } from '../../shared/api-types';
import { presenceLabel } from '../components/PresenceSwitch';
import { InvitationsSection } from './InvitationsAdmin';
import { InviteDialog } from './InviteDialog';
import { inviteDraft, type InviteDraft } from './invitations';
import { roleLabel, sortOperators } from './lifecycle';
import { OperatorAccessCell, OperatorRoleCell } from './OperatorAccess';
import { OperatorDialog } from './OperatorDialog';
import { OperatorsTabs } from './OperatorsTabs';
import { useAdmin } from './use-admin';
import './admin-pages.css';

export function OperatorsAdmin() {
  const { state, admin, t, lang } = useAdmin('team');
  const operators = sortOperators(state.team.operators.values(), lang);
  // Each operator's channels come from the channels' member lists.
  useEffect(() => {
    for (const c of state.team.channels) if (!admin.members.has(c.id) && !admin.membersLoading.has(c.id)) void admin.loadMembers(c.id);
  }, [state.team.channels.length]);
  /** The dialog open: 'new', an operator's id (edit), or none. */
  const [dialog, setDialog] = useState<string | null>(null);
  const editing = dialog && dialog !== 'new' ? (state.team.operators.get(dialog) ?? null) : null;
  /** The invite dialog open, with what it starts from (empty, or an earlier invitation's person). */
  const [invite, setInvite] = useState<InviteDraft | null>(null);
  return (
    <section class="admin-section admin-section-wide">
      <OperatorsTabs current="operators" />
      <header class="admin-head admin-head-row">
        <div>
          <h1>{t('operators.title')}</h1>
          <p>{t('operators.hint')}</p>
          <p class="operators-head-ways">{t('invite.head_hint')}</p>
        </div>
        <div class="operators-head-actions">
          <button type="button" class="btn btn-secondary" onClick={() => setDialog('new')} data-testid="operator-add">
            {t('people.add')}
          </button>
          <button type="button" class="btn btn-primary" onClick={() => setInvite(inviteDraft())} data-testid="operator-invite">
            {t('invite.open')}
          </button>
        </div>
      </header>
      <div class="admin-card">
        {operators.length === 0 && <p class="list-note">{t('operators.empty')}</p>}
        {operators.length > 0 && (
          <table class="admin-table operators-table">
            <thead>
              <tr>
                <th>{t('operators.name')}</th>
                <th>{t('operators.role')}</th>
                <th>{t('operators.presence')}</th>
                <th class="num">{t('operators.load')}</th>
                <th class="num">{t('operators.capacity')}</th>
                <th>{t('people.channels')}</th>
                <th>{t('operators.actions')}</th>
              </tr>
            </thead>
            <tbody>
              {operators.map((o) => (
                <OperatorRow key={o.id} operator={o} onEdit={() => setDialog(o.id)} />
              ))}
            </tbody>
          </table>
        )}
      </div>
      <InvitationsSection onRenew={(i) => setInvite(inviteDraft(i))} />
      {dialog === 'new' && <OperatorDialog operator={null} onClose={() => setDialog(null)} />}
      {invite && <InviteDialog initial={invite} onClose={() => setInvite(null)} />}
      {editing && <OperatorDialog key={editing.id} operator={editing} onClose={() => setDialog(null)} />}
    </section>
  );
}

function OperatorRow({ operator: o, onEdit }: { operator: OperatorView; onEdit: () => void }) {
  const { state, admin, t } = useAdmin('team');
  const self = state.session.me?.operator.id === o.id;
  const known = state.team.channels.every((c) => admin.members.has(c.id));
  const channels = state.team.channels.filter((c) => admin.members.get(c.id)?.includes(o.id));

  return (
    <tr
      class={`operator-row${o.deactivated ? ' is-deactivated' : ''}`}
      data-testid="operator-row"
      data-operator-id={o.id}
      data-deactivated={o.deactivated ? 'true' : undefined}
    >
      <td>
        <div class="cell-name">
          <span data-testid="operator-row-name">{o.display_name}</span>
          {self && <span class="you-mark">({t('operators.you')})</span>}
          {o.deactivated && (
            <span class="operator-mark" data-testid="operator-deactivated">
              {t('operators.deactivated')}
            </span>
          )}
        </div>
        <div class="muted">{o.email}</div>
      </td>
      <td>
        {o.deactivated ? <span data-testid="operator-role">{roleLabel(t, o.role)}</span> : <OperatorRoleCell operator={o} self={self} />}
      </td>
      <td>
        <span class={`presence-dot presence-${o.presence}`} aria-hidden="true" /> {presenceLabel(t, o.presence)}
      </td>
      <td class="num" data-testid="operator-load">
        {o.active_dialogs}
      </td>
      <td class="num" data-testid="operator-capacity">
        {o.capacity}
      </td>
      <td class="operator-channels" aria-label={t('people.channels_of', { name: o.display_name })} data-testid="operator-channels">
        {known && channels.length === 0 && <span class="muted">{t('people.in_no_channel')}</span>}
        {channels.map((c) => (
          <span key={c.id} class="channel-chip">
            {c.name}
          </span>
        ))}
      </td>
      <td>
        <div class="access-cell-inner operator-actions">
          {!o.deactivated && (
            <button
              type="button"
              class="btn btn-secondary btn-small"
              aria-label={t('people.edit_of', { name: o.display_name })}
              onClick={onEdit}
              data-testid="operator-edit"
            >
              {t('people.edit')}
            </button>
          )}
          <OperatorAccessCell operator={o} self={self} />
        </div>
      </td>
    </tr>
  );
}
