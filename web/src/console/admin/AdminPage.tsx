/** A page beside the dialogs: channels, operators, routing rules, tags and categories, saved replies. */
import type { AdminSection } from '../routes';
import { ChannelsAdmin } from './ChannelsAdmin';
import { LabelsAdmin } from './LabelsAdmin';
import { OperatorsAdmin } from './OperatorsAdmin';
import { RepliesAdmin } from './RepliesAdmin';
import { RulesAdmin } from './RulesAdmin';

const PAGES: Record<AdminSection, () => preact.JSX.Element> = {
  channels: ChannelsAdmin,
  operators: OperatorsAdmin,
  rules: RulesAdmin,
  tags: LabelsAdmin,
  replies: RepliesAdmin,
};

export function AdminPage({ section }: { section: AdminSection }) {
  const Page = PAGES[section];
  return (
    <main class="admin-page" data-testid={`admin-${section}`}>
      <Page />
    </main>
  );
}
