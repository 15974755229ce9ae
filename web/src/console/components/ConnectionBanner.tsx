/** A strip under the header while the live connection is down. */
import { useSettledFlag } from '../../shared/store';
import { useConsole } from '../context';

export function ConnectionBanner() {
  const { state, t } = useConsole();
  // Give a (re)connection a moment before raising an alarm.
  const down = useSettledFlag(state.session.connection !== 'open');
  if (!down) return null;
  return (
    <div class="connection-banner" role="status" data-testid="connection-banner">
      {t('connection.offline')}
    </div>
  );
}
