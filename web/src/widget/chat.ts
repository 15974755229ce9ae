/**
 * The visitor's chat session inside the iframe: opens the widget session, loads the history
 * over REST, keeps a socket that resumes after every reconnect, and sends messages that stay
 * pending until the server acknowledges them. Components read its fields and call its methods;
 * it announces changes through `Observable`.
 */
import { ApiError, createClient, fetchAllMessages, query, type Requester } from '../shared/api';
import type { MessageView, Page, ServerFrame, VisitorView, WidgetSessionRequest, WidgetSessionView } from '../shared/api-types';
import { newClientId } from '../shared/ids';
import type { Lang } from '../shared/i18n';
import { ReconnectingSocket, wsUrl, type SocketStatus } from '../shared/socket';
import { local } from '../shared/storage';
import { Observable } from '../shared/store';
import { Conversation, type SeenMark } from './conversation';

export interface FrameParams {
  key: string;
  /** The origin of the page the loader runs on; where postMessage goes. */
  origin: string;
  page: string;
  lang: Lang;
  /** The visitor's browser language (`navigator.language`), for routing rules. */
  language?: string;
  /** What the page told about the visitor (`window.FrontlineSettings.properties`). */
  properties?: Record<string, string>;
}

export type Phase = 'loading' | 'ready' | 'failed';

/** A refusal to show: a stable code and its details (e.g. `limit`). */
export interface Problem {
  code: string;
  details: Record<string, unknown>;
}

const tokenKey = (key: string) => `frontline.visitor.${key}`;
const seenKey = (key: string) => `frontline.seen.${key}`;

export class WidgetChat extends Observable {
  phase: Phase = 'loading';
  failure: Problem | null = null;
  siteName = '';
  visitor: VisitorView | null = null;
  readonly conversation = new Conversation();
  connection: SocketStatus = 'closed';
  /** A refusal not tied to one message (shown as a dismissable notice). */
  notice: Problem | null = null;
  /** Whether the visitor is looking at the chat (panel open and the tab visible). */
  private watching = false;
  private seen: SeenMark | null = null;
  private token = '';
  private socket: ReconnectingSocket | null = null;
  private readonly api: Requester;

  private readonly WebSocketImpl?: typeof WebSocket;

  constructor(
    readonly params: FrameParams,
    private readonly onUnread: (count: number) => void = () => {},
    deps: { api?: Requester; WebSocketImpl?: typeof WebSocket } = {},
  ) {
    super();
    this.api = deps.api ?? createClient(location.origin);
    this.WebSocketImpl = deps.WebSocketImpl;
    try {
      this.seen = JSON.parse(local.get(seenKey(params.key)) ?? 'null') as SeenMark | null;
    } catch {
      this.seen = null;
    }
  }

  /** Opens the session, loads the history, connects the socket. Safe to call again after a failure. */
  async start(): Promise<void> {
    this.phase = 'loading';
    this.failure = null;
    this.changed();
    try {
      await this.openSession();
      await this.loadHistory();
    } catch (e) {
      this.phase = 'failed';
      this.failure = toProblem(e);
      this.changed();
      return;
    }
    this.phase = 'ready';
    this.changed();
    this.reportUnread();
    this.connect();
  }

  stop(): void {
    this.socket?.stop();
    this.socket = null;
  }

  /** Sends a message; it shows as pending until the ack. Empty text is ignored. */
  send(text: string): void {
    const body = text.trim();
    if (!body) return;
    const client_id = newClientId();
    this.conversation.outbox.start(client_id, body);
    this.changed();
    this.transmit(client_id, body);
  }

  retry(client_id: string): void {
    const p = this.conversation.outbox.retry(client_id);
    if (!p) return;
    this.changed();
    this.transmit(p.client_id, p.body);
  }

  discard(client_id: string): void {
    if (this.conversation.outbox.discard(client_id)) this.changed();
  }

  dismissNotice(): void {
    this.notice = null;
    this.changed();
  }

  /** Sets the visitor's name; resolves to the refusal, if any. */
  async rename(name: string): Promise<Problem | null> {
    try {
      this.visitor = await this.api<VisitorView>('PATCH', '/widget/v1/visitor', {
        token: this.token,
        body: { name: name.trim() },
      });
      this.changed();
      return null;
    } catch (e) {
      return toProblem(e);
    }
  }

  /** The panel was opened or closed (or the tab hidden): updates what counts as unread. */
  setWatching(watching: boolean): void {
    this.watching = watching;
    if (watching) this.markSeen();
    this.reportUnread();
  }

  unread(): number {
    return this.conversation.unreadAfter(this.seen);
  }

