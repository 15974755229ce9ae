/**
 * Names for the HTTP API's types and the WebSocket's frames.
 *
 * Every wire type of the HTTP API is an alias of a schema of api-schema.gen.ts, which is
 * generated from the server's OpenAPI document (`npm run api-types`; `make api-types-check`
 * fails in CI when the two differ). Nothing here restates a field the document has: change
 * the server, regenerate, and the compiler names every place the change reaches.
 *
 * Written by hand, and only these:
 * - the values of fields the document types as a bare `string` although the server sends one
 *   of a few words (`DialogStatus`, `AuthorKind`, `Audience`…): for the code to compare with;
 *   the wire types keep `string`, so code must cope with a word it does not know (`oneOf`);
 * - a field narrowed to an enum the document has but the view does not name (`OperatorView`'s
 *   `role` is a `Role`), each with `Narrow`, which cannot widen a field or add one;
 * - what the document leaves open: a system line's `event` (`SystemEvent`, docs/api.md);
 * - the WebSocket frames (docs/protocol.md, version 1; the socket is not in the document),
 *   built from the generated views;
 * - generic helpers (`Page`, `Items`) and client-side constants.
 */
import type { components } from './api-schema.gen';

type Schemas = components['schemas'];

/**
 * `T` with the fields of `N` put in place of its own. Only for a field the document types as
 * `string` although the server's own enum for it is in the document too (`role` is a `Role`):
 * each such field is named where it is used, and the constraint lets `N` narrow a field, never
 * widen or add one. Drop the override once the server's schema names its enum.
 */
type Narrow<T, N extends { [K in keyof N]: K extends keyof T ? T[K] : never }> = {
  [K in keyof T]: K extends keyof N ? N[K] : T[K];
};

// ---- errors ----------------------------------------------------------------------------

/** Stable error codes of docs/api.md and docs/protocol.md. */
export type ErrorCode = Schemas['ErrorCode'];

/** The body of every refusal. */
export type ApiErrorBody = Schemas['ApiErrorBody'];

// ---- generic shapes ----------------------------------------------------------------------

/** A page of a cursor-paged list (`DialogPageView`, `MessagePageView`, `AuditPage`). */
export interface Page<T> {
  items: T[];
  next_cursor?: string | null;
}

/** A whole list (`ChannelList`, `OperatorList`, …). */
export interface Items<T> {
  items: T[];
}

// ---- the values of fields the document types as `string` ---------------------------------

/** `DialogView.status`, `WidgetDialogView.status`, `PastDialogView.status`. */
export type DialogStatus = 'open' | 'closed';
/** `AuthorView.kind`, `LastMessageView.author_kind`. */
export type AuthorKind = 'visitor' | 'operator' | 'system';
/** `MessageView.audience`, `MessageHitView.audience`. */
export type Audience = 'all' | 'operators';
/** Why a dialog was closed: by an operator (the visitor is asked for a rating) or by a timer. */
export type CloseReason = 'operator' | 'auto';
/** How a dialog began (`DialogView.origin`). */
export type DialogOrigin = 'visitor' | 'proactive' | 'offline';
/** `MessageView.automatic`: a line sent by itself in someone's name, not a reply. */
export type AutomaticKind = 'greeting' | 'prompt' | 'proactive';
/** `sla.breached`'s `target`; `SlaView.reply_target` is one of the first two. */
export type SlaTarget = 'first_reply' | 'next_reply' | 'resolution';
/** `AutoCloseView.action`. */
export type AutoCloseAction = 'prompt' | 'close';
/** `Availability.reason` when nobody answers. */
export type UnavailableReason = 'outside_hours' | 'nobody_online';

/** The values of the document's enums, for checking a word at run time (with `oneOf`). */
export {
  channelModeValues as CHANNEL_MODES,
  consoleLanguageValues as CONSOLE_LANGUAGES,
  offlinePolicyValues as OFFLINE_POLICIES,
  presenceValues as PRESENCES,
  replyScopeValues as REPLY_SCOPES,
  roleValues as ROLES,
  sortParamValues as DIALOG_SORTS,
  statusParamValues as DIALOG_STATUS_FILTERS,
  weekDayValues as WEEKDAYS,
} from './api-schema.gen';

