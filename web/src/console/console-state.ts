/**
 * The operator console's state and everything it does over the network: sign-in, the dialog
 * list (filtered) and the queue kept live by the console socket, the operator's presence, the
 * open dialog's messages, sends pending until `ack`, read marks, accepting, assigning,
 * transferring and closing, and the sounds and notifications those events deserve.
 * Components read fields and call methods; changes are announced through `Observable`.
 *
 * What stays true:
 * - every dialog seen (list pages, the queue, the operator's own, socket events) lives once in
 *   `dialogs`; the list, the queue and the tabs are views of it (see dialogs.ts, queue.ts);
 * - a dialog that leaves the operator's sight (moved to a channel he is not in) is dropped;
 * - after a reconnect the list, the queue and the operators are reloaded (events may have been
 *   missed) and every dialog whose messages are held is resumed from its last seq; `resync`
 *   reloads over REST.
 */
import { ApiError, createClient, fetchAllMessages, query, type Requester } from '../shared/api';
import type {
  BulkCloseResult,
  CategoryView,
  ChannelView,
  DialogCounts,
  DialogView,
  Items,
  MeView,
  MentionFrame,
  MessageView,
  OperatorView,
  Page,
  Presence,
  SavedReplyView,
  SearchHit,
  ServerFrame,
  SlaBreachedFrame,
  TagView,
  UploadLimits,
  UploadView,
  VisitorCardView,
  VisitorPatch,
} from '../shared/api-types';
import { newClientId } from '../shared/ids';
import { pickLang, type Lang } from '../shared/i18n';
import { DialogMessages, type SendExtras } from '../shared/messages';
import { ReconnectingSocket, wsUrl, type SocketStatus } from '../shared/socket';
import { local } from '../shared/storage';
import { Observable } from '../shared/store';
import { TypingThrottle, TypingTracker } from '../shared/typing';
import { uploadFile } from '../shared/uploads';
import { AdminState } from './admin/admin-state';
import { Attention, browserAlerter, decideAlert, type Alerter } from './alerts';
import { activeDialogs, mergeDialog, totalUnread, visibleDialogs, withMessage } from './dialogs';
import { DEFAULT_FILTER, filterQuery, parseFilter, type ListFilter } from './filters';
import { makeT } from './i18n';
import { countQueued, isQueued, queueBeyond, queuedDialogs } from './queue';
import { BASE, pathFor, routeFromPath, sectionsFor, type AdminSection, type Route } from './routes';
import { slaAlertKey, withSlaAlert, type SlaAlert } from './sla';
import { transferBody, type TransferTarget } from './transfer';
import { withVisitorRead } from './tools';

export { dialogIdFromPath } from './routes';

export type AuthPhase = 'checking' | 'unreachable' | 'signed_out' | 'signed_in';

/** The left column shows the filtered list or the queue. */
export type ListTab = 'dialogs' | 'queue';

export interface Problem {
  code: string;
  details: Record<string, unknown>;
  /** The server's own words, for codes the console has no text of its own for. */
  message?: string;
}

/** The visitor card of a dialog as loaded. */
export interface LoadedCard {
  card: VisitorCardView | null;
  loading: boolean;
  problem: Problem | null;
}

/** The list's search box and what it found. */
export interface SearchState {
  query: string;
  hits: SearchHit[] | null;
  loading: boolean;
  problem: Problem | null;
}

/** A `mention` frame shown in the console until dismissed. */
export interface MentionAlert {
  dialog: DialogView;
  message: MessageView;
}

/** One dialog's messages as loaded in the console. */
export interface LoadedDialog {
  messages: DialogMessages;
  loading: boolean;
  problem: Problem | null;
}

const LANG_KEY = 'frontline.console.lang';
const CARD_KEY = 'frontline.console.card';
const FILTER_KEY = 'frontline.console.filter';
const PAGE_SIZE = 50;
const QUEUE_PAGE = 100;
/** How long after a dialog event the server's queue count is asked again (only while the queue is longer than a page). */
const COUNTS_DEBOUNCE_MS = 3_000;

export function toProblem(e: unknown): Problem {
  // ApiError falls back to its code as the message: that is no words of the server's.
  if (e instanceof ApiError) return { code: e.code, details: e.details, message: e.message !== e.code ? e.message : undefined };
  return { code: 'internal', details: {} };
}

export interface ConsoleDeps {
  api?: Requester;
  WebSocketImpl?: typeof WebSocket;
  alerter?: Alerter;
  /** Whether the operator is looking at the console (tab visible and focused). */
  watching?: () => boolean;
}

export class ConsoleState extends Observable {
  lang: Lang;
  auth: AuthPhase = 'checking';
  /** The last sign-out was the server's (the session ended elsewhere), not the operator's. */
  sessionEnded = false;
  me: MeView | null = null;
  route: Route = { view: 'dialogs', dialogId: null };

  readonly dialogs = new Map<string, DialogView>();
  filter: ListFilter;
  listTab: ListTab = 'dialogs';
  listLoading = false;
  listProblem: Problem | null = null;
  nextCursor: string | null = null;

  /** The server's counts at the last load; the queue count itself follows events (queueCount). */
  counts: DialogCounts | null = null;
  queueLoading = false;
  queueProblem: Problem | null = null;
  private queueBeyond = 0;
  private countsTimer: ReturnType<typeof setTimeout> | undefined;

