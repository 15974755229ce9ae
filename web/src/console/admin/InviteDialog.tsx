/**
 * Inviting a person from the operators page: his e-mail, name and role, one «Пригласить». The
 * server mails the link when the workspace's mail is set up, and the dialog says where it went;
 * else it shows the link this once, with «Копировать» and the word that it works once, for 7
 * days, and cannot be shown again (the dialog then closes only by «Готово»). A field the form or
 * the server refuses (`email_taken` too) gets its message beside it; closing with something
 * typed is asked about first.
 */
import { useMemo, useRef, useState } from 'preact/hooks';
import { oneOf } from '../../shared/api-types';
import type { Problem } from '../console-state';
import { copyText } from './clipboard';
import { FieldNote } from './FieldNote';
import { inviteDraft, inviteMessages, inviteRequest, INVITE_FIELDS, shownBesideField, VALID_DAYS, type CreatedInvitation, type InviteDraft } from './invitations';
import { ROLES, roleLabel } from './lifecycle';
import { ModalPerson, ModalShell } from './ModalShell';
import { NAME_MAX } from './people';
import { ProblemLine } from './ProblemLine';
import { formName, useUnsaved } from './unsaved';
import { useAdmin } from './use-admin';
import './invitations.css';

export function InviteDialog({ initial, onClose }: { initial?: InviteDraft; onClose: () => void }) {
  const { state, admin, t } = useAdmin();
  const form = useMemo(() => formName('invite-dialog'), []);
  const [draft, setDraft] = useState<InviteDraft>(() => initial ?? inviteDraft());
  const [tried, setTried] = useState(false);
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<Problem | null>(null);
  const [made, setMade] = useState<CreatedInvitation | null>(null);
  const body = useRef<HTMLFormElement>(null);

  const result = inviteRequest(draft);
  const messages = inviteMessages(t, tried && !result.ok ? result.issues : [], problem);
  const note = (field: string) => messages.get(field) ?? null;
  const elsewhere = [...messages].filter(([field]) => !INVITE_FIELDS.has(field));
  const dirty = !made && (draft.email.trim() !== '' || draft.display_name.trim() !== '');
  useUnsaved(form, dirty);

  const close = () => {
    if (!dirty || state.team.unsaved.mayLeave(onClose)) onClose();
  };

  const set = (change: Partial<InviteDraft>) => {
    setDraft((d) => ({ ...d, ...change }));
    if (problem) setProblem(null);
  };

  const submit = async (e: Event) => {
    e.preventDefault();
    if (busy) return;
    setTried(true);
    if (!result.ok) {
      // The focus goes to the first field with a message once it shows.
      setTimeout(() => body.current?.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus());
      return;
    }
    setBusy(true);
    setProblem(null);
    const done = await admin.invitations.create(result.body);
    setBusy(false);
    if ('link' in done) setMade(done);
    else {
      setProblem(done);
      setTimeout(() => body.current?.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus());
    }
  };

  if (made) return <InvitationMade made={made} onClose={onClose} />;

  return (
    <ModalShell title={t('invite.title')} testid="invite-dialog" onClose={close}>
      <p class="modal-text">{t('invite.intro', { days: VALID_DAYS })}</p>
      <form ref={body} class="operator-form invite-form" onSubmit={submit} noValidate data-testid="invite-form">
        <div class="operator-form-row">
          <label class="field">
            <span>{t('invite.email')}</span>
            <input
              type="email"
              value={draft.email}
              autoComplete="off"
              spellcheck={false}
              aria-invalid={note('email') ? true : undefined}
              onInput={(e) => set({ email: e.currentTarget.value })}
              data-testid="invite-email"
            />
            <FieldNote text={note('email')} field="email" />
          </label>
          <label class="field">
            <span>{t('invite.role')}</span>
            <select value={draft.role} onChange={(e) => set({ role: oneOf(e.currentTarget.value, ROLES) ?? draft.role })} data-testid="invite-role">
              {ROLES.map((r) => (
                <option key={r} value={r}>
                  {roleLabel(t, r)}
                </option>
              ))}
            </select>
            <FieldNote text={note('role')} field="role" />
          </label>
        </div>
        <label class="field">
          <span>{t('invite.name')}</span>
          <input
            value={draft.display_name}
            maxLength={NAME_MAX + 20}
            autoComplete="off"
            aria-invalid={note('display_name') ? true : undefined}
            onInput={(e) => set({ display_name: e.currentTarget.value })}
            data-testid="invite-name"
          />
          {!note('display_name') && <small>{t('invite.name_hint')}</small>}
          <FieldNote text={note('display_name')} field="display_name" />
        </label>
        {elsewhere.map(([field, text]) => (
          <p key={field} class="form-error" role="alert" data-testid="invite-error-field">
            {t('automation.field_unknown', { field, message: text })}
          </p>
        ))}
        {problem && problem.code !== 'validation_failed' && !shownBesideField(problem) && <ProblemLine problem={problem} testid="invite-error" />}
        <div class="form-actions">
          <button type="button" class="btn btn-ghost" onClick={close} data-testid="invite-cancel">
            {t('operators.cancel')}
          </button>
          <button type="submit" class="btn btn-primary" disabled={busy} data-testid="invite-submit">
            {busy ? t('invite.submitting') : t('invite.submit')}
          </button>
        </div>
      </form>
    </ModalShell>
  );
}

/** The invitation made: where the mail went, or the link shown this once; closes only by «Готово». */
function InvitationMade({ made, onClose }: { made: CreatedInvitation; onClose: () => void }) {
  const { t } = useAdmin();
  const [copied, setCopied] = useState<boolean | null>(null);
  const input = useRef<HTMLTextAreaElement>(null);
  const i = made.invitation;
  return (
    <ModalShell key="made" title={made.mailed ? t('invite.mailed_title') : t('invite.made_title')} testid="invite-made-dialog" onClose={onClose} locked>
      <ModalPerson name={i.display_name} email={i.email} />
      {made.mailed ? (
        <p class="ok-note" role="status" data-testid="invite-mailed">
          {t('invite.mailed', { email: i.email, days: VALID_DAYS })}
        </p>
      ) : (
        <>
          <p class="modal-text" data-testid="invite-not-mailed">
            {t('invite.pass_on')}
          </p>
          <label class="field">
            <span>{t('invite.link')}</span>
            <div class="secret-row invite-link-row">
              <textarea
                ref={input}
                readOnly
                rows={2}
                value={made.link}
                spellcheck={false}
                autoComplete="off"
                onFocus={(e) => e.currentTarget.select()}
                data-testid="invite-link"
              />
              <button
                type="button"
                class="btn btn-primary"
                onClick={async () => setCopied(await copyText(made.link, input.current))}
                data-testid="invite-copy"
              >
                {t('operators.copy')}
              </button>
            </div>
          </label>
          {copied !== null && (
            <p class={`copy-note${copied ? ' ok' : ' danger'}`} role="status" data-testid="invite-copied">
              {copied ? t('operators.copied') : t('invite.copy_failed')}
            </p>
          )}
          <p class="once-warning" role="note" data-testid="invite-once">
            {t('invite.link_once', { days: VALID_DAYS })}
          </p>
        </>
      )}
      <div class="form-actions">
        <button type="button" class="btn btn-secondary" onClick={onClose} data-testid="invite-done">
          {t('operators.done')}
        </button>
      </div>
    </ModalShell>
  );
}