/** `value` when it is one of `words`, else null: reads a field the document types as `string`. */
export function oneOf<T extends string>(value: string | null | undefined, words: readonly T[]): T | null {
  return words.find((w) => w === value) ?? null;
}

// ---- people and places --------------------------------------------------------------------

export type Role = Schemas['Role'];
export type Presence = Schemas['Presence'];
/** `role` and `presence` are a `string` in the document: narrowed to its `Role` and `Presence`. */
export type OperatorView = Narrow<Schemas['OperatorView'], { role: Role; presence: Presence }>;
export type WorkspaceView = Schemas['WorkspaceView'];
/** `name` is null until the visitor gives one; show "Visitor {number}" then. */
export type VisitorView = Schemas['VisitorView'];
/** The visitor as a dialog carries him. */
export type DialogVisitorView = DialogView['visitor'];
/** Who holds a dialog. */
export type AssigneeView = Schemas['AssigneeView'];
export type AuthorView = Schemas['AuthorView'];

// ---- dialogs and messages -------------------------------------------------------------------

/** A tag or a category as a dialog carries it. */
export type LabelRef = Schemas['LabelView'];
/** The visitor's rating of a closed dialog. */
export type RatingView = Schemas['RatingView'];
export type LastMessageView = Schemas['LastMessageView'];
export type SlaView = Schemas['SlaView'];
export type AutoCloseView = Schemas['AutoCloseView'];
export type DialogView = Schemas['DialogView'];
export type DialogPage = Schemas['DialogPageView'];

/** An uploaded file (`POST …/uploads`) and a file attached to a message: the same shape. */
export type AttachmentView = Schemas['AttachmentView'];
export type UploadView = AttachmentView;

/** The MIME types clients preview inline. */
export const IMAGE_TYPES: readonly string[] = ['image/png', 'image/jpeg', 'image/gif', 'image/webp'];

/** What uploads may be: `GET /api/v1/me` and the widget session answer carry it. */
export type UploadLimits = Schemas['UploadLimits'];

/**
 * An operator or a channel named in a system line. The server sends a bare name; the console
 * reads `{id, display_name}` (like `assignee`), `{id, name}` or a bare name alike (see
 * `refName` in names.ts).
 */
export type OperatorRef = AssigneeView | string;
export type ChannelRef = { id: string; name: string } | string;

/**
 * What a system line says (docs/api.md); clients word it in their own language. The document
 * types `MessageView.event` as any object, so readers check each field (system-lines.ts).
 */
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

/**
 * `audience = "operators"` never reaches the visitor (internal lines such as a transfer
 * comment); an internal note is `author.kind = "operator"` with `audience = "operators"`.
 */
export type MessageView = Schemas['MessageView'];
export type MessagePage = Schemas['MessagePageView'];
/** An earlier text of an edited message (`GET …/messages/{id}/edits`, oldest first). */
export type MessageEditView = Schemas['MessageEditView'];

/** `POST /api/v1/dialogs/{id}/messages`: text, files or both. */
export type SendRequest = Schemas['SendRequest'];
/** `POST /widget/v1/messages`: like the console's, no notes, and the proactive message he answers. */
export type WidgetSendRequest = Schemas['WidgetSendRequest'];

/** `open` leaves snoozed dialogs out; `snoozed` lists only them. */
export type DialogStatusFilter = Schemas['StatusParam'];
/** `any`, `mine`, `mine_or_unassigned`, `unassigned`, or an operator's id. */
export type AssigneeFilter = 'any' | 'mine' | 'mine_or_unassigned' | 'unassigned' | (Schemas['AssigneeFilter'] & {});
export type DialogSort = Schemas['SortParam'];

