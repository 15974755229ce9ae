/**
 * The pages about connecting Frontline to the outside, side by side: installing the widget on
 * a site, webhooks and Telegram bots (admins). The navigation shows them as one entry, "Integrations".
 */
import { PageTabs } from './PageTabs';
import { useAdmin } from './use-admin';

export function IntegrationsTabs({ current }: { current: 'install' | 'webhooks' | 'telegram' }) {
  const { t } = useAdmin();
  return (
    <PageTabs
      label={t('nav.install')}
      current={current}
      tabs={[
        ['install', t('install.title')],
        ['webhooks', t('webhooks.title')],
        ['telegram', t('telegram.title')],
      ]}
      testid="integrations-tab"
    />
  );
}
