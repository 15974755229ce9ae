/**
 * Types of the HTTP API and of the WebSocket frames, written by hand from docs/api.md and
 * docs/protocol.md (protocol version 1). To be replaced by types generated from
 * /api/openapi.json once the server publishes it; keep the names so the swap is mechanical.
 */

/** Stable error codes of docs/api.md and docs/protocol.md. */
export type ErrorCode =
  | 'validation_failed'
  | 'empty_message'
  | 'message_too_long'
  | 'bad_json'
  | 'unauthenticated'
  | 'invalid_credentials'
  | 'workspace_required'
  | 'forbidden'
  | 'unknown_site_key'
  | 'origin_not_allowed'
  | 'dialog_not_found'
  | 'not_found'
  | 'dialog_closed'
  | 'email_taken'
  | 'channel_name_taken'
  | 'already_assigned'
  | 'capacity_reached'
  | 'operator_unavailable'
  | 'not_channel_member'
  | 'channel_unavailable'
  | 'rate_limited'
  | 'unavailable'
  | 'internal'
  | 'unknown_frame'
  | 'bad_frame'
  | 'file_too_large'
  | 'file_type_refused'
  | 'category_required'
  | 'visitor_has_open_dialog'
  | 'rating_not_requested'
  | 'already_rated'
  | 'name_taken'
  | 'trigger_already_shown';

/** The body of every refusal. */
export interface ApiErrorBody {
  code: string;
  message: string;
  details?: Record<string, unknown> | null;
}

export interface Page<T> {
  items: T[];
  next_cursor: string | null;
}

export type Role = 'admin' | 'supervisor' | 'operator';
export type Presence = 'online' | 'away' | 'offline';

export interface OperatorView {
  id: string;
  email: string;
  display_name: string;
  role: Role;
  /** How many open dialogs he may hold at once (1–50). */
  capacity: number;
  presence: Presence;
  /** His open dialogs now. */
  active_dialogs: number;
  /** An admin deactivated him: he cannot sign in; his history stays. */
  deactivated?: boolean;
}

export interface WorkspaceView {
  id: string;
  name: string;
  slug: string;
}

/** `name` is null until the visitor gives one; show "Visitor {number}" then. */
export interface VisitorView {
  id: string;
  number: number;
  name: string | null;
  /** From his properties and contacts (docs/api.md `VisitorView`); older servers leave them out. */
  city?: string | null;
  page_url?: string | null;
  email?: string | null;
  phone?: string | null;
}

/** The visitor as a dialog carries him: also his city (from his properties) and page. */
export interface DialogVisitorView extends VisitorView {
  city: string | null;
  page_url: string | null;
}

/** Who holds a dialog. */
export interface AssigneeView {
  id: string;
  display_name: string;
}

export type AuthorKind = 'visitor' | 'operator' | 'system';
export type DialogStatus = 'open' | 'closed';

/** A tag or a category as a dialog carries it. */
export interface LabelRef {
  id: string;
  name: string;
}

/** Why a dialog was closed: by an operator (the visitor is asked for a rating) or by a timer. */
export type CloseReason = 'operator' | 'auto';

/** The visitor's rating of a closed dialog. */
export interface RatingView {
  /** 1–5. */
  score: number;
  comment: string | null;
  rated_at: string;
}

export interface LastMessageView {
  author_kind: AuthorKind;
  preview: string;
  created_at: string;
}

export interface DialogView {
  id: string;
  number: number;
  status: DialogStatus;
  channel_id: string;
  visitor: DialogVisitorView;
  last_seq: number;
  unread_count: number;
  last_message: LastMessageView | null;
  created_at: string;
  updated_at: string;
  closed_at: string | null;
  assignee: AssigneeView | null;
  assigned_at: string | null;
  /** The name of the routing rule that chose the channel; null for the default. */
  routed_by: string | null;
  /** Visitor messages since the last operator reply. */
  pending_count: number;
  /** When the oldest of those arrived; null when nobody waits for an answer. */
  waiting_since: string | null;
  /** When it entered its channel's queue; null while assigned. */
  queued_at: string | null;
  /** It waited in the queue longer than its channel allows; true until someone takes it. */
  waiting_alert: boolean;
  tags: LabelRef[];
  category: LabelRef | null;
  /** Snoozed until then (`status` stays `open`); null when not snoozed. */
  snoozed_until: string | null;
  close_reason: CloseReason | null;
  /** The dialog this one follows (the visitor wrote after the old one had closed for good). */
  previous_dialog_id: string | null;
  /** The visitor has read up to this `seq`. */
  visitor_read_seq: number;
  rating: RatingView | null;
  /** SLA due times; null when the channel's SLA is off. */
  sla?: SlaView | null;
  /** When the dialog closes (or asks its prompt) if the visitor stays silent; null while he wrote last or auto-close is off. */
  auto_close?: AutoCloseView | null;
  /** How the dialog began. */
  origin?: DialogOrigin;
  /** The proactive message the visitor answered (`origin: "proactive"`). */
  trigger?: { id: string; name: string } | null;
}