/** Answer of `GET /api/v1/dialogs/counts`. */
export type DialogCounts = Schemas['Counts'];

/** `POST /api/v1/dialogs/{id}/transfer`: exactly one of `operator_id`, `channel_id`. */
export type TransferRequest = Schemas['TransferRequest'];

/** One answer of the bulk close `POST /api/v1/dialogs/close`. */
export type BulkCloseResult = Schemas['BulkResult'];

// ---- channels, routing, sites --------------------------------------------------------------

export type ChannelMode = Schemas['ChannelMode'];
export type OfflinePolicy = Schemas['OfflinePolicy'];
/** `mode` and `offline_policy` are a `string` in the document: narrowed to its enums. */
export type ChannelView = Narrow<Schemas['ChannelView'], { mode: ChannelMode; offline_policy: OfflinePolicy }>;
/** `PATCH /api/v1/channels/{id}`: only the fields given change. */
export type ChannelPatch = Schemas['ChannelPatchRequest'];

export type Condition = Schemas['ConditionView'];
export type ConditionType = Condition['type'];
export type RoutingRuleView = Schemas['RoutingRuleView'];
/** One rule of `PUT /api/v1/routing-rules` (the whole ordered list). */
export type RoutingRuleInput = Schemas['RoutingRuleInput'];

export type SiteView = Schemas['SiteView'];
/** `PATCH /api/v1/sites/{id}`: the origins whose pages may embed the widget. */
export type SitePatch = Schemas['SitePatchRequest'];

// ---- automation (issue 5, docs/api.md "Automation") ----------------------------------------

export type Weekday = Schemas['WeekDay'];
export type OpenInterval = Schemas['IntervalDoc'];
export type BusinessHoursDoc = Schemas['HoursDoc'];
export type SlaDoc = Schemas['SlaDoc'];
export type AutoCloseDoc = Schemas['AutoCloseDoc'];
export type PromptDoc = Schemas['PromptDoc'];
export type OfflineDoc = Schemas['OfflineDoc'];
export type PersonaDoc = Schemas['PersonaDoc'];
/** A channel's automation document, as `GET` answers and `PUT` takes it. */
export type AutomationView = Schemas['AutomationDoc'];

export type TriggerView = Schemas['TriggerView'];
/** `PATCH /api/v1/triggers/{id}`: the fields to change. */
export type TriggerInput = Schemas['TriggerInput'];
/** `POST /api/v1/triggers`: a name and a message; the rest takes its defaults. */
export type NewTriggerRequest = Schemas['NewTriggerRequest'];

// ---- operators, the console's own: /api/v1 -------------------------------------------------

/** `PATCH /api/v1/operators/{id}` (admins): at least one of the two. */
export type OperatorPatch = Schemas['OperatorPatchRequest'];
/** `POST /api/v1/operators` (admins). */
export type NewOperatorRequest = Schemas['NewOperatorRequest'];

export type LoginRequest = Schemas['LoginRequest'];
/** Answer of `POST /api/v1/auth/login`, `GET /api/v1/me` and `PATCH /api/v1/me`. */
export type MeView = Narrow<Schemas['MeResponse'], { operator: OperatorView; profile: ProfileView }>;

/** Slots of Ctrl+1…Ctrl+9: nine saved-reply ids or null each. */
export const SHORTCUT_SLOTS = 9;

/** The console languages an operator may choose. */
export type ConsoleLanguage = Schemas['ConsoleLanguage'];
/** The operator's own settings kept on the server; `language` narrowed to `ConsoleLanguage`. */
export type ProfileView = Narrow<Schemas['ProfileView'], { language?: ConsoleLanguage | null }>;
/** `PATCH /api/v1/me`: any of the three. */
export type MePatch = Schemas['MePatchRequest'];

