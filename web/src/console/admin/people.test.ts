import { describe, expect, it } from 'vitest';
import { operator } from '../../test/fixtures';
import { editOperatorDraft, generatePassword, membershipChanges, newOperatorDraft, operatorIssues, operatorPatch } from './people';

/** Bytes from a list, round and round. */
const bytes = (list: number[]) => {
  let i = 0;
  return (out: Uint8Array) => {
    for (let j = 0; j < out.length; j++) out[j] = list[i++ % list.length];
    return out;
  };
};

describe('a new operator\'s first password', () => {
  it('is four groups of four from an alphabet without look-alikes', () => {
    const p = generatePassword();
    expect(p).toMatch(/^[a-km-zA-HJ-NP-Z2-9]{4}(?:-[a-km-zA-HJ-NP-Z2-9]{4}){3}$/);
    expect(p).not.toMatch(/[0O1lI]/);
    expect(new Set(Array.from({ length: 50 }, () => generatePassword())).size).toBe(50);
  });

  it('draws again bytes past the last whole round of the alphabet (no modulo bias)', () => {
    // 57 letters: 228 and above would favour the first ones, so they are skipped.
    expect(generatePassword(bytes([250, 0, 255, 1]))).toBe('abab-abab-abab-abab');
  });
});

describe('the add and edit operator form', () => {
  it('checks name, e-mail and capacity before sending', () => {
    const d = { ...newOperatorDraft(), display_name: ' ', email: 'olga', capacity: '0' };
    expect(operatorIssues(d, true)).toEqual([
      { field: 'display_name', reason: 'required' },
      { field: 'email', reason: 'email' },
      { field: 'capacity', reason: 'range', min: 1, max: 50 },
    ]);
    expect(operatorIssues({ ...d, display_name: 'x'.repeat(81), email: 'olga@example.com', capacity: '5' }, true)).toEqual([
      { field: 'display_name', reason: 'too_long', max: 80 },
    ]);
    // Editing: the e-mail is not the form's.
    expect(operatorIssues({ ...d, display_name: 'Ольга', capacity: '5' }, false)).toEqual([]);
  });

  it('sends only what changed', () => {
    const o = operator('o', { display_name: 'Ольга', capacity: 4 });
    const d = editOperatorDraft(o, []);
    expect(operatorPatch(o, d)).toBeNull();
    expect(operatorPatch(o, { ...d, display_name: '  Ольга Петрова ' })).toEqual({ display_name: 'Ольга Петрова' });
    expect(operatorPatch(o, { ...d, capacity: '6' })).toEqual({ capacity: 6 });
    expect(operatorPatch(o, { ...d, display_name: 'Оля', capacity: '2' })).toEqual({ display_name: 'Оля', capacity: 2 });
  });

  it('moves him between channels', () => {
    expect(membershipChanges(['a', 'b'], ['b', 'a'])).toEqual({ join: [], leave: [] });
    expect(membershipChanges(['a', 'b'], ['b', 'c'])).toEqual({ join: ['c'], leave: ['a'] });
  });
});
