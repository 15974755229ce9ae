/** Sign-in: e-mail and password; a workspace field appears when the server asks for one. */
import { useState } from 'preact/hooks';
import type { Problem } from '../console-state';
import { problemText, useConsole } from '../context';
import { LanguageSwitch } from './LanguageSwitch';

export function LoginForm() {
  const { state, t, lang } = useConsole();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [workspace, setWorkspace] = useState('');
  const [askWorkspace, setAskWorkspace] = useState(false);
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<Problem | null>(null);

  const fieldLabel = (field: string) =>
    field === 'email' ? t('login.email') : field === 'password' ? t('login.password') : field === 'workspace' ? t('login.workspace') : field;

  const submit = async (e: Event) => {
    e.preventDefault();
    if (busy) return;
    setBusy(true);
    setProblem(null);
    const refused = await state.login(email.trim(), password, askWorkspace ? workspace.trim() : undefined);
    setBusy(false);
    if (refused?.code === 'workspace_required') setAskWorkspace(true);
    setProblem(refused);
  };

  return (
    <div class="login-page">
      <form class="login-card" onSubmit={submit} data-testid="login-form" noValidate>
        <div class="login-brand">
          <span class="brand-mark" aria-hidden="true">F</span>
          <span class="brand-name">{t('app.name')}</span>
        </div>
        <h1>{t('login.title')}</h1>
        {state.session.sessionEnded && !problem && (
          <p class="form-note" role="status" data-testid="login-session-ended">
            {t('login.session_ended')}
          </p>
        )}
        <label class="field">
          <span>{t('login.email')}</span>
          <input
            type="email"
            name="email"
            autoComplete="username"
            required
            value={email}
            onInput={(e) => setEmail(e.currentTarget.value)}
            data-testid="login-email"
          />
        </label>
        <label class="field">
          <span>{t('login.password')}</span>
          <input
            type="password"
            name="password"
            autoComplete="current-password"
            required
            value={password}
            onInput={(e) => setPassword(e.currentTarget.value)}
            data-testid="login-password"
          />
        </label>
        {askWorkspace && (
          <label class="field">
            <span>{t('login.workspace')}</span>
            <input
              name="workspace"
              autoComplete="organization"
              value={workspace}
              onInput={(e) => setWorkspace(e.currentTarget.value)}
              data-testid="login-workspace"
            />
            <small>{t('login.workspace_hint')}</small>
          </label>
        )}
        {problem && (
          <p class="form-error" role="alert" data-testid="login-error">
            {problemText(t, lang, problem, fieldLabel)}
          </p>
        )}
        <button type="submit" class="btn btn-primary btn-block" disabled={busy || !email.trim() || !password} data-testid="login-submit">
          {busy ? t('login.submitting') : t('login.submit')}
        </button>
        <div class="login-footer">
          <LanguageSwitch />
        </div>
      </form>
    </div>
  );
}