  private markSeen(): void {
    const mark = this.conversation.newestMark();
    if (!mark) return;
    if (this.seen && this.seen.dialog_id === mark.dialog_id && this.seen.seq >= mark.seq) return;
    this.seen = mark;
    local.set(seenKey(this.params.key), JSON.stringify(mark));
  }

  private reportUnread(): void {
    this.onUnread(this.watching ? 0 : this.unread());
  }

  private async openSession(): Promise<void> {
    const stored = local.get(tokenKey(this.params.key)) ?? undefined;
    const session = await this.api<WidgetSessionView>('POST', '/widget/v1/session', {
      body: {
        key: this.params.key,
        token: stored,
        page_url: this.params.page || undefined,
        origin: this.params.origin || undefined,
        language: this.params.language || undefined,
        properties: this.params.properties && Object.keys(this.params.properties).length ? this.params.properties : undefined,
      } satisfies WidgetSessionRequest,
    });
    this.token = session.token;
    local.set(tokenKey(this.params.key), session.token);
    this.visitor = session.visitor;
    this.siteName = session.site?.name || session.site?.workspace_name || '';
    if (session.dialog) this.conversation.markClosed(session.dialog.id, session.dialog.status === 'closed');
  }

  /** Loads the visitor's latest dialog over REST, after what is already held. */
  private async loadHistory(): Promise<void> {
    let messages: MessageView[];
    try {
      messages = await fetchAllMessages((p) =>
        this.api<Page<MessageView>>('GET', `/widget/v1/messages${query({ ...p, limit: 100 })}`, { token: this.token }),
      );
    } catch (e) {
      // A visitor with no dialog yet may be answered "not found": that is an empty history.
      if (e instanceof ApiError && (e.code === 'not_found' || e.code === 'dialog_not_found')) return;
      throw e;
    }
    let added = false;
    for (const m of messages) added = this.conversation.receive(m) || added;
    if (added) this.afterNewMessages();
  }

  private connect(): void {
    this.socket = new ReconnectingSocket({
      url: () => wsUrl(location.origin, `/widget/v1/ws${query({ token: this.token })}`),
      WebSocketImpl: this.WebSocketImpl,
      onOpen: () => {
        // Also on the first open: closes the gap between the REST history and the socket.
        this.socket?.send({ type: 'resume', after_seq: this.conversation.resumeAfter() });
        for (const p of this.conversation.outbox.sending()) {
          this.socket?.send({ type: 'send', client_id: p.client_id, body: p.body });
        }
      },
      onFrame: (frame) => this.onFrame(frame),
      onStatus: (status) => {
        this.connection = status;
        this.changed();
      },
    });
    this.socket.start();
  }

  private transmit(client_id: string, body: string): void {
    if (this.socket?.send({ type: 'send', client_id, body })) return;
    // No socket right now: the REST call does the same send, idempotent by client_id.
    this.api<MessageView>('POST', '/widget/v1/messages', { token: this.token, body: { client_id, body } }).then(
      (message) => {
        this.conversation.ack(client_id, message);
        this.afterNewMessages();
      },
      (e) => {
        const problem = toProblem(e);
        // Without an answer the message stays "sending": the socket sends it again when it is back.
        if (problem.code === 'network' || problem.code === 'unavailable') return;
        this.conversation.outbox.fail(client_id, problem);
        this.changed();
      },
    );
  }

  private onFrame(frame: ServerFrame): void {
    switch (frame.type) {
      case 'hello':
        if (frame.visitor) this.visitor = frame.visitor;
        if (frame.dialog) this.conversation.markClosed(frame.dialog.id, frame.dialog.status === 'closed');
        this.changed();
        break;
      case 'ack':
        this.conversation.ack(frame.client_id, frame.message, frame.duplicate);
        this.afterNewMessages();
        break;
      case 'message.created':
        if (this.conversation.receive(frame.message)) this.afterNewMessages();
        break;
      case 'dialog.created':
      case 'dialog.updated':
      case 'dialog.closed':
        this.conversation.markClosed(frame.dialog.id, frame.dialog.status === 'closed');
        this.changed();
        break;
      case 'error':
        if (frame.client_id && this.conversation.outbox.has(frame.client_id)) {
          this.conversation.outbox.fail(frame.client_id, { code: frame.code, details: frame.details ?? {} });
        } else if (frame.code !== 'unknown_frame') {
          this.notice = { code: frame.code, details: frame.details ?? {} };
        }
        this.changed();
        break;
      case 'resync':
        this.loadHistory().catch(() => this.socket?.reconnectNow());
        break;
      case 'resumed':
      case 'pong':
        break;
    }
  }

  private afterNewMessages(): void {
    if (this.watching) this.markSeen();
    this.changed();
    this.reportUnread();
  }
}

export function toProblem(e: unknown): Problem {
  if (e instanceof ApiError) return { code: e.code, details: e.details };
  return { code: 'internal', details: {} };
}
