/**
 * The operator console's state and everything it does over the network: sign-in, the dialog
 * list (filtered) and the queue kept live by the console socket, the operator's presence, the
 * open dialog's messages, sends pending until `ack`, read marks, accepting, assigning,
 * transferring and closing, and the sounds and notifications those events deserve.
 *
 * The data lives in slices (slices.ts), each its own `Observable`: `session`, `lists`,
 * `dialog` (with `dialog.typists`), `tools`, `alerts` and `team`. This controller is the one
 * that talks to the API and the socket; components read a slice's fields, call methods here,
 * and subscribe to the slices they read (`useConsole('lists', …)`, context.ts).
 *
 * What stays true:
 * - a change is announced on the slice holding what changed, and only there: a typing frame
 *   reaches the typing line, a toast the toasts, neither the dialog list;
 * - every dialog seen (list pages, the queue, the operator's own, socket events) lives once in
 *   `lists.dialogs`; the list, the queue and the tabs are views of it (see dialogs.ts, queue.ts);
 * - a dialog that leaves the operator's sight (moved to a channel he is not in) is dropped;
 * - after a reconnect the list, the queue and the operators are reloaded (events may have been
 *   missed) and every dialog whose messages are held is resumed from its last seq; `resync`
 *   reloads over REST.
 */
import type { SupervisionHost } from './reports';
import { ApiError, createClient, fetchAllMessages, query, type Requester } from '../shared/api';
import type {
  BlockRequest,
  BlockView,
  BulkCloseResult,
  ChannelView,
  ComplaintRequest,
  ConsoleFrame,
  CustomFieldView,
  DialogCounts,
  DialogView,
  FieldValuesRequest,
  Items,
  MeView,
  MentionFrame,
  MessageEditView,
  MessageView,
  OperatorView,
  Page,
  Presence,
  SavedReplyView,
  SearchHit,
  SendFrame,
  ServerFrame,
  SlaBreachedFrame,
  TagView,
  UploadLimits,
  UploadView,
  VisitorCardView,
  VisitorPatch,
  VisitorTagsChange,
  VisitorTagsView,
} from '../shared/api-types';
import { newClientId } from '../shared/ids';
import { pickLang, type Lang } from '../shared/i18n';
import { DialogMessages, type SendExtras } from '../shared/messages';
import { ReconnectingSocket, wsUrl } from '../shared/socket';
import { local } from '../shared/storage';
import { TypingThrottle } from '../shared/typing';
import { uploadFile } from '../shared/uploads';
import { AdminState } from './admin/admin-state';
import type { SegmentView } from './admin/segments';
import { isEmptyValue, requiredOf } from './field-values';
import { browserAlerter, decideAlert, type Alerter } from './alerts';
import { activeDialogs, mergeDialog, totalUnread, visibleDialogs, withMessage } from './dialogs';
import { DEFAULT_FILTER, filterQuery, parseFilter, type ListFilter } from './filters';
import { makeT } from './i18n';
import type { HitView } from './quality';
import { countQueued, isQueued, queueBeyond, queuedDialogs } from './queue';
import { BASE, pathFor, routeFromPath, sectionsFor, type AdminSection, type Route } from './routes';
import { AlertsSlice, DialogSlice, ListsSlice, SessionSlice, TeamSlice, ToolsSlice, type ListTab, type LoadedDialog, type LoadedEdits } from './slices';
import { slaAlertKey, withSlaAlert } from './sla';
import { TicketsState } from './tickets';
import { transferBody, type TransferTarget } from './transfer';
import { withVisitorRead } from './tools';

export { dialogIdFromPath } from './routes';
export type { AuthPhase, ListTab, LoadedCard, LoadedDialog, LoadedEdits, MentionAlert, SearchState } from './slices';

export interface Problem {
  code: string;
  details: Record<string, unknown>;
  /** The server's own words, for codes the console has no text of its own for. */
  message?: string;
}

const LANG_KEY = 'frontline.console.lang';
const FILTER_KEY = 'frontline.console.filter';
const PAGE_SIZE = 50;
const QUEUE_PAGE = 100;
/** How long after a dialog event the server's queue count is asked again (only while the queue is longer than a page). */
const COUNTS_DEBOUNCE_MS = 3_000;
/** How long after a new dialog the list under a segment filter is asked again. */
const SEGMENT_RELOAD_MS = 1_000;

/** The socket's `send` of a plain reply (with the reason for a quality-guard block, when given). */
function sendFrame(dialogId: string, client_id: string, body: string, extras: SendExtras): SendFrame {
  return { type: 'send', dialog_id: dialogId, client_id, body, ...(extras.guardOverride ? { guard_override: extras.guardOverride } : {}) };
}

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

export class ConsoleState {
  /** Who is signed in, the language, the page open, the socket's status. */
  readonly session: SessionSlice;
  /** The dialogs held, the filtered list and the queue. */
  readonly lists: ListsSlice;
  /** The open dialog: messages, outbox, read marks, typists, visitor cards. */
  readonly dialog = new DialogSlice();
  /** Search, saved replies, tags and categories. */
  readonly tools = new ToolsSlice();
  /** Operators, channels, channel members, the admin forms' unsaved edits. */
  readonly team = new TeamSlice();
  /** The notice bar, the toasts and the sound and notification settings. */
  readonly alerts: AlertsSlice;

  /** The admin pages' controller. */
  readonly admin: AdminState;
  /** Escalation forms sent into dialogs and the tickets they made (tickets.ts). */
  readonly tickets: TicketsState;
  /** The requester and its 401 guard, for the reports and the live board (reports.ts, board.ts). */
  readonly supervision: SupervisionHost;

  private countsTimer: ReturnType<typeof setTimeout> | undefined;
  private segmentTimer: ReturnType<typeof setTimeout> | undefined;
  /** Dialogs this tab handed over: leaving his sight is expected, not news. */
  private readonly handedOver = new Set<string>();
  private searchRequest = 0;
  /** The last request for each message's earlier texts: an older answer arriving late is dropped. */
  private readonly editsRequest = new Map<string, number>();
  private readonly typingThrottle = new TypingThrottle((dialogId) => {
    this.socket?.send({ type: 'typing', dialog_id: dialogId });
  });

  private socket: ReconnectingSocket<ConsoleFrame> | null = null;
  /** Which dialog each unacknowledged send belongs to. */
  private readonly sendDialog = new Map<string, string>();
  private readonly api: Requester;
  private readonly watching: () => boolean;
  private listRequest = 0;

  private readonly WebSocketImpl?: typeof WebSocket;

