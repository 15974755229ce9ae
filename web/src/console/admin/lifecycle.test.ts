/** The pure parts of an operator's life: audit sentences, browsers in short, the password form's checks, the operators' order. */
import { describe, expect, it } from 'vitest';
import type { AuditView } from '../../shared/api-types';
import { operator } from '../../test/fixtures';
import { makeT } from '../i18n';
import {
  auditActor,
  auditSentence,
  isPasswordFieldProblem,
  passwordIssues,
  passwordMessages,
  shortUserAgent,
  sortOperators,
} from './lifecycle';

const ru = makeT('ru');
const en = makeT('en');
const anna = { id: 'a', name: 'Анна' };
const boris = { id: 'b', name: 'Борис' };

function line(action: string, over: Partial<AuditView> = {}): AuditView {
  return { id: action, at: '2026-12-04T17:20:00Z', actor: anna, action, target: boris, ip: '10.0.0.7', details: {}, ...over };
}

describe('audit sentences', () => {
  it('say each action in its own words, in Russian', () => {
    expect(auditSentence(ru, line('operator.created'))).toBe('Добавлен оператор Борис');
    expect(auditSentence(ru, line('operator.deactivated'))).toBe('Деактивирован оператор Борис');
    expect(auditSentence(ru, line('operator.reactivated'))).toBe('Восстановлен доступ оператора: Борис');
    expect(auditSentence(ru, line('operator.role_changed', { details: { from: 'operator', to: 'supervisor' } }))).toBe(
      'Сменена роль оператора: Борис — «Оператор» → «Старший оператор»',
    );
    expect(auditSentence(ru, line('operator.password_reset'))).toBe('Сброшен пароль оператора: Борис');
    expect(auditSentence(ru, line('password.changed', { target: anna }))).toBe('Изменён собственный пароль');
    expect(auditSentence(ru, line('login.failed', { actor: null, target: null, details: { email: 'boris@example.org' } }))).toBe(
      'Неудачная попытка входа: boris@example.org',
    );
  });

  it('say each action in English', () => {
    expect(auditSentence(en, line('operator.created'))).toBe('Added operator Борис');
    expect(auditSentence(en, line('operator.deactivated'))).toBe('Deactivated Борис');
    expect(auditSentence(en, line('operator.reactivated'))).toBe('Reactivated Борис');
    expect(auditSentence(en, line('operator.role_changed', { details: { from: 'admin', to: 'operator' } }))).toBe(
      'Changed the role of Борис: “Administrator” → “Operator”',
    );
    expect(auditSentence(en, line('operator.password_reset'))).toBe('Reset the password of Борис');
    expect(auditSentence(en, line('password.changed', { target: anna }))).toBe('Changed their own password');
    expect(auditSentence(en, line('login.failed', { actor: null, target: null, details: { email: 'x@y.z' } }))).toBe('Failed sign-in: x@y.z');
  });

  it('still say something when details, names or the action are unknown', () => {
    expect(auditSentence(ru, line('operator.role_changed'))).toBe('Сменена роль оператора: Борис');
    expect(auditSentence(ru, line('operator.role_changed', { details: { from: 'operator', to: 'owner' } }))).toBe(
      'Сменена роль оператора: Борис — «Оператор» → «owner»',
    );
    expect(auditSentence(ru, line('operator.deactivated', { target: null }))).toBe('Деактивирован оператор (без имени)');
    expect(auditSentence(ru, line('login.failed', { actor: null, details: {} }))).toBe('Неудачная попытка входа');
    expect(auditSentence(ru, line('channel.created'))).toBe('Действие «channel.created»');
    expect(auditSentence(ru, line('password.changed', { actor: anna, target: boris }))).toBe('Изменён пароль оператора: Борис');
  });

  it('name who did it, or a dash for a failed sign-in', () => {
    expect(auditActor(ru, line('operator.created'))).toBe('Анна');
    expect(auditActor(ru, line('login.failed', { actor: null }))).toBe('—');
    expect(auditActor(en, line('login.failed', { actor: { id: 'x', name: '  ' } }))).toBe('—');
  });
});

