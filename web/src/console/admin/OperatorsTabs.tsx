/** The two pages about operators, side by side: the operators themselves and the audit log. */
import { PageTabs } from './PageTabs';
import { useAdmin } from './use-admin';

export function OperatorsTabs({ current }: { current: 'operators' | 'audit' }) {
  const { t } = useAdmin();
  return (
    <PageTabs
      label={t('nav.operators')}
      current={current}
      tabs={[
        ['operators', t('operators.title')],
        ['audit', t('audit.title')],
      ]}
      testid="operators-tab"
    />
  );
}