/** `POST /api/v1/operators/{id}/password-reset`: the new password, shown this once. */
export type PasswordResetView = Narrow<Schemas['PasswordResetView'], { operator: OperatorView }>;
/** One of the operator's live sessions (`GET /api/v1/me/sessions`). */
export type SessionView = Schemas['SessionView'];
/** `POST /api/v1/me/sessions/end-others`. */
export type EndedSessions = Schemas['EndedSessions'];
/** Who did something, or to whom, as the audit line recorded him. */
export type AuditRef = Schemas['AuditRef'];
/**
 * A line of the audit log: `operator.created`, `operator.deactivated`, `operator.reactivated`,
 * `operator.role_changed` (details `{from, to}`), `operator.password_reset`,
 * `password.changed`, `login.failed` (details `{email}`, no actor).
 */
export type AuditView = Schemas['AuditView'];
export type AuditPage = Schemas['AuditPage'];

// Webhooks (admins).
export type WebhookEndpointView = Schemas['WebhookEndpointView'];
export type DeliveryStatus = Schemas['DeliveryStatus'];
export type DeliveryView = Schemas['DeliveryView'];
export type AttemptView = Schemas['AttemptView'];
export type CatalogueEntry = Schemas['CatalogueEntry'];
export type WebhookCreateRequest = Schemas['WebhookCreateRequest'];
export type WebhookPatchRequest = Schemas['WebhookPatchRequest'];
export type WebhookCreated = Schemas['WebhookCreated'];
export type WebhookRotated = Schemas['WebhookRotated'];
export type DeliveryPage = Schemas['DeliveryPage'];
export type DeliveryDetail = Schemas['DeliveryDetail'];

// Web API keys (admins): a site's backend sends its users' data with one.
export type ApiKeyView = Schemas['ApiKeyView'];
export type ApiScope = Schemas['ApiScope'];
export type ApiKeyRequest = Schemas['ApiKeyRequest'];
/** A new key and its secret, shown this once. */
export type ApiKeyCreated = Schemas['ApiKeyCreated'];

// ---- conversation tools -------------------------------------------------------------------

export type SavedReplyScope = Schemas['ReplyScope'];
/**
 * Bodies may hold `{visitor.name}`, `{visitor.first_name}`, `{operator.name}`,
 * `{operator.first_name}`. `scope` is a `string` in the document: narrowed to its `ReplyScope`.
 */
export type SavedReplyView = Narrow<Schemas['SavedReplyView'], { scope: SavedReplyScope }>;
export type SavedReplyInput = Schemas['NewSavedReply'];
export type SavedReplyPatch = Schemas['SavedReplyPatch'];

/** A dialog tag in the dictionary: never deleted, only archived. */
export type TagView = Schemas['EntryView'];
export type CategoryView = TagView;
/** `PATCH /api/v1/tags/{id}` and `/categories/{id}`. */
export type LabelPatch = Schemas['EntryPatch'];

export type SearchHitMessage = Schemas['MessageHitView'];
export type SearchHit = Schemas['SearchHit'];

export type VisitedPage = Schemas['PageViewView'];
export type PastDialog = Schemas['PastDialogView'];
export type VisitorCardView = Schemas['VisitorCardView'];
/** One attribute the site told about the visitor; `kind` is `text`, `number`, `boolean` or `date` (a `string` in the document). */
export type AttributeView = Schemas['AttributeView'];
/** How many times the visitor did an event, first and last. */
export type EventCountView = Schemas['EventCountView'];
/** One event the visitor did (the card's latest ones). */
export type VisitorEventView = Schemas['VisitorEventView'];
/** `POST /api/v1/dialogs/{id}/visitor/tags`: visitor tags to add and remove (not the dialog's tags). */
export type VisitorTagsChange = Schemas['TagsChange'];
/** Its answer: all his tags after the change, lower-cased and sorted. */
export type VisitorTagsView = Schemas['VisitorTags'];

// ---- custom fields (docs/api.md "Custom fields") -------------------------------------------

