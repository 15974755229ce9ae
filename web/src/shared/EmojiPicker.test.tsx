import { render } from 'preact';
import { act } from 'preact/test-utils';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { EMOJI_GROUPS, EmojiPicker, insertAtCaret } from './EmojiPicker';

const labels = { title: 'Эмодзи', groups: { smileys: 'Смайлы', gestures: 'Жесты', symbols: 'Символы', objects: 'Предметы' } };

let host: HTMLDivElement | null = null;
function mount(onPick = vi.fn(), onClose = vi.fn()) {
  const el = document.createElement('div');
  host = el;
  document.body.appendChild(el);
  act(() => render(<EmojiPicker onPick={onPick} onClose={onClose} labels={labels} />, el));
  return { onPick, onClose, el, buttons: [...el.querySelectorAll('button')] };
}
afterEach(() => {
  const el = host;
  if (!el) return;
  // Inside act: the picker's effects end now, not on a timer that could outlive the test file.
  act(() => render(null, el));
  el.remove();
  host = null;
});

describe('EmojiPicker', () => {
  it('holds a small curated set without repeats', () => {
    const all = EMOJI_GROUPS.flatMap((g) => g.emoji);
    expect(all.length).toBeGreaterThanOrEqual(60);
    expect(all.length).toBeLessThanOrEqual(80);
    expect(new Set(all).size).toBe(all.length);
  });

  it('shows the group names it is given and picks on click', () => {
    const { onPick, buttons, el } = mount();
    expect(el.textContent).toContain('Жесты');
    expect(el.querySelector('[role=dialog]')?.getAttribute('aria-label')).toBe('Эмодзи');
    act(() => buttons[0].click());
    expect(onPick).toHaveBeenCalledWith('😀');
  });

  it('focuses the first emoji, moves with the arrows and closes on Esc', () => {
    const { onClose, buttons } = mount();
    expect(document.activeElement).toBe(buttons[0]);
    act(() => {
      buttons[0].dispatchEvent(new KeyboardEvent('keydown', { key: 'ArrowDown', bubbles: true }));
    });
    expect(document.activeElement).toBe(buttons[8]);
    act(() => {
      buttons[8].dispatchEvent(new KeyboardEvent('keydown', { key: 'ArrowLeft', bubbles: true }));
    });
    expect(document.activeElement).toBe(buttons[7]);
    act(() => {
      buttons[7].dispatchEvent(new KeyboardEvent('keydown', { key: 'Escape', bubbles: true }));
    });
    expect(onClose).toHaveBeenCalledTimes(1);
  });

  it('closes on a click outside, not inside', () => {
    const { onClose, buttons } = mount();
    buttons[3].dispatchEvent(new MouseEvent('mousedown', { bubbles: true }));
    expect(onClose).not.toHaveBeenCalled();
    document.body.dispatchEvent(new MouseEvent('mousedown', { bubbles: true }));
    expect(onClose).toHaveBeenCalledTimes(1);
  });
});

describe('insertAtCaret', () => {
  it('inserts at the caret or replaces the selection', () => {
    expect(insertAtCaret('Привет !', '👋', 7, 7)).toEqual({ value: 'Привет 👋!', caret: 9 });
    expect(insertAtCaret('abc', 'X', 1, 2)).toEqual({ value: 'aXc', caret: 2 });
    expect(insertAtCaret('abc', 'X', null, null)).toEqual({ value: 'abcX', caret: 4 });
  });
});
