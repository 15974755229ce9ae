/** The loader on a page: the frame loads at once, and a proactive message shows by the launcher. */
import { beforeAll, describe, expect, it } from 'vitest';

const SERVER = 'https://frontline.example';
let root: ShadowRoot;
let frame: HTMLIFrameElement;

/** A message from the frame, as the browser would deliver it. */
function fromFrame(data: Record<string, unknown>, source: Window | null = frame.contentWindow, origin = SERVER) {
  window.dispatchEvent(new MessageEvent('message', { data: { ...data, source: 'frontline' }, origin, source }));
}

const q = <T extends HTMLElement = HTMLElement>(id: string) => root.querySelector<T>(`[data-testid="${id}"]`)!;
const host = () => document.querySelector('[data-frontline-widget]')!;

beforeAll(async () => {
  const script = document.createElement('script');
  script.dataset.key = 'site-key';
  script.dataset.lang = 'ru';
  script.setAttribute('src', `${SERVER}/widget.js`);
  document.head.appendChild(script);
  window.requestAnimationFrame = (cb: FrameRequestCallback) => {
    cb(0);
    return 0;
  };
  await import('./widget');
  root = (host() as HTMLElement).shadowRoot!;
  frame = q<HTMLIFrameElement>('frontline-frame');
});

describe('loader', () => {
  it('loads the chat frame with the page, the panel folded', () => {
    expect(frame).not.toBeNull();
    expect(frame.getAttribute('src')).toContain(`${SERVER}/widget/frame?key=site-key`);
    expect(host().getAttribute('data-open')).toBe('false');
    expect(q('frontline-teaser').hidden).toBe(true);
  });

  it('shows a proactive message as text by the launcher, with the badge', () => {
    fromFrame({ type: 'ready' });
    fromFrame({ type: 'unread', count: 1 });
    fromFrame({ type: 'teaser', name: 'Служба поддержки', text: '<b>Подсказать</b> с выбором?' });
    const teaser = q('frontline-teaser');
    expect(teaser.hidden).toBe(false);
    expect(teaser.querySelector('strong')?.textContent).toBe('Служба поддержки');
    // Text, not markup.
    expect(q('frontline-teaser-text').textContent).toBe('<b>Подсказать</b> с выбором?');
    expect(teaser.querySelector('b')).toBeNull();
    expect(q('frontline-badge').hidden).toBe(false);
    expect(q('frontline-badge').textContent).toBe('1');
  });

  it('ignores a teaser from anyone but the frame', () => {
    q<HTMLButtonElement>('frontline-teaser-close').click();
    expect(q('frontline-teaser').hidden).toBe(true);
    fromFrame({ type: 'teaser', name: 'x', text: 'from elsewhere' }, frame.contentWindow, 'https://evil.example');
    fromFrame({ type: 'teaser', name: 'x', text: 'from elsewhere' }, window);
    expect(q('frontline-teaser').hidden).toBe(true);
  });

  it('opens the chat when the card is pressed, and the card goes away', () => {
    fromFrame({ type: 'teaser', name: 'Служба поддержки', text: 'Подсказать с выбором?' });
    expect(q('frontline-teaser').hidden).toBe(false);
    (q('frontline-teaser').querySelector('.teaser-body') as HTMLButtonElement).click();
    expect(host().getAttribute('data-open')).toBe('true');
    expect(q('frontline-teaser').hidden).toBe(true);
    // While the panel is open no card shows.
    fromFrame({ type: 'teaser', name: 'Служба поддержки', text: 'Ещё одно' });
    expect(q('frontline-teaser').hidden).toBe(true);
  });
});
