/** An admin page: channels, operators or routing rules. */
import type { AdminSection } from '../routes';
import { ChannelsAdmin } from './ChannelsAdmin';
import { OperatorsAdmin } from './OperatorsAdmin';
import { RulesAdmin } from './RulesAdmin';

export function AdminPage({ section }: { section: AdminSection }) {
  return (
    <main class="admin-page" data-testid={`admin-${section}`}>
      {section === 'channels' ? <ChannelsAdmin /> : section === 'operators' ? <OperatorsAdmin /> : <RulesAdmin />}
    </main>
  );
}
