import { describe, expect, it } from 'vitest';
import { message } from '../test/fixtures';
import { Conversation } from './conversation';
import {
  checkForm,
  digitsOnly,
  formAnswers,
  formErrorKey,
  formSentOf,
  refusedAnswer,
  startValues,
  submittedAnswer,
  wholePattern,
  type FormFieldView,
  type FormSlip,
} from './forms';
import { makeT, tables } from './i18n';
import { systemText } from './system-line';

const fields: FormFieldView[] = [
  { key: 'contract', label: 'Номер договора', kind: 'contract', pattern: '\\d{6}', required: true },
  { key: 'email', label: 'E-mail', kind: 'email', required: true },
  { key: 'phone', label: 'Телефон', kind: 'phone', required: false },
  { key: 'problem', label: 'Что случилось', kind: 'text', required: false },
];
const good = { contract: '123456', email: 'ivan@example.com', phone: '', problem: '' };
const system = (seq: number, event: Record<string, unknown>) =>
  message(seq, { author: { kind: 'system', id: '00000000-0000-0000-0000-000000000000', name: null }, body: '', event });

describe('checkForm', () => {
  it('passes a form filled as the server wants it', () => {
    expect(checkForm(fields, good)).toEqual({});
    expect(checkForm(fields, { ...good, phone: '+7 (900) 123-45-67', problem: 'Не закрывается\nдверца' })).toEqual({});
  });

  it('names every slip at once, blank required fields too (values are trimmed)', () => {
    expect(checkForm(fields, { contract: '  ', email: ' ', phone: 'звоните', problem: '' })).toEqual({ contract: 'required', email: 'required', phone: 'phone' });
    expect(checkForm(fields, {})).toEqual({ contract: 'required', email: 'required' });
  });

  it('matches a contract number against its whole pattern', () => {
    expect(checkForm(fields, { ...good, contract: ' 123456 ' })).toEqual({});
    expect(checkForm(fields, { ...good, contract: '1234567' })).toEqual({ contract: 'format' });
    expect(checkForm(fields, { ...good, contract: 'a123456' })).toEqual({ contract: 'format' });
    // An alternation is matched whole too: `^(?:a|b)$`, not `^a|b$`.
    const either: FormFieldView[] = [{ key: 'c', label: 'C', kind: 'contract', pattern: 'AB-\\d{2}|\\d{4}', required: true }];
    expect(checkForm(either, { c: 'AB-12' })).toEqual({});
    expect(checkForm(either, { c: 'AB-12x' })).toEqual({ c: 'format' });
    expect(checkForm(either, { c: 'x1234' })).toEqual({ c: 'format' });
  });

  it('leaves a pattern JavaScript cannot compile to the server', () => {
    expect(wholePattern('(?<x')).toBeNull();
    expect(wholePattern(null)).toBeNull();
    const odd: FormFieldView[] = [{ key: 'c', label: 'C', kind: 'contract', pattern: '[', required: true }];
    expect(checkForm(odd, { c: 'anything' })).toEqual({});
    expect(checkForm(odd, { c: '' })).toEqual({ c: 'required' });
  });

  it('checks e-mails and phones like the rest of the widget', () => {
    expect(checkForm(fields, { ...good, email: 'ivan@example' })).toEqual({ email: 'email' });
    expect(checkForm(fields, { ...good, phone: '1234' })).toEqual({ phone: 'phone' });
    expect(checkForm(fields, { ...good, phone: '1'.repeat(16) })).toEqual({ phone: 'phone' });
  });

  it('counts a text answer in characters as people do, and refuses control characters', () => {
    expect(checkForm(fields, { ...good, problem: '😀'.repeat(1000) })).toEqual({});
    expect(checkForm(fields, { ...good, problem: 'я'.repeat(1001) })).toEqual({ problem: 'too_long' });
    expect(checkForm(fields, { ...good, problem: 'a\tb' })).toEqual({ problem: 'invalid' });
  });

  it('takes a kind it does not know as text', () => {
    expect(checkForm([{ key: 'x', label: 'X', kind: 'date', required: true }], { x: '01.01.2026' })).toEqual({});
  });
});

describe('formAnswers', () => {
  it('sends the form\'s fields only, trimmed, blank ones left out', () => {
    expect(formAnswers(fields, { contract: ' 123456 ', email: 'ivan@example.com ', phone: '  ', problem: '', stray: 'x' })).toEqual({
      contract: '123456',
      email: 'ivan@example.com',
    });
  });
});

