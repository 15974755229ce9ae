/** What the frame takes from the page: only the loader's window and origin, only checked values. */
import { afterEach, describe, expect, it } from 'vitest';
import { cleanMap, readFrameMessage, readPageMessage, type PageMessage } from '../shared/bridge';
import { connectPage } from './bridge';

const m = (data: Record<string, unknown>) => readPageMessage({ ...data, source: 'frontline' });

describe('readPageMessage', () => {
  it('reads each page message, with checked values', () => {
    expect(m({ type: 'panel', open: true })).toEqual({ type: 'panel', open: true });
    expect(m({ type: 'panel', open: 'yes' })).toEqual({ type: 'panel', open: false });
    expect(m({ type: 'start', extra: 1 })).toEqual({ type: 'start' });
    expect(m({ type: 'reset' })).toEqual({ type: 'reset' });
    expect(m({ type: 'identify', id: ' 42 ', hash: 'ab12' })).toEqual({ type: 'identify', id: '42', hash: 'ab12' });
    expect(m({ type: 'identify', id: 42 })).toEqual({ type: 'identify', id: '42' });
    expect(m({ type: 'track', name: 'order_paid', properties: { sum: 1500, paid: true, currency: 'RUB' } })).toEqual({
      type: 'track',
      name: 'order_paid',
      properties: { sum: 1500, paid: true, currency: 'RUB' },
    });
    expect(m({ type: 'attributes', attributes: { plan: 'pro', orders: 3, vip: true, gone: null } })).toEqual({
      type: 'attributes',
      attributes: { plan: 'pro', orders: 3, vip: true, gone: null },
    });
  });

  it('drops what is not the loader\'s or not of the right type and size', () => {
    expect(readPageMessage({ type: 'reset' })).toBeNull();
    expect(readPageMessage('reset')).toBeNull();
    expect(m({ type: 'eval', code: 'alert(1)' })).toBeNull();
    // A user id: 1–100 characters, no control characters; a hash at most 128.
    expect(m({ type: 'identify', id: '' })).toBeNull();
    expect(m({ type: 'identify', id: { toString: () => '42' } })).toBeNull();
    expect(m({ type: 'identify', id: 'x'.repeat(101) })).toBeNull();
    expect(m({ type: 'identify', id: 'a\nb' })).toBeNull();
    expect(m({ type: 'identify', id: '42', hash: 'f'.repeat(129) })).toEqual({ type: 'identify', id: '42' });
    expect(m({ type: 'track', name: '' })).toBeNull();
    expect(m({ type: 'attributes', attributes: ['plan'] })).toBeNull();
    // Only flat values of the server's kinds and sizes stay.
    expect(
      m({ type: 'attributes', attributes: { plan: 'pro', nested: { a: 1 }, list: [1], nan: NaN, long: 'я'.repeat(1001), ['\u0007']: 1 } }),
    ).toEqual({ type: 'attributes', attributes: { plan: 'pro' } });
    expect(m({ type: 'track', name: 'x', properties: { gone: null, fn: () => 1 } })).toEqual({ type: 'track', name: 'x', properties: {} });
  });

  it('keeps at most the server\'s number of entries, and never a prototype', () => {
    const many = Object.fromEntries(Array.from({ length: 25 }, (_, i) => [`p${i}`, i]));
    const { values, dropped } = cleanMap(many, 20, false);
    expect(Object.keys(values)).toHaveLength(20);
    expect(dropped).toEqual(['p20', 'p21', 'p22', 'p23', 'p24']);
    const evil = cleanMap(JSON.parse('{"__proto__": {"polluted": true}, "ok": 1}'), 20, false);
    expect(evil.values).toEqual({ ok: 1 });
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    // A date is sent as its ISO time.
    expect(cleanMap({ signed_up_at: new Date('2026-03-01T10:00:00Z') }, 20, false).values).toEqual({ signed_up_at: '2026-03-01T10:00:00.000Z' });
  });
});

