import { describe, expect, it } from 'vitest';
import { isTyping, neighbour, shortcutFor, SHORTCUT_TABLE, type KeyPress } from './shortcuts';
import { en, ru } from './i18n';

const press = (code: string, key: string, mods: Partial<KeyPress> = {}): KeyPress => ({
  code,
  key,
  altKey: false,
  ctrlKey: false,
  metaKey: false,
  shiftKey: false,
  ...mods,
});

describe('shortcutFor', () => {
  it('reads letters outside text fields by the key\'s place, so a Russian layout works too', () => {
    expect(shortcutFor(press('KeyJ', 'j'), false)).toBe('next');
    expect(shortcutFor(press('KeyJ', 'о'), false)).toBe('next');
    expect(shortcutFor(press('KeyK', 'л'), false)).toBe('prev');
    expect(shortcutFor(press('KeyA', 'ф'), false)).toBe('accept');
    expect(shortcutFor(press('KeyS', 's'), false)).toBe('snooze');
    expect(shortcutFor(press('KeyT', 't'), false)).toBe('transfer');
    expect(shortcutFor(press('KeyR', 'r'), false)).toBe('reply');
    expect(shortcutFor(press('KeyX', 'x'), false)).toBeNull();
  });

  it('leaves letters, / and ? to text fields', () => {
    expect(shortcutFor(press('KeyJ', 'j'), true)).toBeNull();
    expect(shortcutFor(press('Slash', '/'), true)).toBeNull();
    expect(shortcutFor(press('Slash', '?', { shiftKey: true }), true)).toBeNull();
    expect(shortcutFor(press('KeyC', 'C', { shiftKey: true }), true)).toBeNull();
  });

  it('moves with Alt+↓ / Alt+↑ everywhere, the reply box too', () => {
    expect(shortcutFor(press('ArrowDown', 'ArrowDown', { altKey: true }), true)).toBe('next');
    expect(shortcutFor(press('ArrowUp', 'ArrowUp', { altKey: true }), false)).toBe('prev');
    expect(shortcutFor(press('ArrowDown', 'ArrowDown'), false)).toBeNull();
    // Alt with anything else (history, menus) is the browser's.
    expect(shortcutFor(press('ArrowLeft', 'ArrowLeft', { altKey: true }), false)).toBeNull();
    expect(shortcutFor(press('KeyJ', 'j', { altKey: true }), false)).toBeNull();
  });

  it('takes nothing with Ctrl or ⌘: the browser\'s and the saved replies\' Ctrl+1..9', () => {
    for (const mod of [{ ctrlKey: true }, { metaKey: true }]) {
      expect(shortcutFor(press('Digit1', '1', mod), false)).toBeNull();
      expect(shortcutFor(press('KeyJ', 'j', mod), false)).toBeNull();
      expect(shortcutFor(press('ArrowDown', 'ArrowDown', { ...mod, altKey: true }), true)).toBeNull();
    }
  });

  it('asks Shift for closing, and takes / for search and ? for help', () => {
    expect(shortcutFor(press('KeyC', 'c'), false)).toBeNull();
    expect(shortcutFor(press('KeyC', 'C', { shiftKey: true }), false)).toBe('close');
    expect(shortcutFor(press('KeyJ', 'J', { shiftKey: true }), false)).toBeNull();
    expect(shortcutFor(press('Slash', '/'), false)).toBe('search');
    expect(shortcutFor(press('Slash', '?', { shiftKey: true }), false)).toBe('help');
    // "?" typed elsewhere on another layout.
    expect(shortcutFor(press('Digit7', '?', { shiftKey: true }), false)).toBe('help');
  });

  it('ignores keys held down and input methods composing', () => {
    expect(shortcutFor(press('KeyA', 'a', { repeat: true }), false)).toBeNull();
    expect(shortcutFor(press('KeyJ', 'j', { isComposing: true }), false)).toBeNull();
  });
});

describe('neighbour', () => {
  const ids = ['a', 'b', 'c'];
  it('steps through the list as shown and stops at its ends', () => {
    expect(neighbour(ids, 'a', 1)).toBe('b');
    expect(neighbour(ids, 'b', -1)).toBe('a');
    expect(neighbour(ids, 'c', 1)).toBeNull();
    expect(neighbour(ids, 'a', -1)).toBeNull();
  });

  it('starts at the first row (next) or the last (previous) when nothing shown is selected', () => {
    expect(neighbour(ids, null, 1)).toBe('a');
    expect(neighbour(ids, null, -1)).toBe('c');
    expect(neighbour(ids, 'gone', 1)).toBe('a');
    expect(neighbour([], null, 1)).toBeNull();
  });
});

describe('isTyping', () => {
  it('counts text fields, selects and editable elements, not buttons or boxes', () => {
    const el = (html: string) => {
      const host = document.createElement('div');
      host.innerHTML = html;
      return host.firstElementChild;
    };
    expect(isTyping(el('<textarea></textarea>'))).toBe(true);
    expect(isTyping(el('<input type="search">'))).toBe(true);
    expect(isTyping(el('<input>'))).toBe(true);
    expect(isTyping(el('<select></select>'))).toBe(true);
    expect(isTyping(el('<input type="checkbox">'))).toBe(false);
    expect(isTyping(el('<button></button>'))).toBe(false);
    expect(isTyping(el('<a href="#">x</a>'))).toBe(false);
    expect(isTyping(null)).toBe(false);
  });
});

describe('the help overlay', () => {
  it('has words for every row in both languages', () => {
    for (const row of SHORTCUT_TABLE) {
      const key = `keys.${row.action}` as keyof typeof ru;
      expect(ru[key], key).toBeTruthy();
      expect(en[key], key).toBeTruthy();
    }
  });
});
