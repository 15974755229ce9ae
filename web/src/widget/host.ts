/**
 * The frame's side of the page's JavaScript API (docs/widget.md): which chat the window shows,
 * and what the page asks of it through the bridge.
 *
 * - The session opens when the page says `start` (after it passed whatever was asked before
 *   the frame was ready: an identify, attributes, events), so a page that names its user at
 *   once never opens an anonymous session first. A frame on its own starts at once.
 * - One chat is one visitor. An identify of another user, or a reset, stops the chat and puts
 *   a new one in its place (`generation` grows, the window is drawn anew): nothing of the
 *   previous visitor stays on screen, and nothing the old chat still awaits can reach the new.
 * - Attributes and events wait until the chat's session is open, then go in few requests:
 *   attributes merged into one, events in batches of at most 100.
 * - What the page hears: `started {user}` once a session is open, `message` for each new
 *   operator message, `unread`, and `error` for a refused identify, refused calls and a chat
 *   that could not start.
 * - A blocked visitor (`visitor_blocked`, at the session or on any later call): the page hears
 *   `blocked {message}` once (and no `error` of its own: the loader makes that event) and the
 *   frame goes quiet until the page is loaded again: no new chat, no request, whatever the page
 *   asks. Only a `reset` still does its part here, forgetting the tokens; otherwise they stay,
 *   so a lifted block is his chat again on the next page load.
 */
import { ApiError } from '../shared/api';
import type { WidgetTrigger } from '../shared/api-types';
import { blockCode, MAX_MESSAGE_TEXT, type AttributeValue, type FrameMessage, type PageMessage, type PropertyValue } from '../shared/bridge';
import { Observable } from '../shared/store';
import { STOPPING, type PageError, type WidgetChat } from './chat';
import type { PageUser, TokenStore } from './identity';

/** Calls this close together go in one request. */
export const BATCH_MS = 50;
/** The most events in one request (the server's limit). */
export const MAX_BATCH = 100;
/** The most events held while the session is not open; more are dropped. */
export const MAX_QUEUED = 1000;
/** How long a frame in a page waits for the page's `start` before it opens the session anyway. */
export const START_WAIT_MS = 5000;
/** The longest operator message text the page is told. */
export { MAX_MESSAGE_TEXT };

export interface HostDeps {
  /** A new chat, as `user` (null: anonymous), not started yet. */
  make(user: PageUser | null): WidgetChat;
  /** To the page (a no-op when the frame is opened on its own). */
  send(message: FrameMessage): void;
  tokens: TokenStore;
}

type PageEvent = { name: string; properties: Record<string, PropertyValue> };

export class FrameHost extends Observable {
  /** The chat the window shows. */
  chat: WidgetChat;
  /** Grows with each new chat: the window is drawn anew for it. */
  generation = 0;
  /** A proactive message showed while the visitor is not looking (main.tsx makes it a teaser). */
  onProactive: (trigger: WidgetTrigger) => void = () => {};
  /** The server refused the visitor: the frame asks nothing more of it until the page loads again. */
  blocked: PageError | null = null;
  private user: PageUser | null = null;
  private started = false;
  private watching = false;
  /** Whether the page was told the current chat's session is open. */
  private announced = false;
  /** The failure of the current chat the page was told of (told once, again after a success). */
  private toldFailure: string | null = null;
  private attributes: Record<string, AttributeValue> | null = null;
  private events: PageEvent[] = [];
  private timer: ReturnType<typeof setTimeout> | null = null;
  private unsubscribe: () => void = () => {};

  constructor(private readonly deps: HostDeps) {
    super();
    // Shown as "loading" until the page says start; never started itself.
    this.chat = this.wire(deps.make(null));
  }

  /** A message from the page, checked by the bridge. */
  receive(message: PageMessage): void {
    if (this.blocked) {
      // Nothing goes to the server any more; a signed-out user's tokens are still forgotten.
      if (message.type === 'reset') this.deps.tokens.forgetAll();
      return;
    }
    switch (message.type) {
      case 'start':
        return this.start();
      case 'identify':
        return this.identify(message.hash ? { id: message.id, hash: message.hash } : { id: message.id });
      case 'reset':
        return this.reset();
      case 'attributes':
        return this.setAttributes(message.attributes);
      case 'track':
        return this.track(message.name, message.properties);
      case 'panel':
        return;
    }
  }

  /** Opens the session (once): as the user the page named, else anonymously. */
  start(): void {
    if (this.started) return;
    this.started = true;
    this.replace();
  }

  /** The page names its signed-in user: a new chat as him, unless the chat is his already. */
  identify(user: PageUser): void {
    this.user = user;
    if (!this.started) return;
    const chat = this.chat;
    const asked = chat.params.user;
    if (chat.phase === 'ready' && chat.identifiedAs === user.id) return;
    if (chat.phase === 'loading' && asked?.id === user.id && asked.hash === user.hash) return;
    this.replace();
  }

