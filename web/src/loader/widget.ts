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
 */
import { BRIDGE_SOURCE, isBridgeMessage, type PageMessage, type TeaserMessage } from '../shared/bridge';
import { cleanProperties } from '../shared/properties';
import { en, ru } from './i18n';

declare global {
  interface Window {
    __frontlineWidgets?: Record<string, boolean>;
    FrontlineSettings?: { properties?: Record<string, unknown> };
  }
}

const Z = '2147483000';

function findScript(): HTMLScriptElement | null {
  const current = document.currentScript as HTMLScriptElement | null;
  if (current && current.dataset.key) return current;
  return document.querySelector<HTMLScriptElement>('script[data-key][src*="widget.js"]');
}

let api: { open(): void; close(): void; toggle(): void } = { open() {}, close() {}, toggle() {} };

/** Lets the site open or close the chat from its own buttons: FrontlineWidget.open(). */
export const open = () => api.open();
export const close = () => api.close();
export const toggle = () => api.toggle();

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
  let unread = 0;

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

  const tell = (message: PageMessage) => {
    if (frame && frameReady) frame.contentWindow?.postMessage({ ...message, source: BRIDGE_SOURCE }, server);
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
  const showTeaser = (m: Partial<Omit<TeaserMessage, 'type'>>) => {
    if (isOpen || typeof m.text !== 'string' || !m.text.trim()) return;
    teaserName.textContent = typeof m.name === 'string' ? m.name.slice(0, 100) : '';
    teaserText.textContent = m.text.slice(0, 1000);
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
    if (next === isOpen) return;
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
  };

  launcher.addEventListener('click', () => setOpen(!isOpen));

  window.addEventListener('message', (event: MessageEvent) => {
    if (!frame || event.origin !== server || event.source !== frame.contentWindow) return;
    if (!isBridgeMessage(event.data)) return;
    const data = event.data as { type: string; count?: unknown } & Partial<Omit<TeaserMessage, 'type'>>;
    if (data.type === 'ready') {
      frameReady = true;
      tell({ type: 'panel', open: isOpen });
    } else if (data.type === 'unread') {
      const n = Number(data.count);
      unread = Number.isFinite(n) && n > 0 ? Math.floor(n) : 0;
      render();
    } else if (data.type === 'close') {
      setOpen(false);
    } else if (data.type === 'teaser') {
      showTeaser(data);
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
  }
}
