/**
 * The words of a system line in the chat. Of the system events these reach a visitor
 * (docs/api.md, `MessageView`): `transfer_notice`; `form_sent` (drawn as the form's card,
 * components/FormCard.tsx; these words only stand in where a card cannot be drawn) and
 * `form_submitted` (the form's answer: his request's number and when to expect the reply).
 * `ticket_answered` is for operators and never shown here; any other line is shown by its
 * body, or not at all.
 */
import type { MessageView } from '../shared/api-types';
import type { Translate } from '../shared/i18n';
import { refName } from '../shared/names';
import type { WidgetKey } from './i18n';

const text = (v: unknown) => (typeof v === 'string' ? v.trim() : '');

export function systemText(m: Pick<MessageView, 'body' | 'event'>, t: Translate<WidgetKey>): string | null {
  const event = m.event;
  switch (event?.kind) {
    case 'transfer_notice': {
      const operator = refName(event.operator);
      return operator ? t('system.transfer_notice', { operator }) : t('system.transfer_notice_colleague');
    }
    case 'form_sent': {
      const form = text(event.form);
      return form ? t('system.form_sent', { form }) : t('system.form_sent_unnamed');
    }
    case 'form_submitted': {
      const answer = text(event.answer);
      if (answer) return answer;
      const form = text(event.form);
      return m.body.trim() || (form ? t('system.form_submitted', { form }) : t('system.form_submitted_unnamed'));
    }
    case 'ticket_answered':
      return null;
  }
  return m.body.trim() || null;
}

/** Whether a system line is a notice the visitor must read (the form's answer), not a passing remark. */
export function isNotice(m: Pick<MessageView, 'event'>): boolean {
  return m.event?.kind === 'form_submitted';
}