describe('refusedAnswer', () => {
  const sent = { contract: '123456', email: 'ivan@example.com' };
  it('reads the field and the reason the server named', () => {
    expect(refusedAnswer(fields, { field: 'answers.contract' }, 'answers.contract: does not match the expected format', sent)).toEqual({ key: 'contract', slip: 'format' });
    expect(refusedAnswer(fields, { field: 'answers.email' }, 'answers.email: not an e-mail address', sent)).toEqual({ key: 'email', slip: 'email' });
    expect(refusedAnswer(fields, { field: 'answers.phone' }, 'answers.phone: not a phone number', sent)).toEqual({ key: 'phone', slip: 'phone' });
    expect(refusedAnswer(fields, { field: 'answers.problem' }, 'answers.problem: at most 1000 characters', sent)).toEqual({ key: 'problem', slip: 'too_long' });
    expect(refusedAnswer(fields, { field: 'answers.email', reason: 'required' }, '', {})).toEqual({ key: 'email', slip: 'required' });
  });

  it('guesses from the field when the reason is not one it knows', () => {
    expect(refusedAnswer(fields, { field: 'answers.contract' }, 'nope', sent)).toEqual({ key: 'contract', slip: 'format' });
    expect(refusedAnswer(fields, { field: 'answers.email' }, 'nope', {})).toEqual({ key: 'email', slip: 'required' });
    expect(refusedAnswer(fields, { field: 'answers.problem' }, 'nope', { problem: 'x' })).toEqual({ key: 'problem', slip: 'invalid' });
  });

  it('names no field for a refusal of the whole body or a key the form does not have', () => {
    expect(refusedAnswer(fields, { field: 'answers' }, 'answers: at most 40 answers', sent)).toBeNull();
    expect(refusedAnswer(fields, { field: 'answers.other' }, '', sent)).toBeNull();
    expect(refusedAnswer(fields, {}, '', sent)).toBeNull();
  });
});

describe('form system lines', () => {
  it('read a form_sent line and the form_submitted answer of the same request', () => {
    const sentLine = system(3, { kind: 'form_sent', request: 'r1', form: ' Возврат ', by: 'Анна' });
    expect(formSentOf(sentLine)).toEqual({ request: 'r1', form: 'Возврат', by: 'Анна' });
    expect(formSentOf(system(3, { kind: 'form_sent', form: 'Возврат' }))).toBeNull();
    expect(formSentOf(system(3, { kind: 'transfer_notice' }))).toBeNull();
    const answered = system(5, { kind: 'form_submitted', request: 'r1', form: 'Возврат', number: 2, client_number: 2, answer: 'Спасибо! Заявка №2.' });
    expect(submittedAnswer([sentLine, answered], 'r1')).toBe('Спасибо! Заявка №2.');
    expect(submittedAnswer([sentLine, answered], 'r2')).toBeNull();
  });

  it('show the form_submitted answer as it came, and never an operators\' ticket line', () => {
    const answer = 'Спасибо! Ваша заявка №2 передана в сервисный отдел. Ответ придёт на почту до 07.12.2026, 15:00.';
    const line = { body: '', event: { kind: 'form_submitted', request: 'r1', form: 'Возврат', number: 3, client_number: 2, answer } };
    expect(systemText(line, makeT('ru'))).toBe(answer);
    expect(systemText(line, makeT('en'))).toBe(answer);
    expect(systemText({ body: '', event: { kind: 'form_submitted', request: 'r1', form: 'Возврат' } }, makeT('en'))).toBe('The form "Возврат" was sent');
    expect(systemText({ body: '', event: { kind: 'ticket_answered', request: 'r1' } }, makeT('ru'))).toBeNull();
    expect(systemText({ body: '', event: { kind: 'form_sent', request: 'r1', form: 'Возврат' } }, makeT('ru'))).toBe('Оператор прислал форму «Возврат»');
  });

  it('count a form sent while he was away as unread', () => {
    const c = new Conversation();
    c.receive(message(1));
    c.receive(system(2, { kind: 'form_sent', request: 'r1', form: 'Возврат', by: 'Анна' }));
    c.receive(system(3, { kind: 'transfer_notice' }));
    expect(c.unreadAfter({ dialog_id: 'd1', seq: 1 })).toBe(1);
  });
});

describe('form words', () => {
  it('have words for every slip, in both languages', () => {
    for (const slip of ['required', 'too_long', 'format', 'email', 'phone', 'invalid'] as FormSlip[]) {
      expect(tables.ru[formErrorKey(slip)], slip).toBeTruthy();
      expect(tables.en[formErrorKey(slip)], slip).toBeTruthy();
    }
    expect(Object.keys(tables.en).sort()).toEqual(Object.keys(tables.ru).sort());
  });
});

describe('startValues', () => {
  it('fills the e-mail and phone he gave before, keeping what he typed', () => {
    expect(startValues(fields, { email: 'a@example.com', phone: '' })).toEqual({ contract: '', email: 'a@example.com', phone: '', problem: '' });
    expect(startValues(fields, { email: 'a@example.com', phone: '+7 900' }, { email: 'b@example.com' }).email).toBe('b@example.com');
  });
});

describe('digitsOnly', () => {
  it('tells a digits-only pattern', () => {
    expect(digitsOnly('\\d{6}')).toBe(true);
    expect(digitsOnly('[0-9]{4,8}')).toBe(true);
    expect(digitsOnly('AB-\\d{2}')).toBe(false);
    expect(digitsOnly(undefined)).toBe(false);
  });
});
