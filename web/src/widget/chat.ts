/**
 * The visitor's chat session inside the iframe: opens the widget session, loads the history
 * over REST, keeps a socket that resumes after every reconnect, and sends messages that stay
 * pending until the server acknowledges them. Also the conversation tools: files (checked
 * against the announced limits, uploaded, sent with the message, fetched with the token for
 * display), typing both ways, read state both ways, the rating after an operator's close,
 * and the visitor's contact details. Also the automation of issue 5: proactive messages (see
 * proactive.ts; local until the visitor answers, then the server's copy takes their place)
 * and the offline contact form (offline.ts); and the escalation forms an operator sends
 * (forms.ts: the card reads and sends its form here). Components read its fields and call its
 * methods; it announces changes through `Observable`.
 *
 * Who the visitor is: anonymous, or the site's signed-in user the page named (`params.user`,
 * the page's `Frontline.identify`). The session opens as that user; a refused identify opens
 * an anonymous one instead and says so (`onRefused`). Which token goes with which is
 * identity.ts's. One WidgetChat is one visitor: another user is another WidgetChat (host.ts).
 * The page's attributes and events go out with the session's token (`setAttributes`, `track`).
 *
 * A blocked visitor (`visitor_blocked`, from the session, any later call, an upload, a file or
 * the socket): the chat stops for good at the first refusal (no retry, no reconnect), shows
 * itself failed without a retry button, keeps the tokens (a lifted block works on the next page
 * load) and says so once (`onBlocked`; the host tells the page, which hides the widget).
 *
 * What stays true: the visitor token never goes into a URL other than the socket's (files
 * are fetched with the Authorization header and shown through object URLs).
 */
import { ApiError, createClient, errorBody, fetchAllMessages, query, type Requester, type RequestOptions } from '../shared/api';
import type {
  AttachmentView,
  AuthorView,
  MessageView,
  OfflineAnswer,
  Page,
  ShownView,
  UploadLimits,
  UploadView,
  VisitorView,
  WidgetAvailability,
  WidgetDialogView,
  WidgetFrame,
  WidgetSendRequest,
  WidgetSessionRequest,
  WidgetSessionView,
  WidgetTrigger,
} from '../shared/api-types';
import { newClientId } from '../shared/ids';
import type { Lang } from '../shared/i18n';
import { ReconnectingSocket, wsUrl, type SocketStatus } from '../shared/socket';
import { local } from '../shared/storage';
import { Observable } from '../shared/store';
import { TypingThrottle, TypingTracker } from '../shared/typing';
import { checkFile, uploadFile } from '../shared/uploads';
import type { AttributeValue, PropertyValue } from '../shared/bridge';
import { contactPatch, contactSlip, refusedField, type Contact, type ContactField } from './contact';
import { Conversation, type SeenMark } from './conversation';
import { Drafts } from './files';
import type { FormRequestView, SubmittedView } from './forms';
import { contactKey, identityRefused, seenKey, TokenStore, type PageUser } from './identity';
import { checkOffline, offlineRefusedField, offlineRequest, type OfflineErrors, type OfflineFields } from './offline';
import { TriggerSchedule } from './proactive';
import { ratingPrompt, ratingRefusal, ratingRequest, type RatingPrompt } from './rating';

export interface FrameParams {
  key: string;
  /** The origin of the page the loader runs on; where postMessage goes. */
  origin: string;
  page: string;
  /** The embedding page's title, for the visitor card. */
  pageTitle?: string;
  lang: Lang;
  /** The visitor's browser language (`navigator.language`), for routing rules. */
  language?: string;
  /** What the page told about the visitor (`window.FrontlineSettings.properties`). */
  properties?: Record<string, string>;
  /** The site's signed-in user the page named (`Frontline.identify`); none: anonymous. */
  user?: PageUser | null;
}

/** A refusal as the page hears it (the `error` event): the server's code and words, the field. */
export interface PageError {
  code: string;
  message: string;
  field?: string;
}

/** The session request: the generated type, and the identify fields the server takes. */
type SessionRequest = WidgetSessionRequest & { user_id?: string; user_hash?: string };

export type Phase = 'loading' | 'ready' | 'failed';

/** A refusal to show: a stable code and its details (e.g. `limit`). */
export interface Problem {
  code: string;
  details: Record<string, unknown>;
}

/** A refused contact form: the problem and the field it is about (null: the whole form). */
export interface ContactProblem extends Problem {
  field: ContactField | null;
}

