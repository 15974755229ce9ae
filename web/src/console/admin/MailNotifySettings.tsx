/**
 * «Письма о новом»: whether the operator is mailed, while offline or away, when a visitor writes
 * in his dialog, a dialog is given to him or a note mentions him — gathered over 3 minutes into
 * one mail to his own address, in his console's language (only where the workspace set up mail).
 * Unlike the browser's sound and notifications beside it, this is his profile's
 * (`profile.notify_by_mail`): the box is saved at once with `PATCH /api/v1/me {notify_by_mail}`
 * and follows him to his other browsers; a refusal is shown under it and the box goes back to
 * what the server holds. The mail itself points here («Профиль» → «Письма о новом»).
 */
import { useState } from 'preact/hooks';
import type { Problem } from '../console-state';
import { ProblemLine } from './ProblemLine';
import { useAdmin } from './use-admin';

export function MailNotifySettings() {
  const { state, admin, t } = useAdmin();
  const me = state.session.me!;
  /** The value asked for, shown until the server answers. */
  const [asked, setAsked] = useState<boolean | null>(null);
  const [problem, setProblem] = useState<Problem | null>(null);
  const [saved, setSaved] = useState(false);
  const busy = asked !== null;
  // An older server sends no such field: it mails as before, so the box reads as on.
  const on = asked ?? me.profile?.notify_by_mail ?? true;

  const toggle = async (next: boolean) => {
    if (busy) return;
    setAsked(next);
    setProblem(null);
    setSaved(false);
    const refused = await admin.patchMe({ notify_by_mail: next });
    setAsked(null);
    setProblem(refused);
    setSaved(!refused);
  };

  return (
    <section class="admin-card admin-form mail-notify-settings" data-testid="mail-notify-settings">
      <h2>{t('profile.mail_title')}</h2>
      <label class={`choice${busy ? ' disabled' : ''}`}>
        <input
          type="checkbox"
          checked={on}
          disabled={busy}
          aria-describedby="profile-mail-hint"
          onChange={(e) => void toggle(e.currentTarget.checked)}
          data-testid="profile-mail"
        />
        <span>{t('profile.mail_away')}</span>
      </label>
      <small id="profile-mail-hint" class="muted" data-testid="profile-mail-hint">
        {t('profile.mail_hint', { email: me.operator.email })}
      </small>
      {problem && <ProblemLine problem={problem} testid="profile-mail-error" />}
      {saved && (
        <span class="saved-note" role="status" data-testid="profile-mail-saved">
          {t('admin.saved')}
        </span>
      )}
    </section>
  );
}