/** A custom field an admin defined, as `GET /api/v1/fields` lists it (archived ones too). */
export type CustomFieldView = Schemas['FieldView'];
/** `POST /api/v1/fields` and `PATCH /api/v1/fields/{id}` (key, target and kind are fixed once made). */
export type CustomFieldInput = Schemas['FieldInput'];
export type FieldTarget = Schemas['FieldTarget'];
export type FieldKind = Schemas['FieldKind'];
export type FieldFormat = Schemas['FieldFormat'];
/** Before a dialog of which channels or categories closes the field must hold a value. */
export type FieldRequired = Schemas['Required'];
/** `PUT /api/v1/dialogs/{id}/fields` and `…/visitor/fields`: `{key: value}`, `null` clears. */
export type FieldValuesRequest = Schemas['ValuesRequest'];

// ---- escalation forms ----------------------------------------------------------------------

/** A field of an escalation form (`FormView.fields`, `FormRequestView.fields`). */
export type FormFieldView = Schemas['FormFieldView'];
/** A form as the API shows it. */
export type FormView = Schemas['FormView'];
/** A form as admins write it (`POST` and `PUT` take it whole). */
export type FormInput = Schemas['FormInput'];
/** A form sent into a dialog, with `answers` once the visitor filled it. */
export type FormRequestView = Schemas['FormRequestView'];

/** Why an operator complains about a visitor (issue 16): `spam`, `abuse` or `other`. */
export type ComplaintReason = Schemas['ComplaintReason'];
/** `POST /api/v1/dialogs/{id}/complaints`. */
export type ComplaintRequest = Schemas['ComplaintRequest'];
/** A complaint as admins review it; `status` is `open`, `blocked` or `dismissed` (a `string` in the document). */
export type ComplaintView = Schemas['ComplaintView'];
/** `POST /api/v1/complaints/{id}/decision`: `block` (with an optional `ip_range`) or `dismiss`. */
export type DecisionRequest = Schemas['DecisionRequest'];
/** `POST /api/v1/dialogs/{id}/block`. */
export type BlockRequest = Schemas['BlockRequest'];
/** A block: live while `lifted_at` is null. */
export type BlockView = Schemas['BlockView'];
/** Who a complaint or block is about. */
export type VisitorRef = Schemas['VisitorRef'];
/** `PATCH /api/v1/dialogs/{id}/visitor` (and the widget's): `null` or blank clears a field. */
export type VisitorPatch = Schemas['ProfileRequest'];

// ---- widget: /widget/v1 -------------------------------------------------------------------

export type WidgetSessionRequest = Schemas['SessionRequest'];
/** The site as the widget sees it. */
export type WidgetSiteView = Schemas['SiteInfo'];
/** What the widget knows of its current dialog (a subset of DialogView). */
export type WidgetDialogView = Schemas['WidgetDialogView'];
export type WidgetSessionView = Schemas['SessionResponse'];
/** Whether someone answers now, for the channel the visitor's new dialog would go to. */
export type WidgetAvailability = Schemas['Availability'];
/** A proactive message the widget may show once the visitor has been on the site long enough. */
export type WidgetTrigger = Schemas['WidgetTrigger'];
/** `POST /widget/v1/triggers/{id}/shown`. */
export type ShownView = Schemas['ShownView'];
/** `POST /widget/v1/offline`: a name, an e-mail or a phone (one not blank), the question. */
export type OfflineRequest = Schemas['OfflineRequest'];
export type OfflineAnswer = Schemas['OfflineAnswer'];
/** `POST /widget/v1/rating`. */
export type RatingRequest = Schemas['RatingRequest'];

// ---- WebSocket frames (docs/protocol.md, version 1) -------------------------------------
// The socket is not in the OpenAPI document: these follow crates/http/src/ws.rs (the frames it
// writes) and crates/core/src/views.rs `enum Event` (the events it forwards), with the
// generated views inside. `access.changed` never reaches a client: a socket turns it into
// `resync` with reason `access_changed`.

export const PROTOCOL_VERSION = 1;

