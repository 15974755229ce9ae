/**
 * The invitation's page (`/console/invite#<secret>`), open without a session, before the
 * sign-in form: who invites him where (the workspace, his e-mail and role), his name (the
 * admin's, which he may change), a password and its repeat (8–256 characters), «Войти». The
 * console then opens signed in (`onSignedIn`). A link used, revoked or run out says so, with the
 * way to the sign-in form.
 *
 * What stays true: the secret is read once from the address's `#`, which is then taken off the
 * address bar (it stays out of the history, and a reload does not resend it); it goes nowhere
 * but `POST /api/v1/invitations/preview` and `…/accept`.
 */
import { useEffect, useRef, useState } from 'preact/hooks';
import type { Requester } from '../../shared/api';
import type { MeView } from '../../shared/api-types';
import { toProblem, type Problem } from '../console-state';
import { problemText, useConsole } from '../context';
import { FieldNote } from '../admin/FieldNote';
import {
  acceptIssues,
  acceptMessages,
  acceptRequest,
  deadLink,
  inviteToken,
  type AcceptDraft,
  type AcceptField,
  type InvitationPreview,
} from '../admin/invitations';
import { formatWhen, PASSWORD_MIN, roleLabel } from '../admin/lifecycle';
import { NAME_MAX } from '../admin/people';
import { BASE } from '../routes';
import { LanguageSwitch } from './LanguageSwitch';
import '../admin/invitations.css';

type Phase =
  | { kind: 'no_link' }
  | { kind: 'loading' }
  | { kind: 'dead' }
  | { kind: 'failed'; problem: Problem }
  | { kind: 'ready'; preview: InvitationPreview };

/** The secret in the address, read once; the address keeps no trace of it. */
function takeToken(): string | null {
  const token = inviteToken(location.hash);
  if (location.hash) history.replaceState(history.state, '', location.pathname + location.search);
  return token;
}

export function InvitePage({ api, onSignedIn }: { api: Requester; onSignedIn: (me: MeView) => void }) {
  const { t, lang } = useConsole();
  const [token] = useState(takeToken);
  const [phase, setPhase] = useState<Phase>(token ? { kind: 'loading' } : { kind: 'no_link' });

  const load = async () => {
    if (!token) return;
    setPhase({ kind: 'loading' });
    try {
      const preview = await api<InvitationPreview>('POST', '/api/v1/invitations/preview', { body: { token } });
      setPhase({ kind: 'ready', preview });
    } catch (e) {
      const problem = toProblem(e);
      setPhase(deadLink(problem) ? { kind: 'dead' } : { kind: 'failed', problem });
    }
  };

  useEffect(() => {
    void load();
  }, []);

  useEffect(() => {
    document.documentElement.lang = lang;
    document.title = t('invite.document_title');
  }, [lang, t]);

  return (
    <main class="login-page invite-page">
      <div class="login-card invite-card" data-testid="invite-page" data-phase={phase.kind}>
        <div class="login-brand">
          <span class="brand-mark" aria-hidden="true">F</span>
          <span class="brand-name">{t('app.name')}</span>
        </div>
        {phase.kind === 'loading' && (
          <p class="invite-text" role="status" data-testid="invite-loading">
            {t('invite.checking')}
          </p>
        )}
        {phase.kind === 'no_link' && <NotUsable title={t('invite.no_link_title')} text={t('invite.no_link_text')} testid="invite-no-link" />}
        {phase.kind === 'dead' && <NotUsable title={t('invite.dead_title')} text={t('invite.dead_text')} testid="invite-dead" />}
        {phase.kind === 'failed' && (
          <>
            <h1>{t('invite.failed_title')}</h1>
            <p class="form-error" role="alert" data-testid="invite-failed" data-code={phase.problem.code}>
              {problemText(t, lang, phase.problem)}
            </p>
            <button type="button" class="btn btn-primary btn-block" onClick={() => void load()} data-testid="invite-retry">
              {t('app.retry')}
            </button>
          </>
        )}
        {phase.kind === 'ready' && token && (
          <AcceptForm token={token} preview={phase.preview} api={api} onDead={() => setPhase({ kind: 'dead' })} onSignedIn={onSignedIn} />
        )}
        <div class="login-footer">
          <LanguageSwitch />
        </div>
      </div>
    </main>
  );
}

/** A link that cannot be used: why, and the way to the sign-in form. */
function NotUsable({ title, text, testid }: { title: string; text: string; testid: string }) {
  const { t } = useConsole();
  return (
    <>
      <h1 data-testid="invite-dead-title">{title}</h1>
      <p class="invite-text" data-testid={testid}>
        {text}
      </p>
      <a class="btn btn-primary btn-block" href={BASE} data-testid="invite-to-signin">
        {t('invite.to_signin')}
      </a>
    </>
  );
}

