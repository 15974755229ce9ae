/**
 * A strip under the top bar while the operator's presence is offline: new chats will not reach
 * her, and one button puts her online (PUT /api/v1/me/presence). A new operator starts offline,
 * and so does anyone whose console was closed long enough for the server to mark her away; the
 * server keeps the choice across reloads.
 */
import { useConsole } from '../context';

export function PresenceBanner() {
  const { state, t } = useConsole();
  if (state.presence() !== 'offline') return null;
  return (
    <div class="presence-banner" role="region" aria-label={t('presence.label')} data-testid="presence-banner">
      <span class="presence-dot presence-offline" aria-hidden="true" />
      <span>{t('presence.banner')}</span>
      <button
        type="button"
        class="btn btn-small btn-primary"
        disabled={state.session.presenceBusy}
        onClick={async () => {
          await state.setPresence('online');
          // The banner goes with the button: the switch in the top bar, which now says "Online", takes the focus.
          if (state.presence() === 'online') requestAnimationFrame(() => document.querySelector<HTMLElement>('[data-testid="presence"]')?.focus());
        }}
        data-testid="go-online"
      >
        {t('presence.go_online')}
      </button>
    </div>
  );
}