  constructor(deps: ConsoleDeps = {}) {
    this.api = deps.api ?? createClient('');
    this.WebSocketImpl = deps.WebSocketImpl;
    this.watching =
      deps.watching ?? (() => typeof document !== 'undefined' && document.visibilityState === 'visible' && document.hasFocus());
    this.session = new SessionSlice(pickLang(local.get(LANG_KEY) || navigator.language));
    this.lists = new ListsSlice(parseFilter(local.get(FILTER_KEY)));
    this.alerts = new AlertsSlice(deps.alerter ?? browserAlerter());
    this.admin = new AdminState({
      api: this.api,
      guard: (e) => this.guard(e),
      channelSaved: (c) => this.team.channelSaved(c),
      operatorSaved: (o) => this.updateOperator(o),
      replySaved: (r) => this.tools.replySaved(r),
      replyDeleted: (id) => this.tools.replyDeleted(id),
      labelSaved: (kind, label) => this.tools.labelSaved(kind, label),
      meSaved: (me) => this.meSaved(me),
      membersChanged: () => void this.loadChannels(),
      segmentSaved: (segment) => this.tools.segmentSaved(segment),
      segmentDeleted: (id) => this.segmentDeleted(id),
      fieldSaved: (field) => this.tools.fieldSaved(field),
    });
    this.tickets = new TicketsState({ api: this.api, guard: (e) => this.guard(e) });
    this.supervision = { api: this.api, guard: (e) => this.guard(e) };
  }

  // ---- session ----------------------------------------------------------------------------

  async start(): Promise<void> {
    this.session.auth = 'checking';
    this.session.changed();
    try {
      const me = await this.api<MeView>('GET', '/api/v1/me');
      this.signedIn(me);
    } catch (e) {
      this.session.auth = e instanceof ApiError && e.status === 401 ? 'signed_out' : 'unreachable';
      this.session.changed();
    }
  }

