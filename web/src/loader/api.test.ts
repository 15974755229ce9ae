/**
 * The page's JavaScript API on `window.Frontline`: calls queued by the stub before the script
 * loaded and calls made before the frame was ready all reach the frame, in order, before
 * `start`; arguments are checked; what the frame tells becomes events, once checked.
 */
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';

const SERVER = 'https://frontline.example';
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
/** One handler per event, the same each time (`on` keeps a handler once). */
const listeners: Record<string, (data: unknown) => void> = {};
const listen = (event: string) => (listeners[event] ??= (data: unknown) => heard.push({ event, data }));

beforeAll(async () => {
  // What a site puts in its page before the script tag: settings, and the stub that queues calls.
  window.FrontlineSettings = { properties: { city: 'Москва' }, user: { id: 7, hash: 'hash-of-7' } };
  const stub = function (...args: unknown[]) {
    void args;
    ((stub as unknown as { q: unknown[] }).q ??= []).push(arguments);
  } as unknown as NonNullable<Window['Frontline']>;
  window.Frontline = stub;
  window.Frontline('on', 'ready', listen('ready'));
  window.Frontline('identify', '42', { hash: 'hash-of-42' });
  window.Frontline('track', 'viewed_pricing', { plan: 'pro' });

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
  // jsdom gives a frame in a shadow root no window: it gets the window of a frame of the document.
  const stand = document.createElement('iframe');
  document.body.appendChild(stand);
  Object.defineProperty(frame, 'contentWindow', { value: stand.contentWindow });
  vi.spyOn(frame.contentWindow!, 'postMessage').mockImplementation(((message: Record<string, unknown>, target: string) => {
    expect(target).toBe(SERVER);
    posted.push(message);
  }) as typeof window.postMessage);
});

afterEach(() => {
  posted = [];
  heard.length = 0;
  vi.restoreAllMocks();
  vi.spyOn(frame.contentWindow!, 'postMessage').mockImplementation(((message: Record<string, unknown>) => {
    posted.push(message);
  }) as typeof window.postMessage);
});

