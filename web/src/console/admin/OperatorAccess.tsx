/**
 * An operator's access on the operators page: his role (a selector; one's own is only shown),
 * deactivate (after a confirmation that says what happens) or give access back, and a password
 * reset whose new password is shown once. A refusal shows beside the control that was refused.
 */
import { useState } from 'preact/hooks';
import { oneOf, type OperatorView, type Role } from '../../shared/api-types';
import type { Problem } from '../console-state';
import { problemText } from '../context';
import { DeactivateDialog } from './DeactivateDialog';
import { issueText } from './issue-text';
import { serverIssue } from './server-issues';
import { problemField, ROLES, roleLabel } from './lifecycle';
import { ResetPasswordDialog } from './ResetPasswordDialog';
import { useAdmin } from './use-admin';
import '../account.css';

/** A refusal under a control of a row: the console's words for the code and the refused field. */
function CellProblem({ problem, testid }: { problem: Problem; testid: string }) {
  const { t, lang } = useAdmin();
  const field = problemField(problem);
  const text =
    problem.code === 'validation_failed' && field === 'id'
      ? t('operators.not_self')
      : problemText(t, lang, problem, (f) => (f === 'role' ? t('operators.role') : f === 'id' ? t('operators.field_id') : f));
  const issue = field === 'id' ? null : serverIssue(problem);
  const extra = issue ? issueText(t, issue) : null;
  return (
    <p class="form-error cell-problem" role="alert" data-testid={testid} data-code={problem.code} data-field={field ?? undefined}>
      {text}
      {extra && <span class="form-error-detail">{extra}</span>}
    </p>
  );
}

/** The role: a selector for others, plain text for oneself. */
export function OperatorRoleCell({ operator: o, self }: { operator: OperatorView; self: boolean }) {
  const { admin, t } = useAdmin();
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<Problem | null>(null);

  if (self) return <span data-testid="operator-role">{roleLabel(t, o.role)}</span>;

  const change = async (role: Role) => {
    if (busy || role === o.role) return;
    setBusy(true);
    setProblem(null);
    setProblem(await admin.setRole(o.id, role));
    setBusy(false);
  };

  return (
    <div>
      <select
        class="role-select"
        value={o.role}
        disabled={busy}
        aria-label={t('operators.role_of', { name: o.display_name })}
        aria-invalid={problem ? true : undefined}
        onChange={(e) => {
          const role = oneOf(e.currentTarget.value, ROLES);
          if (role) void change(role);
        }}
        data-testid="operator-role-select"
      >
        {ROLES.map((r) => (
          <option key={r} value={r}>
            {roleLabel(t, r)}
          </option>
        ))}
      </select>
      {problem && <CellProblem problem={problem} testid="operator-role-error" />}
    </div>
  );
}

/** Deactivate / give access back, and reset the password; nothing for oneself. */
export function OperatorAccessCell({ operator: o, self }: { operator: OperatorView; self: boolean }) {
  const { admin, t } = useAdmin();
  const [dialog, setDialog] = useState<'deactivate' | 'reset' | null>(null);
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<Problem | null>(null);

  if (self) return null;

  const reactivate = async () => {
    if (busy) return;
    setBusy(true);
    setProblem(null);
    setProblem(await admin.reactivate(o.id));
    setBusy(false);
  };

  return (
    <div class="access-cell-inner">
      <div class="access-actions">
        {o.deactivated ? (
          <button type="button" class="btn btn-secondary btn-small" disabled={busy} onClick={() => void reactivate()} data-testid="operator-reactivate">
            {busy ? t('operators.reactivating') : t('operators.reactivate')}
          </button>
        ) : (
          <>
            <button type="button" class="btn btn-secondary btn-small" onClick={() => setDialog('reset')} data-testid="operator-reset-password">
              {t('operators.reset_password')}
            </button>
            <button
              type="button"
              class="btn btn-secondary btn-small btn-danger-quiet"
              onClick={() => {
                setProblem(null);
                setDialog('deactivate');
              }}
              data-testid="operator-deactivate"
            >
              {t('operators.deactivate')}
            </button>
          </>
        )}
      </div>
      {problem && <CellProblem problem={problem} testid="operator-access-error" />}
      {dialog === 'deactivate' && (
        <DeactivateDialog
          operator={o}
          onClose={(refused) => {
            setDialog(null);
            setProblem(refused);
          }}
        />
      )}
      {dialog === 'reset' && <ResetPasswordDialog operator={o} onClose={() => setDialog(null)} />}
    </div>
  );
}
