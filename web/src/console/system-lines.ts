/**
 * The words of a system line (`author.kind == "system"`) in the console's language. The
 * server sends an empty body and an `event`; each client words it itself (docs/api.md,
 * `MessageView`). An event this console does not know falls back to the body, then to a
 * neutral "system event", so a newer server never shows a blank line. The form and ticket lines
 * (`form_sent`, `form_submitted`, `ticket_answered`) carry what is quoted under them and the form
 * request whose answers can be read.
 */
import type { MessageView } from '../shared/api-types';
import type { Lang, Translate } from '../shared/i18n';
import { refId, refName } from '../shared/names';
import type { ConsoleKey } from './i18n';
import { snoozeTime } from './snooze';

export interface SystemLine {
  text: string;
  /** The transfer comment (an operators-only line), shown under the text. */
  comment: string | null;
  /** Words quoted under the text as they are: what a filled form's visitor was told, the department's answer. */
  detail?: string | null;
  /** The form request a form line names: its answers can be read (`form_submitted`). */
  request?: string | null;
}

export function systemLine(m: Pick<MessageView, 'body' | 'event'>, t: Translate<ConsoleKey>, lang: Lang = 'ru', now = Date.now()): SystemLine {
  const e = m.event;
  const fallback = { text: m.body.trim() || t('system.unknown'), comment: null };
  if (!e || typeof e !== 'object') return fallback;
  const name = (ref: unknown) => refName(ref) ?? t('author.operator');
  /** " by Иван" when someone else did it; nothing when nobody or the operator himself did. */
  const by = (ref: unknown, operator?: unknown) => {
    if (!ref) return '';
    const same = refId(ref) && refId(ref) === refId(operator);
    const sameName = !refId(ref) && refName(ref) === refName(operator);
    return same || sameName ? '' : t('system.by', { by: name(ref) });
  };
  switch (e.kind) {
    case 'assigned':
      if (!e.by) return { text: t('system.assigned_auto', { operator: name(e.operator) }), comment: null };
      if (!by(e.by, e.operator)) return { text: t('system.accepted', { operator: name(e.operator) }), comment: null };
      return { text: t('system.assigned', { operator: name(e.operator) }) + by(e.by, e.operator), comment: null };
    case 'unassigned':
      return { text: t('system.unassigned', { operator: name(e.operator) }) + by(e.by, e.operator), comment: null };
    case 'transferred': {
      const comment = typeof e.comment === 'string' && e.comment.trim() ? e.comment.trim() : null;
      const channel = refName(e.channel);
      const text = e.operator
        ? t('system.transferred_operator', { operator: name(e.operator) })
        : channel
          ? t('system.transferred_channel', { channel })
          : t('system.transferred');
      return { text: text + by(e.by), comment };
    }
    case 'returned':
      return { text: t('system.returned_offline', { operator: name(e.operator) }), comment: null };
    case 'snoozed': {
      const until = typeof e.until === 'string' && e.until ? snoozeTime(e.until, lang, now) : '';
      return { text: (until ? t('system.snoozed', { time: until }) : t('system.snoozed_plain')) + by(e.by), comment: null };
    }
    case 'unsnoozed':
      return { text: (e.reason === 'due' ? t('system.unsnoozed_due') : t('system.unsnoozed')) + by(e.by), comment: null };
    case 'reopened':
      return { text: e.by ? t('system.reopened') + by(e.by) : t('system.reopened_visitor'), comment: null };
    case 'transfer_notice': {
      const operator = refName(e.operator);
      return {
        text: operator ? t('system.transfer_notice', { operator }) : t('system.transfer_notice_colleague'),
        comment: null,
      };
    }
    case 'form_sent': {
      const form = words(e.form) || t('forms.line.unnamed');
      const sender = refName(e.by);
      return { text: sender ? t('forms.line.sent_by', { form, by: sender }) : t('forms.line.sent', { form }), comment: null, request: words(e.request) || null };
    }
    case 'form_submitted': {
      const form = words(e.form) || t('forms.line.unnamed');
      const number = count(e.number);
      const client = count(e.client_number);
      const answer = words(e.answer);
      return {
        text: number && client ? t('forms.line.submitted', { form, number, client_number: client }) : t('forms.line.submitted_plain', { form }),
        comment: null,
        detail: answer ? t('forms.line.told', { answer }) : null,
        request: words(e.request) || null,
      };
    }
    case 'ticket_answered': {
      const number = count(e.number) || '?';
      const from = words(e.from);
      return {
        text: from ? t('forms.line.answered', { from, number }) : t('forms.line.answered_plain', { number }),
        comment: null,
        detail: typeof e.text === 'string' && e.text.trim() ? e.text.trim() : null,
      };
    }
    default:
      return fallback;
  }
}

/** A text field of an event, trimmed ('' when it is not a text). */
function words(v: unknown): string {
  return typeof v === 'string' ? v.trim() : '';
}

/** A ticket number of an event ('' when it is none). */
function count(v: unknown): string {
  return (typeof v === 'number' && Number.isFinite(v)) || (typeof v === 'string' && /^\d+$/.test(v.trim())) ? String(v).trim() : '';
}
