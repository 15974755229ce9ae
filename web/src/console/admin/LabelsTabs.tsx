/**
 * What a dialog carries, side by side under "Tags": the tag and category dictionaries, and the
 * custom fields of dialogs and visitors (admins alone; a supervisor has the tags page only, so no
 * tabs).
 */
import { PageTabs } from './PageTabs';
import { useAdmin } from './use-admin';

export function LabelsTabs({ current }: { current: 'tags' | 'fields' }) {
  const { t } = useAdmin();
  return (
    <PageTabs
      label={t('nav.tags')}
      current={current}
      tabs={[
        ['tags', t('labels.title')],
        ['fields', t('fields.title')],
      ]}
      testid="labels-tab"
    />
  );
}
