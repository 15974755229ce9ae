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
  | 'rate_limited'
  | 'unavailable'
  | 'internal'
  | 'unknown_frame'
  | 'bad_frame';

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

export interface OperatorView {
  id: string;
  email: string;
  display_name: string;
  role: Role;
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
}

export type AuthorKind = 'visitor' | 'operator' | 'system';
export type DialogStatus = 'open' | 'closed';

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
  visitor: VisitorView;
  last_seq: number;
  unread_count: number;
  last_message: LastMessageView | null;
  created_at: string;
  updated_at: string;
  closed_at: string | null;
}

export interface AuthorView {
  kind: AuthorKind;
  id: string | null;
  /** The operator's display name for operators; the visitor's name (or null) for visitors. */
  name: string | null;
}

export interface MessageView {
  id: string;
  dialog_id: string;
  seq: number;
  client_id: string | null;
  author: AuthorView;
  body: string;
  created_at: string;
}

export interface ChannelView {
  id: string;
  name: string;
  is_default: boolean;
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
}

export type DialogStatusFilter = DialogStatus | 'all';

// ---- widget: /widget/v1 -----------------------------------------------------------------

export interface WidgetSessionRequest {
  key: string;
  token?: string;
  page_url?: string;
  /**
   * The embedding page's origin as the loader saw it. Not in docs/api.md; the server reads it
   * to check the site's allowed origins (the frame's own Origin header is Frontline's).
   */
  origin?: string;
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
}

export interface WidgetSessionView {
  token: string;
  visitor: VisitorView;
  dialog: WidgetDialogView | null;
  site: WidgetSiteView;
}

export interface SendRequest {
  client_id: string;
  body: string;
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

export type ClientFrame = SendFrame | ResumeFrame | PingFrame;

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
  type: 'dialog.created' | 'dialog.updated' | 'dialog.closed';
  dialog: DialogView;
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
  | ResumedFrame
  | ResyncFrame
  | PongFrame;
