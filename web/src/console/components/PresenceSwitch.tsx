/** The operator's presence in the header: online / away / offline, with a coloured dot. */
import type { Presence } from '../../shared/api-types';
import type { Translate } from '../../shared/i18n';
import { useConsole } from '../context';
import type { ConsoleKey } from '../i18n';

const PRESENCES: readonly Presence[] = ['online', 'away', 'offline'];

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
        disabled={state.presenceBusy}
        aria-label={t('presence.label')}
        onChange={(e) => void state.setPresence(e.currentTarget.value as Presence)}
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
