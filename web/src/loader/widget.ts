/**
 * The embeddable loader, dist/widget.js:
 *   <script src="https://frontline.example/widget.js" data-key="KEY" async></script>
 * It adds a launcher button with an unread badge and a panel holding the chat iframe served by
 * Frontline. No framework, no global CSS: everything lives in a shadow root under one host
 * element whose own styles are inline and !important, so the site's CSS cannot break it.
 * It talks to the frame only by postMessage, checking the frame's origin and window.
 *
 * The frame loads with the page (hidden until the launcher is pressed): the visit's time on
 * the site counts from the session it opens, and a proactive message can only come from it.
 * A proactive message while the panel is folded comes as `teaser {name, text}` and shows in a
 * small card above the launcher (text only, never markup), with the unread badge; pressing
 * the card opens the chat, its × hides it.
 *
 * Optional attributes: data-lang ("ru", "en"…; default navigator.language), data-color
 * (a #hex accent colour).
 *
 * What the site knows of the visitor goes in `window.FrontlineSettings`, set before this
 * script runs; string values only (numbers are turned into text, anything else is dropped):
 *   <script>window.FrontlineSettings = { properties: { city: 'Москва', plan: 'pro' } };</script>
 * The properties reach the server with the visitor's session (`properties` of
 * POST /widget/v1/session): routing rules can match them, and `city` shows in the console.
 *
 * The page's JavaScript API (docs/widget.md), on `window.Frontline`:
 *   Frontline.identify(userId, { hash })   the site's signed-in user (hash: HMAC-SHA256, hex)
 *   Frontline.setAttributes({ plan: 'pro' }), Frontline.track('order_paid', { sum: 1500 })
 *   Frontline.open(), .close(), .toggle(), .reset() (the user signed out)
 *   Frontline.on(event, handler), .off(event, handler): message, unread, open, close, ready, error
 * `window.Frontline` is also a function, `Frontline('identify', '42', { hash })`, so that a page
 * can queue calls before this script has loaded with the usual stub (they run once it has):
 *   window.Frontline = window.Frontline || function () { (Frontline.q = Frontline.q || []).push(arguments); };
 * `window.FrontlineSettings.user = { id, hash }` identifies the user as well, before any call.
 * Calls made before the frame is ready wait in order and go when it is; then the loader says
 * `start` and the frame opens its session, already as the page's user. Every argument is
 * checked here (shared/bridge.ts), what is wrong is dropped with a console warning and the
 * `error` event; what comes from the frame is checked too before a handler sees it.
 *
 * A visitor the server blocked (`visitor_blocked`), or any visitor of a suspended workspace
 * (`workspace_suspended`): the frame says `blocked {code, message}`, and the widget goes from
 * the page for the rest of its life: the launcher, the card and the panel are hidden, `open()`
 * does nothing, and the page hears `error {code, message}`.
 * The frame keeps the visitor's tokens, so once the block is lifted the next page load is his
 * chat again.
 */
import {
  BRIDGE_SOURCE,
  cleanHash,
  cleanMap,
  cleanName,
  MAX_ATTRIBUTES,
  MAX_EVENT_PROPERTIES,
  readFrameMessage,
  type AttributeValue,
  type BlockCode,
  type PageMessage,
  type PropertyValue,
  type TeaserMessage,
} from '../shared/bridge';
import { cleanProperties } from '../shared/properties';
import { en, ru } from './i18n';

type Handler = (data: unknown) => void;
type FrontlineCall = ((method: unknown, ...args: unknown[]) => unknown) & { q?: ArrayLike<unknown>[] };

declare global {
  interface Window {
    __frontlineWidgets?: Record<string, boolean>;
    FrontlineSettings?: { properties?: Record<string, unknown>; user?: { id?: unknown; hash?: unknown } };
    Frontline?: FrontlineCall & Partial<typeof methods>;
  }
}

const Z = '2147483000';
/** The events a page may listen to (`Frontline.on`). */
const EVENTS = ['message', 'unread', 'open', 'close', 'ready', 'error'];
/** The most calls that wait for the frame; later ones are dropped. */
const MAX_PENDING = 1000;
const handlers: Record<string, Handler[]> = {};

const warn = (text: string) => console.warn(`Frontline: ${text}`);

function emit(event: string, data: object): void {
  for (const handler of [...(handlers[event] ?? [])]) {
    try {
      handler(data);
    } catch (e) {
      // The page's handler failed: its error is reported, the widget goes on.
      setTimeout(() => {
        throw e;
      });
    }
  }
}