/** A refused contact form of offline mode: the slips by field (empty: the problem is the whole form's). */
export interface OfflineProblem extends Problem {
  fields: OfflineErrors;
}

/**
 * A proactive message the server let show (`POST …/shown` answered 200). It lives only here
 * until the visitor answers: his first message carries its `trigger_id`, and the server
 * starts the new dialog with its copy, which then takes this one's place.
 */
export interface ProactiveMessage {
  trigger: WidgetTrigger;
  /** When it showed (ISO), for the bubble's clock. */
  shown_at: string;
  /** The client_id of the visitor's answer, once he sent one. */
  answer: string | null;
  /** Whether the visitor has looked at the chat since (else it counts as unread). */
  seen: boolean;
}

/** Where the local proactive bubble goes: just before the visitor's answer, or (null) after everything held. */
export interface ProactivePlace {
  dialogId: string;
  beforeSeq: number;
}

/** How often a widget with nobody to answer asks again whether someone does. */
export const AVAILABILITY_EVERY_MS = 60_000;

/** The server's refusal of a blocked visitor (or of his address range). */
export const VISITOR_BLOCKED = 'visitor_blocked';
/** The server's refusal of every visitor of a workspace its install's owner suspended. */
export const WORKSPACE_SUSPENDED = 'workspace_suspended';
/** Refusals that stop the chat for good, as a block does: the site's chat is not for him now. */
export const STOPPING: ReadonlySet<string> = new Set([VISITOR_BLOCKED, WORKSPACE_SUSPENDED]);

export class WidgetChat extends Observable {
  phase: Phase = 'loading';
  failure: Problem | null = null;
  siteName = '';
  visitor: VisitorView | null = null;
  readonly conversation = new Conversation();
  connection: SocketStatus = 'closed';
  /** A refusal not tied to one message (shown as a dismissable notice). */
  notice: Problem | null = null;
  /** What files may be attached (from the session answer); null: the server alone decides. */
  uploadLimits: UploadLimits | null = null;
  /** Files picked for the message being written. */
  readonly drafts = new Drafts();
  /** The visitor's e-mail and phone as he gave them (the session answer does not carry them). */
  contact: Pick<Contact, 'email' | 'phone'> = { email: '', phone: '' };
  /** Whether someone answers now (session answer); null when the server does not say. */
  availability: WidgetAvailability | null = null;
  /** The proactive message shown and not yet answered, if any. */
  proactive: ProactiveMessage | null = null;
  /** The contact form was sent: its dialog, the seq of the question and where we answer. */
  offlineSent: { dialog_id: string; seq: number; contact: string } | null = null;
  /** Called when a proactive message shows while the visitor is not looking (main.tsx tells the page). */
  onProactive: (trigger: WidgetTrigger) => void = () => {};
  /** The page's identify was refused: the session opened anonymously instead. */
  onRefused: (error: PageError) => void = () => {};
  /** A new operator message came live (the page's `message` event). */
  onMessage: (message: MessageView) => void = () => {};
  /** The server refused this visitor (`visitor_blocked`, `workspace_suspended`): called once, the chat has stopped. */
  onBlocked: (error: PageError) => void = () => {};
  /** Set when the server refused this visitor; the chat is stopped then. */
  blocked: PageError | null = null;
  /** The site's user the open session is of; null: anonymous (or not open yet). */
  identifiedAs: string | null = null;
  /** Stopped for good (another visitor took its place): nothing it still awaits may act. */
  private stopped = false;
  private readonly tokens: TokenStore;
  /** Whether the visitor is looking at the chat (panel open and the tab visible). */
  private watching = false;
  private seen: SeenMark | null = null;
  /** The dialog the server last named (session answer, `hello`, dialog events). */
  private sessionDialogId: string | null = null;
  /** The last `read` reported to the server. */
  private readSent: SeenMark | null = null;
  private token = '';
  private socket: ReconnectingSocket<WidgetFrame> | null = null;
  private readonly api: Requester;
  private readonly fetchImpl: typeof fetch;
  /** Object URLs of fetched attachments, by id; revoked on stop. */
  private readonly fileUrls = new Map<string, Promise<string>>();
  /** Dialogs whose rating the server said it did not ask for. */
  private readonly notAsked = new Set<string>();
  private readonly typing = new TypingTracker(() => this.changed());
  private readonly throttle = new TypingThrottle(() => this.socket?.send({ type: 'typing' }));