describe('readFrameMessage', () => {
  const f = (data: Record<string, unknown>) => readFrameMessage({ ...data, source: 'frontline' });

  it('reads `blocked`: its code (a block unless it says suspended), its message as text cut to 500 characters; nothing else of it', () => {
    const blocked = { type: 'blocked', code: 'visitor_blocked' };
    expect(f({ type: 'blocked', message: 'This chat is not available to you.', code: 'x', html: '<b>' })).toEqual({
      ...blocked,
      message: 'This chat is not available to you.',
    });
    expect(f({ type: 'blocked', code: 'workspace_suspended', message: 'Suspended.' })).toEqual({
      type: 'blocked',
      code: 'workspace_suspended',
      message: 'Suspended.',
    });
    expect(f({ type: 'blocked' })).toEqual({ ...blocked, message: '' });
    expect(f({ type: 'blocked', message: { toString: () => 'x' } })).toEqual({ ...blocked, message: '' });
    expect(f({ type: 'blocked', message: 'я'.repeat(600) })).toEqual({ ...blocked, message: 'я'.repeat(500) });
    // Not the frame's: no source, or not an object.
    expect(readFrameMessage({ type: 'blocked', message: 'x' })).toBeNull();
    expect(readFrameMessage('blocked')).toBeNull();
  });

  it('reads every other frame message, with checked values', () => {
    expect(f({ type: 'ready', extra: 1 })).toEqual({ type: 'ready' });
    expect(f({ type: 'close' })).toEqual({ type: 'close' });
    expect(f({ type: 'unread', count: 2.7 })).toEqual({ type: 'unread', count: 2 });
    expect(f({ type: 'unread', count: -1 })).toEqual({ type: 'unread', count: 0 });
    expect(f({ type: 'unread', count: 'many' })).toEqual({ type: 'unread', count: 0 });
    expect(f({ type: 'started', user: '42' })).toEqual({ type: 'started', user: '42' });
    expect(f({ type: 'started', user: 42 })).toEqual({ type: 'started', user: null });
    expect(f({ type: 'message', text: 'x'.repeat(5000), at: 'now' })).toEqual({ type: 'message', text: 'x'.repeat(4000), at: 'now' });
    expect(f({ type: 'message', text: { html: '<img onerror>' }, at: 'now' })).toBeNull();
    expect(f({ type: 'teaser', name: 7, text: '<b>Привет</b>' })).toEqual({ type: 'teaser', name: '', text: '<b>Привет</b>' });
    expect(f({ type: 'teaser', name: 'x', text: '  ' })).toBeNull();
    expect(f({ type: 'error', code: 'identity_refused', message: 'no', field: 'user_hash' })).toEqual({
      type: 'error',
      code: 'identity_refused',
      message: 'no',
      field: 'user_hash',
    });
    expect(f({ type: 'error', code: '<script>', message: 42 })).toEqual({ type: 'error', code: 'internal', message: '' });
    expect(f({ type: 'eval', code: 'alert(1)' })).toBeNull();
  });
});

describe('connectPage', () => {
  const parent = { postMessage: () => {} } as unknown as Window;
  afterEach(() => {
    delete (window as { parent?: Window }).parent;
  });

  it('hears the page\'s window from its origin only', () => {
    Object.defineProperty(window, 'parent', { value: parent, configurable: true });
    const bridge = connectPage('https://shop.example');
    expect(bridge.embedded).toBe(true);
    const heard: PageMessage[] = [];
    bridge.onPage((message) => heard.push(message));
    const post = (data: unknown, origin: string, source: unknown) =>
      window.dispatchEvent(new MessageEvent('message', { data, origin, source: source as Window }));
    post({ source: 'frontline', type: 'identify', id: '42', hash: 'h' }, 'https://shop.example', parent);
    post({ source: 'frontline', type: 'reset' }, 'https://evil.example', parent);
    post({ source: 'frontline', type: 'reset' }, 'https://shop.example', window);
    post({ source: 'frontline', type: 'identify', id: '' }, 'https://shop.example', parent);
    expect(heard).toEqual([{ type: 'identify', id: '42', hash: 'h' }]);
  });
});
