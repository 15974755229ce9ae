import { describe, expect, it } from 'vitest';
import { tables } from './i18n';
import { checkOffline, offlineErrorKey, offlineRefusedField, offlineRequest, OFFLINE_FIELDS } from './offline';

const good = { name: 'Иван', email: 'ivan@example.com', phone: '', question: 'Сколько стоит кухня?' };

describe('checkOffline', () => {
  it('passes a name, one way to answer and a question', () => {
    expect(checkOffline(good)).toEqual({});
    expect(checkOffline({ ...good, email: '', phone: '+7 900 123-45-67' })).toEqual({});
  });

  it('names every slip at once', () => {
    expect(checkOffline({ name: '  ', email: '', phone: '', question: '\n' })).toEqual({ name: 'required', contact: 'required', question: 'required' });
  });

  it('catches a wrong e-mail or phone even when the other one is fine', () => {
    expect(checkOffline({ ...good, email: 'ivan@example' })).toEqual({ email: 'invalid' });
    expect(checkOffline({ ...good, phone: 'звоните' })).toEqual({ phone: 'invalid' });
  });

  it('counts the name in characters as people do', () => {
    expect(checkOffline({ ...good, name: '😀'.repeat(80) })).toEqual({});
    expect(checkOffline({ ...good, name: 'a'.repeat(81) })).toEqual({ name: 'too_long' });
  });
});

describe('offlineRequest', () => {
  it('trims and leaves an empty e-mail or phone out', () => {
    expect(offlineRequest('c1', { name: ' Иван ', email: ' ', phone: ' +7 900 123-45-67 ', question: ' Вопрос ' })).toEqual({
      client_id: 'c1',
      name: 'Иван',
      phone: '+7 900 123-45-67',
      question: 'Вопрос',
    });
  });
});

describe('offlineRefusedField', () => {
  it('reads the field the server named', () => {
    expect(offlineRefusedField({ field: 'email' })).toBe('email');
    expect(offlineRefusedField({ field: 'contact' })).toBe('contact');
    expect(offlineRefusedField({ field: 'offline.question' })).toBe('question');
    expect(offlineRefusedField({ field: 'page_url' })).toBeNull();
    expect(offlineRefusedField({})).toBeNull();
  });
});

describe('offlineErrorKey', () => {
  it('has words for every field and slip, in both languages', () => {
    for (const field of OFFLINE_FIELDS) {
      for (const slip of ['required', 'too_long', 'invalid'] as const) {
        const key = offlineErrorKey(field, slip);
        expect(tables.ru[key], `${field} ${slip}`).toBeTruthy();
        expect(tables.en[key], `${field} ${slip}`).toBeTruthy();
      }
    }
    expect(tables.en[offlineErrorKey('contact', 'required')]).toBe('Leave an e-mail or a phone number, or we cannot answer you.');
    expect(tables.en[offlineErrorKey('email', 'invalid')]).toBe('This e-mail address looks wrong.');
  });
});