// ---- automation (issue 5, docs/api.md "Automation") ---------------------------------------

export type SlaTarget = 'first_reply' | 'next_reply' | 'resolution';

export interface SlaView {
  reply_target: 'first_reply' | 'next_reply' | null;
  /** Set while the visitor waits for an answer. */
  reply_due_at: string | null;
  reply_breached: boolean;
  resolution_due_at: string | null;
  resolution_breached: boolean;
}

export interface AutoCloseView {
  at: string;
  action: 'prompt' | 'close';
  /** The hold phrase of the operator's last message that extended the limit. */
  hold_phrase: string | null;
}

export type DialogOrigin = 'visitor' | 'proactive' | 'offline';

export type Weekday = 'mon' | 'tue' | 'wed' | 'thu' | 'fri' | 'sat' | 'sun';

export interface OpenInterval {
  day: Weekday;
  /** "HH:MM" */
  open: string;
  /** "HH:MM", may be "24:00" */
  close: string;
}

export interface AutomationView {
  business_hours: {
    enabled: boolean;
    time_zone: string;
    week: OpenInterval[];
    /** "YYYY-MM-DD" */
    holidays: string[];
  };
  sla: {
    enabled: boolean;
    first_reply_seconds: number;
    next_reply_seconds: number;
    resolution_seconds: number;
    business_hours: boolean;
  };
  auto_close: {
    enabled: boolean;
    silence_minutes: number;
    hold_phrases: string[];
    hold_minutes: number;
    prompt: { enabled: boolean; text: string; close_after_minutes: number };
  };
  offline: { enabled: boolean; message: string };
  persona: { name: string };
}

export interface TriggerView {
  id: string;
  name: string;
  message: string;
  enabled: boolean;
  time_on_site_seconds: number;
  conditions: Condition[];
  period_hours: number;
  created_at: string;
}

export interface TriggerInput {
  name?: string;
  message?: string;
  enabled?: boolean;
  time_on_site_seconds?: number;
  conditions?: Condition[];
  period_hours?: number;
}

/** `sla.breached`: a target passed unmet (supervisors, admins, the assignee). */
export interface SlaBreachedFrame {
  type: 'sla.breached';
  dialog: DialogView;
  target: SlaTarget;
  due_at: string;
}

/** Whether someone answers now, for the channel the visitor's new dialog would go to. */
export interface WidgetAvailability {
  online: boolean;
  reason: null | 'outside_hours' | 'nobody_online';
  /** Show the contact form instead of the composer (offline mode on, nobody to answer). */
  offline_form: boolean;
  message: string;
  next_open_at: string | null;
}

/** A proactive message the widget may show once the visitor has been on the site long enough. */
export interface WidgetTrigger {
  id: string;
  message: string;
  persona: string;
  time_on_site_seconds: number;
}

/** `POST /widget/v1/offline`. */
export interface OfflineRequest {
  client_id: string;
  name: string;
  email?: string;
  phone?: string;
  question: string;
}

export interface OfflineAnswer {
  dialog: WidgetDialogView;
  message: MessageView;
}

export interface AuthorView {
  kind: AuthorKind;
  id: string | null;
  /** The operator's display name for operators; the visitor's name (or null) for visitors. */
  name: string | null;
}

export type Audience = 'all' | 'operators';

/** An uploaded file (`POST …/uploads`) and a file attached to a message: the same shape. */
export interface UploadView {
  id: string;
  name: string;
  content_type: string;
  size: number;
}
export type AttachmentView = UploadView;

/** The MIME types clients preview inline. */
export const IMAGE_TYPES: readonly string[] = ['image/png', 'image/jpeg', 'image/gif', 'image/webp'];

/** What uploads may be: `GET /api/v1/me` and the widget session answer carry it. */
export interface UploadLimits {
  max_bytes: number;
  max_files: number;
  /** The allowed MIME types, e.g. `image/png`. */
  types: string[];
}

