/**
 * Sound and desktop notifications, as on the bell and speaker in the top bar. They belong to
 * this browser (kept in localStorage), not to the profile: a shared office PC and a laptop
 * differ. Desktop notifications are asked of the browser only on the operator's click.
 */
import { useConsole } from '../context';

export function NotificationSettings() {
  const { state, t } = useConsole('alerts');
  const a = state.alerts.attention;
  const permission = a.permission;
  return (
    <section class="admin-card admin-form notification-settings" data-testid="notification-settings">
      <h2>{t('profile.alerts_title')}</h2>
      <label class="choice">
        <input type="checkbox" checked={a.soundOn} onChange={() => a.toggleSound()} data-testid="profile-sound" />
        <span>{t('profile.sound')}</span>
      </label>
      <label class={`choice${permission === 'denied' || permission === 'unsupported' ? ' disabled' : ''}`}>
        <input
          type="checkbox"
          checked={a.notificationsOn()}
          disabled={permission === 'denied' || permission === 'unsupported'}
          onChange={(e) => (e.currentTarget.checked ? void a.enableNotifications() : a.disableNotifications())}
          data-testid="profile-desktop"
        />
        <span>{t('profile.desktop')}</span>
      </label>
      {permission === 'denied' && <small class="field-error">{t('alerts.notifications_blocked')}</small>}
      {permission === 'unsupported' && <small class="muted">{t('profile.desktop_unsupported')}</small>}
      <small class="muted">{t('profile.alerts_device')}</small>
    </section>
  );
}