function AcceptForm({
  token,
  preview,
  api,
  onDead,
  onSignedIn,
}: {
  token: string;
  preview: InvitationPreview;
  api: Requester;
  onDead: () => void;
  onSignedIn: (me: MeView) => void;
}) {
  const { t, lang } = useConsole();
  const [draft, setDraft] = useState<AcceptDraft>({ display_name: preview.display_name, password: '', repeat: '' });
  const [tried, setTried] = useState(false);
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<Problem | null>(null);
  const form = useRef<HTMLFormElement>(null);
  const password = useRef<HTMLInputElement>(null);

  // His name is filled in already: the password is what he types first.
  useEffect(() => password.current?.focus(), []);

  const issues = acceptIssues(draft);
  const messages = acceptMessages(t, tried ? issues : [], problem);
  const fieldShown = (p: Problem) => p.code === 'validation_failed' && (p.details.field === 'password' || p.details.field === 'display_name');

  const set = (change: Partial<AcceptDraft>) => {
    setDraft((d) => ({ ...d, ...change }));
    if (problem) setProblem(null);
  };

  const focusInvalid = () => setTimeout(() => form.current?.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus());

  const submit = async (e: Event) => {
    e.preventDefault();
    if (busy) return;
    setTried(true);
    if (issues.length) {
      focusInvalid();
      return;
    }
    setBusy(true);
    setProblem(null);
    try {
      const me = await api<MeView>('POST', '/api/v1/invitations/accept', { body: acceptRequest(token, draft, preview) });
      onSignedIn(me);
    } catch (err) {
      const refused = toProblem(err);
      setBusy(false);
      if (deadLink(refused)) onDead();
      else {
        setProblem(refused);
        focusInvalid();
      }
    }
  };

  const field = (name: AcceptField, label: string, input: preact.JSX.Element, hint?: string) => {
    const message = messages.get(name);
    return (
      <label class="field">
        <span>{label}</span>
        {input}
        {hint && !message && <small>{hint}</small>}
        <FieldNote text={message} field={name} />
      </label>
    );
  };

  return (
    <form ref={form} class="invite-form" onSubmit={submit} noValidate data-testid="invite-accept-form">
      <h1 data-testid="invite-title">{t('invite.page_title', { workspace: preview.workspace_name })}</h1>
      <dl class="invite-facts">
        <dt>{t('invite.email')}</dt>
        <dd data-testid="invite-page-email">{preview.email}</dd>
        <dt>{t('invite.role')}</dt>
        <dd data-testid="invite-page-role">{roleLabel(t, preview.role)}</dd>
      </dl>
      <p class="invite-until" data-testid="invite-until">
        {t('invite.page_until', { when: formatWhen(preview.expires_at, lang) })}
      </p>
      {/* For the browser's password manager: the address he signs in with. */}
      <input type="text" name="username" autoComplete="username" value={preview.email} readOnly hidden />
      {field(
        'display_name',
        t('invite.name'),
        <input
          name="name"
          autoComplete="name"
          maxLength={NAME_MAX + 20}
          value={draft.display_name}
          aria-invalid={messages.get('display_name') ? true : undefined}
          onInput={(e) => set({ display_name: e.currentTarget.value })}
          data-testid="invite-page-name"
        />,
        t('invite.page_name_hint'),
      )}
      {field(
        'password',
        t('invite.password'),
        <input
          ref={password}
          type="password"
          name="new-password"
          autoComplete="new-password"
          value={draft.password}
          aria-invalid={messages.get('password') ? true : undefined}
          onInput={(e) => set({ password: e.currentTarget.value })}
          data-testid="invite-page-password"
        />,
        t('invite.password_hint', { min: PASSWORD_MIN }),
      )}
      {field(
        'password_repeat',
        t('invite.password_repeat'),
        <input
          type="password"
          name="new-password-repeat"
          autoComplete="new-password"
          value={draft.repeat}
          aria-invalid={messages.get('password_repeat') ? true : undefined}
          onInput={(e) => set({ repeat: e.currentTarget.value })}
          data-testid="invite-page-repeat"
        />,
      )}
      {problem && !fieldShown(problem) && (
        <p class="form-error" role="alert" data-testid="invite-page-error" data-code={problem.code}>
          {problem.code === 'email_taken' ? t('invite.accept_email_taken') : problemText(t, lang, problem)}
        </p>
      )}
      <button type="submit" class="btn btn-primary btn-block" disabled={busy} data-testid="invite-page-submit">
        {busy ? t('invite.page_submitting') : t('invite.page_submit')}
      </button>
      {problem?.code === 'email_taken' && (
        <a class="invite-signin" href={BASE} data-testid="invite-to-signin">
          {t('invite.to_signin')}
        </a>
      )}
    </form>
  );
}