/** A call with a wrong argument: a warning, and the `error` event. */
function invalid(text: string): void {
  warn(text);
  emit('error', { code: 'validation_failed', message: text });
}

function findScript(): HTMLScriptElement | null {
  const current = document.currentScript as HTMLScriptElement | null;
  if (current && current.dataset.key) return current;
  return document.querySelector<HTMLScriptElement>('script[data-key][src*="widget.js"]');
}

let api: { open(): void; close(): void; toggle(): void; reset(): void; tell(m: PageMessage): void } = {
  open() {},
  close() {},
  toggle() {},
  reset() {},
  tell() {},
};

/** Lets the site open or close the chat from its own buttons: Frontline.open() (or FrontlineWidget.open()). */
export const open = () => api.open();
export const close = () => api.close();
export const toggle = () => api.toggle();
/** The site's user signed out: the chat forgets him and starts afresh, anonymous, folded. */
export const reset = () => api.reset();

function identifyMessage(userId: unknown, hash: unknown): PageMessage | null {
  const id = cleanName(userId);
  const h = cleanHash(hash);
  if (!id) invalid('identify: the user id must be a string or a number, 1–100 characters');
  else if (hash != null && !h) invalid('identify: the hash must be a string of at most 128 characters');
  else return h ? { type: 'identify', id, hash: h } : { type: 'identify', id };
  return null;
}

/** The site's signed-in user: `hash` is the lowercase hex HMAC-SHA256 of the id under the site's identity secret. */
export function identify(userId: unknown, options?: { hash?: unknown }): void {
  const m = identifyMessage(userId, options?.hash);
  if (m) api.tell(m);
}

/** What the site knows of the visitor: strings, numbers, booleans; `null` removes one; names ending in `_at` are dates. */
export function setAttributes(attributes: unknown): void {
  if (!attributes || typeof attributes !== 'object' || Array.isArray(attributes)) return invalid('setAttributes: takes an object');
  const { values, dropped } = cleanMap<AttributeValue>(attributes, MAX_ATTRIBUTES, true);
  if (dropped.length) invalid(`setAttributes: left out ${dropped.join(', ')}`);
  if (Object.keys(values).length) api.tell({ type: 'attributes', attributes: values });
}

/** Something the visitor did: a name of 1–100 characters, at most 20 properties. */
export function track(name: unknown, properties?: unknown): void {
  const n = cleanName(name);
  if (!n) return invalid('track: the event name must be 1–100 characters');
  const { values, dropped } = cleanMap<PropertyValue>(properties, MAX_EVENT_PROPERTIES, false);
  if (dropped.length) invalid(`track: left out the properties ${dropped.join(', ')}`);
  api.tell({ type: 'track', name: n, properties: values });
}

export function on(event: unknown, handler: unknown): void {
  if (typeof event !== 'string' || !EVENTS.includes(event) || typeof handler !== 'function') {
    warn(`on: no event "${String(event)}" or no handler`);
    return;
  }
  const list = (handlers[event] ??= []);
  if (!list.includes(handler as Handler)) list.push(handler as Handler);
}

export function off(event: unknown, handler: unknown): void {
  if (typeof event === 'string' && EVENTS.includes(event)) handlers[event] = handlers[event]?.filter((h) => h !== handler) ?? [];
}

const methods = { identify, setAttributes, track, open, close, toggle, reset, on, off };

/** `Frontline('identify', '42', { hash })`: the same calls by name (and the stub's queue). */
function call(method: unknown, ...args: unknown[]): unknown {
  if (typeof method === 'string' && Object.prototype.hasOwnProperty.call(methods, method)) {
    return (methods[method as keyof typeof methods] as (...a: unknown[]) => unknown)(...args);
  }
  warn(`no call "${String(method)}"`);
  return undefined;
}

