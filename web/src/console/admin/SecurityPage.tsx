/** Every operator's own Security page: his password, and the sessions signed in as him. */
import { PasswordChangeForm } from './PasswordChangeForm';
import { SessionList } from './SessionList';
import { useAdmin } from './use-admin';
import '../account.css';

export function SecurityPage() {
  const { t } = useAdmin();
  return (
    <section class="admin-section">
      <header class="admin-head">
        <h1>{t('security.title')}</h1>
        <p>{t('security.hint')}</p>
      </header>
      <div class="security-columns">
        <PasswordChangeForm />
        <SessionList />
      </div>
    </section>
  );
}