  /** Every operator of the workspace, kept live by `operator.updated`. */
  readonly operators = new Map<string, OperatorView>();
  channels: ChannelView[] = [];
  /** Members of channels, loaded when a transfer needs them. */
  readonly members = new Map<string, OperatorView[]>();

  selectedId: string | null = null;
  readonly loaded = new Map<string, LoadedDialog>();
  /** Highest seq each dialog was marked read up to by this tab. */
  readonly readUpTo = new Map<string, number>();
  closing = new Set<string>();
  /** Dialogs being accepted, assigned or transferred by this operator right now. */
  readonly acting = new Set<string>();
  /** The last refusal of an accept or assign, per dialog (shown on its queue row and header). */
  readonly actionProblems = new Map<string, Problem>();
  presenceBusy = false;

  /** Sound and desktop notification settings. */
  readonly attention: Attention;

  connection: SocketStatus = 'closed';
  /** A refusal not tied to one message (closing failed, a socket error…). */
  notice: Problem | null = null;

  /** The admin pages' controller. */
  readonly admin: AdminState;

  // ---- conversation tools ----
  /** Saved replies the operator may use (all scopes; the composer orders them per dialog). */
  savedReplies: SavedReplyView[] = [];
  /** The tag and category dictionaries: active ones, and archived ones once asked for. */
  tags: TagView[] = [];
  categories: CategoryView[] = [];
  /** Who types where, each shown 5 s after his last `typing` frame. */
  readonly typing = new TypingTracker(() => this.changed());
  /** Visitor cards by dialog id. */
  readonly cards = new Map<string, LoadedCard>();
  search: SearchState = { query: '', hits: null, loading: false, problem: null };
  /** Dialogs ticked for a bulk close, and the last bulk close's refusals by dialog. */
  readonly selection = new Set<string>();
  readonly bulkRefusals = new Map<string, Problem>();
  bulkResult: { closed: number; refused: number } | null = null;
  bulkBusy = false;
  /** Dialogs whose close was refused for want of a category (the header asks for one). */
  readonly categoryNeeded = new Set<string>();
  /** Whether the visitor card shows beside the dialog (kept in localStorage). */
  cardShown = local.get(CARD_KEY) !== 'off';
  /** Mentions of this operator in internal notes, newest last, until dismissed. */
  mentions: MentionAlert[] = [];
  /** SLA breaches the server reported to this operator (`sla.breached`), newest last, until dismissed. */
  slaAlerts: SlaAlert[] = [];
  private limitsFromServer: UploadLimits | null = null;
  private searchRequest = 0;
  private readonly typingThrottle = new TypingThrottle((dialogId) => {
    this.socket?.send({ type: 'typing', dialog_id: dialogId });
  });

  private socket: ReconnectingSocket | null = null;
  /** Which dialog each unacknowledged send belongs to. */
  private readonly sendDialog = new Map<string, string>();
  private readonly api: Requester;
  private readonly watching: () => boolean;
  private listRequest = 0;

  private readonly WebSocketImpl?: typeof WebSocket;