function mount(script: HTMLScriptElement, key: string, server: string) {
  const langTag = script.dataset.lang || navigator.language || 'en';
  const words = langTag.toLowerCase().startsWith('ru') ? ru : en;
  const color = /^#[0-9a-f]{3,8}$/i.test(script.dataset.color ?? '') ? script.dataset.color! : '#2563eb';
  const openKey = `frontline.open.${key}`;

  const host = document.createElement('div');
  host.setAttribute('data-frontline-widget', key);
  for (const [prop, value] of Object.entries({
    all: 'initial',
    position: 'fixed',
    right: '0',
    bottom: '0',
    width: '0',
    height: '0',
    'z-index': Z,
    display: 'block',
  })) {
    host.style.setProperty(prop, value, 'important');
  }

  const root = host.attachShadow({ mode: 'open' });
  const style = document.createElement('style');
  style.textContent = css(color);
  root.appendChild(style);

  const launcher = document.createElement('button');
  launcher.type = 'button';
  launcher.className = 'launcher';
  launcher.setAttribute('data-testid', 'frontline-launcher');
  launcher.setAttribute('aria-expanded', 'false');
  launcher.innerHTML = ICON_CHAT + ICON_CLOSE; // static markup of this file, no user data
  const badge = document.createElement('span');
  badge.className = 'badge';
  badge.setAttribute('data-testid', 'frontline-badge');
  badge.hidden = true;
  launcher.appendChild(badge);

  const panel = document.createElement('div');
  panel.className = 'panel';
  panel.setAttribute('data-testid', 'frontline-panel');

  // The proactive message's card: the persona and the text, set as text.
  const teaser = document.createElement('div');
  teaser.className = 'teaser';
  teaser.setAttribute('data-testid', 'frontline-teaser');
  teaser.hidden = true;
  const teaserBody = document.createElement('button');
  teaserBody.type = 'button';
  teaserBody.className = 'teaser-body';
  const teaserName = document.createElement('strong');
  const teaserText = document.createElement('span');
  teaserText.setAttribute('data-testid', 'frontline-teaser-text');
  teaserBody.append(teaserName, teaserText);
  const teaserClose = document.createElement('button');
  teaserClose.type = 'button';
  teaserClose.className = 'teaser-close';
  teaserClose.setAttribute('data-testid', 'frontline-teaser-close');
  teaserClose.setAttribute('aria-label', words.teaser_close);
  teaserClose.title = words.teaser_close;
  teaserClose.textContent = '×';
  teaser.append(teaserBody, teaserClose);
  root.append(panel, teaser, launcher);

  let frame: HTMLIFrameElement | null = null;
  let frameReady = false;
  let isOpen = false;
  /** The server refused this visitor: the widget is gone from the page for good. */
  let blocked = false;
  let unread = 0;
  /** The page's calls made before the frame was ready, in order. */
  let pending: PageMessage[] = [];

  const store = (area: 'localStorage' | 'sessionStorage', k: string, v?: string | null) => {
    try {
      if (v === undefined) return window[area].getItem(k);
      if (v === null) window[area].removeItem(k);
      else window[area].setItem(k, v);
    } catch {
      // storage blocked: the widget works, it just forgets
    }
    return null;
  };

  const post = (message: PageMessage) => frame?.contentWindow?.postMessage({ ...message, source: BRIDGE_SOURCE }, server);
  const tell = (message: PageMessage) => {
    if (frame && frameReady) post(message);
    else if (message.type === 'panel') return; // the state is sent with `start`
    else if (pending.length < MAX_PENDING) pending.push(message);
    else warn(`${message.type}: too many calls before the chat was ready; dropped`);
  };

  const setUnread = (count: number) => {
    if (count !== unread) emit('unread', { count });
    unread = count;
    render();
  };

  const ensureFrame = () => {
    if (frame) return;
    // Read when the frame is made, so a page that sets FrontlineSettings late is still heard.
    const props = cleanProperties(window.FrontlineSettings?.properties);
    const src =
      `${server}/widget/frame?key=${encodeURIComponent(key)}` +
      `&origin=${encodeURIComponent(location.origin)}` +
      `&page=${encodeURIComponent(location.href)}` +
      `&title=${encodeURIComponent(document.title.slice(0, 200))}` +
      `&lang=${encodeURIComponent(langTag)}` +
      (Object.keys(props).length ? `&props=${encodeURIComponent(JSON.stringify(props))}` : '');
    frame = document.createElement('iframe');
    frame.src = src;
    frame.title = words.frame_title;
    frame.setAttribute('data-testid', 'frontline-frame');
    frame.setAttribute('allow', 'clipboard-write');
    panel.appendChild(frame);
  };

  const hideTeaser = () => {
    teaser.hidden = true;
    teaser.classList.remove('shown');
  };
  const showTeaser = (m: TeaserMessage) => {
    if (isOpen || blocked) return;
    teaserName.textContent = m.name;
    teaserText.textContent = m.text;
    teaser.hidden = false;
    // Next frame, so that it slides in.
    requestAnimationFrame(() => teaser.classList.add('shown'));
  };
  teaserBody.addEventListener('click', () => setOpen(true));
  teaserClose.addEventListener('click', hideTeaser);

  const render = () => {
    host.setAttribute('data-open', String(isOpen));
    panel.classList.toggle('open', isOpen);
    launcher.classList.toggle('open', isOpen);
    launcher.setAttribute('aria-expanded', String(isOpen));
    const label = isOpen ? words.close : words.open;
    launcher.setAttribute('aria-label', unread && !isOpen ? `${label}. ${words.unread.replace('{n}', String(unread))}` : label);
    launcher.title = label;
    badge.hidden = unread === 0 || isOpen;
    badge.textContent = unread > 9 ? '9+' : String(unread);
  };

  const setOpen = (next: boolean) => {
    if (next === isOpen || (next && blocked)) return;
    isOpen = next;
    if (next) {
      ensureFrame();
      hideTeaser();
      store('sessionStorage', openKey, '1');
    } else {
      store('sessionStorage', openKey, null);
      launcher.focus();
    }
    render();
    tell({ type: 'panel', open: isOpen });
    emit(next ? 'open' : 'close', {});
  };

  launcher.addEventListener('click', () => setOpen(!isOpen));

  /**
   * The server refused this visitor: the launcher, the card and the panel go (the frame stays,
   * hidden and quiet, to hear a `reset`), and the page is told once. Nothing asks the server
   * again until the next page load.
   */
  const block = (code: BlockCode, message: string) => {
    if (blocked) return;
    const wasOpen = isOpen;
    isOpen = false;
    store('sessionStorage', openKey, null);
    hideTeaser();
    setUnread(0);
    blocked = true;
    render();
    host.setAttribute('data-blocked', 'true');
    host.style.setProperty('display', 'none', 'important');
    warn(`${code}: ${message}`);
    if (wasOpen) emit('close', {});
    emit('error', { code, message });
  };

  window.addEventListener('message', (event: MessageEvent) => {
    if (!frame || event.origin !== server || event.source !== frame.contentWindow) return;
    const data = readFrameMessage(event.data);
    // A blocked widget hears nothing more (its frame stopped talking to the server).
    if (!data || blocked) return;
    if (data.type === 'ready') {
      frameReady = true;
      // FrontlineSettings.user first (read now: a page may set it late), then the calls in order, then start.
      const user = window.FrontlineSettings?.user;
      const first = user ? identifyMessage(user.id, user.hash) : null;
      for (const m of first ? [first, ...pending] : pending) post(m);
      pending = [];
      post({ type: 'start' });
      post({ type: 'panel', open: isOpen });
    } else if (data.type === 'unread') {
      setUnread(data.count);
    } else if (data.type === 'started') {
      emit('ready', { userId: data.user });
    } else if (data.type === 'message') {
      emit('message', { text: data.text, at: data.at });
    } else if (data.type === 'error') {
      const { code, message, field } = data;
      warn(`${code}: ${message}`);
      // A rate limit only warns: the events over it are dropped.
      if (code !== 'rate_limited') emit('error', field ? { code, message, field } : { code, message });
    } else if (data.type === 'close') {
      setOpen(false);
    } else if (data.type === 'teaser') {
      showTeaser(data);
    } else if (data.type === 'blocked') {
      block(data.code, data.message);
    }
  });

  const attach = () => {
    document.body.appendChild(host);
    // The frame loads at once: the visit is counted, proactive messages and the unread badge can come.
    ensureFrame();
    render();
    if (store('sessionStorage', openKey) === '1') setOpen(true);
  };
  if (document.body) attach();
  else document.addEventListener('DOMContentLoaded', attach);

  return {
    open: () => setOpen(true),
    close: () => setOpen(false),
    toggle: () => setOpen(!isOpen),
    reset: () => {
      // The frame forgets the user and starts anonymous; nothing of his stays on the page either.
      tell({ type: 'reset' });
      setOpen(false);
      hideTeaser();
      setUnread(0);
    },
    tell,
  };
}

