/**
 * The operator console's state and everything it does over the network: sign-in, the dialog
 * list kept live by the console socket, the open dialog's messages, sends pending until `ack`,
 * read marks, closing. Components read fields and call methods; changes are announced through
 * `Observable`.
 *
 * After a reconnect the list is reloaded (dialog events may have been missed) and every dialog
 * whose messages are held is resumed from its last seq; `resync` reloads over REST.
 */
import { ApiError, createClient, fetchAllMessages, query, type Requester } from '../shared/api';
import type {
  DialogStatusFilter,
  DialogView,
  MeView,
  MessageView,
  Page,
  ServerFrame,
} from '../shared/api-types';
import { newClientId } from '../shared/ids';
import { pickLang, type Lang } from '../shared/i18n';
import { DialogMessages } from '../shared/messages';
import { ReconnectingSocket, wsUrl, type SocketStatus } from '../shared/socket';
import { local } from '../shared/storage';
import { Observable } from '../shared/store';
import { mergeDialog, totalUnread, visibleDialogs, withMessage } from './dialogs';

export type AuthPhase = 'checking' | 'unreachable' | 'signed_out' | 'signed_in';

export interface Problem {
  code: string;
  details: Record<string, unknown>;
}

/** One dialog's messages as loaded in the console. */
export interface LoadedDialog {
  messages: DialogMessages;
  loading: boolean;
  problem: Problem | null;
}

const LANG_KEY = 'frontline.console.lang';
const BASE = '/console/';
const PAGE_SIZE = 50;

export function toProblem(e: unknown): Problem {
  if (e instanceof ApiError) return { code: e.code, details: e.details };
  return { code: 'internal', details: {} };
}

