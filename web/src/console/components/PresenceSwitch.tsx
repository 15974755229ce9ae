/** The operator's presence in the header: online / away / offline, with a coloured dot. */
import { oneOf, PRESENCES, type Presence } from '../../shared/api-types';
import type { Translate } from '../../shared/i18n';
import { useConsole } from '../context';
import type { ConsoleKey } from '../i18n';


export function presenceLabel(t: Translate<ConsoleKey>, p: Presence): string {
  return p === 'online' ? t('presence.online') : p === 'away' ? t('presence.away') : t('presence.offline');
}

export function PresenceSwitch() {
  const { state, t } = useConsole();
  const presence = state.presence();
  return (
    <label class={`presence presence-${presence}`} title={t('presence.label')}>
      <span class={`presence-dot presence-${presence}`} aria-hidden="true" />
      <select
        value={presence}
        disabled={state.session.presenceBusy}
        aria-label={t('presence.label')}
        onChange={(e) => {
          const presence = oneOf(e.currentTarget.value, PRESENCES);
          if (presence) void state.setPresence(presence);
        }}
        data-testid="presence"
        data-presence={presence}
      >
        {PRESENCES.map((p) => (
          <option key={p} value={p}>
            {presenceLabel(t, p)}
          </option>
        ))}
      </select>
    </label>
  );
}
