/**
 * A page beside the dialogs: channels (and a channel's automation), operators, routing rules,
 * proactive messages, tags and categories, saved replies, the audit log, one's Security page.
 */
import type { AdminSection } from '../routes';
import { AuditLogAdmin } from './AuditLogAdmin';
import { AutomationAdmin } from './AutomationAdmin';
import { ChannelsAdmin } from './ChannelsAdmin';
import { LabelsAdmin } from './LabelsAdmin';
import { OperatorsAdmin } from './OperatorsAdmin';
import { RepliesAdmin } from './RepliesAdmin';
import { RulesAdmin } from './RulesAdmin';
import { SecurityPage } from './SecurityPage';
import { TriggersAdmin } from './TriggersAdmin';

const PAGES: Record<AdminSection, (props: { channelId?: string | null }) => preact.JSX.Element> = {
  channels: ChannelsAdmin,
  automation: AutomationAdmin,
  operators: OperatorsAdmin,
  rules: RulesAdmin,
  triggers: TriggersAdmin,
  tags: LabelsAdmin,
  replies: RepliesAdmin,
  audit: AuditLogAdmin,
  account: SecurityPage,
};

export function AdminPage({ section, channelId }: { section: AdminSection; channelId?: string | null }) {
  const Page = PAGES[section];
  return (
    <main class="admin-page" data-testid={`admin-${section}`}>
      <Page channelId={channelId} />
    </main>
  );
}
