/** Sound on/off and desktop notifications (asked for only when the operator clicks). */
import { useConsole } from '../context';

export function AlertSettings() {
  const { state, t } = useConsole('alerts');
  const a = state.alerts.attention;
  const permission = a.permission;
  return (
    <div class="alert-settings">
      <button
        type="button"
        class={`icon-btn${a.soundOn ? ' on' : ''}`}
        aria-pressed={a.soundOn}
        title={a.soundOn ? t('alerts.sound_on') : t('alerts.sound_off')}
        aria-label={a.soundOn ? t('alerts.sound_on') : t('alerts.sound_off')}
        onClick={() => a.toggleSound()}
        data-testid="sound-toggle"
      >
        <svg viewBox="0 0 24 24" width="18" height="18" aria-hidden="true">
          <path d="M4 9v6h4l5 4V5L8 9H4z" fill="currentColor" />
          {a.soundOn ? (
            <path d="M16 8.5a5 5 0 0 1 0 7M18.5 6a8.5 8.5 0 0 1 0 12" fill="none" stroke="currentColor" stroke-width="1.8" stroke-linecap="round" />
          ) : (
            <path d="M16 9l5 6M21 9l-5 6" fill="none" stroke="currentColor" stroke-width="1.8" stroke-linecap="round" />
          )}
        </svg>
      </button>
      {permission !== 'unsupported' &&
        (a.notificationsOn() ? (
          <button
            type="button"
            class="icon-btn on"
            aria-pressed="true"
            title={t('alerts.notifications_on')}
            aria-label={t('alerts.notifications_on')}
            onClick={() => a.disableNotifications()}
            data-testid="notifications-toggle"
          >
            <svg viewBox="0 0 24 24" width="18" height="18" aria-hidden="true">
              <path d="M12 3a6 6 0 0 0-6 6v4l-2 3h16l-2-3V9a6 6 0 0 0-6-6zm-2 15a2 2 0 0 0 4 0" fill="currentColor" />
            </svg>
          </button>
        ) : (
          <button
            type="button"
            class="icon-btn"
            aria-pressed="false"
            disabled={permission === 'denied'}
            title={permission === 'denied' ? t('alerts.notifications_blocked') : t('alerts.enable_notifications')}
            aria-label={permission === 'denied' ? t('alerts.notifications_blocked') : t('alerts.enable_notifications')}
            onClick={() => void a.enableNotifications()}
            data-testid="enable-notifications"
          >
            <svg viewBox="0 0 24 24" width="18" height="18" aria-hidden="true">
              <path d="M12 3a6 6 0 0 0-6 6v4l-2 3h16l-2-3V9a6 6 0 0 0-6-6zm-2 15a2 2 0 0 0 4 0" fill="none" stroke="currentColor" stroke-width="1.7" stroke-linejoin="round" />
              <path d="M4 4l16 16" stroke="currentColor" stroke-width="1.7" stroke-linecap="round" />
            </svg>
          </button>
        ))}
    </div>
  );
}
