/**
 * The words of a system line in the chat. Of the system events only `transfer_notice` reaches
 * a visitor (docs/api.md, `MessageView`); any other is shown by its body, or not at all.
 */
import type { MessageView } from '../shared/api-types';
import type { Translate } from '../shared/i18n';
import { refName } from '../shared/names';
import type { WidgetKey } from './i18n';

export function systemText(m: Pick<MessageView, 'body' | 'event'>, t: Translate<WidgetKey>): string | null {
  if (m.event?.kind === 'transfer_notice') {
    const operator = refName(m.event.operator);
    return operator ? t('system.transfer_notice', { operator }) : t('system.transfer_notice_colleague');
  }
  return m.body.trim() || null;
}
