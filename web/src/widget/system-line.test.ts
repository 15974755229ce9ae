import { describe, expect, it } from 'vitest';
import { makeT } from './i18n';
import { systemText } from './system-line';

describe('widget system lines', () => {
  it('word the transfer notice in the visitor\'s language', () => {
    const notice = { body: '', event: { kind: 'transfer_notice' as const, operator: { id: 'op2', display_name: 'Иван' } } };
    expect(systemText(notice, makeT('ru'))).toBe('Вас переключили на Иван');
    expect(systemText(notice, makeT('en'))).toBe('Your chat was passed to Иван');
    const anonymous = { body: '', event: { kind: 'transfer_notice' as const } };
    expect(systemText(anonymous, makeT('ru'))).toBe('Вас переключили на коллегу');
    expect(systemText(anonymous, makeT('en'))).toBe('Your chat was passed to a colleague');
    expect(systemText({ body: '', event: { kind: 'transfer_notice', operator: 'Анна' } }, makeT('en'))).toBe('Your chat was passed to Анна');
  });

  it('show any other line by its body, or not at all', () => {
    expect(systemText({ body: 'Чат начат', event: null }, makeT('ru'))).toBe('Чат начат');
    expect(systemText({ body: '', event: null }, makeT('ru'))).toBeNull();
  });
});
