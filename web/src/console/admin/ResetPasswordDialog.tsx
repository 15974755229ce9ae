/**
 * A password reset: first what it does (a new random password, his sessions end), then the new
 * password, shown this once, with a copy button and the warning that it cannot be seen again.
 * The password lives only in this dialog's state and goes when it closes.
 */
import { useRef, useState } from 'preact/hooks';
import type { OperatorView } from '../../shared/api-types';
import type { Problem } from '../console-state';
import { copyText } from './clipboard';
import { ProblemLine } from './ProblemLine';
import { ModalPerson, ModalShell } from './ModalShell';
import { useAdmin } from './use-admin';

export function ResetPasswordDialog({ operator: o, onClose }: { operator: OperatorView; onClose: () => void }) {
  const { admin, t } = useAdmin();
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<Problem | null>(null);
  const [password, setPassword] = useState<string | null>(null);
  const [copied, setCopied] = useState<boolean | null>(null);
  const input = useRef<HTMLInputElement>(null);

  const reset = async () => {
    if (busy) return;
    setBusy(true);
    setProblem(null);
    const done = await admin.resetPassword(o.id);
    setBusy(false);
    if ('password' in done) setPassword(done.password);
    else setProblem(done);
  };

  if (password === null) {
    return (
      <ModalShell key="confirm" title={t('operators.reset_title')} testid="reset-password-dialog" onClose={onClose}>
        <ModalPerson name={o.display_name} email={o.email} />
        <p class="modal-text">{t('operators.reset_effects')}</p>
        {problem && <ProblemLine problem={problem} testid="reset-password-error" />}
        <div class="form-actions">
          <button type="button" class="btn btn-ghost" onClick={onClose} data-autofocus>
            {t('operators.cancel')}
          </button>
          <button type="button" class="btn btn-primary" disabled={busy} onClick={() => void reset()} data-testid="reset-password-confirm">
            {busy ? t('operators.resetting') : t('operators.reset_confirm')}
          </button>
        </div>
      </ModalShell>
    );
  }

  return (
    <ModalShell key="shown" title={t('operators.reset_done_title')} testid="reset-password-dialog" onClose={onClose} locked>
      <ModalPerson name={o.display_name} email={o.email} />
      <label class="field">
        <span>{t('operators.reset_password_label')}</span>
        <div class="secret-row">
          <input
            ref={input}
            readOnly
            value={password}
            spellcheck={false}
            autoComplete="off"
            onFocus={(e) => e.currentTarget.select()}
            data-testid="reset-password-value"
          />
          <button
            type="button"
            class="btn btn-secondary"
            onClick={async () => setCopied(await copyText(password, input.current))}
            data-testid="reset-password-copy"
          >
            {t('operators.copy')}
          </button>
        </div>
      </label>
      {copied !== null && (
        <p class={`copy-note${copied ? ' ok' : ' danger'}`} role="status" data-testid="reset-password-copied">
          {copied ? t('operators.copied') : t('operators.copy_failed')}
        </p>
      )}
      <p class="once-warning" role="note" data-testid="reset-password-once">
        {t('operators.reset_once')}
      </p>
      <div class="form-actions">
        <button type="button" class="btn btn-primary" onClick={onClose} data-testid="reset-password-done">
          {t('operators.done')}
        </button>
      </div>
    </ModalShell>
  );
}