/**
 * An operator or a channel named in a system line. docs/api.md does not spell their shape;
 * the console reads `{id, display_name}` (like `assignee`), `{id, name}` or a bare name
 * alike (see `refName` in names.ts).
 */
export type OperatorRef = AssigneeView | string;
export type ChannelRef = { id: string; name: string } | string;

/** What a system line says; clients word it in their own language. */
export type SystemEvent =
  | { kind: 'assigned'; operator: OperatorRef; by: OperatorRef | null }
  | { kind: 'unassigned'; operator: OperatorRef; by: OperatorRef | null }
  | { kind: 'transferred'; operator?: OperatorRef | null; channel?: ChannelRef | null; by: OperatorRef | null; comment?: string | null }
  | { kind: 'returned'; operator: OperatorRef; reason: 'offline' }
  | { kind: 'snoozed'; until: string; by: OperatorRef | null }
  | { kind: 'unsnoozed'; reason: 'due' | 'operator' | (string & {}); by?: OperatorRef | null }
  /** No `by`: the visitor wrote. */
  | { kind: 'reopened'; by?: OperatorRef | null }
  | { kind: 'transfer_notice'; operator?: OperatorRef | null };

export interface MessageView {
  id: string;
  dialog_id: string;
  seq: number;
  client_id: string | null;
  author: AuthorView;
  /** Empty for system lines, which carry `event` instead. */
  body: string;
  created_at: string;
  /**
   * `operators`: never reaches the visitor (internal lines such as a transfer comment). An
   * internal note is `author.kind = "operator"` with `audience = "operators"`.
   */
  audience: Audience;
  event: SystemEvent | null;
  attachments: AttachmentView[];
  /** Ids of the operators an internal note names (`@Имя`). */
  mentions: string[];
}

export type ChannelMode = 'queue' | 'auto';
export type OfflinePolicy = 'keep' | 'return';

export interface ChannelView {
  id: string;
  name: string;
  is_default: boolean;
  mode: ChannelMode;
  /** Sent in the operator's name when he accepts; the server's default is "Здравствуйте!". */
  greeting: string;
  /** 10–86400: a dialog waiting longer in the queue raises `dialog.waiting`. */
  wait_alert_seconds: number;
  offline_policy: OfflinePolicy;
  /** Members online now; 0 means the channel refuses transfers. */
  online_members: number;
  /** Close is refused (`category_required`) until the dialog has a category. */
  require_category?: boolean;
  /** A visitor writing this soon after a close reopens the dialog (0: never). Default 60. */
  reopen_window_minutes?: number;
}

/** `PATCH /api/v1/channels/{id}`: only the fields given change. */
export interface ChannelPatch {
  name?: string;
  mode?: ChannelMode;
  greeting?: string;
  wait_alert_seconds?: number;
  offline_policy?: OfflinePolicy;
  require_category?: boolean;
  reopen_window_minutes?: number;
}

export type Condition =
  | { type: 'url'; pattern: string; regex: boolean }
  | { type: 'property'; name: string; value: string }
  | { type: 'language'; value: string };

export type ConditionType = Condition['type'];

export interface RoutingRuleView {
  id: string;
  name: string;
  channel_id: string;
  conditions: Condition[];
}

/** One rule of `PUT /api/v1/routing-rules` (the whole ordered list). */
export interface RoutingRuleInput {
  name: string;
  channel_id: string;
  conditions: Condition[];
}

export interface SiteView {
  id: string;
  name: string;
  key: string;
  allowed_origins: string[];
}

// ---- console: /api/v1 -------------------------------------------------------------------

export interface LoginRequest {
  email: string;
  password: string;
  workspace?: string;
}

/** Answer of `POST /api/v1/auth/login` and `GET /api/v1/me`. */
export interface MeView {
  operator: OperatorView;
  workspace: WorkspaceView;
  /** `GET /api/v1/me` carries it (login may not). */
  upload_limits?: UploadLimits;
}

/** `open` leaves snoozed dialogs out; `snoozed` lists only them. */
export type DialogStatusFilter = DialogStatus | 'snoozed' | 'all';
/** `any`, `mine`, `mine_or_unassigned`, `unassigned`, or an operator's id. */
export type AssigneeFilter = 'any' | 'mine' | 'mine_or_unassigned' | 'unassigned' | (string & {});
export type DialogSort = 'waiting' | 'activity' | 'due';

/** Answer of `GET /api/v1/dialogs/counts`. */
export interface DialogCounts {
  /** Open unassigned dialogs the operator sees. */
  queue: number;
  /** His open dialogs. */
  mine: number;
  /** His open dialogs whose last message is the visitor's. */
  unanswered_mine: number;
}