describe('browsers in short', () => {
  it('name the browser, its major version and the system', () => {
    expect(
      shortUserAgent('Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36'),
    ).toBe('Chrome 131, Windows');
    expect(
      shortUserAgent(
        'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36 Edg/131.0.2903.86',
      ),
    ).toBe('Edge 131, Windows');
    expect(shortUserAgent('Mozilla/5.0 (X11; Ubuntu; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0')).toBe('Firefox 133, Linux');
    expect(
      shortUserAgent(
        'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.6 Safari/605.1.15',
      ),
    ).toBe('Safari 17, macOS');
    expect(
      shortUserAgent(
        'Mozilla/5.0 (iPhone; CPU iPhone OS 17_6 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.6 Mobile/15E148 Safari/604.1',
      ),
    ).toBe('Safari 17, iOS');
    expect(
      shortUserAgent('Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.6778.81 Mobile Safari/537.36'),
    ).toBe('Chrome 131, Android');
    expect(
      shortUserAgent(
        'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/128.0.0.0 YaBrowser/24.10.0.0 Safari/537.36',
      ),
    ).toBe('Yandex Browser 24, Windows');
    expect(
      shortUserAgent('Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/131.0.0.0 Safari/537.36'),
    ).toBe('Chrome Headless 131, Linux');
  });

  it('cut what it cannot read, and give nothing for nothing', () => {
    expect(shortUserAgent('curl/8.5.0')).toBe('curl/8.5.0');
    expect(shortUserAgent('SomeVeryLongToolName/1.0 (a build for an unusual platform of some kind)')).toBe(
      'SomeVeryLongToolName/1.0 (a build for a…',
    );
    expect(shortUserAgent(null)).toBeNull();
    expect(shortUserAgent('   ')).toBeNull();
  });
});

describe('the change-password form', () => {
  it('asks for every field, 8–256 characters and the same password twice', () => {
    expect(passwordIssues({ current: '', next: '', repeat: '' })).toEqual([
      { field: 'current_password', reason: 'required' },
      { field: 'new_password', reason: 'required' },
      { field: 'new_password_repeat', reason: 'required' },
    ]);
    expect(passwordIssues({ current: 'old', next: 'short', repeat: 'short' })).toEqual([{ field: 'new_password', reason: 'too_short' }]);
    expect(passwordIssues({ current: 'old', next: 'x'.repeat(257), repeat: 'x'.repeat(257) })).toEqual([
      { field: 'new_password', reason: 'too_long' },
    ]);
    expect(passwordIssues({ current: 'old', next: 'long enough', repeat: 'long enougH' })).toEqual([
      { field: 'new_password_repeat', reason: 'mismatch' },
    ]);
    expect(passwordIssues({ current: 'old', next: 'пароль12', repeat: 'пароль12' })).toEqual([]);
    // Characters, not bytes: eight emoji are eight characters.
    expect(passwordIssues({ current: 'old', next: '😀'.repeat(8), repeat: '😀'.repeat(8) })).toEqual([]);
  });

  it('puts the server\'s refusal of a field beside it, in the console\'s words', () => {
    const wrong = { code: 'validation_failed', details: { field: 'current_password' }, message: 'current_password: is not your current password' };
    expect(passwordMessages(ru, [], wrong).get('current_password')).toBe('Текущий пароль указан неверно.');
    expect(isPasswordFieldProblem(wrong)).toBe(true);
    const short = { code: 'validation_failed', details: { field: 'new_password' }, message: 'new_password: too short' };
    expect(passwordMessages(en, [], short).get('new_password')).toBe('A password is 8 to 256 characters.');
    const limited = { code: 'rate_limited', details: {} };
    expect(passwordMessages(ru, [], limited).size).toBe(0);
    expect(isPasswordFieldProblem(limited)).toBe(false);
    expect(passwordMessages(ru, [{ field: 'new_password_repeat', reason: 'mismatch' }], null).get('new_password_repeat')).toBe('Пароли не совпадают.');
  });
});

describe('the operators page order', () => {
  it('puts active operators first, each group by name', () => {
    const list = [
      operator('1', { display_name: 'Борис', deactivated: true }),
      operator('2', { display_name: 'Яна' }),
      operator('3', { display_name: 'Анна', deactivated: true }),
      operator('4', { display_name: 'Вера', deactivated: false }),
    ];
    expect(sortOperators(list, 'ru').map((o) => o.display_name)).toEqual(['Вера', 'Яна', 'Анна', 'Борис']);
  });
});
