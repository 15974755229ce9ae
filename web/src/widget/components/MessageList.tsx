/**
 * The conversation: dialogs in order, a note after each closed one (and the rating form after
 * an operator's close), the visitor's pending sends, the read mark, who is typing; a proactive
 * message not yet answered (after everything, or just before his answer until the server's
 * copy is here) and the thanks after a question sent with the offline form.
 */
import { Fragment } from 'preact';
import { useEffect, useLayoutEffect, useRef } from 'preact/hooks';
import type { MessageView } from '../../shared/api-types';
import { dayKey, formatDay } from '../../shared/time';
import { readMarkSeq } from '../conversation';
import { useChatEnv } from '../context';
import { MessageBubble, PendingBubble, ProactiveBubble } from './MessageBubble';
import { OfflineThanks } from './OfflineForm';
import { RatingForm } from './RatingForm';
import { TypingLine } from './TypingLine';

/** Whether `m` starts a new group (another author, or a pause of more than five minutes). */
function startsGroup(prev: MessageView | undefined, m: MessageView): boolean {
  if (!prev) return true;
  if (prev.author.kind !== m.author.kind || prev.author.id !== m.author.id) return true;
  return Date.parse(m.created_at) - Date.parse(prev.created_at) > 5 * 60_000;
}

export function MessageList() {
  const { chat, t, lang } = useChatEnv();
  const scroller = useRef<HTMLDivElement>(null);
  const stick = useRef(true);
  const threads = chat.conversation.threads();
  const pending = chat.conversation.outbox.list();
  const latest = threads[threads.length - 1];
  // The read mark goes in the current dialog only: older ones are history.
  const readSeq = latest ? readMarkSeq(latest.messages, chat.conversation.operatorReadSeq(latest.dialogId)) : null;
  const proactive = chat.proactive;
  const place = proactive ? chat.proactivePlace() : null;
  const sent = chat.offlineSent;

  // Keep the newest message in view unless the visitor scrolled up to read.
  useLayoutEffect(() => {
    const el = scroller.current;
    if (el && stick.current) el.scrollTop = el.scrollHeight;
  });
  useEffect(() => {
    const shown = () => {
      const el = scroller.current;
      if (el) el.scrollTop = el.scrollHeight;
      stick.current = true;
    };
    addEventListener('frontline:shown', shown);
    return () => removeEventListener('frontline:shown', shown);
  }, []);

  let lastDay = '';
  return (
    <div
      class="messages"
      ref={scroller}
      role="log"
      aria-live="polite"
      aria-label={t('chat.messages')}
      data-testid="message-list"
      onScroll={(e) => {
        const el = e.currentTarget;
        stick.current = el.scrollHeight - el.scrollTop - el.clientHeight < 40;
      }}
    >
      {threads.length === 0 && pending.length === 0 && !proactive && !chat.offlineForm() && <p class="empty">{t('chat.empty')}</p>}
      {threads.map((thread) => (
        <Fragment key={thread.dialogId}>
          {thread.messages.map((m, i) => {
            const day = dayKey(m.created_at);
            const newDay = day !== lastDay;
            lastDay = day;
            return (
              <Fragment key={m.seq}>
                {newDay && <div class="day">{formatDay(m.created_at, lang)}</div>}
                {proactive && place && place.dialogId === thread.dialogId && place.beforeSeq === m.seq && <ProactiveBubble proactive={proactive} />}
                <MessageBubble
                  message={m}
                  read={thread === latest && m.seq === readSeq}
                  first={newDay || startsGroup(thread.messages[i - 1], m)}
                  last={!thread.messages[i + 1] || startsGroup(m, thread.messages[i + 1]) || dayKey(thread.messages[i + 1].created_at) !== day}
                />
                {sent && sent.dialog_id === thread.dialogId && sent.seq === m.seq && <OfflineThanks contact={sent.contact} />}
              </Fragment>
            );
          })}
          {thread.closed && (thread !== latest || pending.length === 0) && (
            <div class="closed-note" data-testid="dialog-closed-note">
              {t('chat.dialog_closed')}
            </div>
          )}
          {thread.closed && thread === latest && pending.length === 0 && chat.ratingPrompt(thread.dialogId) !== 'none' && (
            <RatingForm dialogId={thread.dialogId} />
          )}
        </Fragment>
      ))}
      {proactive && !place && (
        <>
          {dayKey(proactive.shown_at) !== lastDay && <div class="day">{formatDay(proactive.shown_at, lang)}</div>}
          <ProactiveBubble proactive={proactive} />
        </>
      )}
      {pending.map((p) => (
        <PendingBubble key={p.client_id} pending={p} />
      ))}
      <TypingLine />
    </div>
  );
}
