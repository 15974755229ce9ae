import { describe, expect, it } from 'vitest';
import { initials, visitorName } from './names';

describe('names', () => {
  it('falls back to the numbered visitor name', () => {
    expect(visitorName({ name: null, number: 42 }, 'Посетитель {n}')).toBe('Посетитель 42');
    expect(visitorName({ name: '  ', number: 7 }, 'Visitor {n}')).toBe('Visitor 7');
    expect(visitorName({ name: 'Иван', number: 7 }, 'Visitor {n}')).toBe('Иван');
  });

  it('makes avatar letters', () => {
    expect(initials('Посетитель 42')).toBe('42');
    expect(initials('Мария Петрова')).toBe('МП');
    expect(initials('anna')).toBe('AN');
  });
});