  /** Signs in; resolves to the refusal (e.g. `workspace_required`) or null. */
  async login(email: string, password: string, workspace?: string): Promise<Problem | null> {
    try {
      const me = await this.api<MeView>('POST', '/api/v1/auth/login', {
        body: workspace ? { email, password, workspace } : { email, password },
      });
      this.session.sessionEnded = false;
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
    this.session.lang = lang;
    local.set(LANG_KEY, lang);
    this.session.changed();
    // Signed in: the choice is his profile's too, so his other browsers follow (a refusal changes nothing here).
    if (this.session.me?.profile && this.session.me.profile.language !== lang) void this.admin.patchMe({ language: lang });
  }

  /** His own `MeView` after a profile change: the header, the operators and the pins follow. */
  private meSaved(me: MeView): void {
    if (!this.session.me || this.session.me.operator.id !== me.operator.id) return;
    this.session.me = { ...me, upload_limits: me.upload_limits ?? this.session.me.upload_limits, profile: me.profile ?? this.session.me.profile };
    this.updateOperator(me.operator);
  }

  isAdmin(): boolean {
    return this.session.me?.operator.role === 'admin';
  }

  /** The pages beside the dialogs this operator may open (saved replies: everyone). */
  adminSections(): AdminSection[] {
    return sectionsFor(this.session.me?.operator.role ?? null);
  }

  /** Supervisors and admins assign dialogs to anyone and see every channel. */
  isSupervisor(): boolean {
    const role = this.session.me?.operator.role;
    return role === 'admin' || role === 'supervisor';
  }

  presence(): Presence {
    return this.session.me?.operator.presence ?? 'offline';
  }

  /** Whether the operator looks at the console now: in-app notes count their time only then. */
  looking(): boolean {
    return this.watching();
  }

  /** Takes the focus wish if it is for `target`; true when the caller should take the focus. */
  takeFocus(target: 'composer'): boolean {
    if (this.dialog.focusWish !== target) return false;
    this.dialog.focusWish = null;
    return true;
  }

  /** What uploads may be (from `GET /api/v1/me`), or null until known. */
  uploadLimits(): UploadLimits | null {
    return this.session.uploadLimits;
  }

  private signedIn(me: MeView): void {
    this.session.me = me;
    // The language chosen in his profile follows him to every browser he signs in from.
    const chosen = me.profile?.language;
    if (chosen && chosen !== this.session.lang) {
      this.session.lang = chosen;
      local.set(LANG_KEY, chosen);
    }
    this.session.uploadLimits = me.upload_limits ?? null;
    // The sign-in answer may not carry the limits; /me does.
    if (!me.upload_limits) void this.loadLimits();
    void this.loadSavedReplies();
    void this.loadLabels('tags');
    void this.loadLabels('categories');
    void this.loadSegments();
    void this.loadFields();
    this.session.auth = 'signed_in';
    this.team.operators.set(me.operator.id, me.operator);
    this.session.changed();
    this.team.changed();
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
    this.socket?.stop();
    this.socket = null;
    clearTimeout(this.countsTimer);
    clearTimeout(this.segmentTimer);
    this.sendDialog.clear();
    this.session.clear(ended);
    this.lists.clear();
    this.dialog.clear();
    this.tools.clear();
    this.alerts.clear();
    this.team.clear();
    this.tickets.clear();
    if (location.pathname !== BASE) history.replaceState(null, '', BASE);
  }

  /** Any 401 means the session is over: back to the sign-in form. */
  private guard(e: unknown): Problem {
    const problem = toProblem(e);
    if (problem.code === 'unauthenticated' && this.session.auth === 'signed_in') this.signedOut(true);
    return problem;
  }

  // ---- where the operator is -------------------------------------------------------------

  /** Shows what a console path names (deep links, back and forward). */
  followPath(path: string): void {
    const route = routeFromPath(path);
    if (pathFor(route) !== pathFor(this.session.route) && !this.team.unsaved.mayLeave(() => this.navigate(route))) {
      // Back or forward already moved the address: it shows the page still open until he answers.
      history.pushState(null, '', pathFor(this.session.route));
      return;
    }
    if (route.view === 'admin' && !this.adminSections().includes(route.section)) {
      this.navigate({ view: 'dialogs', dialogId: null });
      return;
    }
    this.session.route = route;
    this.session.changed();
    if (route.view === 'dialogs') void this.open(route.dialogId, false);
  }

  /** Goes to a page of the console, adding it to the browser history. */
  navigate(route: Route): void {
    if (pathFor(route) !== pathFor(this.session.route) && !this.team.unsaved.mayLeave(() => this.navigate(route))) return;
    if (route.view === 'dialogs') {
      void this.open(route.dialogId);
      return;
    }
    const path = pathFor(route);
    if (location.pathname !== path) history.pushState(null, '', path);
    this.session.route = route;
    this.session.changed();
  }

  // ---- the list ---------------------------------------------------------------------------

  visible(): DialogView[] {
    return visibleDialogs(this.lists.dialogs, this.lists.filter, this.session.me?.operator.id ?? null, this.lists.segmentVisitors);
  }

  /** The Queue tab's rows: open dialogs nobody holds, the longest waiting first. */
  queue(): DialogView[] {
    return queuedDialogs(this.lists.dialogs);
  }

  /** The number on the Queue tab and in the title. */
  queueCount(): number {
    return countQueued(this.lists.dialogs) + this.lists.queueBeyond;
  }

  /** The operator's own open dialogs: the tabs over the dialog pane. */
  active(): DialogView[] {
    return activeDialogs(this.lists.dialogs, this.session.me?.operator.id ?? null);
  }

  unreadTotal(): number {
    return totalUnread(this.lists.dialogs, this.dialog.readUpTo);
  }

  setListTab(tab: ListTab): void {
    if (tab === this.lists.listTab) return;
    this.lists.listTab = tab;
    this.lists.changed();
    if (tab === 'queue') void this.loadQueue();
  }

  /** Changes some filters; the list reloads from its first page. */
  setFilter(patch: Partial<ListFilter>): void {
    const next = { ...this.lists.filter, ...patch };
    if (JSON.stringify(next) === JSON.stringify(this.lists.filter)) return;
    if (next.segment !== this.lists.filter.segment) this.lists.segmentVisitors.clear();
    this.lists.filter = next;
    local.set(FILTER_KEY, JSON.stringify(next));
    this.lists.nextCursor = null;
    this.lists.changed();
    void this.loadList();
  }

  resetFilter(): void {
    this.setFilter({ ...DEFAULT_FILTER });
  }

  /** Loads the first page of the current filter (or the next page with `more`). */
  async loadList(more = false): Promise<void> {
    const request = ++this.listRequest;
    const filter = this.lists.filter;
    this.lists.listLoading = true;
    this.lists.listProblem = null;
    this.lists.changed();
    try {
      const page = await this.api<Page<DialogView>>(
        'GET',
        `/api/v1/dialogs${filterQuery(filter, { limit: PAGE_SIZE, cursor: more ? this.lists.nextCursor : undefined })}`,
      );
      for (const d of page.items) mergeDialog(this.lists.dialogs, d);
      if (request === this.listRequest) {
        this.lists.nextCursor = page.next_cursor ?? null;
        if (filter.segment) for (const d of page.items) this.lists.segmentVisitors.add(d.visitor.id);
      }
    } catch (e) {
      const problem = this.guard(e);
      // The segment was deleted meanwhile (here or elsewhere): the list drops that filter.
      if (request === this.listRequest && filter.segment && problem.code === 'not_found') {
        this.setFilter({ segment: null });
        return;
      }
      // The field filtered by is no longer the workspace's (`400`, `details.field = "field"`): it goes.
      if (request === this.listRequest && filter.field && problem.code === 'validation_failed' && problem.details.field === 'field') {
        this.setFilter({ field: null });
        return;
      }
      if (request === this.listRequest) this.lists.listProblem = problem;
    } finally {
      if (request === this.listRequest) this.lists.listLoading = false;
      this.lists.changed();
    }
  }

  /**
   * Loads the queue (first page) and the server's counts. Held dialogs the console thought
   * queued but the complete page leaves out were taken meanwhile: their rows are fetched anew.
   */
  async loadQueue(): Promise<void> {
    this.lists.queueLoading = true;
    this.lists.queueProblem = null;
    this.lists.changed();
    try {
      const [counts, page] = await Promise.all([
        this.api<DialogCounts>('GET', '/api/v1/dialogs/counts'),
        this.api<Page<DialogView>>('GET', `/api/v1/dialogs${query({ status: 'open', assignee: 'unassigned', limit: QUEUE_PAGE })}`),
      ]);
      for (const d of page.items) mergeDialog(this.lists.dialogs, d);
      const complete = !page.next_cursor;
      if (complete) {
        const listed = new Set(page.items.map((d) => d.id));
        for (const d of [...this.lists.dialogs.values()]) if (isQueued(d) && !listed.has(d.id)) void this.refreshDialog(d.id);
      }
      this.lists.counts = counts;
      this.lists.queueBeyond = queueBeyond(counts.queue, countQueued(this.lists.dialogs), complete);
    } catch (e) {
      this.lists.queueProblem = this.guard(e);
    } finally {
      this.lists.queueLoading = false;
      this.lists.changed();
    }
  }

  /** Asks the server's counts again; only needed while the queue is longer than its first page. */
  private async loadCounts(): Promise<void> {
    try {
      const counts = await this.api<DialogCounts>('GET', '/api/v1/dialogs/counts');
      this.lists.counts = counts;
      this.lists.queueBeyond = Math.max(0, counts.queue - countQueued(this.lists.dialogs));
      this.lists.changed();
    } catch (e) {
      this.guard(e);
    }
  }

  private countsMayHaveMoved(): void {
    if (this.lists.queueBeyond === 0) return;
    clearTimeout(this.countsTimer);
    this.countsTimer = setTimeout(() => void this.loadCounts(), COUNTS_DEBOUNCE_MS);
  }

  /** The operator's own open dialogs, whatever the list's filter (for the tabs). */
  async loadMine(): Promise<void> {
    try {
      const page = await this.api<Page<DialogView>>('GET', `/api/v1/dialogs${query({ status: 'open', assignee: 'mine', limit: PAGE_SIZE })}`);
      for (const d of page.items) mergeDialog(this.lists.dialogs, d);
      this.lists.changed();
    } catch (e) {
      this.guard(e);
    }
  }

  async loadOperators(): Promise<void> {
    try {
      const list = await this.api<Items<OperatorView>>('GET', '/api/v1/operators');
      this.team.operators.clear();
      for (const o of list.items) this.team.operators.set(o.id, o);
      const me = this.session.me && this.team.operators.get(this.session.me.operator.id);
      this.team.changed();
      // The whole console follows the session: it is told only when he himself changed.
      if (this.session.me && me && JSON.stringify(me) !== JSON.stringify(this.session.me.operator)) {
        this.session.me = { ...this.session.me, operator: me };
        this.session.changed();
      }
    } catch (e) {
      this.guard(e);
    }
  }

  async loadChannels(): Promise<void> {
    try {
      this.team.channels = (await this.api<Items<ChannelView>>('GET', '/api/v1/channels')).items;
      this.team.changed();
    } catch (e) {
      this.guard(e);
    }
  }

  /** The members of a channel (for a transfer); resolves to null when they cannot be read. */
  async loadMembers(channelId: string): Promise<OperatorView[] | null> {
    try {
      const list = await this.api<Items<OperatorView>>('GET', `/api/v1/channels/${encodeURIComponent(channelId)}/members`);
      this.team.members.set(channelId, list.items);
      this.team.changed();
      return list.items;
    } catch (e) {
      this.guard(e);
      return null;
    }
  }

  channelName(id: string): string | null {
    return this.team.channelName(id);
  }

  /** Fetches one dialog's row again; a dialog the operator may not see any more is dropped. */
  private async refreshDialog(id: string): Promise<void> {
    try {
      if (mergeDialog(this.lists.dialogs, await this.api<DialogView>('GET', `/api/v1/dialogs/${encodeURIComponent(id)}`))) this.lists.changed();
    } catch (e) {
      const problem = this.guard(e);
      if (problem.code === 'dialog_not_found' || problem.code === 'not_found') this.forget(id);
    }
  }

  /** A dialog out of the operator's sight: off every list; if it was on screen, say why. */
  private forget(id: string): void {
    this.lists.dialogs.delete(id);
    this.dialog.readUpTo.delete(id);
    this.lists.actionProblems.delete(id);
    if (this.dialog.loaded.get(id)?.messages.outbox.size === 0) this.dialog.loaded.delete(id);
    if (this.dialog.selectedId === id) {
      this.dialog.selectedId = null;
      if (!this.handedOver.has(id)) this.alerts.say({ code: 'moved_away', details: {} });
      if (this.session.route.view === 'dialogs') {
        this.session.route = { view: 'dialogs', dialogId: null };
        if (location.pathname !== BASE) history.replaceState(null, '', BASE);
        this.session.changed();
      }
    }
    this.lists.changed();
    this.dialog.changed();
  }

  /**
   * Puts a newer version of a dialog in. An operator (not a supervisor) whose dialog moved to
   * another channel may have lost sight of it: the server answers 404 then, and it is dropped.
   */
  private takeDialog(d: DialogView): boolean {
    const held = this.lists.dialogs.get(d.id);
    const changed = mergeDialog(this.lists.dialogs, d);
    if (changed && held && held.channel_id !== d.channel_id && !this.isSupervisor()) void this.refreshDialog(d.id);
    return changed;
  }

  // ---- one dialog -------------------------------------------------------------------------

  selected(): DialogView | null {
    return this.dialog.selectedId ? this.lists.dialogs.get(this.dialog.selectedId) ?? null : null;
  }

  /** Shows a dialog: loads its messages (all pages) if not held, then marks it read. */
  async open(id: string | null, push = true): Promise<void> {
    if (this.session.route.view === 'admin' && !this.team.unsaved.mayLeave(() => void this.open(id, push))) return;
    if (push) {
      const path = pathFor({ view: 'dialogs', dialogId: id });
      if (location.pathname !== path) history.pushState(null, '', path);
    }
    const route: Route = { view: 'dialogs', dialogId: id };
    if (pathFor(route) !== pathFor(this.session.route)) {
      this.session.route = route;
      this.session.changed();
    }
    this.dialog.selectedId = id;
    this.alerts.say(null);
    this.dialog.changed();
    if (!id) return;
    if (!this.lists.dialogs.has(id)) {
      try {
        if (mergeDialog(this.lists.dialogs, await this.api<DialogView>('GET', `/api/v1/dialogs/${encodeURIComponent(id)}`))) this.lists.changed();
      } catch (e) {
        const entry = this.entry(id);
        entry.problem = this.guard(e);
        this.dialog.changed();
        return;
      }
    }
    const entry = this.dialog.loaded.get(id);
    if (!entry || entry.problem) await this.loadMessages(id);
    this.markRead(id);
  }

  private entry(id: string): LoadedDialog {
    let entry = this.dialog.loaded.get(id);
    if (!entry) {
      entry = { messages: new DialogMessages(id), loading: false, problem: null };
      this.dialog.loaded.set(id, entry);
    }
    return entry;
  }

  /** Loads every message after the ones held (all of them the first time). */
  async loadMessages(id: string): Promise<void> {
    const entry = this.entry(id);
    entry.loading = true;
    entry.problem = null;
    this.dialog.changed();
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
      this.dialog.changed();
    }
  }