const ICON_CHAT =
  '<svg class="i-chat" viewBox="0 0 24 24" width="28" height="28" aria-hidden="true"><path fill="currentColor" d="M12 3C6.9 3 3 6.5 3 10.8c0 2.4 1.2 4.5 3.2 5.9L5.5 21l4.3-2.4c.7.1 1.4.2 2.2.2 5.1 0 9-3.5 9-7.9S17.1 3 12 3z"/></svg>';
const ICON_CLOSE =
  '<svg class="i-close" viewBox="0 0 24 24" width="26" height="26" aria-hidden="true"><path d="M6 9l6 6 6-6" fill="none" stroke="currentColor" stroke-width="2.4" stroke-linecap="round" stroke-linejoin="round"/></svg>';

function css(color: string): string {
  return `
*{box-sizing:border-box}
.launcher{all:initial;position:fixed;right:20px;bottom:20px;width:60px;height:60px;border-radius:50%;
background:${color};color:#fff;cursor:pointer;display:grid;place-items:center;
box-shadow:0 6px 20px rgba(0,0,0,.22),0 2px 6px rgba(0,0,0,.12);transition:transform .15s ease}
.launcher:hover{transform:scale(1.05)}
.launcher:focus-visible{outline:3px solid ${color};outline-offset:3px}
.launcher svg{grid-area:1/1;transition:opacity .15s,transform .15s}
.launcher .i-close{opacity:0;transform:rotate(-90deg)}
.launcher.open .i-chat{opacity:0;transform:rotate(90deg)}
.launcher.open .i-close{opacity:1;transform:none}
.badge{position:absolute;top:-2px;right:-2px;min-width:22px;height:22px;padding:0 6px;border-radius:11px;
background:#dc2626;color:#fff;font:700 12px/22px system-ui,-apple-system,"Segoe UI",Roboto,Arial,sans-serif;
text-align:center;border:2px solid #fff}
.badge[hidden]{display:none}
.panel{position:fixed;right:20px;bottom:92px;width:380px;height:min(640px,calc(100vh - 112px));
border-radius:16px;overflow:hidden;background:#fff;
box-shadow:0 16px 48px rgba(0,0,0,.24),0 4px 12px rgba(0,0,0,.1);
opacity:0;visibility:hidden;transform:translateY(12px);pointer-events:none;
transition:opacity .18s ease,transform .18s ease,visibility 0s linear .18s}
.panel.open{opacity:1;visibility:visible;transform:none;pointer-events:auto;transition:opacity .18s ease,transform .18s ease}
iframe{display:block;width:100%;height:100%;border:0;background:#fff}
.teaser{position:fixed;right:20px;bottom:92px;width:min(300px,calc(100vw - 40px));
font:14px/1.4 system-ui,-apple-system,"Segoe UI",Roboto,Arial,sans-serif;color:#111827;
opacity:0;transform:translateY(8px);transition:opacity .2s ease,transform .2s ease}
.teaser.shown{opacity:1;transform:none}
.teaser[hidden]{display:none}
.teaser-body{all:initial;box-sizing:border-box;display:flex;flex-direction:column;gap:3px;width:100%;
padding:12px 34px 12px 14px;border-radius:16px 16px 4px 16px;background:#fff;color:#111827;cursor:pointer;
font:inherit;text-align:left;box-shadow:0 10px 30px rgba(0,0,0,.18),0 2px 6px rgba(0,0,0,.08)}
.teaser-body:hover{box-shadow:0 12px 34px rgba(0,0,0,.22),0 2px 6px rgba(0,0,0,.1)}
.teaser-body:focus-visible{outline:3px solid ${color};outline-offset:2px}
.teaser-body strong{font-weight:600;font-size:13px;color:${color}}
.teaser-body span{display:-webkit-box;-webkit-box-orient:vertical;-webkit-line-clamp:4;overflow:hidden;white-space:pre-wrap;overflow-wrap:anywhere}
.teaser-close{all:initial;position:absolute;top:6px;right:6px;width:24px;height:24px;border-radius:6px;
display:grid;place-items:center;color:#6b7280;cursor:pointer;font:18px/1 system-ui,sans-serif}
.teaser-close:hover{background:#f3f4f6;color:#111827}
.teaser-close:focus-visible{outline:2px solid ${color}}
@media (max-width:480px){
.panel{right:0;bottom:0;width:100vw;height:100%;border-radius:0}
.launcher.open{display:none}
}
@media (prefers-reduced-motion:reduce){.launcher,.panel,.launcher svg,.teaser{transition:none}}
`;
}

// Last, so that every constant above is initialised before the widget is built.
const script = findScript();
const key = script?.dataset.key ?? '';
if (script && key) {
  const registry = (window.__frontlineWidgets ??= {});
  if (!registry[key]) {
    registry[key] = true;
    api = mount(script, key, new URL(script.src, location.href).origin);
    // The page's API; calls the stub queued before this script loaded run now, in order.
    const stub = window.Frontline;
    if (!stub || stub.q) {
      window.Frontline = Object.assign(call, methods);
      for (const args of stub?.q ?? []) call(...(Array.from(args) as [unknown, ...unknown[]]));
    }
  }
}
