/**
 * The operator's own password: current, new and the new one again. The form checks the
 * repeat and the length itself; the server's refusal of a field (`current_password` wrong,
 * `new_password` out of 8–256) shows beside that field. His other sessions end on success.
 */
import { useMemo, useState } from 'preact/hooks';
import type { Problem } from '../console-state';
import { FieldNote } from './FieldNote';
import { isPasswordFieldProblem, passwordIssues, passwordMessages, type PasswordField } from './lifecycle';
import { ProblemLine } from './ProblemLine';
import { formName, useUnsaved } from './unsaved';
import { useAdmin } from './use-admin';

export function PasswordChangeForm() {
  const { admin, t } = useAdmin();
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const [repeat, setRepeat] = useState('');
  const [tried, setTried] = useState(false);
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<Problem | null>(null);
  const [done, setDone] = useState(false);

  const form = useMemo(() => formName('password'), []);
  useUnsaved(form, !!(current || next || repeat));

  const issues = passwordIssues({ current, next, repeat });
  const messages = passwordMessages(t, tried ? issues : [], problem);

  const submit = async (e: Event) => {
    e.preventDefault();
    if (busy) return;
    setTried(true);
    setDone(false);
    setProblem(null);
    if (issues.length) return;
    setBusy(true);
    const refused = await admin.security.changePassword(current, next);
    setBusy(false);
    if (refused) {
      setProblem(refused);
      return;
    }
    setCurrent('');
    setNext('');
    setRepeat('');
    setTried(false);
    setDone(true);
  };

  const field = (name: PasswordField, label: string, value: string, set: (v: string) => void, autoComplete: string, hint?: string) => {
    const message = messages.get(name);
    return (
      <label class="field">
        <span>{label}</span>
        <input
          type="password"
          name={name}
          autoComplete={autoComplete}
          value={value}
          aria-invalid={message ? true : undefined}
          onInput={(e) => {
            set(e.currentTarget.value);
            setDone(false);
            if (problem) setProblem(null);
          }}
          data-testid={`security-${name.replace(/_/g, '-')}`}
        />
        {hint && !message && <small>{hint}</small>}
        <FieldNote text={message} field={name} />
      </label>
    );
  };

  return (
    <form class="admin-card password-form" onSubmit={submit} noValidate data-testid="password-form">
      <h2>{t('security.password_title')}</h2>
      {field('current_password', t('security.current'), current, setCurrent, 'current-password')}
      {field('new_password', t('security.new'), next, setNext, 'new-password', t('security.new_hint'))}
      {field('new_password_repeat', t('security.repeat'), repeat, setRepeat, 'new-password')}
      {problem && !isPasswordFieldProblem(problem) && <ProblemLine problem={problem} testid="password-error" />}
      {done && (
        <p class="ok-note" role="status" data-testid="password-changed">
          {t('security.changed')}
        </p>
      )}
      <div>
        <button type="submit" class="btn btn-primary" disabled={busy} data-testid="security-change-password">
          {busy ? t('security.changing') : t('security.change')}
        </button>
      </div>
    </form>
  );
}