  /** Tells the server the operator has seen the open dialog up to its last message. */
  markRead(id: string): void {
    if (this.dialog.selectedId !== id || typeof document !== 'undefined' && document.visibilityState === 'hidden') return;
    const entry = this.dialog.loaded.get(id);
    const seq = entry?.messages.lastSeq() ?? 0;
    if (seq === 0 || (this.dialog.readUpTo.get(id) ?? 0) >= seq) return;
    this.dialog.readUpTo.set(id, seq);
    this.dialog.changed();
    this.api('POST', `/api/v1/dialogs/${encodeURIComponent(id)}/read`, { body: { seq } }).catch((e) => {
      // Let the next attempt try again.
      if ((this.dialog.readUpTo.get(id) ?? 0) === seq) this.dialog.readUpTo.delete(id);
      this.guard(e);
      this.dialog.changed();
    });
  }

  /**
   * Closes a dialog. A channel that requires a category refuses without one
   * (`category_required`): the dialog is then marked so its header asks for the category.
   */
  async closeDialog(id: string): Promise<Problem | null> {
    if (this.lists.closing.has(id)) return null;
    this.lists.closing.add(id);
    this.lists.changed();
    try {
      this.takeDialog(await this.api<DialogView>('POST', `/api/v1/dialogs/${encodeURIComponent(id)}/close`));
      this.lists.categoryNeeded.delete(id);
      this.lists.fieldsNeeded.delete(id);
      this.lists.selection.delete(id);
      return null;
    } catch (e) {
      const problem = this.guard(e);
      if (problem.code === 'category_required') this.lists.categoryNeeded.add(id);
      else if (problem.code === 'fields_required') this.fieldsRefused(id, problem);
      else this.alerts.say(problem);
      return problem;
    } finally {
      this.lists.closing.delete(id);
      this.lists.changed();
    }
  }

  /**
   * A close refused for want of custom fields: the dialog's header names them and focuses the
   * first, its fields unfolded for good (they hold the focus: folding them once filled would drop
   * it). A field this console does not know yet (defined since it loaded them) is read anew.
   */
  private fieldsRefused(id: string, problem: Problem): void {
    const named = requiredOf(problem);
    this.lists.fieldsNeeded.set(id, named);
    if (named.some((n) => !this.tools.fields.some((f) => f.key === n.key && f.target === 'dialog' && !f.archived))) void this.loadFields();
    this.dialog.toggleFields(true);
  }

  /**
   * Sets (or, with `null`, clears) values of the dialog's custom fields (`PUT …/fields`): the
   * dialog shows them as the server kept them (trimmed, in capitals); a field filled stops being
   * asked for before closing.
   */
  async setFieldValues(id: string, values: Record<string, string | number | null>): Promise<Problem | null> {
    try {
      const d = await this.api<DialogView>('PUT', `/api/v1/dialogs/${encodeURIComponent(id)}/fields`, { body: { values } satisfies FieldValuesRequest });
      this.takeDialog(d);
      const needed = this.lists.fieldsNeeded.get(id);
      if (needed) {
        const still = needed.filter((n) => isEmptyValue(d.fields?.[n.key]));
        if (still.length > 0) this.lists.fieldsNeeded.set(id, still);
        else this.lists.fieldsNeeded.delete(id);
      }
      return null;
    } catch (e) {
      const problem = this.guard(e);
      if (problem.code === 'dialog_not_found') this.forget(id);
      return problem;
    } finally {
      this.lists.changed();
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
    if (!problem && categoryId) this.lists.categoryNeeded.delete(id);
    this.lists.changed();
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
      this.lists.changed();
    }
  }

  // ---- bulk close -------------------------------------------------------------------------

  toggleSelected(id: string, on?: boolean): void {
    this.lists.toggleSelected(id, on);
  }

  /** Ticks all of `ids`, or unticks them when all are ticked already. */
  toggleAll(ids: string[]): void {
    this.lists.toggleAll(ids);
  }

  clearSelection(): void {
    this.lists.clearSelection();
  }