  private readonly WebSocketImpl?: typeof WebSocket;
  /** The session's triggers and how long the visit had lasted when it answered. */
  private triggers: WidgetTrigger[] = [];
  private visitSeconds = 0;
  private readonly schedule = new TriggerSchedule({
    canShow: () => this.canShowProactive(),
    claim: (trigger) => this.claimTrigger(trigger),
    show: (trigger) => this.showProactive(trigger),
  });
  /** Sends that answer a proactive message: client_id → trigger id. */
  private readonly answers = new Map<string, string>();
  /** The client_id of the contact form being sent (kept across retries, so it is stored once). */
  private offlineClientId: string | null = null;
  /** Asks again whether someone answers, while nobody does (see `refreshAvailability`). */
  private availabilityTimer: ReturnType<typeof setInterval> | null = null;

  constructor(
    readonly params: FrameParams,
    /** The unread count for the page's badge (settable: the host passes it on while this chat is shown). */
    public onUnread: (count: number) => void = () => {},
    deps: { api?: Requester; WebSocketImpl?: typeof WebSocket; fetchImpl?: typeof fetch } = {},
  ) {
    super();
    // Every refusal passes here first: a `visitor_blocked` one stops the chat (see `block`).
    const api = deps.api ?? createClient(location.origin);
    this.api = <T>(method: string, path: string, options?: RequestOptions) =>
      api<T>(method, path, options).catch((e: unknown) => {
        this.noteBlocked(e);
        throw e;
      });
    this.fetchImpl = deps.fetchImpl ?? ((...a) => fetch(...a));
    this.WebSocketImpl = deps.WebSocketImpl;
    this.tokens = new TokenStore(params.key);
    try {
      this.seen = JSON.parse(local.get(seenKey(params.key)) ?? 'null') as SeenMark | null;
    } catch {
      this.seen = null;
    }
  }

  /** Opens the session, loads the history, connects the socket. Safe to call again after a failure. */
  async start(): Promise<void> {
    if (this.blocked) return;
    this.phase = 'loading';
    this.failure = null;
    this.changed();
    try {
      await this.openSession();
      if (this.stopped) return;
      await this.loadHistory();
    } catch (e) {
      if (this.stopped) return;
      this.phase = 'failed';
      this.failure = toProblem(e);
      this.changed();
      return;
    }
    if (this.stopped) return;
    this.phase = 'ready';
    this.changed();
    this.reportUnread();
    this.connect();
    this.schedule.start(this.triggers, this.visitSeconds);
    this.availabilityTimer ??= setInterval(() => void this.refreshAvailability(), AVAILABILITY_EVERY_MS);
  }

  /**
   * While nobody answers and the visitor has no open dialog, asks the server again, so the
   * contact form gives way to the chat when an operator comes online (and the note changes).
   * A failed ask changes nothing; the next one comes a minute later.
   */
  async refreshAvailability(): Promise<void> {
    if (this.phase !== 'ready' || !this.availability || this.availability.online || this.hasOpenDialog()) return;
    try {
      this.availability = await this.api<WidgetAvailability>('GET', '/widget/v1/availability', { token: this.token });
      this.changed();
    } catch {
      // Offline or refused: keep what the widget shows.
    }
  }

  /** A refusal of any call: `visitor_blocked` blocks the chat, anything else is the caller's. */
  private noteBlocked(e: unknown): void {
    if (e instanceof ApiError && STOPPING.has(e.code)) this.block(e.code, e.message, e.details);
  }

  /**
   * The server refuses this visitor: the chat stops for good (socket, timers, answers still to
   * come) and shows itself failed; the tokens stay. Told once through `onBlocked`.
   */
  private block(code: string, message: string, details: Record<string, unknown> = {}): void {
    if (this.blocked || this.stopped) return;
    this.blocked = { code, message };
    this.stop();
    this.phase = 'failed';
    this.failure = { code, details };
    this.notice = null;
    this.onBlocked(this.blocked);
    this.changed();
  }

  /** Ends this chat for good: the socket, the timers, and whatever answer is still to come. */
  stop(): void {
    this.stopped = true;
    if (this.availabilityTimer) clearInterval(this.availabilityTimer);
    this.availabilityTimer = null;
    this.schedule.stop();
    this.socket?.stop();
    this.socket = null;
    this.typing.clear();
    for (const url of this.fileUrls.values()) url.then((u) => URL.revokeObjectURL(u), () => {});
    this.fileUrls.clear();
  }