/** The dialog id in a console path (`/console/dialogs/<id>`), or null. */
export function dialogIdFromPath(path: string): string | null {
  const m = /^\/console\/dialogs\/([^/?#]+)/.exec(path);
  return m ? decodeURIComponent(m[1]) : null;
}

export class ConsoleState extends Observable {
  lang: Lang;
  auth: AuthPhase = 'checking';
  me: MeView | null = null;

  readonly dialogs = new Map<string, DialogView>();
  filter: DialogStatusFilter = 'open';
  listLoading = false;
  listProblem: Problem | null = null;
  nextCursor: string | null = null;

  selectedId: string | null = null;
  readonly loaded = new Map<string, LoadedDialog>();
  /** Highest seq each dialog was marked read up to by this tab. */
  readonly readUpTo = new Map<string, number>();
  closing = new Set<string>();

  connection: SocketStatus = 'closed';
  /** A refusal not tied to one message (closing failed, a socket error…). */
  notice: Problem | null = null;

  private socket: ReconnectingSocket | null = null;
  /** Which dialog each unacknowledged send belongs to. */
  private readonly sendDialog = new Map<string, string>();
  private readonly api: Requester;
  private listRequest = 0;

  private readonly WebSocketImpl?: typeof WebSocket;

  constructor(deps: { api?: Requester; WebSocketImpl?: typeof WebSocket } = {}) {
    super();
    this.api = deps.api ?? createClient('');
    this.WebSocketImpl = deps.WebSocketImpl;
    this.lang = pickLang(local.get(LANG_KEY) || navigator.language);
  }

  // ---- session ----------------------------------------------------------------------------

  async start(): Promise<void> {
    this.auth = 'checking';
    this.changed();
    try {
      const me = await this.api<MeView>('GET', '/api/v1/me');
      this.signedIn(me);
    } catch (e) {
      this.auth = e instanceof ApiError && e.status === 401 ? 'signed_out' : 'unreachable';
      this.changed();
    }
  }

  /** Signs in; resolves to the refusal (e.g. `workspace_required`) or null. */
  async login(email: string, password: string, workspace?: string): Promise<Problem | null> {
    try {
      const me = await this.api<MeView>('POST', '/api/v1/auth/login', {
        body: workspace ? { email, password, workspace } : { email, password },
      });
      this.signedIn(me);
      return null;
    } catch (e) {
      return toProblem(e);
    }
  }

  async logout(): Promise<void> {
    try {
      await this.api('POST', '/api/v1/auth/logout');
    } catch {
      // The session is gone for this tab either way.
    }
    this.signedOut();
  }

  setLang(lang: Lang): void {
    this.lang = lang;
    local.set(LANG_KEY, lang);
    this.changed();
  }

  private signedIn(me: MeView): void {
    this.me = me;
    this.auth = 'signed_in';
    this.changed();
    void this.loadList();
    this.connect();
    const fromUrl = dialogIdFromPath(location.pathname);
    if (fromUrl) void this.open(fromUrl, false);
  }

  private signedOut(): void {
    this.socket?.stop();
    this.socket = null;
    this.me = null;
    this.auth = 'signed_out';
    this.dialogs.clear();
    this.loaded.clear();
    this.readUpTo.clear();
    this.sendDialog.clear();
    this.selectedId = null;
    this.notice = null;
    if (location.pathname !== BASE) history.replaceState(null, '', BASE);
    this.changed();
  }

  /** Any 401 means the session is over: back to the sign-in form. */
  private guard(e: unknown): Problem {
    const problem = toProblem(e);
    if (problem.code === 'unauthenticated' && this.auth === 'signed_in') this.signedOut();
    return problem;
  }

  // ---- the list ---------------------------------------------------------------------------

  visible(): DialogView[] {
    return visibleDialogs(this.dialogs, this.filter);
  }

  unreadTotal(): number {
    return totalUnread(this.dialogs, this.readUpTo);
  }

  setFilter(filter: DialogStatusFilter): void {
    if (filter === this.filter) return;
    this.filter = filter;
    this.nextCursor = null;
    this.changed();
    void this.loadList();
  }

  /** Loads the first page of the current filter (or the next page with `more`). */
  async loadList(more = false): Promise<void> {
    const request = ++this.listRequest;
    const filter = this.filter;
    this.listLoading = true;
    this.listProblem = null;
    this.changed();
    try {
      const page = await this.api<Page<DialogView>>(
        'GET',
        `/api/v1/dialogs${query({ status: filter, limit: PAGE_SIZE, cursor: more ? this.nextCursor : undefined })}`,
      );
      for (const d of page.items) mergeDialog(this.dialogs, d);
      if (request === this.listRequest) this.nextCursor = page.next_cursor ?? null;
    } catch (e) {
      if (request === this.listRequest) this.listProblem = this.guard(e);
    } finally {
      if (request === this.listRequest) this.listLoading = false;
      this.changed();
    }
  }

  // ---- one dialog -------------------------------------------------------------------------

  selected(): DialogView | null {
    return this.selectedId ? this.dialogs.get(this.selectedId) ?? null : null;
  }

  /** Shows a dialog: loads its messages (all pages) if not held, then marks it read. */
  async open(id: string | null, push = true): Promise<void> {
    if (push) {
      const path = id ? `${BASE}dialogs/${encodeURIComponent(id)}` : BASE;
      if (location.pathname !== path) history.pushState(null, '', path);
    }
    this.selectedId = id;
    this.notice = null;
    this.changed();
    if (!id) return;
    if (!this.dialogs.has(id)) {
      try {
        mergeDialog(this.dialogs, await this.api<DialogView>('GET', `/api/v1/dialogs/${encodeURIComponent(id)}`));
      } catch (e) {
        const entry = this.entry(id);
        entry.problem = this.guard(e);
        this.changed();
        return;
      }
    }
    const entry = this.loaded.get(id);
    if (!entry || entry.problem) await this.loadMessages(id);
    this.markRead(id);
  }

  private entry(id: string): LoadedDialog {
    let entry = this.loaded.get(id);
    if (!entry) {
      entry = { messages: new DialogMessages(id), loading: false, problem: null };
      this.loaded.set(id, entry);
    }
    return entry;
  }

  /** Loads every message after the ones held (all of them the first time). */
  async loadMessages(id: string): Promise<void> {
    const entry = this.entry(id);
    entry.loading = true;
    entry.problem = null;
    this.changed();
    try {
      const items = await fetchAllMessages(
        (p) =>
          this.api<Page<MessageView>>(
            'GET',
            `/api/v1/dialogs/${encodeURIComponent(id)}/messages${query({ ...p, limit: 100 })}`,
          ),
        entry.messages.lastSeq(),
      );
      for (const m of items) this.receiveMessage(m, false);
    } catch (e) {
      entry.problem = this.guard(e);
    } finally {
      entry.loading = false;
      this.changed();
    }
  }

  /** Tells the server the operator has seen the open dialog up to its last message. */
  markRead(id: string): void {
    if (this.selectedId !== id || typeof document !== 'undefined' && document.visibilityState === 'hidden') return;
    const entry = this.loaded.get(id);
    const seq = entry?.messages.lastSeq() ?? 0;
    if (seq === 0 || (this.readUpTo.get(id) ?? 0) >= seq) return;
    this.readUpTo.set(id, seq);
    this.changed();
    this.api('POST', `/api/v1/dialogs/${encodeURIComponent(id)}/read`, { body: { seq } }).catch((e) => {
      // Let the next attempt try again.
      if ((this.readUpTo.get(id) ?? 0) === seq) this.readUpTo.delete(id);
      this.guard(e);
      this.changed();
    });
  }

  async closeDialog(id: string): Promise<void> {
    if (this.closing.has(id)) return;
    this.closing.add(id);
    this.changed();
    try {
      mergeDialog(this.dialogs, await this.api<DialogView>('POST', `/api/v1/dialogs/${encodeURIComponent(id)}/close`));
    } catch (e) {
      this.notice = this.guard(e);
    } finally {
      this.closing.delete(id);
      this.changed();
    }
  }

  dismissNotice(): void {
    this.notice = null;
    this.changed();
  }

  // ---- sending ----------------------------------------------------------------------------

  send(dialogId: string, text: string): void {
    const body = text.trim();
    if (!body) return;
    const client_id = newClientId();
    this.entry(dialogId).messages.outbox.start(client_id, body);
    this.sendDialog.set(client_id, dialogId);
    this.changed();
    this.transmit(dialogId, client_id, body);
  }

  retry(dialogId: string, client_id: string): void {
    const p = this.loaded.get(dialogId)?.messages.outbox.retry(client_id);
    if (!p) return;
    this.changed();
    this.transmit(dialogId, client_id, p.body);
  }

  discard(dialogId: string, client_id: string): void {
    this.loaded.get(dialogId)?.messages.outbox.discard(client_id);
    this.sendDialog.delete(client_id);
    this.changed();
  }

  private transmit(dialogId: string, client_id: string, body: string): void {
    if (this.socket?.send({ type: 'send', dialog_id: dialogId, client_id, body })) return;
    // No socket right now: REST does the same send, idempotent by client_id.
    this.api<MessageView>('POST', `/api/v1/dialogs/${encodeURIComponent(dialogId)}/messages`, {
      body: { client_id, body },
    }).then(
      (message) => this.acked(client_id, message),
      (e) => {
        const problem = this.guard(e);
        // No answer: keep it "sending"; the socket sends it again when it is back.
        if (problem.code === 'network' || problem.code === 'unavailable') return;
        this.loaded.get(dialogId)?.messages.outbox.fail(client_id, problem);
        this.changed();
      },
    );
  }

  private acked(client_id: string, message: MessageView): void {
    const dialogId = this.sendDialog.get(client_id) ?? message.dialog_id;
    this.sendDialog.delete(client_id);
    this.entry(dialogId).messages.ack(client_id, message);
    this.touchRow(message);
    // The operator wrote after reading everything before: nothing in the dialog is unread.
    if (this.selectedId === dialogId) this.markRead(dialogId);
    this.changed();
  }

  // ---- live ------------------------------------------------------------------------------

  private connect(): void {
    this.socket?.stop();
    this.socket = new ReconnectingSocket({
      url: () => wsUrl(location.origin, '/api/v1/ws'),
      WebSocketImpl: this.WebSocketImpl,
      onOpen: (reconnected) => {
        if (reconnected) void this.loadList();
        for (const [id, entry] of this.loaded) {
          if (entry.messages.log.size === 0 && entry.loading) continue;
          this.socket?.send({ type: 'resume', dialog_id: id, after_seq: entry.messages.lastSeq() });
          for (const p of entry.messages.outbox.sending()) {
            this.socket?.send({ type: 'send', dialog_id: id, client_id: p.client_id, body: p.body });
          }
        }
      },
      onFrame: (frame) => this.onFrame(frame),
      onStatus: (status) => {
        this.connection = status;
        this.changed();
      },
      onDrop: (failures) => {
        // Repeated failures may mean the session ended: ask once in a while.
        if (failures === 2 || failures % 10 === 0) {
          this.api('GET', '/api/v1/me').catch((e) => this.guard(e));
        }
      },
    });
    this.socket.start();
  }

  private onFrame(frame: ServerFrame): void {
    switch (frame.type) {
      case 'dialog.created':
      case 'dialog.updated':
      case 'dialog.closed':
        if (mergeDialog(this.dialogs, frame.dialog)) this.changed();
        break;
      case 'message.created':
        this.receiveMessage(frame.message, true);
        break;
      case 'ack':
        this.acked(frame.client_id, frame.message);
        break;
      case 'error': {
        const problem = { code: frame.code, details: frame.details ?? {} };
        const dialogId = frame.client_id ? this.sendDialog.get(frame.client_id) : undefined;
        if (frame.client_id && dialogId && this.loaded.get(dialogId)?.messages.outbox.fail(frame.client_id, problem)) {
          this.changed();
        } else if (frame.code !== 'unknown_frame') {
          this.notice = problem;
          this.changed();
        }
        break;
      }
      case 'resync':
        this.resync();
        break;
      case 'hello':
      case 'resumed':
      case 'pong':
        break;
    }
  }

  /** A message from REST or the socket: into its dialog if held, and onto its list row. */
  private receiveMessage(m: MessageView, live: boolean): void {
    const entry = this.loaded.get(m.dialog_id);
    const added = entry ? entry.messages.receive(m) : false;
    if (live) {
      if (!this.touchRow(m)) {
        // A dialog we have never seen (its dialog.created was missed): fetch its row.
        this.api<DialogView>('GET', `/api/v1/dialogs/${encodeURIComponent(m.dialog_id)}`).then(
          (d) => mergeDialog(this.dialogs, d) && this.changed(),
          (e) => this.guard(e),
        );
      }
      if (added && m.author.kind === 'visitor') this.markRead(m.dialog_id);
    }
    this.changed();
  }

  /** Moves a list row forward for a message; false if the dialog is not in the list. */
  private touchRow(m: MessageView): boolean {
    const row = this.dialogs.get(m.dialog_id);
    if (!row) return false;
    const next = withMessage(row, m);
    if (next !== row) this.dialogs.set(row.id, next);
    return true;
  }

  /** The socket fell behind: reload the list and the open dialog; forget other dialogs' pages. */
  private resync(): void {
    for (const [id, entry] of this.loaded) {
      if (id !== this.selectedId && entry.messages.outbox.size === 0) this.loaded.delete(id);
    }
    void this.loadList();
    if (this.selectedId) void this.loadMessages(this.selectedId);
  }

  /** The tab became visible again: the open dialog can be marked read now. */
  visibilityChanged(): void {
    if (this.selectedId) this.markRead(this.selectedId);
  }
}