  /** Closes the ticked dialogs, each on its own; refused ones stay ticked with their reason. */
  async bulkClose(): Promise<void> {
    const ids = [...this.lists.selection].slice(0, 100);
    if (ids.length === 0 || this.lists.bulkBusy) return;
    this.lists.bulkBusy = true;
    this.lists.bulkResult = null;
    this.lists.bulkRefusals.clear();
    this.lists.changed();
    try {
      const answer = await this.api<Items<BulkCloseResult>>('POST', '/api/v1/dialogs/close', { body: { ids } });
      let closed = 0;
      for (const r of answer.items) {
        if (r.ok) {
          closed++;
          this.lists.selection.delete(r.id);
          void this.refreshDialog(r.id);
        } else {
          this.lists.bulkRefusals.set(r.id, { code: r.code ?? 'internal', details: {}, message: r.message ?? undefined });
        }
      }
      this.lists.bulkResult = { closed, refused: answer.items.length - closed };
    } catch (e) {
      this.alerts.say(this.guard(e));
    } finally {
      this.lists.bulkBusy = false;
      this.lists.changed();
    }
  }

  // ---- dictionaries: saved replies, tags, categories ----------------------------------------

  async loadSavedReplies(): Promise<void> {
    try {
      this.tools.savedReplies = (await this.api<Items<SavedReplyView>>('GET', '/api/v1/saved-replies')).items;
      this.tools.changed();
    } catch (e) {
      this.guard(e);
    }
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
      const keep = withArchived ? [] : this.tools[kind].filter((l) => l.archived);
      for (const l of [...keep, ...active.items, ...archived.items]) byId.set(l.id, l);
      this.tools[kind] = [...byId.values()].sort((a, b) => a.name.localeCompare(b.name));
      this.tools.changed();
      return null;
    } catch (e) {
      return this.guard(e);
    }
  }

  /** Reads the workspace's custom fields, archived ones too (any operator may). */
  async loadFields(): Promise<Problem | null> {
    try {
      this.tools.setFields((await this.api<Items<CustomFieldView>>('GET', '/api/v1/fields')).items);
      return null;
    } catch (e) {
      return this.guard(e);
    }
  }

  /** Reads the workspace's segments (any operator may: the list filter offers them). */
  async loadSegments(): Promise<Problem | null> {
    try {
      this.tools.setSegments((await this.api<Items<SegmentView>>('GET', '/api/v1/segments')).items);
      return null;
    } catch (e) {
      return this.guard(e);
    }
  }

  /** A segment deleted on the segments page: the list filter by it goes too. */
  private segmentDeleted(id: string): void {
    this.tools.segmentDeleted(id);
    if (this.lists.filter.segment === id) this.setFilter({ segment: null });
  }

  /**
   * A new dialog under a segment filter, of a visitor the list has not seen in the segment: the
   * server alone knows whether he is in it, so the list's first page is asked again (once for
   * a burst of new dialogs).
   */
  private segmentMayHaveGrown(d: DialogView): void {
    if (!this.lists.filter.segment || this.lists.segmentVisitors.has(d.visitor.id)) return;
    clearTimeout(this.segmentTimer);
    this.segmentTimer = setTimeout(() => void this.loadList(), SEGMENT_RELOAD_MS);
  }

  private async loadLimits(): Promise<void> {
    try {
      const me = await this.api<MeView>('GET', '/api/v1/me');
      this.session.uploadLimits = me.upload_limits ?? null;
      this.session.changed();
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
      this.tools.search = { query: text, hits: null, loading: false, problem: null };
      this.tools.changed();
      return;
    }
    this.tools.search = { ...this.tools.search, query: text, loading: true, problem: null };
    this.tools.changed();
    try {
      const answer = await this.api<Items<SearchHit>>('GET', `/api/v1/search${query({ q, limit: 30 })}`);
      if (request !== this.searchRequest) return;
      this.tools.search = { query: text, hits: answer.items, loading: false, problem: null };
    } catch (e) {
      if (request !== this.searchRequest) return;
      this.tools.search = { query: text, hits: null, loading: false, problem: this.guard(e) };
    }
    this.tools.changed();
  }

  clearSearch(): void {
    this.searchRequest++;
    this.tools.search = { query: '', hits: null, loading: false, problem: null };
    this.tools.changed();
  }

  /** Opens the dialog of a search hit (the hit carries its row). */
  openHit(hit: SearchHit): void {
    if (mergeDialog(this.lists.dialogs, hit.dialog)) this.lists.changed();
    void this.open(hit.dialog.id);
  }

  // ---- the visitor card --------------------------------------------------------------------

  async loadCard(dialogId: string): Promise<void> {
    const held = this.dialog.cards.get(dialogId);
    if (held?.loading) return;
    this.dialog.cards.set(dialogId, { card: held?.card ?? null, loading: true, problem: null });
    this.dialog.changed();
    try {
      const card = await this.api<VisitorCardView>('GET', `/api/v1/dialogs/${encodeURIComponent(dialogId)}/visitor`);
      this.dialog.cards.set(dialogId, { card, loading: false, problem: null });
    } catch (e) {
      this.dialog.cards.set(dialogId, { card: held?.card ?? null, loading: false, problem: this.guard(e) });
    }
    this.dialog.changed();
  }

  /** Saves the operator's edit of the visitor's name, e-mail or phone. */
  async saveVisitor(dialogId: string, patch: VisitorPatch): Promise<Problem | null> {
    try {
      const card = await this.api<VisitorCardView>('PATCH', `/api/v1/dialogs/${encodeURIComponent(dialogId)}/visitor`, { body: patch });
      this.dialog.cards.set(dialogId, { card, loading: false, problem: null });
      // Every dialog of this visitor shows the new name at once (the server's events follow).
      for (const d of [...this.lists.dialogs.values()]) {
        if (d.visitor.id === card.id && d.visitor.name !== card.name) this.lists.dialogs.set(d.id, { ...d, visitor: { ...d.visitor, name: card.name } });
      }
      return null;
    } catch (e) {
      return this.guard(e);
    } finally {
      this.dialog.changed();
      this.lists.changed();
    }
  }

  /**
   * Sets (or clears) the visitor's custom fields (`PUT …/visitor/fields`), kept as his attributes:
   * the card shows what the server answered, and the held cards of his other dialogs too.
   */
  async setVisitorFieldValues(dialogId: string, values: Record<string, string | number | null>): Promise<Problem | null> {
    try {
      const card = await this.api<VisitorCardView>('PUT', `/api/v1/dialogs/${encodeURIComponent(dialogId)}/visitor/fields`, {
        body: { values } satisfies FieldValuesRequest,
      });
      for (const [id, held] of [...this.dialog.cards]) {
        if (id === dialogId) this.dialog.cards.set(id, { card, loading: false, problem: null });
        else if (held.card?.id === card.id) this.dialog.cards.set(id, { ...held, card: { ...held.card, attributes: card.attributes } });
      }
      if (!this.dialog.cards.has(dialogId)) this.dialog.cards.set(dialogId, { card, loading: false, problem: null });
      return null;
    } catch (e) {
      return this.guard(e);
    } finally {
      this.dialog.changed();
    }
  }

  /**
   * Adds and removes tags of the dialog's visitor (visitor tags, not the dialog's): the card shows
   * the tags the server answered (lower-cased, sorted), not a guess of them.
   */
  async tagVisitor(dialogId: string, change: VisitorTagsChange): Promise<Problem | null> {
    try {
      const done = await this.api<VisitorTagsView>('POST', `/api/v1/dialogs/${encodeURIComponent(dialogId)}/visitor/tags`, { body: change });
      // Every card of this visitor held (his other dialogs) shows them too.
      const visitorId = this.dialog.cards.get(dialogId)?.card?.id;
      for (const [id, held] of [...this.dialog.cards]) {
        if (held.card && (id === dialogId || held.card.id === visitorId)) this.dialog.cards.set(id, { ...held, card: { ...held.card, tags: done.tags } });
      }
      return null;
    } catch (e) {
      return this.guard(e);
    } finally {
      this.dialog.changed();
    }
  }

  /**
   * Complains about the dialog's visitor to the admins (any operator who sees the dialog); the
   * dialog stays as it is.
   */
  async reportVisitor(dialogId: string, body: ComplaintRequest): Promise<Problem | null> {
    try {
      await this.api('POST', `/api/v1/dialogs/${encodeURIComponent(dialogId)}/complaints`, { body });
      return null;
    } catch (e) {
      return this.guard(e);
    }
  }

  /** Blocks the dialog's visitor (admins): every card of his held shows the block at once. */
  async blockVisitor(dialogId: string, body: BlockRequest): Promise<Problem | null> {
    try {
      const block = await this.api<BlockView>('POST', `/api/v1/dialogs/${encodeURIComponent(dialogId)}/block`, { body });
      this.setCardBlock(dialogId, block);
      return null;
    } catch (e) {
      return this.guard(e);
    } finally {
      this.dialog.changed();
    }
  }

  /** Lifts the block the card of `dialogId` shows (admins): he can write again at once. */
  async unblockVisitor(dialogId: string, blockId: string): Promise<Problem | null> {
    try {
      await this.api<BlockView>('POST', `/api/v1/blocks/${encodeURIComponent(blockId)}/lift`);
      this.setCardBlock(dialogId, null, blockId);
      return null;
    } catch (e) {
      return this.guard(e);
    } finally {
      this.dialog.changed();
    }
  }

  /** The card of `dialogId` and the held cards of the same visitor (his other dialogs) show `block`. */
  private setCardBlock(dialogId: string, block: BlockView | null, lifted?: string): void {
    const visitorId = this.dialog.cards.get(dialogId)?.card?.id;
    for (const [id, held] of [...this.dialog.cards]) {
      if (!held.card || (id !== dialogId && held.card.id !== visitorId)) continue;
      if (lifted && held.card.block && held.card.block.id !== lifted) continue;
      this.dialog.cards.set(id, { ...held, card: { ...held.card, block } });
    }
  }

  // ---- typing, mentions ------------------------------------------------------------------------

  /** The operator typed a reply (never a note): tells the others, at most every 2 s. */
  typed(dialogId: string): void {
    this.typingThrottle.typed(dialogId);
  }

  dismissMention(messageId: string): void {
    this.alerts.mentions = this.alerts.mentions.filter((m) => m.message.id !== messageId);
    this.alerts.changed();
  }

  private mentioned(frame: MentionFrame): void {
    if (this.alerts.mentions.some((m) => m.message.id === frame.message.id)) return;
    const moved = this.takeDialog(frame.dialog);
    this.alerts.mentions = [...this.alerts.mentions.slice(-4), { dialog: frame.dialog, message: frame.message }];
    this.alert(frame, frame.dialog.id);
    this.alerts.changed();
    if (moved) this.lists.changed();
  }

  dismissSlaAlert(key: string): void {
    this.alerts.slaAlerts = this.alerts.slaAlerts.filter((a) => slaAlertKey(a) !== key);
    this.alerts.changed();
  }

  /** A target passed unmet: sound (and notify), show a note, and take the dialog's new row. */
  private slaBreached(frame: SlaBreachedFrame): void {
    this.alert(frame, frame.dialog.id);
    const moved = this.takeDialog(frame.dialog);
    this.alerts.slaAlerts = withSlaAlert(this.alerts.slaAlerts, { dialog: frame.dialog, target: frame.target, due_at: frame.due_at });
    this.alerts.changed();
    if (moved) this.lists.changed();
  }

  dismissNotice(): void {
    this.alerts.say(null);
  }

  // ---- who holds a dialog ------------------------------------------------------------------

  /**
   * Runs an assignment call for one dialog: one at a time per dialog, the answer merged, a
   * refusal kept for the row and header (and resolved to the caller). A dialog someone else
   * took or closed meanwhile is fetched anew so its row stops offering "Accept".
   */
  private async act(id: string, call: () => Promise<DialogView>, remember = true): Promise<Problem | null> {
    if (this.lists.acting.has(id)) return null;
    this.lists.acting.add(id);
    this.lists.actionProblems.delete(id);
    this.lists.changed();
    try {
      this.takeDialog(await call());
      return null;
    } catch (e) {
      const problem = this.guard(e);
      if (remember) this.lists.actionProblems.set(id, problem);
      if (problem.code === 'already_assigned' || problem.code === 'dialog_closed') void this.refreshDialog(id);
      if (problem.code === 'dialog_not_found') this.forget(id);
      return problem;
    } finally {
      this.lists.acting.delete(id);
      this.lists.changed();
    }
  }

  /** Takes a waiting dialog (the server sends the channel's greeting) and shows it. */
  async accept(id: string): Promise<Problem | null> {
    const problem = await this.act(id, () => this.api<DialogView>('POST', `/api/v1/dialogs/${encodeURIComponent(id)}/accept`));
    if (problem) return problem;
    // Taken to answer: the reply box has the focus (the button pressed is gone).
    this.dialog.focusWish = 'composer';
    if (this.dialog.selectedId !== id) void this.open(id);
    else this.dialog.changed();
    return null;
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
    if (this.lists.acting.has(id)) return null;
    this.lists.acting.add(id);
    this.lists.changed();
    try {
      const d = await this.api<DialogView>('POST', `/api/v1/dialogs/${encodeURIComponent(id)}/transfer`, {
        body: transferBody(target, comment),
      });
      this.handedOver.add(id);
      this.takeDialog(d);
      // A handover is a success: say to whom, and leave the dialog (it is someone else's now)
      // for the next one instead of showing it vanish.
      const to =
        target.kind === 'operator'
          ? (this.team.operators.get(target.id)?.display_name ?? '')
          : (this.team.channels.find((c) => c.id === target.id)?.name ?? '');
      this.alerts.say({ code: 'handed_over', details: { to, number: d.number } });
      if (this.dialog.selectedId === id) {
        this.dialog.selectedId = null;
        this.dialog.changed();
        if (this.session.route.view === 'dialogs') {
          this.session.route = { view: 'dialogs', dialogId: null };
          if (location.pathname !== BASE) history.replaceState(null, '', BASE);
          this.session.changed();
        }
      }
      return null;
    } catch (e) {
      const problem = this.guard(e);
      // The channel's online count or an operator's presence changed: show the fresh picture.
      if (problem.code === 'channel_unavailable') void this.loadChannels();
      if (problem.code === 'operator_unavailable' || problem.code === 'capacity_reached') void this.loadOperators();
      return problem;
    } finally {
      this.lists.acting.delete(id);
      this.lists.changed();
    }
  }

  dismissActionProblem(id: string): void {
    if (this.lists.actionProblems.delete(id)) this.lists.changed();
  }

  // ---- presence and alerts -----------------------------------------------------------------

  async setPresence(presence: Presence): Promise<void> {
    const me = this.session.me;
    if (!me || this.session.presenceBusy || me.operator.presence === presence) return;
    const before = me.operator;
    this.session.presenceBusy = true;
    this.session.me = { ...me, operator: { ...before, presence } };
    this.session.changed();
    try {
      const operator = await this.api<OperatorView>('PUT', '/api/v1/me/presence', { body: { presence } });
      this.updateOperator(operator);
    } catch (e) {
      if (this.session.me) this.session.me = { ...this.session.me, operator: before };
      this.alerts.say(this.guard(e));
    } finally {
      this.session.presenceBusy = false;
      this.session.changed();
    }
  }

  private updateOperator(o: OperatorView): void {
    this.team.operators.set(o.id, o);
    if (this.session.me && this.session.me.operator.id === o.id) {
      this.session.me = { ...this.session.me, operator: o };
      this.session.changed();
    }
    for (const [channelId, list] of this.team.members) {
      if (list.some((m) => m.id === o.id)) this.team.members.set(channelId, list.map((m) => (m.id === o.id ? o : m)));
    }
    this.team.changed();
  }

  /** Sounds and notifies for a frame, judged against the dialog as held before it. */
  private alert(frame: ServerFrame, dialogId: string): void {
    const decision = decideAlert(frame, {
      meId: this.session.me?.operator.id ?? null,
      presence: this.presence(),
      selectedId: this.dialog.selectedId,
      visible: this.watching(),
      held: this.lists.dialogs.get(dialogId),
      acting: this.lists.acting,
    });
    if (decision) this.alerts.attention.perform(decision, makeT(this.session.lang), (id) => void this.open(id));
  }

  // ---- sending ----------------------------------------------------------------------------

  /** Sends a reply, or an internal note with `internal`; attachments let the text be empty. */
  send(dialogId: string, text: string, extras: SendExtras = {}): void {
    const body = text.trim();
    const attachments = extras.attachments?.length ? extras.attachments : undefined;
    if (!body && !attachments) return;
    const client_id = newClientId();
    const reason = extras.internal ? undefined : extras.guardOverride?.trim() || undefined;
    const sent: SendExtras = { internal: extras.internal || undefined, attachments, guardOverride: reason };
    this.entry(dialogId).messages.outbox.start(client_id, body, Date.now(), sent);
    this.sendDialog.set(client_id, dialogId);
    this.typingThrottle.reset(dialogId);
    this.dialog.changed();
    this.transmit(dialogId, client_id, body, sent);
  }

  /**
   * What the quality guard finds in a reply being written (`POST …/guard`, nothing kept): the
   * composer marks it. A refusal rejects (and a 401 signs out as anywhere else).
   */
  async checkDraft(dialogId: string, body: string): Promise<HitView[]> {
    try {
      const answer = await this.api<{ hits: HitView[] }>('POST', `/api/v1/dialogs/${encodeURIComponent(dialogId)}/guard`, { body: { body } });
      return answer.hits ?? [];
    } catch (e) {
      throw this.guard(e);
    }
  }

  retry(dialogId: string, client_id: string): void {
    const p = this.dialog.loaded.get(dialogId)?.messages.outbox.retry(client_id);
    if (!p) return;
    this.dialog.changed();
    this.transmit(dialogId, client_id, p.body, p);
  }

  discard(dialogId: string, client_id: string): void {
    this.dialog.loaded.get(dialogId)?.messages.outbox.discard(client_id);
    this.sendDialog.delete(client_id);
    this.dialog.changed();
  }

  /**
   * Sends over the socket when it is open, else over REST (the same send, idempotent by
   * client_id). A note or a message with files always goes over REST: the socket's `send`
   * has no `internal` or `attachments` (docs/protocol.md), and a note must never reach the
   * visitor as a plain reply.
   */
  private transmit(dialogId: string, client_id: string, body: string, extras: SendExtras = {}): void {
    const plain = !extras.internal && !extras.attachments?.length;
    if (plain && this.socket?.send(sendFrame(dialogId, client_id, body, extras))) return;
    this.api<MessageView>('POST', `/api/v1/dialogs/${encodeURIComponent(dialogId)}/messages`, {
      body: {
        client_id,
        body,
        ...(extras.internal ? { internal: true } : {}),
        ...(extras.attachments?.length ? { attachments: extras.attachments.map((a) => a.id) } : {}),
        ...(extras.guardOverride ? { guard_override: extras.guardOverride } : {}),
      },
    }).then(
      (message) => this.acked(client_id, message),
      (e) => {
        const problem = this.guard(e);
        // No answer: keep it "sending"; the socket sends it again when it is back.
        if (problem.code === 'network' || problem.code === 'unavailable') return;
        this.dialog.loaded.get(dialogId)?.messages.outbox.fail(client_id, problem);
        this.dialog.changed();
      },
    );
  }

  private acked(client_id: string, message: MessageView): void {
    const dialogId = this.sendDialog.get(client_id) ?? message.dialog_id;
    this.sendDialog.delete(client_id);
    this.entry(dialogId).messages.ack(client_id, message);
    this.touchRow(message);
    // The operator wrote after reading everything before: nothing in the dialog is unread.
    if (this.dialog.selectedId === dialogId) this.markRead(dialogId);
    this.dialog.changed();
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
        for (const [id, entry] of this.dialog.loaded) {
          if (entry.messages.log.size === 0 && entry.loading) continue;
          this.socket?.send({ type: 'resume', dialog_id: id, after_seq: entry.messages.lastSeq() });
          for (const p of entry.messages.outbox.sending()) {
            if (p.internal || p.attachments?.length) this.transmit(id, p.client_id, p.body, p);
            else this.socket?.send(sendFrame(id, p.client_id, p.body, p));
          }
        }
      },
      onFrame: (frame) => this.onFrame(frame),
      onStatus: (status) => {
        this.session.connection = status;
        this.session.changed();
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

  private onFrame(frame: ConsoleFrame): void {
    switch (frame.type) {
      case 'dialog.created':
      case 'dialog.updated':
      case 'dialog.closed':
      case 'dialog.waiting':
        this.alert(frame, frame.dialog.id);
        if (this.takeDialog(frame.dialog)) this.lists.changed();
        this.countsMayHaveMoved();
        if (frame.type === 'dialog.created') this.segmentMayHaveGrown(frame.dialog);
        break;
      case 'operator.updated':
        this.updateOperator(frame.operator);
        break;
      case 'message.created':
        this.alert(frame, frame.message.dialog_id);
        this.receiveMessage(frame.message, true);
        break;
      case 'message.updated':
        this.messageEdited(frame.message);
        break;
      case 'ack':
        this.acked(frame.client_id, frame.message);
        break;
      case 'error': {
        // The server ends the socket of a session that is over (logout elsewhere, expiry).
        if (frame.code === 'unauthenticated' && !frame.client_id) {
          if (this.session.auth === 'signed_in') this.signedOut(true);
          break;
        }
        const problem = { code: frame.code, details: frame.details ?? {}, message: frame.message };
        const dialogId = frame.client_id ? this.sendDialog.get(frame.client_id) : undefined;
        if (frame.client_id && dialogId && this.dialog.loaded.get(dialogId)?.messages.outbox.fail(frame.client_id, problem)) {
          this.dialog.changed();
        } else if (frame.code !== 'unknown_frame') {
          this.alerts.say(problem);
        }
        break;
      }
      case 'resync':
        this.resync();
        // His role or channels changed: the role shown and the pages he may open follow.
        if (frame.reason === 'access_changed') void this.reloadMe();
        break;
      case 'typing':
        if (frame.author.kind === 'operator' && frame.author.id === this.session.me?.operator.id) break;
        this.dialog.typing.seen(frame.dialog_id, frame.author);
        break;
      case 'dialog.read': {
        if (frame.reader !== 'visitor') break;
        const d = this.lists.dialogs.get(frame.dialog_id);
        if (d) {
          const next = withVisitorRead(d, frame.seq);
          if (next !== d) {
            this.lists.dialogs.set(d.id, next);
            this.lists.changed();
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
      case 'webhook.disabled':
        this.alerts.say({ code: 'webhook_disabled', details: { url: frame.url, endpoint_id: frame.endpoint_id } });
        break;
      case 'hello':
      case 'resumed':
      case 'pong':
        break;
    }
  }

  /** A message from REST or the socket: into its dialog if held, and onto its list row. */
  private receiveMessage(m: MessageView, live: boolean): void {
    const entry = this.dialog.loaded.get(m.dialog_id);
    const added = entry ? entry.messages.receive(m) : false;
    if (entry) this.dialog.changed();
    if (live) {
      this.dialog.typing.stopped(m.dialog_id, m.author);
      // A visitor who writes may be on another page now: his card is read again.
      if (added && m.author.kind === 'visitor' && this.dialog.cards.has(m.dialog_id) && this.dialog.selectedId === m.dialog_id) void this.loadCard(m.dialog_id);
      if (!this.touchRow(m)) {
        // A dialog we have never seen (its dialog.created was missed): fetch its row.
        this.api<DialogView>('GET', `/api/v1/dialogs/${encodeURIComponent(m.dialog_id)}`).then(
          (d) => mergeDialog(this.lists.dialogs, d) && this.lists.changed(),
          (e) => this.guard(e),
        );
      }
      if (added && m.author.kind === 'visitor') this.markRead(m.dialog_id);
    }
  }

  /**
   * A message edited where its author wrote it (Telegram): replaced in place where its dialog's
   * messages are held. No sound, no unread count, no list row moved: nothing new was said. Its
   * earlier texts, when shown, are read again (the text just replaced is one of them now).
   */
  private messageEdited(m: MessageView): void {
    const entry = this.dialog.loaded.get(m.dialog_id);
    if (!entry?.messages.log.replace(m)) return;
    if (this.dialog.edits.get(m.id)?.open) void this.loadEdits(m);
    this.dialog.changed();
  }

  /** Shows or hides the earlier texts of an edited message under it (loaded on first show). */
  toggleEdits(m: MessageView): void {
    const held = this.dialog.edits.get(m.id);
    if (held?.open) {
      this.dialog.edits.set(m.id, { ...held, open: false });
      this.dialog.changed();
      return;
    }
    if (held && held.items && !held.problem && held.version === (m.edited_at ?? null)) {
      this.dialog.edits.set(m.id, { ...held, open: true });
      this.dialog.changed();
      return;
    }
    void this.loadEdits(m);
  }

  /** Reads the earlier texts of a message (`GET …/messages/{id}/edits`, oldest first) and shows them. */
  async loadEdits(m: MessageView): Promise<void> {
    const request = (this.editsRequest.get(m.id) ?? 0) + 1;
    this.editsRequest.set(m.id, request);
    const held = this.dialog.edits.get(m.id);
    this.dialog.edits.set(m.id, { open: true, loading: true, items: held?.items ?? null, version: held?.version ?? null, problem: null });
    this.dialog.changed();
    const path = `/api/v1/dialogs/${encodeURIComponent(m.dialog_id)}/messages/${encodeURIComponent(m.id)}/edits`;
    let next: Partial<LoadedEdits>;
    try {
      next = { items: await this.api<MessageEditView[]>('GET', path), version: m.edited_at ?? null, problem: null };
    } catch (e) {
      next = { problem: this.guard(e) };
    }
    const now = this.dialog.edits.get(m.id);
    // Signed out meanwhile, or a later edit asked again: this answer is not the one to show.
    if (!now || this.editsRequest.get(m.id) !== request) return;
    this.dialog.edits.set(m.id, { ...now, ...next, loading: false });
    this.dialog.changed();
  }

  /** Moves a list row forward for a message (announced on the lists); false if the dialog is not in the list. */
  private touchRow(m: MessageView): boolean {
    const row = this.lists.dialogs.get(m.dialog_id);
    if (!row) return false;
    const next = withMessage(row, m);
    if (next !== row) {
      this.lists.dialogs.set(row.id, next);
      this.lists.changed();
    }
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
      if (this.session.auth !== 'signed_in' || !this.session.me || this.session.me.operator.id !== me.operator.id) return;
      this.session.me = { ...me, upload_limits: me.upload_limits ?? this.session.me.upload_limits };
      if (me.upload_limits) this.session.uploadLimits = me.upload_limits;
      this.team.operators.set(me.operator.id, me.operator);
      void this.loadChannels();
      if (this.session.route.view === 'admin' && !this.adminSections().includes(this.session.route.section)) {
        this.team.unsaved.clear();
        this.navigate({ view: 'dialogs', dialogId: this.dialog.selectedId });
        this.alerts.say({ code: 'access_changed', details: {} });
      }
      this.session.changed();
      this.team.changed();
    } catch (e) {
      this.guard(e);
    }
  }

  /** The socket fell behind: reload the lists and the open dialog; forget other dialogs' pages. */
  private resync(): void {
    for (const [id, entry] of this.dialog.loaded) {
      if (id !== this.dialog.selectedId && entry.messages.outbox.size === 0) this.dialog.loaded.delete(id);
    }
    void this.loadList();
    void this.loadQueue();
    void this.loadMine();
    void this.loadOperators();
    if (this.dialog.selectedId) void this.loadMessages(this.dialog.selectedId);
  }

  /** The tab became visible again: the open dialog can be marked read now. */
  visibilityChanged(): void {
    if (this.dialog.selectedId) this.markRead(this.dialog.selectedId);
  }
}
