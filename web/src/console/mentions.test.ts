import { describe, expect, it } from 'vitest';
import { operator } from '../test/fixtures';
import { insertMention, matchOperators, mentionAt, mentionDone } from './mentions';

describe('mentionAt', () => {
  it('reads the name typed after an @ at a word start', () => {
    expect(mentionAt('@', 1)).toEqual({ start: 0, query: '' });
    expect(mentionAt('Передай @Ив', 11)).toEqual({ start: 8, query: 'Ив' });
    expect(mentionAt('Передай @Иван Пе', 16)).toEqual({ start: 8, query: 'Иван Пе' });
  });
  it('ignores e-mail addresses, line breaks and a space right after @', () => {
    expect(mentionAt('anna@example.com', 16)).toBeNull();
    expect(mentionAt('@Ив\nдальше', 10)).toBeNull();
    expect(mentionAt('@ Иван', 6)).toBeNull();
    expect(mentionAt('без упоминаний', 5)).toBeNull();
  });
});

describe('matchOperators', () => {
  const ops = [
    operator('op1', { display_name: 'Анна Смирнова' }),
    operator('op2', { display_name: 'Иван Петров' }),
    operator('op3', { display_name: 'Пётр Иванов' }),
  ];
  it('matches a name or any word of it, not the operator himself', () => {
    expect(matchOperators(ops, 'ив', 'op1').map((o) => o.id)).toEqual(['op2', 'op3']);
    expect(matchOperators(ops, 'петр', 'op1').map((o) => o.id)).toEqual(['op2', 'op3']);
    expect(matchOperators(ops, '', 'op1').map((o) => o.id)).toEqual(['op2', 'op3']);
    expect(matchOperators(ops, 'смир', 'op1')).toEqual([]);
  });
});

describe('insertMention', () => {
  it('puts @Name and one space, caret after it', () => {
    const text = 'Коллеги, @ив посмотрите';
    const q = mentionAt(text, 12)!;
    expect(insertMention(text, q, 12, 'Иван Петров')).toEqual({ value: 'Коллеги, @Иван Петров посмотрите', caret: 22 });
  });
});

describe('mentionDone', () => {
  it('a whole name and a space ends the mention; a first name and a space does not', () => {
    const ops = [operator('op2', { display_name: 'Иван Петров' })];
    expect(mentionDone('Иван Петров ', ops)).toBe(true);
    expect(mentionDone('Иван ', ops)).toBe(false);
    expect(mentionDone('Иван Петров', ops)).toBe(false);
  });
});
