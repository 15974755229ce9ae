import { describe, expect, it } from 'vitest';
import type { CustomFieldView } from '../shared/api-types';
import { dialog } from '../test/fixtures';
import {
  fieldsRequiredText,
  filterFields,
  holdsFieldValue,
  inputText,
  liveFields,
  missingFields,
  parseFieldFilter,
  readValue,
  requiredFor,
  requiredOf,
  unchanged,
  valueProblemText,
} from './field-values';
import { makeT } from './i18n';

const t = makeT('ru');
const en = makeT('en');

function field(key: string, over: Partial<CustomFieldView> = {}): CustomFieldView {
  return {
    id: `f-${key}`,
    key,
    label: key,
    target: 'dialog',
    kind: 'text',
    options: [],
    format: 'none',
    pattern: null,
    required: { always: false, channels: [], categories: [] },
    position: 0,
    archived: false,
    created_at: '2026-03-05T10:00:00Z',
    ...over,
  };
}

const model = field('model', { label: 'Модель', format: 'upper', pattern: '[A-Z0-9 ]+', required: { always: false, channels: [], categories: ['cat1'] } });
const serial = field('serial', { label: 'Серийный номер', position: 1, required: { always: false, channels: ['c1'], categories: [] } });
const device = field('device', { label: 'Устройство', kind: 'choice', options: ['Телефон', 'Ноутбук'], position: 2 });
const city = field('city', { label: 'Город', target: 'visitor', kind: 'choice', options: ['Москва'] });
const old = field('old', { archived: true, required: { always: true, channels: [], categories: [] } });

describe('which fields a dialog shows and asks for', () => {
  it('shows the live fields of its target in the admin\'s order', () => {
    expect(liveFields([device, old, city, serial, model], 'dialog').map((f) => f.key)).toEqual(['model', 'serial', 'device']);
    expect(liveFields([device, city], 'visitor').map((f) => f.key)).toEqual(['city']);
  });

  it('requires a field always, or for the dialog\'s channel or category', () => {
    const d = dialog('d1', { channel_id: 'c1' });
    expect(requiredFor(model, d)).toBe(false);
    expect(requiredFor(model, { ...d, category: { id: 'cat1', name: 'Цифровая техника' } })).toBe(true);
    expect(requiredFor(serial, d)).toBe(true);
    expect(requiredFor(serial, { ...d, channel_id: 'c2' })).toBe(false);
    expect(requiredFor(field('x', { required: { always: true, channels: [], categories: [] } }), d)).toBe(true);
    expect(requiredFor({ ...city, required: { always: true, channels: [], categories: [] } }, d)).toBe(false);
  });

  it('lists the required ones still empty (an archived one asks nothing)', () => {
    const d = dialog('d1', { channel_id: 'c1', category: { id: 'cat1', name: 'Ц' }, fields: { serial: '  ' } });
    expect(missingFields([model, serial, device, old], d).map((f) => f.key)).toEqual(['model', 'serial']);
    expect(missingFields([model, serial], { ...d, fields: { model: 'IPHONE 15', serial: 'A1' } })).toEqual([]);
  });
});

