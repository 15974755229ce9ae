/**
 * Client-side message bookkeeping shared by the widget and the console.
 *
 * What stays true:
 * - a `MessageLog` holds each `seq` of one dialog at most once, however often the server
 *   repeats it (a `resume` may overlap live delivery, see docs/protocol.md guarantee 4);
 * - an `Outbox` entry lives from the moment the user presses send until the `ack` (or a
 *   `message.created` carrying the same `client_id`) arrives; retries reuse the `client_id`,
 *   so the server stores the message once;
 * - the `after_seq` of a resume is the highest `seq` held.
 */
import type { MessageView, UploadView } from './api-types';

/** When a message was last edited (ms), 0 if never. */
function editedAt(m: MessageView): number {
  const t = m.edited_at ? Date.parse(m.edited_at) : NaN;
  return Number.isFinite(t) ? t : 0;
}

/** One dialog's messages, keyed by `seq`. */
export class MessageLog {
  private readonly bySeq = new Map<number, MessageView>();
  private sorted: MessageView[] | null = [];

  constructor(readonly dialogId: string | null = null) {}

  /** Adds a message; returns false when this `seq` is already held (a duplicate). */
  add(message: MessageView): boolean {
    if (this.bySeq.has(message.seq)) return false;
    this.bySeq.set(message.seq, message);
    this.sorted = null;
    return true;
  }

  /** Adds several; returns how many were new. */
  addMany(messages: Iterable<MessageView>): number {
    let added = 0;
    for (const m of messages) if (this.add(m)) added++;
    return added;
  }

  /**
   * Puts a newer version of a held message in its place (an edit: same id and `seq`, new
   * `body` and `edited_at`). A message not held is not added, and a version older than the one
   * held (by `edited_at`), or the same again, changes nothing. Returns whether it changed.
   */
  replace(message: MessageView): boolean {
    const held = this.bySeq.get(message.seq);
    if (!held || held.id !== message.id) return false;
    if (editedAt(held) > editedAt(message) || held === message || JSON.stringify(held) === JSON.stringify(message)) return false;
    this.bySeq.set(message.seq, message);
    this.sorted = null;
    return true;
  }

  has(seq: number): boolean {
    return this.bySeq.has(seq);
  }

  get size(): number {
    return this.bySeq.size;
  }

  /** The highest `seq` held, 0 when empty: the `after_seq` to resume from. */
  lastSeq(): number {
    let max = 0;
    for (const seq of this.bySeq.keys()) if (seq > max) max = seq;
    return max;
  }

  /** Messages in `seq` order. */
  list(): readonly MessageView[] {
    if (!this.sorted) this.sorted = [...this.bySeq.values()].sort((a, b) => a.seq - b.seq);
    return this.sorted;
  }
}

export type PendingState = 'sending' | 'failed';

export interface SendFailure {
  code: string;
  details: Record<string, unknown>;
}

/**
 * Whether sending the same text again could succeed: not when the server refused the text
 * itself (empty, too long, blocked by the quality guard) or the dialog is closed; yes for
 * network and server troubles.
 */
export function canRetry(error: SendFailure | undefined): boolean {
  return !['empty_message', 'message_too_long', 'dialog_closed', 'guard_blocked'].includes(error?.code ?? '');
}

/** What a send carries besides its text (console notes; attachments in both apps). */
export interface SendExtras {
  /** An internal note for operators only. */
  internal?: boolean;
  /** Files uploaded before the send; their ids go in `attachments`. */
  attachments?: UploadView[];
  /** Console replies: why the operator sends past a quality-guard block (`guard_override`, 1–500 characters). */
  guardOverride?: string;
}

export interface PendingMessage extends SendExtras {
  client_id: string;
  body: string;
  state: PendingState;
  error?: SendFailure;
  /** Local time the user pressed send (ms), for display only. */
  started_at: number;
}

/** Messages the user sent that the server has not acknowledged yet, in the order sent. */
export class Outbox {
  private readonly items = new Map<string, PendingMessage>();

  start(client_id: string, body: string, now = Date.now(), extras: SendExtras = {}): PendingMessage {
    const pending: PendingMessage = { ...extras, client_id, body, state: 'sending', started_at: now };
    this.items.set(client_id, pending);
    return pending;
  }

  has(client_id: string | null | undefined): boolean {
    return !!client_id && this.items.has(client_id);
  }

  get(client_id: string): PendingMessage | undefined {
    return this.items.get(client_id);
  }

  /** Removes the entry for a committed message; returns whether there was one. */
  settle(client_id: string | null | undefined): boolean {
    return !!client_id && this.items.delete(client_id);
  }

  /** Marks a send refused by the server; the entry stays so the user sees why. */
  fail(client_id: string, error: SendFailure): boolean {
    const p = this.items.get(client_id);
    if (!p) return false;
    this.items.set(client_id, { ...p, state: 'failed', error });
    return true;
  }

  /** Puts a failed entry back to sending (same client_id) and returns it. */
  retry(client_id: string): PendingMessage | undefined {
    const p = this.items.get(client_id);
    if (!p) return undefined;
    const again: PendingMessage = { ...p, state: 'sending', error: undefined };
    delete again.error;
    this.items.set(client_id, again);
    return again;
  }

  discard(client_id: string): boolean {
    return this.items.delete(client_id);
  }

  list(): PendingMessage[] {
    return [...this.items.values()];
  }

  /** Entries still waiting for an ack: what to send again after a reconnect. */
  sending(): PendingMessage[] {
    return this.list().filter((p) => p.state === 'sending');
  }

  get size(): number {
    return this.items.size;
  }
}

/** One dialog as a client shows it: committed messages plus the user's unacknowledged sends. */
export class DialogMessages {
  readonly log: MessageLog;
  readonly outbox = new Outbox();

  constructor(readonly dialogId: string) {
    this.log = new MessageLog(dialogId);
  }

  /** A message from the server (REST page, `message.created`, resume). Returns true if new. */
  receive(message: MessageView): boolean {
    this.outbox.settle(message.client_id);
    return this.log.add(message);
  }

  /** An `ack` for one of our sends. Returns true if the message was new to the log. */
  ack(client_id: string, message: MessageView): boolean {
    this.outbox.settle(client_id);
    return this.log.add(message);
  }

  lastSeq(): number {
    return this.log.lastSeq();
  }
}