describe('window.Frontline', () => {
  it('replaces the stub with the API: a function and the same calls as methods', () => {
    const api = Frontline();
    expect(typeof api).toBe('function');
    for (const name of ['identify', 'setAttributes', 'track', 'open', 'close', 'toggle', 'reset', 'on', 'off']) {
      expect(typeof api[name]).toBe('function');
    }
    expect((api as unknown as { q?: unknown }).q).toBeUndefined();
  });

  it('keeps every call made before the frame was ready, and sends them in order before start', () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    Frontline().setAttributes({ plan: 'pro', orders: 3, vip: true, signed_up_at: new Date('2026-03-01T10:00:00Z'), gone: null });
    Frontline()('track', 'order_paid', { sum: 1500 });
    expect(posted).toEqual([]);

    fromFrame({ type: 'ready' });
    expect(posted).toEqual([
      // FrontlineSettings.user first, then the stub's calls and the later ones, as made.
      { type: 'identify', id: '7', hash: 'hash-of-7', source: 'frontline' },
      { type: 'identify', id: '42', hash: 'hash-of-42', source: 'frontline' },
      { type: 'track', name: 'viewed_pricing', properties: { plan: 'pro' }, source: 'frontline' },
      {
        type: 'attributes',
        attributes: { plan: 'pro', orders: 3, vip: true, signed_up_at: '2026-03-01T10:00:00.000Z', gone: null },
        source: 'frontline',
      },
      { type: 'track', name: 'order_paid', properties: { sum: 1500 }, source: 'frontline' },
      { type: 'start', source: 'frontline' },
      { type: 'panel', open: false, source: 'frontline' },
    ]);
    expect(warn).not.toHaveBeenCalled();

    // Once ready, calls go at once.
    posted = [];
    Frontline().identify('77', { hash: 'hash-of-77' });
    expect(posted).toEqual([{ type: 'identify', id: '77', hash: 'hash-of-77', source: 'frontline' }]);
  });

  it('turns what the frame tells into events: ready, message, unread, error', () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    for (const e of ['message', 'unread', 'error']) Frontline().on(e, listen(e));
    fromFrame({ type: 'started', user: '42' });
    fromFrame({ type: 'message', text: 'Здравствуйте! <b>Чем</b> помочь?', at: '2026-03-01T10:00:00Z' });
    fromFrame({ type: 'unread', count: 2 });
    fromFrame({ type: 'unread', count: 2 });
    fromFrame({ type: 'error', code: 'identity_refused', message: 'The site\'s user could not be identified.', field: 'user_hash' });
    expect(heard).toEqual([
      { event: 'ready', data: { userId: '42' } },
      { event: 'message', data: { text: 'Здравствуйте! <b>Чем</b> помочь?', at: '2026-03-01T10:00:00Z' } },
      { event: 'unread', data: { count: 2 } },
      { event: 'error', data: { code: 'identity_refused', message: 'The site\'s user could not be identified.', field: 'user_hash' } },
    ]);
    expect(warn).toHaveBeenCalledWith(expect.stringContaining('identity_refused'));
    expect(q('frontline-badge').textContent).toBe('2');

    // A rate limit only warns.
    heard.length = 0;
    fromFrame({ type: 'error', code: 'rate_limited', message: 'track: Too many requests' });
    expect(heard).toEqual([]);
    expect(warn).toHaveBeenLastCalledWith(expect.stringContaining('rate_limited'));
  });

  it('ignores what is not from the frame or not of the right shape', () => {
    Frontline().on('message', listen('message'));
    fromFrame({ type: 'message', text: 'from elsewhere', at: 'now' }, frame.contentWindow, 'https://evil.example');
    fromFrame({ type: 'message', text: 'from the page itself', at: 'now' }, window);
    fromFrame({ type: 'message', text: { html: '<img onerror>' }, at: 'now' });
    fromFrame({ type: 'message', text: 'x'.repeat(5000), at: 'now' });
    expect(heard).toEqual([{ event: 'message', data: { text: 'x'.repeat(4000), at: 'now' } }]);
    heard.length = 0;
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    Frontline().on('error', listen('error'));
    fromFrame({ type: 'error', code: '<script>', message: 42 });
    expect(heard).toEqual([{ event: 'error', data: { code: 'internal', message: '' } }]);
    expect(warn).toHaveBeenCalled();
  });

  it('refuses wrong arguments with a warning and the error event, and sends only what is right', () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    Frontline().on('error', listen('error'));
    Frontline().identify('');
    Frontline().identify({ id: 42 });
    Frontline().identify('42', { hash: 123 });
    Frontline().track('');
    Frontline().setAttributes('plan=pro');
    expect(posted).toEqual([]);
    Frontline().setAttributes({ plan: 'pro', nested: { a: 1 } });
    Frontline().track('clicked', { where: 'header', list: [1, 2] });
    expect(posted).toEqual([
      { type: 'attributes', attributes: { plan: 'pro' }, source: 'frontline' },
      { type: 'track', name: 'clicked', properties: { where: 'header' }, source: 'frontline' },
    ]);
    expect(heard.map((h) => (h.data as { code: string }).code)).toEqual(Array(7).fill('validation_failed'));
    expect(warn).toHaveBeenCalledTimes(7);
    Frontline()('nothing');
    Frontline().on('nothing', () => {});
    expect(warn).toHaveBeenCalledTimes(9);
  });

  it('open and close the panel, with their events; off stops a handler', () => {
    const onOpen = vi.fn();
    Frontline().on('open', onOpen);
    Frontline().on('close', listen('close'));
    Frontline().open();
    expect(host().getAttribute('data-open')).toBe('true');
    expect(posted).toContainEqual({ type: 'panel', open: true, source: 'frontline' });
    Frontline().close();
    expect(host().getAttribute('data-open')).toBe('false');
    Frontline().off('open', onOpen);
    Frontline()('toggle');
    Frontline().toggle();
    expect(onOpen).toHaveBeenCalledTimes(1);
    expect(heard).toEqual([
      { event: 'close', data: {} },
      { event: 'close', data: {} },
    ]);
    // A handler that throws does not stop the others.
    vi.useFakeTimers();
    const after = vi.fn();
    const buggy = () => {
      throw new Error('the page\'s bug');
    };
    Frontline().on('open', buggy);
    Frontline().on('open', after);
    Frontline().open();
    expect(after).toHaveBeenCalledTimes(1);
    expect(() => vi.runAllTimers()).toThrow('the page\'s bug');
    vi.useRealTimers();
    Frontline().off('open', buggy);
    Frontline().close();
  });

  it('reset: tells the frame, folds the panel, and the badge goes', () => {
    Frontline().on('unread', listen('unread'));
    fromFrame({ type: 'unread', count: 3 });
    Frontline().open();
    posted = [];
    Frontline().reset();
    expect(posted).toEqual([
      { type: 'reset', source: 'frontline' },
      { type: 'panel', open: false, source: 'frontline' },
    ]);
    expect(host().getAttribute('data-open')).toBe('false');
    expect(q('frontline-badge').hidden).toBe(true);
    expect(heard.at(-1)).toEqual({ event: 'unread', data: { count: 0 } });
  });
});
