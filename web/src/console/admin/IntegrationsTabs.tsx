/**
 * The pages about connecting Frontline to the outside, side by side: installing the widget on
 * a site, webhooks, the Web API's keys, Telegram bots and the mail setup (admins). The navigation shows them as one entry, "Integrations".
 */
import { PageTabs } from './PageTabs';
import { useAdmin } from './use-admin';

export function IntegrationsTabs({ current }: { current: 'install' | 'webhooks' | 'api-keys' | 'telegram' | 'mail' }) {
  const { t } = useAdmin();
  return (
    <PageTabs
      label={t('nav.install')}
      current={current}
      tabs={[
        ['install', t('install.title')],
        ['webhooks', t('webhooks.title')],
        ['api-keys', t('apikeys.title')],
        ['telegram', t('telegram.title')],
        ['mail', t('mail.title')],
      ]}
      testid="integrations-tab"
    />
  );
}
