/**
 * A WebSocket that comes back: reconnects with exponential backoff (capped at 10 s, with
 * jitter so a restarted server is not hit by every client at once), pings to notice a dead
 * link, and tells its owner each time it is open again so the owner can `resume`.
 * It knows nothing about dialogs; the owner decides what to send on open.
 */
import type { ClientFrame, ServerFrame } from './api-types';

export type SocketStatus = 'connecting' | 'open' | 'closed';

/**
 * `F`: the frames this socket's server sends (`ConsoleFrame` or `WidgetFrame`), taken on the
 * server's word: the socket checks only that a frame is an object with a `type`.
 */
export interface SocketOptions<F extends { type: string } = ServerFrame> {
  /** Called before each connection attempt, so a token or host change is picked up. */
  url: () => string;
  /** The socket is open (first time or again): send `resume` frames here. */
  onOpen: (reconnected: boolean) => void;
  onFrame: (frame: F) => void;
  onStatus?: (status: SocketStatus) => void;
  /** A connection attempt failed or an open socket was lost; `attempt` counts failures in a row. */
  onDrop?: (attempt: number) => void;
  WebSocketImpl?: typeof WebSocket;
  initialDelayMs?: number;
  maxDelayMs?: number;
  /** How often to send `ping`; a socket silent for three periods is dropped and redialled. */
  pingEveryMs?: number;
}

/** Delay before reconnect attempt `attempt` (0-based): 0.5 s, 1 s, 2 s … capped, ±20 % jitter. */
export function backoffDelay(attempt: number, random = Math.random, initialMs = 500, maxMs = 10_000): number {
  const base = Math.min(maxMs, initialMs * 2 ** Math.min(attempt, 20));
  const jitter = 0.8 + 0.4 * random();
  return Math.min(maxMs, Math.round(base * jitter));
}

/** A JSON object with a string `type`: the one check made before a frame is handed on as `F`. */
function isFrame<F extends { type: string }>(value: unknown): value is F {
  return typeof value === 'object' && value !== null && 'type' in value && typeof value.type === 'string';
}

/** Builds a ws: or wss: URL for a path on the given http(s) origin. */
export function wsUrl(origin: string, path: string): string {
  return origin.replace(/^http/, 'ws') + path;
}

export class ReconnectingSocket<F extends { type: string } = ServerFrame> {
  private ws: WebSocket | null = null;
  private stopped = true;
  private failures = 0;
  private everOpened = false;
  private retryTimer: ReturnType<typeof setTimeout> | undefined;
  private pingTimer: ReturnType<typeof setInterval> | undefined;
  private lastHeard = 0;
  private status: SocketStatus = 'closed';

  constructor(private readonly options: SocketOptions<F>) {}

  get state(): SocketStatus {
    return this.status;
  }

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    if (typeof window !== 'undefined') {
      window.addEventListener('online', this.onOnline);
      window.addEventListener('offline', this.onOffline);
    }
    this.connect();
  }

  stop(): void {
    this.stopped = true;
    if (typeof window !== 'undefined') {
      window.removeEventListener('online', this.onOnline);
      window.removeEventListener('offline', this.onOffline);
    }
    clearTimeout(this.retryTimer);
    clearInterval(this.pingTimer);
    const ws = this.ws;
    this.ws = null;
    if (ws) {
      ws.onopen = ws.onclose = ws.onmessage = ws.onerror = null;
      ws.close();
    }
    this.setStatus('closed');
  }

  /** Sends a frame if the socket is open; returns false otherwise (the caller keeps it pending). */
  send(frame: ClientFrame): boolean {
    const ws = this.ws;
    if (!ws || ws.readyState !== 1) return false;
    ws.send(JSON.stringify(frame));
    return true;
  }

  /** Drops the current connection and dials again at once (e.g. the browser is back online). */
  reconnectNow(): void {
    if (this.stopped) return;
    if (this.status === 'open') return;
    clearTimeout(this.retryTimer);
    this.failures = 0;
    this.teardown();
    this.connect();
  }

  /** Back online: dial at once instead of waiting out the backoff. */
  private readonly onOnline = () => this.reconnectNow();

  /**
   * The browser says the network is gone. A socket may not notice for minutes (no FIN ever
   * arrives), so drop it now and let the backoff and `online` bring it back.
   */
  private readonly onOffline = () => {
    if (this.stopped || !this.ws) return;
    this.teardown();
    this.scheduleRetry();
  };

  private setStatus(status: SocketStatus): void {
    if (status === this.status) return;
    this.status = status;
    this.options.onStatus?.(status);
  }

  private connect(): void {
    if (this.stopped) return;
    this.setStatus('connecting');
    const Impl = this.options.WebSocketImpl ?? WebSocket;
    let ws: WebSocket;
    try {
      ws = new Impl(this.options.url());
    } catch {
      this.scheduleRetry();
      return;
    }
    this.ws = ws;
    let openedAt = 0;
    ws.onopen = () => {
      openedAt = Date.now();
      this.lastHeard = openedAt;
      this.setStatus('open');
      this.startPing();
      const reconnected = this.everOpened;
      this.everOpened = true;
      this.options.onOpen(reconnected);
    };
    ws.onmessage = (event: MessageEvent) => {
      this.lastHeard = Date.now();
      let frame: unknown;
      try {
        frame = JSON.parse(String(event.data));
      } catch {
        return;
      }
      if (isFrame<F>(frame)) this.options.onFrame(frame);
    };
    ws.onclose = () => {
      if (this.ws !== ws) return;
      // A connection that stayed up a while was healthy: the backoff starts anew. One that the
      // server closes at once (refused token, restart loop) keeps backing off.
      if (openedAt && Date.now() - openedAt > 5_000) this.failures = 0;
      this.teardown();
      this.scheduleRetry();
    };
    ws.onerror = () => {
      // onclose follows and does the work.
    };
  }

  private teardown(): void {
    clearInterval(this.pingTimer);
    const ws = this.ws;
    this.ws = null;
    if (ws) {
      ws.onopen = ws.onclose = ws.onmessage = ws.onerror = null;
      try {
        ws.close();
      } catch {
        // already closed
      }
    }
  }

  private scheduleRetry(): void {
    if (this.stopped) return;
    this.setStatus('closed');
    const attempt = this.failures++;
    this.options.onDrop?.(this.failures);
    const delay = backoffDelay(attempt, Math.random, this.options.initialDelayMs, this.options.maxDelayMs);
    clearTimeout(this.retryTimer);
    this.retryTimer = setTimeout(() => this.connect(), delay);
  }

  private startPing(): void {
    clearInterval(this.pingTimer);
    const every = this.options.pingEveryMs ?? 25_000;
    this.pingTimer = setInterval(() => {
      if (Date.now() - this.lastHeard > every * 3) {
        const ws = this.ws;
        this.teardown();
        if (ws) this.scheduleRetry();
        return;
      }
      this.send({ type: 'ping' });
    }, every);
  }
}