export interface SendFrame {
  type: 'send';
  client_id: string;
  body: string;
  /** Operators only. */
  dialog_id?: string;
  /** Operators only: why he sends past a quality-guard block that allows it (1–500 characters). */
  guard_override?: string;
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

/** The console socket's first frame. */
export interface HelloFrame {
  type: 'hello';
  protocol: number;
}

/** The widget socket's first frame after `auth`: who he is and his current dialog. */
export interface WidgetHelloFrame extends HelloFrame {
  visitor: VisitorView;
  dialog: WidgetDialogView | null;
}

export interface AckFrame {
  type: 'ack';
  client_id: string;
  message: MessageView;
  duplicate: boolean;
}

/** A frame was refused (nothing stored); `client_id` names the `send` it answers. */
export interface ErrorFrame {
  type: 'error';
  code: ErrorCode;
  message: string;
  client_id: string | null;
  details: ApiErrorBody['details'] | null;
}

export interface MessageCreatedFrame {
  type: 'message.created';
  message: MessageView;
}

/**
 * Console only: a message was edited where its author wrote it (Telegram): the message as it
 * is now, same `id` and `seq`, the new `body` and `edited_at`.
 */
export interface MessageUpdatedFrame {
  type: 'message.updated';
  message: MessageView;
}

/** Console only: a dialog the operator sees began, changed, closed or waits too long. */
export interface DialogEventFrame {
  type: 'dialog.created' | 'dialog.updated' | 'dialog.closed' | 'dialog.waiting';
  dialog: DialogView;
}

/** Widget only: his dialog closed (`close_reason` tells whether to ask for a rating). */
export interface WidgetDialogClosedFrame {
  type: 'dialog.closed';
  dialog: WidgetDialogView;
}

/** Console only, to every operator of the workspace. */
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

/** Console only, to the mentioned operator (`operator_id`): an internal note names him. */
export interface MentionFrame {
  type: 'mention';
  operator_id: string;
  dialog: DialogView;
  message: MessageView;
}

/** Console only: a target passed unmet (supervisors, admins, the assignee). */
export interface SlaBreachedFrame {
  type: 'sla.breached';
  dialog: DialogView;
  target: SlaTarget;
  due_at: string;
}

/** A webhook endpoint kept failing for five days and was switched off (admins, supervisors). */
export interface WebhookDisabledFrame {
  type: 'webhook.disabled';
  endpoint_id: string;
  url: string;
}

/** The end of a `resume` answer. */
export interface ResumedFrame {
  type: 'resumed';
  dialog_id: string | null;
  last_seq: number;
}

/**
 * Reload over REST: the socket fell behind (`lagged`), its node lost the bus and got it back
 * (`bus_reconnected`), a `resume` reached too far back (`too_far_behind`), or the operator's
 * role or channels changed (`access_changed`, console only).
 */
export interface ResyncFrame {
  type: 'resync';
  reason: 'lagged' | 'bus_reconnected' | 'too_far_behind' | 'access_changed';
}

export interface PongFrame {
  type: 'pong';
}

/** What the console's socket (`/api/v1/ws`) sends. */
export type ConsoleFrame =
  | HelloFrame
  | AckFrame
  | ErrorFrame
  | MessageCreatedFrame
  | MessageUpdatedFrame
  | DialogEventFrame
  | OperatorUpdatedFrame
  | TypingFrame
  | DialogReadFrame
  | MentionFrame
  | SlaBreachedFrame
  | WebhookDisabledFrame
  | ResumedFrame
  | ResyncFrame
  | PongFrame;

/** What the widget's socket (`/widget/v1/ws`) sends. */
export type WidgetFrame =
  | WidgetHelloFrame
  | AckFrame
  | ErrorFrame
  | MessageCreatedFrame
  | WidgetDialogClosedFrame
  | TypingFrame
  | DialogReadFrame
  | ResumedFrame
  | ResyncFrame
  | PongFrame;

/** Any frame a server socket sends. */
export type ServerFrame = ConsoleFrame | WidgetFrame;
