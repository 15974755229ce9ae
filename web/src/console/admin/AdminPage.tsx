/**
 * A page beside the dialogs: channels (and a channel's automation), operators, installing the
 * widget, routing rules (beside them the quality guard, the complaints about visitors with the
 * blocks, and the segments of visitors), proactive messages, tags and categories (and beside them
 * the custom fields of dialogs and visitors), saved replies, webhooks, the Web API's keys, Telegram
 * bots, the mail setup, the audit log, one's profile. Unsaved edits on it are asked about before the console leaves it,
 * and the browser asks before the tab closes or reloads.
 */
import { useEffect } from 'preact/hooks';
import { useConsole } from '../context';
import type { AdminSection } from '../routes';
import { ApiKeysAdmin } from './ApiKeysAdmin';
import { AuditLogAdmin } from './AuditLogAdmin';
import { AutomationAdmin } from './AutomationAdmin';
import { ChannelsAdmin } from './ChannelsAdmin';
import { FieldsAdmin } from './FieldsAdmin';
import { FormsAdmin } from './FormsAdmin';
import { InstallAdmin } from './InstallAdmin';
import { LabelsAdmin } from './LabelsAdmin';
import { LeaveDialog } from './LeaveDialog';
import { MailAdmin } from './MailAdmin';
import { ModerationAdmin } from './ModerationAdmin';
import { OperatorsAdmin } from './OperatorsAdmin';
import { QualityAdmin } from './QualityAdmin';
import { RepliesAdmin } from './RepliesAdmin';
import { RulesAdmin } from './RulesAdmin';
import { SecurityPage } from './SecurityPage';
import { SegmentsAdmin } from './SegmentsAdmin';
import { TelegramAdmin } from './TelegramAdmin';
import { TriggersAdmin } from './TriggersAdmin';
import { WebhooksAdmin } from './WebhooksAdmin';

const PAGES: Record<AdminSection, (props: { channelId?: string | null }) => preact.JSX.Element> = {
  channels: ChannelsAdmin,
  automation: AutomationAdmin,
  operators: OperatorsAdmin,
  install: InstallAdmin,
  rules: RulesAdmin,
  quality: QualityAdmin,
  moderation: ModerationAdmin,
  segments: SegmentsAdmin,
  triggers: TriggersAdmin,
  tags: LabelsAdmin,
  fields: FieldsAdmin,
  replies: RepliesAdmin,
  forms: FormsAdmin,
  webhooks: WebhooksAdmin,
  'api-keys': ApiKeysAdmin,
  telegram: TelegramAdmin,
  mail: MailAdmin,
  audit: AuditLogAdmin,
  account: SecurityPage,
};

export function AdminPage({ section, channelId }: { section: AdminSection; channelId?: string | null }) {
  const { state } = useConsole();
  const Page = PAGES[section];
  useEffect(() => {
    const ask = (e: BeforeUnloadEvent) => {
      if (!state.team.unsaved.any()) return;
      e.preventDefault();
      // Older browsers show their own words only when a value is set.
      e.returnValue = '';
    };
    addEventListener('beforeunload', ask);
    return () => removeEventListener('beforeunload', ask);
  }, [state]);
  return (
    <main class="admin-page" data-testid={`admin-${section}`}>
      <Page channelId={channelId} />
      <LeaveDialog />
    </main>
  );
}
