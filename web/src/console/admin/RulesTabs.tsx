/**
 * The pages about rules, side by side under "Rules": routing the dialogs, the quality guard of
 * replies, and the complaints about visitors with the blocks (admins alone).
 */
import { PageTabs } from './PageTabs';
import { useAdmin } from './use-admin';

export function RulesTabs({ current }: { current: 'rules' | 'quality' | 'moderation' }) {
  const { t } = useAdmin();
  return (
    <PageTabs
      label={t('nav.rules')}
      current={current}
      tabs={[
        ['rules', t('rules.title')],
        ['quality', t('quality.title')],
        ['moderation', t('moderation.title')],
      ]}
      testid="rules-tab"
    />
  );
}
