/** The two pages about rules, side by side under "Rules": routing the dialogs, and the quality guard of replies. */
import { PageTabs } from './PageTabs';
import { useAdmin } from './use-admin';

export function RulesTabs({ current }: { current: 'rules' | 'quality' }) {
  const { t } = useAdmin();
  return (
    <PageTabs
      label={t('nav.rules')}
      current={current}
      tabs={[
        ['rules', t('rules.title')],
        ['quality', t('quality.title')],
      ]}
      testid="rules-tab"
    />
  );
}
