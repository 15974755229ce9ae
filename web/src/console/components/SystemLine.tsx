/**
 * A system line in the timeline: centred and grey, worded from its `event` in the console's
 * language; a line only operators see (a transfer comment…) says so. What a line quotes (the
 * answer a filled form's visitor was told, the department's mail) shows under it, and a filled
 * form's line opens its answers.
 */
import type { MessageView } from '../../shared/api-types';
import { formatClock } from '../../shared/time';
import { useConsole } from '../context';
import { systemLine } from '../system-lines';
import { FormAnswers } from './FormAnswers';

export function SystemLine({ message }: { message: MessageView }) {
  const { t, lang } = useConsole();
  const { text, comment, detail, request } = systemLine(message, t, lang);
  const internal = message.audience === 'operators';
  return (
    <div
      class={`system-line${internal ? ' internal' : ''}`}
      data-testid="system-line"
      data-author="system"
      data-event={message.event?.kind ?? ''}
      data-audience={message.audience}
      data-seq={message.seq}
    >
      <span class="system-text">
        {text}
        <time dateTime={message.created_at}> · {formatClock(message.created_at, lang)}</time>
      </span>
      {comment && (
        <span class="system-comment" data-testid="system-comment">
          {t('system.comment', { comment })}
        </span>
      )}
      {detail && (
        <span class="system-detail" data-testid="system-detail">
          {detail}
        </span>
      )}
      {request && message.event?.kind === 'form_submitted' && <FormAnswers request={request} />}
      {internal && (
        <span class="system-audience">
          <svg viewBox="0 0 16 16" width="10" height="10" aria-hidden="true">
            <path d="M4.5 7V5a3.5 3.5 0 0 1 7 0v2h.5a1 1 0 0 1 1 1v6a1 1 0 0 1-1 1H4a1 1 0 0 1-1-1V8a1 1 0 0 1 1-1h.5zm1.5 0h4V5a2 2 0 0 0-4 0v2z" fill="currentColor" />
          </svg>
          {t('system.operators_only')}
        </span>
      )}
    </div>
  );
}
