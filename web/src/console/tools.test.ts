import { describe, expect, it } from 'vitest';
import { dialog, message, NIL_ID, operatorMessage } from '../test/fixtures';
import { bulkSummary, isNote, readMarkSeq, snippetParts, tagChoices, timeOnSite, visitorPatch, withVisitorRead } from './tools';

describe('snippetParts', () => {
  it('marks the bracketed words', () => {
    expect(snippetParts('…оплата [картой] не [прошла]')).toEqual([
      { text: '…оплата ', mark: false },
      { text: 'картой', mark: true },
      { text: ' не ', mark: false },
      { text: 'прошла', mark: true },
    ]);
  });
  it('keeps unbalanced brackets as text and never makes HTML', () => {
    expect(snippetParts('a [b')).toEqual([{ text: 'a [b', mark: false }]);
    expect(snippetParts('[<b>x</b>]')).toEqual([{ text: '<b>x</b>', mark: true }]);
    expect(snippetParts('')).toEqual([]);
  });
});

describe('tagChoices', () => {
  const dict = [
    { id: 't1', name: 'оплата', archived: false },
    { id: 't2', name: 'доставка', archived: false },
    { id: 't3', name: 'старый', archived: true },
    { id: 't4', name: 'Оплата частями', archived: false },
  ];
  it('offers active tags the dialog lacks, matching the search', () => {
    expect(tagChoices(dict, [{ id: 't2' }], '').map((t) => t.id)).toEqual(['t1', 't4']);
    expect(tagChoices(dict, [], 'ОПЛ').map((t) => t.id)).toEqual(['t1', 't4']);
    expect(tagChoices(dict, [], 'стар')).toEqual([]);
  });
});

describe('visitor card', () => {
  const words = { hm: '{h} ч {m} мин', ms: '{m}:{s}', s: '{s} с' };
  it('words time on site', () => {
    const start = '2026-01-01T10:00:00Z';
    expect(timeOnSite(start, Date.parse('2026-01-01T10:03:07Z'), words)).toBe('3:07');
    expect(timeOnSite(start, Date.parse('2026-01-01T12:05:00Z'), words)).toBe('2 ч 05 мин');
    expect(timeOnSite(start, Date.parse('2026-01-01T10:00:09Z'), words)).toBe('9 с');
    expect(timeOnSite(null, 0, words)).toBeNull();
  });
  it('a blank field clears it', () => {
    expect(visitorPatch('phone', ' +7 900 000-00-00 ')).toEqual({ phone: '+7 900 000-00-00' });
    expect(visitorPatch('email', '  ')).toEqual({ email: null });
  });
});

describe('read mark', () => {
  const list = [message(1), operatorMessage(2), operatorMessage(3, { audience: 'operators' }), message(4), operatorMessage(5)];
  it('sits under the latest operator message the visitor has read, never a note', () => {
    expect(readMarkSeq(list, 0)).toBeNull();
    expect(readMarkSeq(list, 1)).toBeNull();
    expect(readMarkSeq(list, 3)).toBe(2);
    expect(readMarkSeq(list, 5)).toBe(5);
  });
  it('only moves forward', () => {
    const d = dialog('d', { visitor_read_seq: 4 });
    expect(withVisitorRead(d, 3)).toBe(d);
    expect(withVisitorRead(d, 6).visitor_read_seq).toBe(6);
  });
  it('tells notes from system lines', () => {
    expect(isNote(operatorMessage(1, { audience: 'operators' }))).toBe(true);
    expect(isNote(message(1, { author: { kind: 'system', id: NIL_ID, name: null }, audience: 'operators' }))).toBe(false);
  });
});

describe('bulkSummary', () => {
  it('counts closed and keeps the refusals', () => {
    const s = bulkSummary([{ id: 'a', ok: true }, { id: 'b', ok: false, code: 'category_required', message: 'x' }]);
    expect(s.closed).toBe(1);
    expect(s.refused.map((r) => r.id)).toEqual(['b']);
  });
});

describe('shortUrl', () => {
  it('drops the scheme and a bare trailing slash', async () => {
    const { shortUrl } = await import('./tools');
    expect(shortUrl('https://shop.example.com/')).toBe('shop.example.com');
    expect(shortUrl('https://shop.example.com/kitchens/?city=msk')).toBe('shop.example.com/kitchens/?city=msk');
    expect(shortUrl('not a url')).toBe('not a url');
  });
});
