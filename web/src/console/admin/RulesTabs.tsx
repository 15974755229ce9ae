/**
 * The pages about rules, side by side under "Rules": routing the dialogs, the quality guard of
 * replies, the complaints about visitors with the blocks (admins alone), and the segments of
 * visitors the rules may ask about (a supervisor has that page alone, so no tabs).
 */
import { PageTabs } from './PageTabs';
import { useAdmin } from './use-admin';

export function RulesTabs({ current }: { current: 'rules' | 'quality' | 'moderation' | 'segments' }) {
  const { t } = useAdmin();
  return (
    <PageTabs
      label={t('nav.rules')}
      current={current}
      tabs={[
        ['rules', t('rules.title')],
        ['quality', t('quality.title')],
        ['moderation', t('moderation.title')],
        ['segments', t('segments.title')],
      ]}
      testid="rules-tab"
    />
  );
}