  /**
   * Sends the text with the uploaded files; it shows as pending until the ack. Returns false
   * (and sends nothing) when there is nothing to send or a file is still uploading.
   */
  send(text: string): boolean {
    const body = text.trim();
    const files = this.drafts.ready();
    if ((!body && files.length === 0) || this.drafts.uploading()) return false;
    const client_id = newClientId();
    this.conversation.outbox.start(client_id, body, Date.now(), files.length ? { attachments: files } : {});
    // His first message after a proactive one answers it: the server then starts the dialog with it.
    if (this.proactive && !this.proactive.answer) {
      this.proactive = { ...this.proactive, answer: client_id };
      this.answers.set(client_id, this.proactive.trigger.id);
    }
    this.drafts.clear();
    this.throttle.reset();
    this.changed();
    this.transmit(client_id);
    return true;
  }

  retry(client_id: string): void {
    const p = this.conversation.outbox.retry(client_id);
    if (!p) return;
    this.changed();
    this.transmit(p.client_id);
  }

  discard(client_id: string): void {
    if (!this.conversation.outbox.discard(client_id)) return;
    // A discarded answer answers nothing: the next message does.
    if (this.answers.delete(client_id) && this.proactive?.answer === client_id) this.proactive = { ...this.proactive, answer: null };
    this.changed();
  }

  /** Takes a refused send back to the composer: returns its text, its files go back to the drafts. */
  takeBack(client_id: string): string {
    const pending = this.conversation.outbox.get(client_id);
    this.drafts.restore(pending?.attachments ?? []);
    this.discard(client_id);
    this.changed();
    return pending?.body ?? '';
  }

  /** The files of a pending send. */
  filesOf(client_id: string): readonly UploadView[] {
    return this.conversation.outbox.get(client_id)?.attachments ?? [];
  }

  /** Files the visitor picked: each is checked against the limits, then uploaded. */
  attach(files: Iterable<File>): void {
    for (const file of files) {
      const early = file.size === 0 ? 'empty_file' : checkFile(file, this.uploadLimits, this.drafts.counted());
      const draft = this.drafts.add(file, early ? { code: early, details: {} } : null);
      this.changed();
      if (early) continue;
      uploadFile(location.origin, '/widget/v1/uploads', file, this.token, this.fetchImpl).then(
        (upload) => {
          if (this.drafts.uploaded(draft.key, upload)) this.changed();
        },
        (e) => {
          this.noteBlocked(e);
          const problem = toProblem(e);
          if (this.drafts.refused(draft.key, { code: problem.code, details: problem.details })) this.changed();
        },
      );
    }
  }

  removeDraft(key: string): void {
    if (this.drafts.remove(key)) this.changed();
  }

  /** The visitor typed in the composer: operators see "typing" (at most one frame per 2 s). */
  noteTyping(text: string): void {
    if (text.trim()) this.throttle.typed();
  }

  /** Operators typing in the visitor's current dialog now. */
  typists(): AuthorView[] {
    const id = this.currentDialogId();
    return id ? this.typing.typists(id).filter((a) => a.kind === 'operator') : [];
  }

  /**
   * An object URL for an attachment's bytes, fetched once with the visitor's token in the
   * Authorization header (an <img src> could not send it, and a token in a URL would leak).
   */
  fileUrl(id: string): Promise<string> {
    let url = this.fileUrls.get(id);
    if (!url) {
      url = this.fetchImpl(`${location.origin}/widget/v1/attachments/${encodeURIComponent(id)}`, {
        headers: { Authorization: `Bearer ${this.token}` },
        credentials: 'same-origin',
      }).then(async (r) => {
        if (!r.ok) {
          const body = errorBody(await r.json().catch(() => null));
          const e = body
            ? new ApiError(r.status, body.code, body.message, body.details)
            : new ApiError(r.status, r.status === 404 ? 'not_found' : 'internal', `HTTP ${r.status}`);
          this.noteBlocked(e);
          throw e;
        }
        return URL.createObjectURL(await r.blob());
      });
      url.catch(() => this.fileUrls.delete(id));
      this.fileUrls.set(id, url);
    }
    return url;
  }

  /** Saves a file to the visitor's computer under its own name. */
  async download(file: AttachmentView): Promise<void> {
    const url = await this.fileUrl(file.id);
    const a = document.createElement('a');
    a.href = url;
    a.download = file.name;
    a.rel = 'noopener';
    document.body.appendChild(a);
    a.click();
    a.remove();
  }

