import { describe, expect, it } from 'vitest';
import { draftsFrom, fieldPath, moveItem, newCondition, newRule, parseFieldPath, retype, rulesRequest } from './rules';

describe('routing rules editor', () => {
  it('moves a rule up and down within the list', () => {
    expect(moveItem(['a', 'b', 'c'], 2, -1)).toEqual(['a', 'c', 'b']);
    expect(moveItem(['a', 'b', 'c'], 0, 1)).toEqual(['b', 'a', 'c']);
    expect(moveItem(['a', 'b', 'c'], 0, -1)).toEqual(['a', 'b', 'c']);
    expect(moveItem(['a', 'b', 'c'], 2, 1)).toEqual(['a', 'b', 'c']);
  });

  it('saves the drafts as the server wants them, in order and trimmed', () => {
    const drafts = draftsFrom([
      { id: 'r1', name: ' Кухни ', channel_id: 'c1', conditions: [{ type: 'url', pattern: ' https://shop.example/kitchens/* ', regex: false }] },
      { id: 'r2', name: 'Москва', channel_id: 'c2', conditions: [{ type: 'property', name: 'city', value: 'Москва' }, { type: 'language', value: 'ru' }] },
    ]);
    const added = { ...newRule('c3'), name: 'English', conditions: [{ ...newCondition('language'), value: 'en' }] };
    expect(rulesRequest(moveItem([...drafts, added], 2, -2))).toEqual({
      items: [
        { name: 'English', channel_id: 'c3', conditions: [{ type: 'language', value: 'en' }] },
        { name: 'Кухни', channel_id: 'c1', conditions: [{ type: 'url', pattern: 'https://shop.example/kitchens/*', regex: false }] },
        { name: 'Москва', channel_id: 'c2', conditions: [{ type: 'property', name: 'city', value: 'Москва' }, { type: 'language', value: 'ru' }] },
      ],
    });
  });

  it('changes a condition\'s type keeping its place', () => {
    const c = newCondition('url');
    const changed = retype(c, 'property');
    expect(changed).toMatchObject({ key: c.key, type: 'property', name: '', value: '' });
    expect(retype(c, 'url')).toBe(c);
  });

  it('reads the server\'s field paths back to a rule, a condition and a field', () => {
    expect(parseFieldPath('items[2].conditions[0].pattern')).toEqual({ rule: 2, condition: 0, field: 'pattern' });
    expect(parseFieldPath('items[0].name')).toEqual({ rule: 0, condition: null, field: 'name' });
    expect(parseFieldPath('items[1].conditions')).toEqual({ rule: 1, condition: null, field: 'conditions' });
    expect(parseFieldPath('items[3]')).toEqual({ rule: 3, condition: null, field: null });
    expect(parseFieldPath('email')).toBeNull();
    expect(fieldPath(2, 'pattern', 0)).toBe('items[2].conditions[0].pattern');
    expect(fieldPath(1, 'channel_id')).toBe('items[1].channel_id');
  });
});
