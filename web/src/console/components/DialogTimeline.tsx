/** The messages of the open dialog: the visitor on the left, operators on the right. */
import { Fragment } from 'preact';
import { useLayoutEffect, useRef } from 'preact/hooks';
import type { MessageView } from '../../shared/api-types';
import { dayKey, formatDay } from '../../shared/time';
import { useConsole } from '../context';
import { readMarkSeq } from '../tools';
import { MessageBubble, PendingBubble } from './MessageBubble';

function startsGroup(prev: MessageView | undefined, m: MessageView): boolean {
  if (!prev) return true;
  if (prev.author.kind !== m.author.kind || prev.author.id !== m.author.id || prev.audience !== m.audience) return true;
  return Date.parse(m.created_at) - Date.parse(prev.created_at) > 5 * 60_000;
}

export function DialogTimeline({ dialogId }: { dialogId: string }) {
  const { state, t, lang } = useConsole('lists', 'dialog');
  const entry = state.dialog.loaded.get(dialogId);
  const scroller = useRef<HTMLDivElement>(null);
  const stick = useRef(true);
  const shownFor = useRef<string | null>(null);
  const messages = entry?.messages.log.list() ?? [];
  const pending = entry?.messages.outbox.list() ?? [];
  const readSeq = readMarkSeq(messages, state.lists.dialogs.get(dialogId)?.visitor_read_seq);

  useLayoutEffect(() => {
    const el = scroller.current;
    if (!el) return;
    if (shownFor.current !== dialogId) {
      shownFor.current = dialogId;
      stick.current = true;
    }
    if (stick.current) el.scrollTop = el.scrollHeight;
  });

  let lastDay = '';
  return (
    <div
      class="timeline"
      ref={scroller}
      role="log"
      aria-label={t('dialog.messages')}
      // A long conversation scrolls: the keyboard reaches it to scroll it too.
      tabIndex={0}
      data-testid="timeline"
      onScroll={(e) => {
        const el = e.currentTarget;
        stick.current = el.scrollHeight - el.scrollTop - el.clientHeight < 60;
      }}
    >
      {entry?.loading && messages.length === 0 && <p class="pane-note">{t('dialog.loading')}</p>}
      {!entry?.loading && messages.length === 0 && pending.length === 0 && <p class="pane-note">{t('dialog.empty')}</p>}
      {messages.map((m, i) => {
        const day = dayKey(m.created_at);
        const newDay = day !== lastDay;
        lastDay = day;
        return (
          <Fragment key={m.seq}>
            {newDay && (
              <div class="day-divider">
                <span>{formatDay(m.created_at, lang)}</span>
              </div>
            )}
            <MessageBubble message={m} first={newDay || startsGroup(messages[i - 1], m)} read={m.seq === readSeq} />
          </Fragment>
        );
      })}
      {pending.map((p) => (
        <PendingBubble key={p.client_id} dialogId={dialogId} pending={p} />
      ))}
    </div>
  );
}