describe('a value in an input and on the wire', () => {
  it('shows a kept value: a date as the date input holds it, a number as written', () => {
    expect(inputText(model, 'IPHONE 15')).toBe('IPHONE 15');
    expect(inputText(field('paid_at', { kind: 'date' }), '2026-03-05T00:00:00Z')).toBe('2026-03-05');
    expect(inputText(field('paid_at', { kind: 'date' }), '2026-03-05')).toBe('2026-03-05');
    expect(inputText(field('n', { kind: 'number' }), 3.5)).toBe('3.5');
    expect(inputText(model, null)).toBe('');
  });

  it('reads what was typed: blank clears, numbers and dates checked, text trimmed', () => {
    expect(readValue(model, '  iphone 15 ')).toEqual({ ok: true, value: 'iphone 15' });
    expect(readValue(model, '   ')).toEqual({ ok: true, value: null });
    expect(readValue(field('n', { kind: 'number' }), '1 234,5')).toEqual({ ok: true, value: 1234.5 });
    expect(readValue(field('n', { kind: 'number' }), 'двенадцать')).toEqual({ ok: false, trouble: 'number' });
    expect(readValue(field('d_at', { kind: 'date' }), '2026-03-05')).toEqual({ ok: true, value: '2026-03-05' });
    expect(readValue(field('d_at', { kind: 'date' }), '05.03.2026')).toEqual({ ok: false, trouble: 'date' });
    expect(readValue(device, 'Телефон')).toEqual({ ok: true, value: 'Телефон' });
    expect(readValue(device, 'Планшет')).toEqual({ ok: false, trouble: 'choice' });
    expect(readValue(model, 'x'.repeat(501))).toEqual({ ok: false, trouble: 'too_long' });
  });

  it('sends nothing when the kept value stays (an upper-case text compared in capitals)', () => {
    expect(unchanged(model, 'IPHONE 15', 'iphone 15 ')).toBe(true);
    expect(unchanged(model, 'IPHONE 15', 'iphone 16')).toBe(false);
    expect(unchanged(serial, 'a1', 'A1')).toBe(false);
    expect(unchanged(model, null, '')).toBe(true);
    expect(unchanged(model, 'X', '')).toBe(false);
    expect(unchanged(field('n', { kind: 'number' }), 3, '3,0')).toBe(true);
    expect(unchanged(field('d_at', { kind: 'date' }), '2026-03-05T00:00:00Z', '2026-03-05')).toBe(true);
  });

  it('words the server\'s refusal of a value in the field\'s terms', () => {
    const refused = (key: string, reason: string) => ({ code: 'validation_failed', details: { field: `values.${key}` }, message: `values.${key}: ${reason}` });
    expect(valueProblemText(t, model, refused('model', 'must match [A-Z0-9 ]+'))).toBe('Не подходит под образец [A-Z0-9 ]+.');
    expect(valueProblemText(en, field('n', { kind: 'number' }), refused('n', 'a number'))).toBe('A number is needed, e.g. 12 or 3.5.');
    expect(valueProblemText(t, device, refused('device', 'one of: Телефон, Ноутбук'))).toBe('Выберите вариант из списка.');
    expect(valueProblemText(t, model, refused('model', 'no such field'))).toBe('Этого поля больше нет — обновите страницу.');
    expect(valueProblemText(t, model, refused('model', '1–500 characters'))).toBe('Не длиннее 500 символов.');
    // Another field's refusal, or another code: the console's usual words.
    expect(valueProblemText(t, model, refused('serial', 'x'))).toBeNull();
    expect(valueProblemText(t, model, { code: 'dialog_not_found', details: {} })).toBeNull();
  });
});

describe('a close refused for want of fields', () => {
  const refusal = (fields: unknown) => ({ code: 'fields_required', details: { fields }, message: 'Fill these fields before closing: Модель.' });

  it('names the fields in words', () => {
    expect(requiredOf(refusal([{ key: 'model', label: 'Модель' }]))).toEqual([{ key: 'model', label: 'Модель' }]);
    expect(fieldsRequiredText(t, 'ru', refusal([{ key: 'model', label: 'Модель' }]))).toBe('Перед закрытием заполните поле «Модель».');
    expect(fieldsRequiredText(t, 'ru', refusal([{ key: 'model', label: 'Модель' }, { key: 'serial', label: 'Серийный номер' }]))).toBe(
      'Перед закрытием заполните поля «Модель», «Серийный номер».',
    );
    expect(fieldsRequiredText(en, 'en', refusal([{ key: 'model', label: 'Model' }]))).toBe('Fill in “Model” before closing.');
  });

  it('copes with details it cannot read', () => {
    expect(requiredOf(refusal('model'))).toEqual([]);
    expect(requiredOf(refusal([{ key: 'model' }, 7, { label: 'x' }]))).toEqual([{ key: 'model', label: 'model' }]);
    expect(fieldsRequiredText(t, 'ru', { code: 'fields_required', details: {} })).toBe('Перед закрытием заполните обязательные поля.');
    expect(requiredOf({ code: 'category_required', details: {} })).toEqual([]);
  });
});

describe('the list filter by a field', () => {
  it('reads key:value, splitting at the first colon', () => {
    expect(parseFieldFilter('model:IPHONE 15')).toEqual({ key: 'model', value: 'IPHONE 15' });
    expect(parseFieldFilter('time:10:30')).toEqual({ key: 'time', value: '10:30' });
    expect(parseFieldFilter(':x')).toBeNull();
    expect(parseFieldFilter('model:')).toBeNull();
    expect(parseFieldFilter(null)).toBeNull();
  });

  it('holds a dialog with that value', () => {
    expect(holdsFieldValue(dialog('d', { fields: { device: 'Телефон' } }), 'device:Телефон')).toBe(true);
    expect(holdsFieldValue(dialog('d', { fields: { device: 'Ноутбук' } }), 'device:Телефон')).toBe(false);
    expect(holdsFieldValue(dialog('d'), 'device:Телефон')).toBe(false);
    expect(holdsFieldValue(dialog('d', { fields: { n: 3 } }), 'n:3')).toBe(true);
  });

  it('offers the live dialog fields of choices', () => {
    expect(filterFields([model, device, city, { ...device, id: 'x', key: 'gone', archived: true }]).map((f) => f.key)).toEqual(['device']);
  });
});
