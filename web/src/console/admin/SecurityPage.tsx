/**
 * Every operator's own page (route `account`, from his name in the top bar): his profile (the
 * name visitors see, the language, the pinned saved replies), this browser's sound and
 * notifications, the mail sent to him while he is away («Письма о новом»), his password, and
 * the sessions signed in as him.
 */
import { MailNotifySettings } from './MailNotifySettings';
import { NotificationSettings } from './NotificationSettings';
import { PasswordChangeForm } from './PasswordChangeForm';
import { ProfileForm } from './ProfileForm';
import { SessionList } from './SessionList';
import { useAdmin } from './use-admin';
import '../account.css';
import './admin-pages.css';

export function SecurityPage() {
  const { t } = useAdmin();
  return (
    <section class="admin-section admin-section-wide">
      <header class="admin-head">
        <h1>{t('profile.title')}</h1>
        <p>{t('profile.hint')}</p>
      </header>
      <div class="profile-columns">
        <ProfileForm />
        <div class="profile-side">
          <NotificationSettings />
          <MailNotifySettings />
          <PasswordChangeForm />
        </div>
      </div>
      <SessionList />
    </section>
  );
}
