/**
 * What the visitor's chat holds: the messages of one or more dialogs (a closed dialog stays
 * on screen when the visitor starts a new one), the visitor's unacknowledged sends, which
 * operator messages the visitor has not seen yet, and what the server told about each dialog
 * (closed and why, rated, read by the operators up to which seq).
 *
 * The widget socket resumes the visitor's latest dialog only, so `resumeAfter()` is the
 * highest seq of the newest dialog held.
 */
import type { MessageView, WidgetDialogView } from '../shared/api-types';
import { MessageLog, Outbox } from '../shared/messages';
import { formSentOf } from './forms';
import { parseTime } from '../shared/time';

/** The last message the visitor has seen: a dialog and a seq in it. */
export interface SeenMark {
  dialog_id: string;
  seq: number;
}

export interface Thread {
  dialogId: string;
  messages: readonly MessageView[];
  closed: boolean;
}

/**
 * The seq of the visitor's last message that the operators have read (`operator_read_seq`),
 * under which the "read" mark goes; null when none of his messages is read yet.
 */
export function readMarkSeq(messages: readonly MessageView[], operatorReadSeq: number): number | null {
  for (let i = messages.length - 1; i >= 0; i--) {
    const m = messages[i];
    if (m.author.kind === 'visitor' && m.seq <= operatorReadSeq) return m.seq;
  }
  return null;
}

export class Conversation {
  private readonly logs = new Map<string, MessageLog>();
  private readonly closed = new Set<string>();
  private readonly info = new Map<string, WidgetDialogView>();
  /** Per dialog, the seq up to which the operators have read. */
  private readonly operatorRead = new Map<string, number>();
  readonly outbox = new Outbox();

  /** A message from the server (history page, live, resume). Returns true if it was new. */
  receive(message: MessageView): boolean {
    this.outbox.settle(message.client_id);
    return this.log(message.dialog_id).add(message);
  }

  /** The server committed one of our sends. Returns true if the message was new. */
  ack(client_id: string, message: MessageView, duplicate = false): boolean {
    this.outbox.settle(client_id);
    const added = this.log(message.dialog_id).add(message);
    // A fresh message accepted into a dialog means that dialog is open (again, or a new one).
    if (!duplicate) {
      this.closed.delete(message.dialog_id);
      const known = this.info.get(message.dialog_id);
      if (known && known.status === 'closed') this.info.set(known.id, { ...known, status: 'open', close_reason: null });
    }
    return added;
  }

  markClosed(dialogId: string, closed = true): void {
    if (closed) this.closed.add(dialogId);
    else this.closed.delete(dialogId);
  }

  isClosed(dialogId: string): boolean {
    return this.closed.has(dialogId);
  }

  /** What the server says of a dialog (session answer, `hello`, `dialog.closed`, rating). */
  setDialog(view: WidgetDialogView): void {
    this.info.set(view.id, view);
    this.markClosed(view.id, view.status === 'closed');
    if (typeof view.operator_read_seq === 'number') this.operatorReadUpTo(view.id, view.operator_read_seq);
  }

  dialog(dialogId: string): WidgetDialogView | undefined {
    return this.info.get(dialogId);
  }

  /** The operators read `dialogId` up to `seq` (read marks never move back). */
  operatorReadUpTo(dialogId: string, seq: number): boolean {
    if (seq <= (this.operatorRead.get(dialogId) ?? 0)) return false;
    this.operatorRead.set(dialogId, seq);
    return true;
  }

  operatorReadSeq(dialogId: string): number {
    return this.operatorRead.get(dialogId) ?? 0;
  }

  /** Dialogs in the order they started (by their first message). */
  threads(): Thread[] {
    const list = [...this.logs.values()]
      .filter((l) => l.size > 0)
      .map((l) => ({ dialogId: l.dialogId as string, messages: l.list(), closed: this.closed.has(l.dialogId as string) }));
    return list.sort((a, b) => parseTime(a.messages[0].created_at) - parseTime(b.messages[0].created_at));
  }

  latest(): Thread | undefined {
    const all = this.threads();
    return all[all.length - 1];
  }

  /** `after_seq` for the widget's `resume`: the highest seq of the newest dialog, 0 if none. */
  resumeAfter(): number {
    const last = this.latest();
    return last ? last.messages[last.messages.length - 1].seq : 0;
  }

  /** The newest message held, as a seen mark (for when the visitor is looking at the chat). */
  newestMark(): SeenMark | null {
    const last = this.latest();
    if (!last) return null;
    return { dialog_id: last.dialogId, seq: last.messages[last.messages.length - 1].seq };
  }

  /**
   * The seq to report as read (`read` frame) when the visitor looks at the chat: the newest
   * seq of the newest dialog, when something after `sent` came from someone else; else null.
   */
  readToSend(sent: SeenMark | null): SeenMark | null {
    const last = this.latest();
    if (!last) return null;
    const after = sent && sent.dialog_id === last.dialogId ? sent.seq : 0;
    const fresh = last.messages.some((m) => m.seq > after && m.author.kind !== 'visitor');
    if (!fresh) return null;
    return { dialog_id: last.dialogId, seq: last.messages[last.messages.length - 1].seq };
  }

  /**
   * Operator messages (and forms an operator sent, which ask for his answer) after `seen`: in
   * its dialog above its seq, and all in later dialogs.
   */
  unreadAfter(seen: SeenMark | null): number {
    const threads = this.threads();
    const at = seen ? threads.findIndex((t) => t.dialogId === seen.dialog_id) : -1;
    let count = 0;
    threads.forEach((thread, i) => {
      if (at >= 0 && i < at) return;
      for (const m of thread.messages) {
        if (m.author.kind !== 'operator' && !formSentOf(m)) continue;
        if (at >= 0 && i === at && m.seq <= (seen as SeenMark).seq) continue;
        count++;
      }
    });
    return count;
  }

  private log(dialogId: string): MessageLog {
    let log = this.logs.get(dialogId);
    if (!log) {
      log = new MessageLog(dialogId);
      this.logs.set(dialogId, log);
    }
    return log;
  }
}