/** `POST /api/v1/dialogs/{id}/transfer`: exactly one of `operator_id`, `channel_id`. */
export interface TransferRequest {
  operator_id?: string;
  channel_id?: string;
  comment?: string;
}

export interface Items<T> {
  items: T[];
}

// ---- conversation tools -----------------------------------------------------------------

export type SavedReplyScope = 'personal' | 'channel' | 'workspace';

/** Bodies may hold `{visitor.name}`, `{visitor.first_name}`, `{operator.name}`, `{operator.first_name}`. */
export interface SavedReplyView {
  id: string;
  scope: SavedReplyScope;
  channel_id: string | null;
  owner_id: string | null;
  title: string;
  body: string;
}

export interface SavedReplyInput {
  scope: SavedReplyScope;
  channel_id?: string;
  title: string;
  body: string;
}

export interface SavedReplyPatch {
  title?: string;
  body?: string;
}

/** A dialog tag in the dictionary: never deleted, only archived. */
export interface TagView {
  id: string;
  name: string;
  archived: boolean;
}
export type CategoryView = TagView;

/** `PATCH /api/v1/tags/{id}` and `/categories/{id}`. */
export interface LabelPatch {
  name?: string;
  archived?: boolean;
}

export interface SearchHitMessage {
  seq: number;
  /** The matched words are marked with `[` and `]`. */
  snippet: string;
  created_at: string;
  audience: Audience;
}

export interface SearchHit {
  dialog: DialogView;
  match: 'message' | 'visitor';
  message: SearchHitMessage | null;
}

export interface VisitedPage {
  url: string;
  title: string | null;
  at: string;
}

export interface PastDialog {
  id: string;
  number: number;
  status: DialogStatus;
  created_at: string;
  closed_at: string | null;
  preview: string | null;
}

export interface VisitorCardView {
  id: string;
  number: number;
  name: string | null;
  email: string | null;
  phone: string | null;
  city: string | null;
  page_url: string | null;
  language: string | null;
  properties: Record<string, string>;
  first_seen_at: string;
  last_seen_at: string;
  /** Time on site is now − this. */
  visit_started_at: string | null;
  /** Newest first, at most 20. */
  pages: VisitedPage[];
  /** His other dialogs the caller sees, newest first. */
  dialogs: PastDialog[];
}

/** `PATCH /api/v1/dialogs/{id}/visitor` (and the widget's): `null` clears a field. */
export interface VisitorPatch {
  name?: string | null;
  email?: string | null;
  phone?: string | null;
}

/** One answer of the bulk close `POST /api/v1/dialogs/close`. */
export interface BulkCloseResult {
  id: string;
  ok: boolean;
  code?: string;
  message?: string;
}

// ---- widget: /widget/v1 -----------------------------------------------------------------

export interface WidgetSessionRequest {
  key: string;
  token?: string;
  page_url?: string;
  /** The page's title (the visitor card lists pages by title). */
  page_title?: string;
  /**
   * The embedding page's origin as the loader saw it. Not in docs/api.md; the server reads it
   * to check the site's allowed origins (the frame's own Origin header is Frontline's).
   */
  origin?: string;
  /** The visitor's browser language (`navigator.language`); routing rules may match it. */
  language?: string;
  /** What the page tells about the visitor, string → string (`{"city": "Москва"}`). */
  properties?: Record<string, string>;
}

/** The site as the widget sees it (the server sends `{name, workspace_name}`). */
export interface WidgetSiteView {
  name: string;
  workspace_name?: string;
}

/** What the widget knows of its current dialog (a subset of DialogView). */
export interface WidgetDialogView {
  id: string;
  number: number;
  status: DialogStatus;
  last_seq: number;
  /** `operator`: the widget asks for a rating; `auto`: it does not. */
  close_reason: CloseReason | null;
  rating: { score: number; comment: string | null } | null;
  /** The operators have read up to this `seq`. */
  operator_read_seq: number;
}

export interface WidgetSessionView {
  token: string;
  visitor: VisitorView;
  dialog: WidgetDialogView | null;
  site: WidgetSiteView;
  upload_limits?: UploadLimits;
  availability?: WidgetAvailability;
  /** Since his visit began (across pages). */
  time_on_site_seconds?: number;
  triggers?: WidgetTrigger[];
}