  /** The site's user signed out: every token and whatever waited is forgotten; a fresh anonymous chat. */
  reset(): void {
    this.user = null;
    this.attributes = null;
    this.events = [];
    this.deps.tokens.forgetAll();
    if (this.started) this.replace();
  }

  setAttributes(attributes: Record<string, AttributeValue>): void {
    this.attributes = { ...this.attributes, ...attributes };
    this.schedule();
  }

  track(name: string, properties: Record<string, PropertyValue>): void {
    if (this.events.length >= MAX_QUEUED) {
      this.deps.send({ type: 'error', code: 'rate_limited', message: `track: more than ${MAX_QUEUED} events wait to be sent; "${name}" is dropped.` });
      return;
    }
    this.events.push({ name, properties });
    this.schedule();
  }

  /** Whether the visitor looks at the chat (panel open, tab visible). */
  setWatching(watching: boolean): void {
    this.watching = watching;
    if (this.started) this.chat.setWatching(watching);
  }

  private replace(): void {
    if (this.blocked) return;
    this.unsubscribe();
    this.chat.stop();
    this.announced = false;
    this.toldFailure = null;
    const chat = this.wire(this.deps.make(this.user));
    this.chat = chat;
    this.generation++;
    // Also after a retry of a failed start: the page hears of the session whenever it opens.
    this.unsubscribe = chat.subscribe(() => this.opened(chat));
    this.changed();
    void chat.start();
  }

  private opened(chat: WidgetChat): void {
    if (chat !== this.chat || this.blocked) return;
    // The chat could not start (an unknown key, an origin the site does not allow, no network): the page hears why.
    if (chat.phase === 'failed' && chat.failure && !STOPPING.has(chat.failure.code) && this.toldFailure !== chat.failure.code) {
      this.toldFailure = chat.failure.code;
      this.deps.send({ type: 'error', code: chat.failure.code, message: `The chat could not start: ${chat.failure.code}.` });
    }
    if (this.announced || chat.phase !== 'ready') return;
    this.toldFailure = null;
    this.announced = true;
    chat.setWatching(this.watching);
    this.deps.send({ type: 'started', user: chat.identifiedAs });
    this.flush();
  }

  /** Passes the chat's news to the page while it is the one shown. */
  private wire(chat: WidgetChat): WidgetChat {
    const current = () => chat === this.chat;
    chat.onUnread = (count) => {
      if (current()) this.deps.send({ type: 'unread', count });
    };
    chat.onRefused = (error) => {
      if (current()) this.deps.send({ type: 'error', ...error });
    };
    chat.onMessage = (m) => {
      if (current()) this.deps.send({ type: 'message', text: m.body.slice(0, MAX_MESSAGE_TEXT), at: m.created_at });
    };
    chat.onProactive = (trigger) => {
      if (current()) this.onProactive(trigger);
    };
    chat.onBlocked = (error) => {
      if (current()) this.block(error);
    };
    return chat;
  }

  /** The server refused the visitor: what waits is dropped, the page is told once, and the frame goes quiet. */
  private block(error: PageError): void {
    if (this.blocked) return;
    this.blocked = error;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.attributes = null;
    this.events = [];
    this.deps.send({ type: 'blocked', code: blockCode(error.code), message: error.message });
    this.changed();
  }

  private schedule(): void {
    this.timer ??= setTimeout(() => {
      this.timer = null;
      this.flush();
    }, BATCH_MS);
  }

  /** Sends what waits, when the session is open (else `opened` does, once it is). */
  private flush(): void {
    const chat = this.chat;
    if (!this.announced || chat.phase !== 'ready') return;
    if (this.attributes) {
      const attributes = this.attributes;
      this.attributes = null;
      chat.setAttributes(attributes).catch((e) => this.refused(chat, 'setAttributes', e));
    }
    while (this.events.length) {
      const batch = this.events.splice(0, MAX_BATCH);
      chat.track(batch).catch((e) => this.refused(chat, 'track', e));
    }
  }

  /** A refused call: the page hears the code and the server's words (a rate limit only warns, see the loader). */
  private refused(chat: WidgetChat, call: string, e: unknown): void {
    // A block is told once, as `blocked`.
    if (chat !== this.chat || this.blocked || (e instanceof ApiError && STOPPING.has(e.code))) return;
    const field = e instanceof ApiError && typeof e.details.field === 'string' ? e.details.field : undefined;
    this.deps.send({
      type: 'error',
      code: e instanceof ApiError ? e.code : 'internal',
      message: `${call}: ${e instanceof Error ? e.message : String(e)}`.slice(0, 500),
      ...(field ? { field } : {}),
    });
  }
}
