import { describe, expect, it } from 'vitest';
import { splitLinks } from './links';

describe('splitLinks', () => {
  it('links http and https and keeps the rest as text', () => {
    expect(splitLinks('see https://example.org/a?b=1, thanks')).toEqual([
      { text: 'see ' },
      { text: 'https://example.org/a?b=1', href: 'https://example.org/a?b=1' },
      { text: ', thanks' },
    ]);
  });

  it('never links other schemes', () => {
    for (const text of ['javascript:alert(1)', 'data:text/html,<b>x</b>', 'ftp://x.org/file']) {
      expect(splitLinks(text).every((p) => !p.href)).toBe(true);
    }
  });

  it('keeps a parenthesis that belongs to the URL', () => {
    const parts = splitLinks('(https://en.wikipedia.org/wiki/Foo_(bar))');
    expect(parts.find((p) => p.href)?.text).toBe('https://en.wikipedia.org/wiki/Foo_(bar)');
  });

  it('returns the text itself when there is no link', () => {
    expect(splitLinks('<b>not html</b>')).toEqual([{ text: '<b>not html</b>' }]);
  });
});