/** `POST …/messages` (console and widget). */
export interface SendRequest {
  client_id: string;
  body: string;
  /** Console only: an internal note, never sent to the visitor. */
  internal?: boolean;
  /** Upload ids (`POST …/uploads`); `body` may then be empty. */
  attachments?: string[];
  /** Widget only: the proactive message he answers (his new dialog starts with it). */
  trigger_id?: string;
}

/** `POST /widget/v1/rating`. */
export interface RatingRequest {
  dialog_id: string;
  score: number;
  comment?: string;
}

// ---- WebSocket frames (docs/protocol.md, version 1) -------------------------------------

export const PROTOCOL_VERSION = 1;

export interface SendFrame {
  type: 'send';
  client_id: string;
  body: string;
  /** Operators only. */
  dialog_id?: string;
}

export interface ResumeFrame {
  type: 'resume';
  after_seq: number;
  /** Operators only. */
  dialog_id?: string;
}

export interface PingFrame {
  type: 'ping';
}

/** Sent at most every 2 s while the person types (never for internal notes). */
export interface TypingClientFrame {
  type: 'typing';
  /** Operators only. */
  dialog_id?: string;
}

/** The same as `POST …/read`. */
export interface ReadFrame {
  type: 'read';
  seq: number;
  /** Operators only. */
  dialog_id?: string;
}

/** The widget socket's first frame: the visitor's token, so it is in no URL. */
export interface AuthFrame {
  type: 'auth';
  token: string;
}

export type ClientFrame = AuthFrame | SendFrame | ResumeFrame | PingFrame | TypingClientFrame | ReadFrame;

export interface HelloFrame {
  type: 'hello';
  protocol: number;
  visitor?: VisitorView;
  dialog?: WidgetDialogView | null;
}

export interface AckFrame {
  type: 'ack';
  client_id: string;
  message: MessageView;
  duplicate: boolean;
}

export interface ErrorFrame {
  type: 'error';
  code: string;
  message: string;
  client_id?: string | null;
  details?: Record<string, unknown> | null;
}

export interface MessageCreatedFrame {
  type: 'message.created';
  message: MessageView;
}

export interface DialogEventFrame {
  type: 'dialog.created' | 'dialog.updated' | 'dialog.closed' | 'dialog.waiting';
  dialog: DialogView;
}

export interface OperatorUpdatedFrame {
  type: 'operator.updated';
  operator: OperatorView;
}

/** Someone types in a dialog; show it for 5 s after the last one. */
export interface TypingFrame {
  type: 'typing';
  dialog_id: string;
  author: AuthorView;
}

/** The other side read the dialog up to `seq`. */
export interface DialogReadFrame {
  type: 'dialog.read';
  dialog_id: string;
  reader: 'visitor' | 'operator';
  seq: number;
}

/** Console only, to the mentioned operator: an internal note names him. */
export interface MentionFrame {
  type: 'mention';
  dialog: DialogView;
  message: MessageView;
}

export interface ResumedFrame {
  type: 'resumed';
  dialog_id: string | null;
  last_seq: number;
}

export interface ResyncFrame {
  type: 'resync';
  reason: string;
}

export interface PongFrame {
  type: 'pong';
}

export type ServerFrame =
  | HelloFrame
  | AckFrame
  | ErrorFrame
  | MessageCreatedFrame
  | DialogEventFrame
  | OperatorUpdatedFrame
  | TypingFrame
  | DialogReadFrame
  | MentionFrame
  | SlaBreachedFrame
  | ResumedFrame
  | ResyncFrame
  | PongFrame;

// ---- an operator's life: password, sessions, the audit log ----

/** `POST /api/v1/operators/{id}/password-reset`: the new password, shown this once. */
export interface PasswordResetView {
  operator: OperatorView;
  password: string;
}

/** One of the operator's live sessions (`GET /api/v1/me/sessions`). */
export interface SessionView {
  id: string;
  /** The session of this request. */
  current: boolean;
  created_at: string;
  last_seen_at: string;
  expires_at: string;
  ip: string | null;
  user_agent: string | null;
}

/** Who did something, or to whom, as the audit line recorded him. */
export interface AuditRef {
  id: string;
  name: string;
}

/**
 * A line of the audit log: `operator.created`, `operator.deactivated`, `operator.reactivated`,
 * `operator.role_changed` (details `{from, to}`), `operator.password_reset`,
 * `password.changed`, `login.failed` (details `{email}`, no actor).
 */
export interface AuditView {
  id: string;
  at: string;
  actor: AuditRef | null;
  action: string;
  target: AuditRef | null;
  ip: string | null;
  details: Record<string, unknown>;
}
