/**
 * The loader when the frame says the server blocked the visitor: the launcher, the card and the
 * panel go from the page, the page hears `error {code: 'visitor_blocked', message}` once, and
 * nothing brings the widget back until the page loads again. (Its own file: a blocked widget
 * stays blocked for the module's life.)
 */
import { beforeAll, describe, expect, it, vi } from 'vitest';

const SERVER = 'https://frontline.example';
const SAID = 'This chat is not available to you.';
let root: ShadowRoot;
let frame: HTMLIFrameElement;
let posted: Record<string, unknown>[] = [];
const heard: { event: string; data: unknown }[] = [];

type Api = ((method: string, ...args: unknown[]) => unknown) & Record<string, (...args: unknown[]) => unknown>;
const Frontline = () => window.Frontline as unknown as Api;

function fromFrame(data: Record<string, unknown>, source: Window | null = frame.contentWindow, origin = SERVER) {
  window.dispatchEvent(new MessageEvent('message', { data: { ...data, source: 'frontline' }, origin, source }));
}
const host = () => document.querySelector('[data-frontline-widget]') as HTMLElement;
const q = (id: string) => root.querySelector<HTMLElement>(`[data-testid="${id}"]`)!;
const listen = (event: string) => Frontline().on(event, (data: unknown) => heard.push({ event, data }));

beforeAll(async () => {
  const script = document.createElement('script');
  script.dataset.key = 'site-key';
  script.setAttribute('src', `${SERVER}/widget.js`);
  document.head.appendChild(script);
  window.requestAnimationFrame = (cb: FrameRequestCallback) => {
    cb(0);
    return 0;
  };
  await import('./widget');
  root = host().shadowRoot!;
  frame = q('frontline-frame') as HTMLIFrameElement;
  const stand = document.createElement('iframe');
  document.body.appendChild(stand);
  Object.defineProperty(frame, 'contentWindow', { value: stand.contentWindow });
  vi.spyOn(frame.contentWindow!, 'postMessage').mockImplementation(((message: Record<string, unknown>) => {
    posted.push(message);
  }) as typeof window.postMessage);
  for (const e of ['error', 'close', 'open', 'unread', 'message']) listen(e);
});

describe('a blocked visitor on the page', () => {
  it('hides the launcher, the card and the panel, and tells the page once', () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    fromFrame({ type: 'ready' });
    fromFrame({ type: 'unread', count: 2 });
    fromFrame({ type: 'teaser', name: 'Поддержка', text: 'Подсказать?' });
    expect(q('frontline-teaser').hidden).toBe(false);
    Frontline().open();
    expect(host().getAttribute('data-open')).toBe('true');
    heard.length = 0;

    // Not from the frame: nothing happens.
    fromFrame({ type: 'blocked', message: SAID }, window);
    fromFrame({ type: 'blocked', message: SAID }, frame.contentWindow, 'https://evil.example');
    expect(host().style.getPropertyValue('display')).toBe('block');
    expect(heard).toEqual([]);

    fromFrame({ type: 'blocked', message: SAID });
    expect(host().style.getPropertyValue('display')).toBe('none');
    expect(host().style.getPropertyPriority('display')).toBe('important');
    expect(host().getAttribute('data-blocked')).toBe('true');
    expect(host().getAttribute('data-open')).toBe('false');
    expect(q('frontline-panel').classList.contains('open')).toBe(false);
    expect(q('frontline-teaser').hidden).toBe(true);
    expect(q('frontline-badge').hidden).toBe(true);
    expect(heard).toEqual([
      { event: 'unread', data: { count: 0 } },
      { event: 'close', data: {} },
      { event: 'error', data: { code: 'visitor_blocked', message: SAID } },
    ]);
    expect(warn).toHaveBeenCalledWith(expect.stringContaining('visitor_blocked'));
    // The next page load opens folded: the panel's state is not kept.
    expect(sessionStorage.getItem('frontline.open.site-key')).toBeNull();
    warn.mockRestore();
  });

  it('stays hidden: open() does nothing, and the frame is not heard any more', () => {
    heard.length = 0;
    Frontline().open();
    Frontline().toggle();
    q('frontline-launcher').click();
    expect(host().getAttribute('data-open')).toBe('false');
    fromFrame({ type: 'teaser', name: 'Поддержка', text: 'Ещё?' });
    fromFrame({ type: 'unread', count: 5 });
    fromFrame({ type: 'message', text: 'Здравствуйте', at: '2026-03-01T10:00:00Z' });
    fromFrame({ type: 'blocked', message: SAID });
    expect(q('frontline-teaser').hidden).toBe(true);
    expect(q('frontline-badge').hidden).toBe(true);
    expect(host().style.getPropertyValue('display')).toBe('none');
    expect(heard).toEqual([]);
  });

  it('still passes a reset to the frame (the signed-out user\'s tokens go)', () => {
    posted = [];
    Frontline().reset();
    expect(posted).toContainEqual({ type: 'reset', source: 'frontline' });
    expect(host().style.getPropertyValue('display')).toBe('none');
  });
});