  /** Whether to ask the visitor to rate `dialogId` (see rating.ts). */
  ratingPrompt(dialogId: string): RatingPrompt {
    if (this.notAsked.has(dialogId)) return 'none';
    return ratingPrompt(this.conversation.dialog(dialogId));
  }

  /** Rates a closed dialog; resolves to the refusal, if any (`score`/`comment`: a local slip). */
  async rate(dialogId: string, score: number, comment: string): Promise<Problem | null> {
    const request = ratingRequest(dialogId, score, comment);
    if (!request.ok) return { code: request.reason === 'score' ? 'rating_score' : 'rating_comment', details: {} };
    try {
      const view = await this.api<WidgetDialogView>('POST', '/widget/v1/rating', { token: this.token, body: request.body });
      this.conversation.setDialog(view?.rating ? view : this.withRating(dialogId, score, request.body.comment));
      this.changed();
      return null;
    } catch (e) {
      const problem = toProblem(e);
      const outcome = ratingRefusal(problem.code);
      if (outcome === 'retry') return problem;
      // Rated meanwhile (another tab) or not to be rated: either way the form has done its job.
      if (outcome === 'done') this.conversation.setDialog(this.withRating(dialogId, score, request.body.comment));
      else this.notAsked.add(dialogId);
      this.changed();
      return null;
    }
  }

  /** `GET /widget/v1/forms/{request}`: a form sent into his dialog, as the card shows it (throws an ApiError). */
  form(request: string): Promise<FormRequestView> {
    return this.api<FormRequestView>('GET', `/widget/v1/forms/${encodeURIComponent(request)}`, { token: this.token });
  }

  /**
   * `POST /widget/v1/forms/{request}`: sends the filled form, once. Throws an ApiError: 400
   * names the field (`answers.<key>`), 409 `form_sent_already` when it went already.
   */
  submitForm(request: string, answers: Record<string, string>): Promise<SubmittedView> {
    return this.api<SubmittedView>('POST', `/widget/v1/forms/${encodeURIComponent(request)}`, { token: this.token, body: { answers } });
  }

