/** Builders for API shapes and a scriptable fake WebSocket, for unit tests. */
import type {
  AutomationView,
  ChannelView,
  DeliveryView,
  DialogView,
  MeView,
  MessageView,
  OperatorView,
  SlaView,
  SystemEvent,
  TriggerView,
  WebhookEndpointView,
} from '../shared/api-types';
import { DEFAULT_AUTOMATION } from '../console/admin/automation';

/** The author id of a system line (the server's nil UUID). */
export const NIL_ID = '00000000-0000-0000-0000-000000000000';

export function message(seq: number, over: Partial<MessageView> = {}): MessageView {
  return {
    id: `m-${over.dialog_id ?? 'd1'}-${seq}`,
    dialog_id: 'd1',
    seq,
    client_id: `c-${over.dialog_id ?? 'd1'}-${seq}`,
    author: { kind: 'visitor', id: 'v1', name: null },
    body: `message ${seq}`,
    created_at: new Date(Date.UTC(2026, 0, 1, 12, 0, seq)).toISOString(),
    audience: 'all',
    event: null,
    attachments: [],
    mentions: [],
    ...over,
  };
}

/** A system line (empty body, an `event`), by default for operators only. */
export function systemMessage(seq: number, event: SystemEvent, over: Partial<MessageView> = {}): MessageView {
  return message(seq, {
    author: { kind: 'system', id: NIL_ID, name: null },
    body: '',
    event,
    audience: event.kind === 'transfer_notice' ? 'all' : 'operators',
    ...over,
  });
}

export function operatorMessage(seq: number, over: Partial<MessageView> = {}): MessageView {
  return message(seq, { author: { kind: 'operator', id: 'op1', name: 'Анна' }, ...over });
}

export function dialog(id: string, over: Partial<DialogView> = {}): DialogView {
  return {
    id,
    number: 1,
    status: 'open',
    channel_id: 'c1',
    visitor: { id: `v-${id}`, number: 42, name: null, city: null, page_url: null, source: 'widget' },
    last_seq: 0,
    unread_count: 0,
    last_message: null,
    created_at: '2026-01-01T10:00:00Z',
    updated_at: '2026-01-01T10:00:00Z',
    closed_at: null,
    assignee: null,
    assigned_at: null,
    routed_by: null,
    pending_count: 0,
    waiting_since: null,
    queued_at: null,
    waiting_alert: false,
    tags: [],
    category: null,
    fields: {},
    snoozed_until: null,
    close_reason: null,
    previous_dialog_id: null,
    visitor_read_seq: 0,
    operator_read_seq: 0,
    rating: null,
    origin: 'visitor',
    tone: 0,
    ...over,
  };
}

export function operator(id: string, over: Partial<OperatorView> = {}): OperatorView {
  return {
    id,
    email: `${id}@example.com`,
    display_name: id,
    role: 'operator',
    capacity: 5,
    presence: 'online',
    active_dialogs: 0,
    deactivated: false,
    ...over,
  };
}

export function channel(id: string, over: Partial<ChannelView> = {}): ChannelView {
  return {
    id,
    name: id,
    is_default: false,
    mode: 'queue',
    greeting: 'Здравствуйте!',
    wait_alert_seconds: 120,
    offline_policy: 'return',
    online_members: 1,
    require_category: false,
    reopen_window_minutes: 60,
    ...over,
  };
}

/** `GET /api/v1/me` of operator `me`: no language chosen, no pins, mail while away on (the default). */
export function meView(over: Partial<MeView> = {}): MeView {
  return {
    operator: operator('me'),
    workspace: { id: 'w', name: 'Кухни', slug: 'kitchens' },
    profile: { language: null, notify_by_mail: true, shortcuts: Array.from({ length: 9 }, () => null) },
    upload_limits: { max_bytes: 10 * 1024 * 1024, max_files: 5, types: ['image/png', 'image/jpeg', 'application/pdf'] },
    ...over,
  };
}

/** A dialog's SLA with a first reply due at `reply_due_at` (nothing breached). */
export function sla(reply_due_at: string | null, over: Partial<SlaView> = {}): SlaView {
  return {
    reply_target: reply_due_at ? 'first_reply' : null,
    reply_due_at,
    reply_breached: false,
    resolution_due_at: null,
    resolution_breached: false,
    ...over,
  };
}

/** A channel's automation document with the documented defaults, parts replaced by `over`. */
export function automation(over: Partial<AutomationView> = {}): AutomationView {
  return { ...structuredClone(DEFAULT_AUTOMATION), ...over };
}

export function trigger(id: string, over: Partial<TriggerView> = {}): TriggerView {
  return {
    id,
    name: `trigger ${id}`,
    message: 'Подсказать с выбором?',
    enabled: true,
    time_on_site_seconds: 25,
    conditions: [],
    period_hours: 24,
    created_at: '2026-01-01T10:00:00Z',
    ...over,
  };
}

/** A WebSocket stand-in: tests open it, push frames into it and read what the client sent. */
export class FakeSocket {
  static instances: FakeSocket[] = [];
  static last(): FakeSocket {
    return FakeSocket.instances[FakeSocket.instances.length - 1];
  }
  readyState = 0;
  sent: unknown[] = [];
  onopen: (() => void) | null = null;
  onclose: (() => void) | null = null;
  onmessage: ((e: { data: string }) => void) | null = null;
  onerror: (() => void) | null = null;

  constructor(readonly url: string) {
    FakeSocket.instances.push(this);
  }
  send(data: string) {
    this.sent.push(JSON.parse(data));
  }
  close() {
    this.readyState = 3;
  }
  // test side
  open() {
    this.readyState = 1;
    this.onopen?.();
  }
  push(frame: unknown) {
    this.onmessage?.({ data: JSON.stringify(frame) });
  }
  drop() {
    this.readyState = 3;
    this.onclose?.();
  }
  sentOfType(type: string): Record<string, unknown>[] {
    return (this.sent as Record<string, unknown>[]).filter((f) => f.type === type);
  }
}

/** A webhook endpoint subscribed to `message.created`, on and healthy. */
export function webhookEndpoint(id: string, over: Partial<WebhookEndpointView> = {}): WebhookEndpointView {
  return {
    id,
    url: `https://crm.example.com/hooks/${id}`,
    description: `CRM ${id}`,
    events: ['message.created'],
    enabled: true,
    disabled_reason: null,
    failing_since: null,
    created_at: '2026-03-01T10:00:00Z',
    updated_at: '2026-03-01T10:00:00Z',
    previous_secret_until: null,
    ...over,
  };
}

/** A delivered `message.created`, answered 200 at its first attempt. */
export function webhookDelivery(id: string, over: Partial<DeliveryView> = {}): DeliveryView {
  return {
    id,
    webhook_id: `msg_${id}`,
    event_kind: 'message.created',
    event_id: `ev_${id}`,
    status: 'delivered',
    attempts: 1,
    next_attempt_at: null,
    created_at: '2026-03-01T10:00:00Z',
    last_attempt: { attempt: 1, at: '2026-03-01T10:00:01Z', status_code: 200, response_excerpt: 'ok', latency_ms: 84, error: null },
    ...over,
  };
}