  constructor(deps: ConsoleDeps = {}) {
    super();
    this.api = deps.api ?? createClient('');
    this.WebSocketImpl = deps.WebSocketImpl;
    this.watching =
      deps.watching ?? (() => typeof document !== 'undefined' && document.visibilityState === 'visible' && document.hasFocus());
    this.lang = pickLang(local.get(LANG_KEY) || navigator.language);
    this.filter = parseFilter(local.get(FILTER_KEY));
    this.attention = new Attention(deps.alerter ?? browserAlerter(), () => this.changed());
    this.admin = new AdminState({
      api: this.api,
      guard: (e) => this.guard(e),
      channelSaved: (c) => this.channelSaved(c),
      operatorSaved: (o) => this.updateOperator(o),
      replySaved: (r) => this.replySaved(r),
      replyDeleted: (id) => this.replyDeleted(id),
      labelSaved: (kind, label) => this.labelSaved(kind, label),
    });
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
      this.sessionEnded = false;
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

  isAdmin(): boolean {
    return this.me?.operator.role === 'admin';
  }

  /** The pages beside the dialogs this operator may open (saved replies: everyone). */
  adminSections(): AdminSection[] {
    return sectionsFor(this.me?.operator.role ?? null);
  }

  /** Supervisors and admins assign dialogs to anyone and see every channel. */
  isSupervisor(): boolean {
    const role = this.me?.operator.role;
    return role === 'admin' || role === 'supervisor';
  }

  presence(): Presence {
    return this.me?.operator.presence ?? 'offline';
  }

  /** What uploads may be (from `GET /api/v1/me`), or null until known. */
  uploadLimits(): UploadLimits | null {
    return this.limitsFromServer;
  }

  private signedIn(me: MeView): void {
    this.me = me;
    this.limitsFromServer = me.upload_limits ?? null;
    // The sign-in answer may not carry the limits; /me does.
    if (!me.upload_limits) void this.loadLimits();
    void this.loadSavedReplies();
    void this.loadLabels('tags');
    void this.loadLabels('categories');
    this.auth = 'signed_in';
    this.operators.set(me.operator.id, me.operator);
    this.changed();
    void this.loadList();
    void this.loadQueue();
    void this.loadMine();
    void this.loadOperators();
    void this.loadChannels();
    this.connect();
    this.followPath(location.pathname);
  }

  /**
   * Signed out. `ended`: by the server (the session ended elsewhere: logout in another tab, a
   * password reset, deactivation, expiry), so the sign-in form says so.
   */
  private signedOut(ended = false): void {
    this.sessionEnded = ended;
    this.socket?.stop();
    this.socket = null;
    clearTimeout(this.countsTimer);
    this.me = null;
    this.auth = 'signed_out';
    this.dialogs.clear();
    this.loaded.clear();
    this.readUpTo.clear();
    this.sendDialog.clear();
    this.operators.clear();
    this.members.clear();
    this.actionProblems.clear();
    this.acting.clear();
    this.channels = [];
    this.savedReplies = [];
    this.tags = [];
    this.categories = [];
    this.typing.clear();
    this.cards.clear();
    this.search = { query: '', hits: null, loading: false, problem: null };
    this.selection.clear();
    this.bulkRefusals.clear();
    this.bulkResult = null;
    this.categoryNeeded.clear();
    this.mentions = [];
    this.slaAlerts = [];
    this.limitsFromServer = null;
    this.counts = null;
    this.queueBeyond = 0;
    this.selectedId = null;
    this.route = { view: 'dialogs', dialogId: null };
    this.notice = null;
    if (location.pathname !== BASE) history.replaceState(null, '', BASE);
    this.changed();
  }

  /** Any 401 means the session is over: back to the sign-in form. */
  private guard(e: unknown): Problem {
    const problem = toProblem(e);
    if (problem.code === 'unauthenticated' && this.auth === 'signed_in') this.signedOut(true);
    return problem;
  }

  // ---- where the operator is -------------------------------------------------------------

  /** Shows what a console path names (deep links, back and forward). */
  followPath(path: string): void {
    const route = routeFromPath(path);
    if (route.view === 'admin' && !this.adminSections().includes(route.section)) {
      this.navigate({ view: 'dialogs', dialogId: null });
      return;
    }
    this.route = route;
    this.changed();
    if (route.view === 'dialogs') void this.open(route.dialogId, false);
  }

  /** Goes to a page of the console, adding it to the browser history. */
  navigate(route: Route): void {
    if (route.view === 'dialogs') {
      void this.open(route.dialogId);
      return;
    }
    const path = pathFor(route);
    if (location.pathname !== path) history.pushState(null, '', path);
    this.route = route;
    this.changed();
  }

  // ---- the list ---------------------------------------------------------------------------

  visible(): DialogView[] {
    return visibleDialogs(this.dialogs, this.filter, this.me?.operator.id ?? null);
  }

  /** The Queue tab's rows: open dialogs nobody holds, the longest waiting first. */
  queue(): DialogView[] {
    return queuedDialogs(this.dialogs);
  }

  /** The number on the Queue tab and in the title. */
  queueCount(): number {
    return countQueued(this.dialogs) + this.queueBeyond;
  }

  /** The operator's own open dialogs: the tabs over the dialog pane. */
  active(): DialogView[] {
    return activeDialogs(this.dialogs, this.me?.operator.id ?? null);
  }

  unreadTotal(): number {
    return totalUnread(this.dialogs, this.readUpTo);
  }

  setListTab(tab: ListTab): void {
    if (tab === this.listTab) return;
    this.listTab = tab;
    this.changed();
    if (tab === 'queue') void this.loadQueue();
  }

  /** Changes some filters; the list reloads from its first page. */
  setFilter(patch: Partial<ListFilter>): void {
    const next = { ...this.filter, ...patch };
    if (JSON.stringify(next) === JSON.stringify(this.filter)) return;
    this.filter = next;
    local.set(FILTER_KEY, JSON.stringify(next));
    this.nextCursor = null;
    this.changed();
    void this.loadList();
  }

  resetFilter(): void {
    this.setFilter({ ...DEFAULT_FILTER });
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
        `/api/v1/dialogs${filterQuery(filter, { limit: PAGE_SIZE, cursor: more ? this.nextCursor : undefined })}`,
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

  /**
   * Loads the queue (first page) and the server's counts. Held dialogs the console thought
   * queued but the complete page leaves out were taken meanwhile: their rows are fetched anew.
   */
  async loadQueue(): Promise<void> {
    this.queueLoading = true;
    this.queueProblem = null;
    this.changed();
    try {
      const [counts, page] = await Promise.all([
        this.api<DialogCounts>('GET', '/api/v1/dialogs/counts'),
        this.api<Page<DialogView>>('GET', `/api/v1/dialogs${query({ status: 'open', assignee: 'unassigned', limit: QUEUE_PAGE })}`),
      ]);
      for (const d of page.items) mergeDialog(this.dialogs, d);
      const complete = !page.next_cursor;
      if (complete) {
        const listed = new Set(page.items.map((d) => d.id));
        for (const d of [...this.dialogs.values()]) if (isQueued(d) && !listed.has(d.id)) void this.refreshDialog(d.id);
      }
      this.counts = counts;
      this.queueBeyond = queueBeyond(counts.queue, countQueued(this.dialogs), complete);
    } catch (e) {
      this.queueProblem = this.guard(e);
    } finally {
      this.queueLoading = false;
      this.changed();
    }
  }

  /** Asks the server's counts again; only needed while the queue is longer than its first page. */
  private async loadCounts(): Promise<void> {
    try {
      const counts = await this.api<DialogCounts>('GET', '/api/v1/dialogs/counts');
      this.counts = counts;
      this.queueBeyond = Math.max(0, counts.queue - countQueued(this.dialogs));
      this.changed();
    } catch (e) {
      this.guard(e);
    }
  }

  private countsMayHaveMoved(): void {
    if (this.queueBeyond === 0) return;
    clearTimeout(this.countsTimer);
    this.countsTimer = setTimeout(() => void this.loadCounts(), COUNTS_DEBOUNCE_MS);
  }

  /** The operator's own open dialogs, whatever the list's filter (for the tabs). */
  async loadMine(): Promise<void> {
    try {
      const page = await this.api<Page<DialogView>>('GET', `/api/v1/dialogs${query({ status: 'open', assignee: 'mine', limit: PAGE_SIZE })}`);
      for (const d of page.items) mergeDialog(this.dialogs, d);
      this.changed();
    } catch (e) {
      this.guard(e);
    }
  }

  async loadOperators(): Promise<void> {
    try {
      const list = await this.api<Items<OperatorView>>('GET', '/api/v1/operators');
      this.operators.clear();
      for (const o of list.items) this.operators.set(o.id, o);
      const me = this.me && this.operators.get(this.me.operator.id);
      if (this.me && me) this.me = { ...this.me, operator: me };
      this.changed();
    } catch (e) {
      this.guard(e);
    }
  }

  async loadChannels(): Promise<void> {
    try {
      this.channels = (await this.api<Items<ChannelView>>('GET', '/api/v1/channels')).items;
      this.changed();
    } catch (e) {
      this.guard(e);
    }
  }

  /** The members of a channel (for a transfer); resolves to null when they cannot be read. */
  async loadMembers(channelId: string): Promise<OperatorView[] | null> {
    try {
      const list = await this.api<Items<OperatorView>>('GET', `/api/v1/channels/${encodeURIComponent(channelId)}/members`);
      this.members.set(channelId, list.items);
      this.changed();
      return list.items;
    } catch (e) {
      this.guard(e);
      return null;
    }
  }

  private channelSaved(c: ChannelView): void {
    const at = this.channels.findIndex((x) => x.id === c.id);
    this.channels = at < 0 ? [...this.channels, c] : this.channels.map((x) => (x.id === c.id ? c : x));
    this.changed();
  }

  channelName(id: string): string | null {
    return this.channels.find((c) => c.id === id)?.name ?? null;
  }

  /** Fetches one dialog's row again; a dialog the operator may not see any more is dropped. */
  private async refreshDialog(id: string): Promise<void> {
    try {
      if (mergeDialog(this.dialogs, await this.api<DialogView>('GET', `/api/v1/dialogs/${encodeURIComponent(id)}`))) this.changed();
    } catch (e) {
      const problem = this.guard(e);
      if (problem.code === 'dialog_not_found' || problem.code === 'not_found') this.forget(id);
    }
  }

  /** A dialog out of the operator's sight: off every list; if it was on screen, say why. */
  private forget(id: string): void {
    this.dialogs.delete(id);
    this.readUpTo.delete(id);
    this.actionProblems.delete(id);
    if (this.loaded.get(id)?.messages.outbox.size === 0) this.loaded.delete(id);
    if (this.selectedId === id) {
      this.selectedId = null;
      this.notice = { code: 'moved_away', details: {} };
      if (this.route.view === 'dialogs') {
        this.route = { view: 'dialogs', dialogId: null };
        if (location.pathname !== BASE) history.replaceState(null, '', BASE);
      }
    }
    this.changed();
  }

  /**
   * Puts a newer version of a dialog in. An operator (not a supervisor) whose dialog moved to
   * another channel may have lost sight of it: the server answers 404 then, and it is dropped.
   */
  private takeDialog(d: DialogView): boolean {
    const held = this.dialogs.get(d.id);
    const changed = mergeDialog(this.dialogs, d);
    if (changed && held && held.channel_id !== d.channel_id && !this.isSupervisor()) void this.refreshDialog(d.id);
    return changed;
  }

  // ---- one dialog -------------------------------------------------------------------------

  selected(): DialogView | null {
    return this.selectedId ? this.dialogs.get(this.selectedId) ?? null : null;
  }

  /** Shows a dialog: loads its messages (all pages) if not held, then marks it read. */
  async open(id: string | null, push = true): Promise<void> {
    if (push) {
      const path = pathFor({ view: 'dialogs', dialogId: id });
      if (location.pathname !== path) history.pushState(null, '', path);
    }
    this.route = { view: 'dialogs', dialogId: id };
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

  /**
   * Closes a dialog. A channel that requires a category refuses without one
   * (`category_required`): the dialog is then marked so its header asks for the category.
   */
  async closeDialog(id: string): Promise<Problem | null> {
    if (this.closing.has(id)) return null;
    this.closing.add(id);
    this.changed();
    try {
      this.takeDialog(await this.api<DialogView>('POST', `/api/v1/dialogs/${encodeURIComponent(id)}/close`));
      this.categoryNeeded.delete(id);
      this.selection.delete(id);
      return null;
    } catch (e) {
      const problem = this.guard(e);
      if (problem.code === 'category_required') this.categoryNeeded.add(id);
      else this.notice = problem;
      return problem;
    } finally {
      this.closing.delete(id);
      this.changed();
    }
  }

  /** Opens a closed dialog again (its category is cleared by the server). */
  reopen(id: string): Promise<Problem | null> {
    return this.dialogCall(id, 'POST', 'reopen');
  }

  /** Puts a dialog aside until `until`; it comes back by itself (or when the visitor writes). */
  snooze(id: string, until: Date): Promise<Problem | null> {
    return this.dialogCall(id, 'POST', 'snooze', { until: until.toISOString() });
  }

  unsnooze(id: string): Promise<Problem | null> {
    return this.dialogCall(id, 'POST', 'unsnooze');
  }

  /** Replaces the dialog's tags. */
  setTags(id: string, tagIds: string[]): Promise<Problem | null> {
    return this.dialogCall(id, 'PUT', 'tags', { tag_ids: tagIds });
  }

  async setCategory(id: string, categoryId: string | null): Promise<Problem | null> {
    const problem = await this.dialogCall(id, 'PUT', 'category', { category_id: categoryId });
    if (!problem && categoryId) this.categoryNeeded.delete(id);
    this.changed();
    return problem;
  }

  /** One call on a dialog answering its new DialogView; the refusal is resolved to the caller. */
  private async dialogCall(id: string, method: string, action: string, body?: unknown): Promise<Problem | null> {
    try {
      const d = await this.api<DialogView>(method, `/api/v1/dialogs/${encodeURIComponent(id)}/${action}`, body === undefined ? {} : { body });
      this.takeDialog(d);
      return null;
    } catch (e) {
      const problem = this.guard(e);
      if (problem.code === 'dialog_not_found') this.forget(id);
      return problem;
    } finally {
      this.changed();
    }
  }

  // ---- bulk close -------------------------------------------------------------------------

  toggleSelected(id: string, on = !this.selection.has(id)): void {
    if (on) this.selection.add(id);
    else this.selection.delete(id);
    this.changed();
  }

  /** Ticks all of `ids`, or unticks them when all are ticked already. */
  toggleAll(ids: string[]): void {
    const all = ids.length > 0 && ids.every((id) => this.selection.has(id));
    for (const id of ids) {
      if (all) this.selection.delete(id);
      else this.selection.add(id);
    }
    this.changed();
  }

  clearSelection(): void {
    this.selection.clear();
    this.bulkResult = null;
    this.bulkRefusals.clear();
    this.changed();
  }

  /** Closes the ticked dialogs, each on its own; refused ones stay ticked with their reason. */
  async bulkClose(): Promise<void> {
    const ids = [...this.selection].slice(0, 100);
    if (ids.length === 0 || this.bulkBusy) return;
    this.bulkBusy = true;
    this.bulkResult = null;
    this.bulkRefusals.clear();
    this.changed();
    try {
      const answer = await this.api<Items<BulkCloseResult>>('POST', '/api/v1/dialogs/close', { body: { ids } });
      let closed = 0;
      for (const r of answer.items) {
        if (r.ok) {
          closed++;
          this.selection.delete(r.id);
          void this.refreshDialog(r.id);
        } else {
          this.bulkRefusals.set(r.id, { code: r.code ?? 'internal', details: {}, message: r.message });
        }
      }
      this.bulkResult = { closed, refused: answer.items.length - closed };
    } catch (e) {
      this.notice = this.guard(e);
    } finally {
      this.bulkBusy = false;
      this.changed();
    }
  }

  // ---- dictionaries: saved replies, tags, categories ----------------------------------------

  async loadSavedReplies(): Promise<void> {
    try {
      this.savedReplies = (await this.api<Items<SavedReplyView>>('GET', '/api/v1/saved-replies')).items;
      this.changed();
    } catch (e) {
      this.guard(e);
    }
  }

  private replySaved(r: SavedReplyView): void {
    const at = this.savedReplies.findIndex((x) => x.id === r.id);
    this.savedReplies = at < 0 ? [...this.savedReplies, r] : this.savedReplies.map((x) => (x.id === r.id ? r : x));
    this.changed();
  }

  private replyDeleted(id: string): void {
    this.savedReplies = this.savedReplies.filter((r) => r.id !== id);
    this.changed();
  }

  /**
   * Loads a dictionary. Active entries always; archived ones too when `withArchived` (the
   * admin page and the list filter need the names of tags that stay on old dialogs).
   */
  async loadLabels(kind: 'tags' | 'categories', withArchived = false): Promise<Problem | null> {
    try {
      const [active, archived] = await Promise.all([
        this.api<Items<TagView>>('GET', `/api/v1/${kind}`),
        withArchived ? this.api<Items<TagView>>('GET', `/api/v1/${kind}?archived=true`) : Promise.resolve({ items: [] as TagView[] }),
      ]);
      const byId = new Map<string, TagView>();
      const keep = withArchived ? [] : this[kind].filter((l) => l.archived);
      for (const l of [...keep, ...active.items, ...archived.items]) byId.set(l.id, l);
      this[kind] = [...byId.values()].sort((a, b) => a.name.localeCompare(b.name));
      this.changed();
      return null;
    } catch (e) {
      return this.guard(e);
    }
  }

  private labelSaved(kind: 'tags' | 'categories', label: TagView): void {
    const list = this[kind];
    const at = list.findIndex((x) => x.id === label.id);
    this[kind] = (at < 0 ? [...list, label] : list.map((x) => (x.id === label.id ? label : x))).sort((a, b) => a.name.localeCompare(b.name));
    this.changed();
  }

  private async loadLimits(): Promise<void> {
    try {
      const me = await this.api<MeView>('GET', '/api/v1/me');
      this.limitsFromServer = me.upload_limits ?? null;
      this.changed();
    } catch (e) {
      this.guard(e);
    }
  }

  /** Uploads a file for a message; a refusal throws ApiError with the server's code. */
  upload(file: File): Promise<UploadView> {
    return uploadFile('', '/api/v1/uploads', file);
  }

  // ---- search -----------------------------------------------------------------------------

  /** Searches messages and visitors (2–200 characters); shorter text clears the results. */
  async searchFor(text: string): Promise<void> {
    const q = text.trim().slice(0, 200);
    const request = ++this.searchRequest;
    if (q.length < 2) {
      this.search = { query: text, hits: null, loading: false, problem: null };
      this.changed();
      return;
    }
    this.search = { ...this.search, query: text, loading: true, problem: null };
    this.changed();
    try {
      const answer = await this.api<Items<SearchHit>>('GET', `/api/v1/search${query({ q, limit: 30 })}`);
      if (request !== this.searchRequest) return;
      this.search = { query: text, hits: answer.items, loading: false, problem: null };
    } catch (e) {
      if (request !== this.searchRequest) return;
      this.search = { query: text, hits: null, loading: false, problem: this.guard(e) };
    }
    this.changed();
  }

  clearSearch(): void {
    this.searchRequest++;
    this.search = { query: '', hits: null, loading: false, problem: null };
    this.changed();
  }

  /** Opens the dialog of a search hit (the hit carries its row). */
  openHit(hit: SearchHit): void {
    mergeDialog(this.dialogs, hit.dialog);
    void this.open(hit.dialog.id);
  }

  // ---- the visitor card --------------------------------------------------------------------

  async loadCard(dialogId: string): Promise<void> {
    const held = this.cards.get(dialogId);
    if (held?.loading) return;
    this.cards.set(dialogId, { card: held?.card ?? null, loading: true, problem: null });
    this.changed();
    try {
      const card = await this.api<VisitorCardView>('GET', `/api/v1/dialogs/${encodeURIComponent(dialogId)}/visitor`);
      this.cards.set(dialogId, { card, loading: false, problem: null });
    } catch (e) {
      this.cards.set(dialogId, { card: held?.card ?? null, loading: false, problem: this.guard(e) });
    }
    this.changed();
  }

  /** Saves the operator's edit of the visitor's name, e-mail or phone. */
  async saveVisitor(dialogId: string, patch: VisitorPatch): Promise<Problem | null> {
    try {
      const card = await this.api<VisitorCardView>('PATCH', `/api/v1/dialogs/${encodeURIComponent(dialogId)}/visitor`, { body: patch });
      this.cards.set(dialogId, { card, loading: false, problem: null });
      // Every dialog of this visitor shows the new name at once (the server's events follow).
      for (const d of [...this.dialogs.values()]) {
        if (d.visitor.id === card.id && d.visitor.name !== card.name) this.dialogs.set(d.id, { ...d, visitor: { ...d.visitor, name: card.name } });
      }
      return null;
    } catch (e) {
      return this.guard(e);
    } finally {
      this.changed();
    }
  }

  toggleCard(): void {
    this.cardShown = !this.cardShown;
    local.set(CARD_KEY, this.cardShown ? 'on' : 'off');
    this.changed();
  }

  // ---- typing, mentions ------------------------------------------------------------------------

  /** The operator typed a reply (never a note): tells the others, at most every 2 s. */
  typed(dialogId: string): void {
    this.typingThrottle.typed(dialogId);
  }

  dismissMention(messageId: string): void {
    this.mentions = this.mentions.filter((m) => m.message.id !== messageId);
    this.changed();
  }

  private mentioned(frame: MentionFrame): void {
    if (this.mentions.some((m) => m.message.id === frame.message.id)) return;
    this.takeDialog(frame.dialog);
    this.mentions = [...this.mentions.slice(-4), { dialog: frame.dialog, message: frame.message }];
    this.alert(frame, frame.dialog.id);
    this.changed();
  }

  dismissSlaAlert(key: string): void {
    this.slaAlerts = this.slaAlerts.filter((a) => slaAlertKey(a) !== key);
    this.changed();
  }

  /** A target passed unmet: sound (and notify), show a note, and take the dialog's new row. */
  private slaBreached(frame: SlaBreachedFrame): void {
    this.alert(frame, frame.dialog.id);
    this.takeDialog(frame.dialog);
    this.slaAlerts = withSlaAlert(this.slaAlerts, { dialog: frame.dialog, target: frame.target, due_at: frame.due_at });
    this.changed();
  }

  dismissNotice(): void {
    this.notice = null;
    this.changed();
  }

  // ---- who holds a dialog ------------------------------------------------------------------

  /**
   * Runs an assignment call for one dialog: one at a time per dialog, the answer merged, a
   * refusal kept for the row and header (and resolved to the caller). A dialog someone else
   * took or closed meanwhile is fetched anew so its row stops offering "Accept".
   */
  private async act(id: string, call: () => Promise<DialogView>, remember = true): Promise<Problem | null> {
    if (this.acting.has(id)) return null;
    this.acting.add(id);
    this.actionProblems.delete(id);
    this.changed();
    try {
      this.takeDialog(await call());
      return null;
    } catch (e) {
      const problem = this.guard(e);
      if (remember) this.actionProblems.set(id, problem);
      if (problem.code === 'already_assigned' || problem.code === 'dialog_closed') void this.refreshDialog(id);
      if (problem.code === 'dialog_not_found') this.forget(id);
      return problem;
    } finally {
      this.acting.delete(id);
      this.changed();
    }
  }

  /** Takes a waiting dialog (the server sends the channel's greeting) and shows it. */
  async accept(id: string): Promise<Problem | null> {
    const problem = await this.act(id, () => this.api<DialogView>('POST', `/api/v1/dialogs/${encodeURIComponent(id)}/accept`));
    if (!problem && this.selectedId !== id) void this.open(id);
    return problem;
  }

  /** Gives a dialog to an operator, or back to the queue with null; the caller shows a refusal. */
  assign(id: string, operatorId: string | null): Promise<Problem | null> {
    return this.act(
      id,
      () => this.api<DialogView>('POST', `/api/v1/dialogs/${encodeURIComponent(id)}/assign`, { body: { operator_id: operatorId } }),
      false,
    );
  }

  /** Passes a dialog to an operator or a channel, with an optional comment for operators. */
  async transfer(id: string, target: TransferTarget, comment: string): Promise<Problem | null> {
    if (this.acting.has(id)) return null;
    this.acting.add(id);
    this.changed();
    try {
      const d = await this.api<DialogView>('POST', `/api/v1/dialogs/${encodeURIComponent(id)}/transfer`, {
        body: transferBody(target, comment),
      });
      this.takeDialog(d);
      return null;
    } catch (e) {
      const problem = this.guard(e);
      // The channel's online count or an operator's presence changed: show the fresh picture.
      if (problem.code === 'channel_unavailable') void this.loadChannels();
      if (problem.code === 'operator_unavailable' || problem.code === 'capacity_reached') void this.loadOperators();
      return problem;
    } finally {
      this.acting.delete(id);
      this.changed();
    }
  }

  dismissActionProblem(id: string): void {
    if (this.actionProblems.delete(id)) this.changed();
  }

  // ---- presence and alerts -----------------------------------------------------------------

  async setPresence(presence: Presence): Promise<void> {
    const me = this.me;
    if (!me || this.presenceBusy || me.operator.presence === presence) return;
    const before = me.operator;
    this.presenceBusy = true;
    this.me = { ...me, operator: { ...before, presence } };
    this.changed();
    try {
      const operator = await this.api<OperatorView>('PUT', '/api/v1/me/presence', { body: { presence } });
      this.updateOperator(operator);
    } catch (e) {
      if (this.me) this.me = { ...this.me, operator: before };
      this.notice = this.guard(e);
    } finally {
      this.presenceBusy = false;
      this.changed();
    }
  }

  private updateOperator(o: OperatorView): void {
    this.operators.set(o.id, o);
    if (this.me && this.me.operator.id === o.id) this.me = { ...this.me, operator: o };
    for (const [channelId, list] of this.members) {
      if (list.some((m) => m.id === o.id)) this.members.set(channelId, list.map((m) => (m.id === o.id ? o : m)));
    }
    this.changed();
  }

  /** Sounds and notifies for a frame, judged against the dialog as held before it. */
  private alert(frame: ServerFrame, dialogId: string): void {
    const decision = decideAlert(frame, {
      meId: this.me?.operator.id ?? null,
      presence: this.presence(),
      selectedId: this.selectedId,
      visible: this.watching(),
      held: this.dialogs.get(dialogId),
      acting: this.acting,
    });
    if (decision) this.attention.perform(decision, makeT(this.lang), (id) => void this.open(id));
  }

  // ---- sending ----------------------------------------------------------------------------

  /** Sends a reply, or an internal note with `internal`; attachments let the text be empty. */
  send(dialogId: string, text: string, extras: SendExtras = {}): void {
    const body = text.trim();
    const attachments = extras.attachments?.length ? extras.attachments : undefined;
    if (!body && !attachments) return;
    const client_id = newClientId();
    const sent: SendExtras = { internal: extras.internal || undefined, attachments };
    this.entry(dialogId).messages.outbox.start(client_id, body, Date.now(), sent);
    this.sendDialog.set(client_id, dialogId);
    this.typingThrottle.reset(dialogId);
    this.changed();
    this.transmit(dialogId, client_id, body, sent);
  }

  retry(dialogId: string, client_id: string): void {
    const p = this.loaded.get(dialogId)?.messages.outbox.retry(client_id);
    if (!p) return;
    this.changed();
    this.transmit(dialogId, client_id, p.body, p);
  }

  discard(dialogId: string, client_id: string): void {
    this.loaded.get(dialogId)?.messages.outbox.discard(client_id);
    this.sendDialog.delete(client_id);
    this.changed();
  }

  /**
   * Sends over the socket when it is open, else over REST (the same send, idempotent by
   * client_id). A note or a message with files always goes over REST: the socket's `send`
   * has no `internal` or `attachments` (docs/protocol.md), and a note must never reach the
   * visitor as a plain reply.
   */
  private transmit(dialogId: string, client_id: string, body: string, extras: SendExtras = {}): void {
    const plain = !extras.internal && !extras.attachments?.length;
    if (plain && this.socket?.send({ type: 'send', dialog_id: dialogId, client_id, body })) return;
    this.api<MessageView>('POST', `/api/v1/dialogs/${encodeURIComponent(dialogId)}/messages`, {
      body: {
        client_id,
        body,
        ...(extras.internal ? { internal: true } : {}),
        ...(extras.attachments?.length ? { attachments: extras.attachments.map((a) => a.id) } : {}),
      },
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
        if (reconnected) {
          void this.loadList();
          void this.loadQueue();
          void this.loadMine();
          void this.loadOperators();
        }
        for (const [id, entry] of this.loaded) {
          if (entry.messages.log.size === 0 && entry.loading) continue;
          this.socket?.send({ type: 'resume', dialog_id: id, after_seq: entry.messages.lastSeq() });
          for (const p of entry.messages.outbox.sending()) {
            if (p.internal || p.attachments?.length) this.transmit(id, p.client_id, p.body, p);
            else this.socket?.send({ type: 'send', dialog_id: id, client_id: p.client_id, body: p.body });
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
      case 'dialog.waiting':
        this.alert(frame, frame.dialog.id);
        if (this.takeDialog(frame.dialog)) this.changed();
        this.countsMayHaveMoved();
        break;
      case 'operator.updated':
        this.updateOperator(frame.operator);
        break;
      case 'message.created':
        this.alert(frame, frame.message.dialog_id);
        this.receiveMessage(frame.message, true);
        break;
      case 'ack':
        this.acked(frame.client_id, frame.message);
        break;
      case 'error': {
        // The server ends the socket of a session that is over (logout elsewhere, expiry).
        if (frame.code === 'unauthenticated' && !frame.client_id) {
          if (this.auth === 'signed_in') this.signedOut(true);
          break;
        }
        const problem = { code: frame.code, details: frame.details ?? {}, message: frame.message };
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
        // His role or channels changed: the role shown and the pages he may open follow.
        if (frame.reason === 'access_changed') void this.reloadMe();
        break;
      case 'typing':
        if (frame.author.kind === 'operator' && frame.author.id === this.me?.operator.id) break;
        this.typing.seen(frame.dialog_id, frame.author);
        break;
      case 'dialog.read': {
        if (frame.reader !== 'visitor') break;
        const d = this.dialogs.get(frame.dialog_id);
        if (d) {
          const next = withVisitorRead(d, frame.seq);
          if (next !== d) {
            this.dialogs.set(d.id, next);
            this.changed();
          }
        }
        break;
      }
      case 'mention':
        this.mentioned(frame);
        break;
      case 'sla.breached':
        this.slaBreached(frame);
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
      this.typing.stopped(m.dialog_id, m.author);
      // A visitor who writes may be on another page now: his card is read again.
      if (added && m.author.kind === 'visitor' && this.cards.has(m.dialog_id) && this.selectedId === m.dialog_id) void this.loadCard(m.dialog_id);
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

  /**
   * Reads `/api/v1/me` again after his rights changed: the header shows the new role, the
   * navigation the pages he may open now, and a page he may no longer open is left for the
   * dialogs with a word why.
   */
  private async reloadMe(): Promise<void> {
    try {
      const me = await this.api<MeView>('GET', '/api/v1/me');
      if (this.auth !== 'signed_in' || !this.me || this.me.operator.id !== me.operator.id) return;
      this.me = { ...me, upload_limits: me.upload_limits ?? this.me.upload_limits };
      if (me.upload_limits) this.limitsFromServer = me.upload_limits;
      this.operators.set(me.operator.id, me.operator);
      void this.loadChannels();
      if (this.route.view === 'admin' && !this.adminSections().includes(this.route.section)) {
        this.navigate({ view: 'dialogs', dialogId: this.selectedId });
        this.notice = { code: 'access_changed', details: {} };
      }
      this.changed();
    } catch (e) {
      this.guard(e);
    }
  }

  /** The socket fell behind: reload the lists and the open dialog; forget other dialogs' pages. */
  private resync(): void {
    for (const [id, entry] of this.loaded) {
      if (id !== this.selectedId && entry.messages.outbox.size === 0) this.loaded.delete(id);
    }
    void this.loadList();
    void this.loadQueue();
    void this.loadMine();
    void this.loadOperators();
    if (this.selectedId) void this.loadMessages(this.selectedId);
  }

  /** The tab became visible again: the open dialog can be marked read now. */
  visibilityChanged(): void {
    if (this.selectedId) this.markRead(this.selectedId);
  }
}