  private withRating(dialogId: string, score: number, comment: string | undefined): WidgetDialogView {
    const known = this.conversation.dialog(dialogId);
    const base: WidgetDialogView = known ?? { id: dialogId, number: 0, status: 'closed', last_seq: 0, close_reason: 'operator', rating: null, operator_read_seq: 0 };
    return { ...base, rating: base.rating ?? { score, comment: comment ?? null } };
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

  /** Saves what changed of name, e-mail and phone; resolves to the refusal and its field, if any. */
  async saveContact(next: Contact): Promise<ContactProblem | null> {
    const before: Contact = { name: this.visitor?.name ?? '', ...this.contact };
    const patch = contactPatch(before, next);
    for (const field of ['email', 'phone'] as const) {
      const value = patch[field];
      const slip = value ? contactSlip(field, value) : null;
      if (slip) return { code: 'validation_failed', details: { field }, field };
    }
    if (Object.keys(patch).length === 0) return null;
    try {
      const visitor = await this.api<VisitorView>('PATCH', '/widget/v1/visitor', {
        token: this.token,
        body: patch,
      });
      this.visitor = visitor;
      this.contact = {
        email: known(visitor, 'email') ?? (patch.email !== undefined ? patch.email ?? '' : this.contact.email),
        phone: known(visitor, 'phone') ?? (patch.phone !== undefined ? patch.phone ?? '' : this.contact.phone),
      };
      local.set(contactKey(this.params.key), JSON.stringify({ visitor_id: visitor.id, ...this.contact }));
      this.changed();
      return null;
    } catch (e) {
      const problem = toProblem(e);
      return { ...problem, field: refusedField(problem.details) };
    }
  }

  /** The panel was opened or closed (or the tab hidden): updates what counts as unread and read. */
  setWatching(watching: boolean): void {
    this.watching = watching;
    if (watching) {
      if (this.proactive && !this.proactive.seen) this.proactive = { ...this.proactive, seen: true };
      this.markSeen();
      this.reportRead();
    }
    this.reportUnread();
  }

  unread(): number {
    return this.conversation.unreadAfter(this.seen) + (this.proactive && !this.proactive.seen ? 1 : 0);
  }

  /** Whether the visitor's current dialog is open (he has one and it is not closed). */
  hasOpenDialog(): boolean {
    const id = this.currentDialogId();
    if (!id) return false;
    const view = this.conversation.dialog(id);
    return view ? view.status !== 'closed' : !this.conversation.isClosed(id);
  }

  /** Whether the contact form takes the composer's place: offline mode says so and he has no open dialog. */
  offlineForm(): boolean {
    return this.phase === 'ready' && !!this.availability?.offline_form && !this.hasOpenDialog();
  }

  /** Where the local proactive bubble goes (see ProactivePlace); null: after all the messages held. */
  proactivePlace(): ProactivePlace | null {
    const answer = this.proactive?.answer;
    if (!answer) return null;
    for (const thread of this.conversation.threads()) {
      const mine = thread.messages.find((m) => m.client_id === answer);
      if (mine) return { dialogId: thread.dialogId, beforeSeq: mine.seq };
    }
    return null;
  }

  /**
   * Sends the contact form (`POST /widget/v1/offline`); resolves to the refusal, if any: the
   * slips of the local check, or the field the server named. On success the question is his
   * first message of an open dialog, and the composer is back.
   */
  async sendOffline(fields: OfflineFields): Promise<OfflineProblem | null> {
    const slips = checkOffline(fields);
    if (Object.keys(slips).length > 0) return { code: 'validation_failed', details: {}, fields: slips };
    const client_id = (this.offlineClientId ??= newClientId());
    const request = offlineRequest(client_id, fields);
    // checkOffline asks for an e-mail or a phone first: this is never null here.
    if (!request) return { code: 'validation_failed', details: {}, fields: slips };
    let answer: OfflineAnswer;
    try {
      answer = await this.api<OfflineAnswer>('POST', '/widget/v1/offline', { token: this.token, body: request });
    } catch (e) {
      const problem = toProblem(e);
      const field = problem.code === 'validation_failed' ? offlineRefusedField(problem.details) : null;
      return { ...problem, fields: field ? { [field]: 'invalid' } : {} };
    }
    this.offlineClientId = null;
    this.rememberDialog(answer.dialog);
    this.conversation.ack(client_id, answer.message);
    // The server saved his name and contacts; its answer does not carry the visitor, so they are kept as given.
    if (this.visitor) this.visitor = { ...this.visitor, name: request.name };
    this.contact = { email: request.email ?? this.contact.email, phone: request.phone ?? this.contact.phone };
    if (this.visitor) local.set(contactKey(this.params.key), JSON.stringify({ visitor_id: this.visitor.id, ...this.contact }));
    this.offlineSent = { dialog_id: answer.dialog.id, seq: answer.message.seq, contact: request.email ?? request.phone ?? '' };
    this.afterNewMessages();
    return null;
  }

  private canShowProactive(): boolean {
    return (
      this.phase === 'ready' &&
      !this.proactive &&
      !this.hasOpenDialog() &&
      this.conversation.outbox.size === 0 &&
      !this.offlineForm()
    );
  }

  /** `POST /widget/v1/triggers/{id}/shown`: true only on a 200 (409 `trigger_already_shown`, 404, no answer: false). */
  private async claimTrigger(trigger: WidgetTrigger): Promise<boolean> {
    try {
      await this.api<ShownView>('POST', `/widget/v1/triggers/${encodeURIComponent(trigger.id)}/shown`, { token: this.token });
      return true;
    } catch {
      return false;
    }
  }

  private showProactive(trigger: WidgetTrigger): void {
    this.proactive = { trigger, shown_at: new Date().toISOString(), answer: null, seen: this.watching };
    this.changed();
    this.reportUnread();
    if (!this.watching) this.onProactive(trigger);
  }

  /**
   * Drops the local proactive message once the server's copy is held: the operator message
   * by the trigger (`author.id`) in the dialog his answer went to. Returns whether it did.
   */
  private settleProactive(): boolean {
    const p = this.proactive;
    const place = this.proactivePlace();
    if (!p || !place) return false;
    const thread = this.conversation.threads().find((th) => th.dialogId === place.dialogId);
    const copy = thread?.messages.some((m) => m.author.kind === 'operator' && m.author.id === p.trigger.id);
    if (!copy) return false;
    this.proactive = null;
    return true;
  }

  private markSeen(): void {
    if (this.stopped) return;
    const mark = this.conversation.newestMark();
    if (!mark) return;
    if (this.seen && this.seen.dialog_id === mark.dialog_id && this.seen.seq >= mark.seq) return;
    this.seen = mark;
    local.set(seenKey(this.params.key), JSON.stringify(mark));
  }

  private reportUnread(): void {
    this.onUnread(this.watching ? 0 : this.unread());
  }

  /** The visitor looks at the chat: tells the operators how far he has read (socket, else REST). */
  private reportRead(): void {
    if (!this.watching || this.phase !== 'ready') return;
    const mark = this.conversation.readToSend(this.readSent);
    if (!mark) return;
    const before = this.readSent;
    this.readSent = mark;
    if (this.socket?.send({ type: 'read', seq: mark.seq })) return;
    this.api<void>('POST', '/widget/v1/read', { token: this.token, body: { seq: mark.seq } }).catch(() => {
      // Not told: try again with the next message or the next look.
      if (this.readSent === mark) this.readSent = before;
    });
  }

  /** The visitor's current dialog: the newest held, else the one the server named. */
  private currentDialogId(): string | null {
    return this.conversation.latest()?.dialogId ?? this.sessionDialogId;
  }

  private rememberDialog(view: WidgetDialogView | null | undefined): void {
    if (!view) return;
    this.sessionDialogId = view.id;
    this.conversation.setDialog(view);
  }

  /**
   * Opens the session: as the page's user when it named one (his token if this browser has
   * it), else anonymously. A refused identify forgets the user's token, tells the page and
   * opens an anonymous session: nothing of any user shows then.
   */
  private async openSession(): Promise<void> {
    let user = this.params.user ?? null;
    let session: WidgetSessionView;
    try {
      session = await this.requestSession(user);
    } catch (e) {
      if (!user || !identityRefused(e) || this.stopped) throw e;
      this.tokens.forgetUser();
      const field = e.details.field;
      this.onRefused({ code: e.code, message: e.message, ...(typeof field === 'string' ? { field } : {}) });
      user = null;
      session = await this.requestSession(null);
    }
    // Replaced meanwhile (another identify, a reset): this answer is nobody's to keep.
    if (this.stopped) return;
    this.identifiedAs = user?.id ?? null;
    this.token = session.token;
    this.tokens.keep(this.identifiedAs, session.token);
    this.visitor = session.visitor;
    this.siteName = session.site?.name || session.site?.workspace_name || '';
    this.uploadLimits = session.upload_limits ?? null;
    this.availability = session.availability ?? null;
    this.triggers = session.triggers ?? [];
    this.visitSeconds = session.time_on_site_seconds ?? 0;
    this.rememberDialog(session.dialog);
    this.loadContact(session.visitor);
  }

  private requestSession(user: PageUser | null): Promise<WidgetSessionView> {
    const body: SessionRequest = {
      key: this.params.key,
      token: this.tokens.tokenFor(user?.id ?? null),
      page_url: this.params.page || undefined,
      page_title: this.params.pageTitle || undefined,
      origin: this.params.origin || undefined,
      language: this.params.language || undefined,
      properties: this.params.properties && Object.keys(this.params.properties).length ? this.params.properties : undefined,
    };
    if (user) {
      body.user_id = user.id;
      if (user.hash) body.user_hash = user.hash;
    }
    return this.api<WidgetSessionView>('POST', '/widget/v1/session', { body });
  }

  /** `PATCH /widget/v1/attributes`: merged into his (`null` removes one). Throws an ApiError (400 names the field). */
  async setAttributes(attributes: Record<string, AttributeValue>): Promise<void> {
    await this.api<unknown>('PATCH', '/widget/v1/attributes', { token: this.token, body: { attributes } });
  }

  /** `POST /widget/v1/events`: at most 100 at once. Throws an ApiError (429 `rate_limited`, 400 names the field). */
  async track(events: { name: string; properties: Record<string, PropertyValue> }[]): Promise<void> {
    const body = { events: events.map((e) => (Object.keys(e.properties).length ? e : { name: e.name })) };
    await this.api<unknown>('POST', '/widget/v1/events', { token: this.token, body });
  }

  /** E-mail and phone: from the server when it tells them, else as this browser saved them. */
  private loadContact(visitor: VisitorView): void {
    let saved: { visitor_id?: string; email?: string; phone?: string } = {};
    try {
      saved = JSON.parse(local.get(contactKey(this.params.key)) ?? '{}') ?? {};
    } catch {
      saved = {};
    }
    const mine = saved.visitor_id === visitor.id;
    this.contact = {
      email: known(visitor, 'email') ?? (mine ? saved.email ?? '' : ''),
      phone: known(visitor, 'phone') ?? (mine ? saved.phone ?? '' : ''),
    };
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
      // The token goes in the first frame, not the URL: proxies log URLs.
      url: () => wsUrl(location.origin, '/widget/v1/ws'),
      WebSocketImpl: this.WebSocketImpl,
      onOpen: () => {
        this.socket?.send({ type: 'auth', token: this.token });
        // Also on the first open: closes the gap between the REST history and the socket.
        this.socket?.send({ type: 'resume', after_seq: this.conversation.resumeAfter() });
        for (const p of this.conversation.outbox.sending()) this.transmit(p.client_id);
        // A read reported over REST while the socket was down is not repeated; a new one goes now.
        this.reportRead();
      },
      onFrame: (frame) => this.onFrame(frame),
      onStatus: (status) => {
        this.connection = status;
        this.changed();
      },
    });
    this.socket.start();
  }

  private transmit(client_id: string): void {
    const pending = this.conversation.outbox.get(client_id);
    const body = pending?.body ?? '';
    const files = pending?.attachments?.length ? pending.attachments : null;
    const trigger_id = this.answers.get(client_id);
    // The socket's `send` carries text only; a message with files, or one answering a
    // proactive message (`trigger_id`, docs/api.md), goes over REST.
    if (!files && !trigger_id && this.socket?.send({ type: 'send', client_id, body })) return;
    // Otherwise the REST call does the same send, idempotent by client_id.
    const request: WidgetSendRequest = files ? { client_id, body, attachments: files.map((f) => f.id) } : { client_id, body };
    if (trigger_id) request.trigger_id = trigger_id;
    this.api<MessageView>('POST', '/widget/v1/messages', { token: this.token, body: request }).then(
      (message) => {
        this.answers.delete(client_id);
        this.conversation.ack(client_id, message);
        this.afterNewMessages();
        // The dialog his answer started begins with the proactive message: fetch it if it did not come.
        if (trigger_id && this.proactive && !this.settleProactive()) this.loadHistory().catch(() => {});
      },
      (e) => {
        const problem = toProblem(e);
        // Without an answer the message stays "sending": the socket sends it again when it is back.
        if (problem.code === 'network' || problem.code === 'unavailable') return;
        // The trigger is gone (disabled meanwhile): his message still goes, as a plain one.
        if (trigger_id && problem.code === 'not_found') {
          this.answers.delete(client_id);
          this.transmit(client_id);
          return;
        }
        this.conversation.outbox.fail(client_id, problem);
        this.changed();
      },
    );
  }

  private onFrame(frame: WidgetFrame): void {
    switch (frame.type) {
      case 'hello':
        this.visitor = frame.visitor;
        this.rememberDialog(frame.dialog);
        this.changed();
        break;
      case 'ack':
        this.conversation.ack(frame.client_id, frame.message, frame.duplicate);
        this.afterNewMessages();
        break;
      case 'message.created':
        // His message is here: he is not typing any more.
        this.typing.stopped(frame.message.dialog_id, frame.message.author);
        if (this.conversation.receive(frame.message)) {
          this.afterNewMessages();
          if (frame.message.author.kind === 'operator') this.onMessage(frame.message);
        }
        break;
      case 'dialog.closed':
        // The widget's own view of the dialog: close_reason, rating, operator_read_seq.
        this.rememberDialog(frame.dialog);
        this.changed();
        break;
      case 'typing':
        if (frame.author.kind === 'operator') this.typing.seen(frame.dialog_id, frame.author);
        break;
      case 'dialog.read':
        if (frame.reader === 'operator' && this.conversation.operatorReadUpTo(frame.dialog_id, frame.seq)) this.changed();
        break;
      case 'error':
        // Blocked (a send on a socket opened before, or the socket's own auth): the chat stops, no reconnect.
        if (STOPPING.has(frame.code)) {
          this.block(frame.code, frame.message ?? '', frame.details ?? {});
          break;
        }
        // Typing frames past their limit are dropped quietly: nothing for the visitor to do.
        if (frame.code === 'rate_limited' && frame.details?.limit === 'widget_typing') break;
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
    this.settleProactive();
    if (this.watching) {
      this.markSeen();
      this.reportRead();
    }
    this.changed();
    this.reportUnread();
  }
}

/**
 * A contact field as the server tells it ('' when it says null), or undefined when the answer
 * does not carry the field at all (docs/api.md's VisitorView is `{id, number, name}`).
 */
function known(visitor: Pick<VisitorView, 'email' | 'phone'>, field: 'email' | 'phone'): string | undefined {
  return field in visitor ? visitor[field] ?? '' : undefined;
}

export function toProblem(e: unknown): Problem {
  if (e instanceof ApiError) return { code: e.code, details: e.details };
  return { code: 'internal', details: {} };
}
