import { describe, expect, it } from 'vitest';
import { cleanProperties, MAX_PROPERTIES, parseProperties } from './properties';

describe('visitor properties', () => {
  it('keep a flat map of short strings', () => {
    expect(cleanProperties({ city: ' Москва ', orders: 3, vip: true, nested: { a: 1 }, list: [1], empty: '', none: null })).toEqual({
      city: 'Москва',
      orders: '3',
      vip: 'true',
    });
    expect(cleanProperties(null)).toEqual({});
    expect(cleanProperties(['a'])).toEqual({});
    expect(cleanProperties('city=Москва')).toEqual({});
    expect(cleanProperties({ note: 'x'.repeat(1000) }).note).toHaveLength(256);
    const many = Object.fromEntries(Array.from({ length: 30 }, (_, i) => [`k${i}`, 'v']));
    expect(Object.keys(cleanProperties(many))).toHaveLength(MAX_PROPERTIES);
  });

  it('read them back from the frame URL', () => {
    expect(parseProperties(JSON.stringify({ city: 'Москва' }))).toEqual({ city: 'Москва' });
    expect(parseProperties('{broken')).toEqual({});
    expect(parseProperties(null)).toEqual({});
  });
});
