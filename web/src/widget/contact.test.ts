import { describe, expect, it } from 'vitest';
import { contactPatch, contactSlip, refusedField } from './contact';

describe('contactPatch', () => {
  it('sends only what changed, trimmed', () => {
    expect(contactPatch({ name: 'Иван' }, { name: ' Иван ', email: ' ivan@example.com ', phone: '' })).toEqual({ email: 'ivan@example.com' });
    expect(contactPatch({}, { name: 'Иван', email: '', phone: '+7 900 123-45-67' })).toEqual({ name: 'Иван', phone: '+7 900 123-45-67' });
    expect(contactPatch({ name: 'Иван', email: 'a@example.com' }, { name: 'Иван', email: 'a@example.com', phone: '' })).toEqual({});
  });

  it('clears an e-mail or phone the visitor emptied, but never the name', () => {
    expect(contactPatch({ name: 'Иван', email: 'a@example.com', phone: '123456' }, { name: '', email: '', phone: ' ' })).toEqual({ email: null, phone: null });
  });
});

describe('contactSlip', () => {
  it('catches an e-mail without @ or domain', () => {
    expect(contactSlip('email', 'ivan@example.com')).toBeNull();
    expect(contactSlip('email', 'ivan.example.com')).toBe('email');
    expect(contactSlip('email', 'ivan@example')).toBe('email');
    expect(contactSlip('email', '')).toBeNull();
  });

  it('catches a phone with letters or too few digits', () => {
    expect(contactSlip('phone', '+7 (900) 123-45-67')).toBeNull();
    expect(contactSlip('phone', 'call me')).toBe('phone');
    expect(contactSlip('phone', '12')).toBe('phone');
    expect(contactSlip('phone', '1'.repeat(16))).toBe('phone');
    expect(contactSlip('name', 'anything')).toBeNull();
  });
});

describe('refusedField', () => {
  it('reads the field a refusal names', () => {
    expect(refusedField({ field: 'email' })).toBe('email');
    expect(refusedField({ field: 'visitor.phone' })).toBe('phone');
    expect(refusedField({ field: 'token' })).toBeNull();
    expect(refusedField({})).toBeNull();
  });
});
