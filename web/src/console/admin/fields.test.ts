import { describe, expect, it } from 'vitest';
import type { CustomFieldView } from '../../shared/api-types';
import type { Problem } from '../console-state';
import { makeT } from '../i18n';
import {
  fieldDraft,
  fieldMessages,
  fieldRequest,
  kindSummary,
  newFieldDraft,
  optionDraft,
  refusedAt,
  requiredSummary,
  sameDraft,
  suggestKey,
  takenKeys,
  tooManyFields,
  withKey,
  withKind,
  withLabel,
  withTarget,
  type FieldDraft,
} from './fields';

const t = makeT('ru');
const en = makeT('en');

function view(over: Partial<CustomFieldView> = {}): CustomFieldView {
  return {
    id: 'f1',
    key: 'model',
    label: 'Модель',
    target: 'dialog',
    kind: 'text',
    options: [],
    format: 'upper',
    pattern: '[A-Z0-9 ]+',
    required: { always: false, channels: [], categories: ['cat1'] },
    position: 0,
    archived: false,
    created_at: '2026-03-05T10:00:00Z',
    ...over,
  };
}

const draft = (over: Partial<FieldDraft> = {}): FieldDraft => ({ ...newFieldDraft('dialog'), ...over });
const problem = (code: string, details: Record<string, unknown>, message?: string): Problem => ({ code, details, message });

describe('a key suggested from the label', () => {
  it('transliterates Cyrillic into lower-case latin with _', () => {
    expect(suggestKey('Модель', 'text')).toBe('model');
    expect(suggestKey('Серийный номер', 'text')).toBe('seriynyy_nomer');
    expect(suggestKey('  Город (доставки)! ', 'choice')).toBe('gorod_dostavki');
    expect(suggestKey('Щётка-Ёж', 'text')).toBe('shchetka_ezh');
    expect(suggestKey('Order ID', 'number')).toBe('order_id');
  });

  it('gives a date its _at and takes a stray _at from anything else', () => {
    expect(suggestKey('Дата покупки', 'date')).toBe('data_pokupki_at');
    expect(suggestKey('Paid at', 'date')).toBe('paid_at');
    expect(suggestKey('Paid at', 'text')).toBe('paid');
  });

  it('starts with a letter, fits 40 characters, and is unique among the target\'s keys', () => {
    expect(suggestKey('2 этаж', 'text')).toBe('f_2_etazh');
    const long = suggestKey('Очень длинное название поля для проверки длины ключа', 'date');
    expect(long.length).toBeLessThanOrEqual(40);
    expect(long.endsWith('_at')).toBe(true);
    expect(suggestKey('Модель', 'text', ['model'])).toBe('model_2');
    expect(suggestKey('Модель', 'text', ['model', 'model_2'])).toBe('model_3');
    expect(suggestKey('Дата', 'date', ['data_at'])).toBe('data_2_at');
    expect(suggestKey('???', 'text')).toBe('');
  });

  it('follows the label, the kind and the target while the admin has not typed one', () => {
    let d = withLabel(draft(), 'Дата ремонта', []);
    expect(d.key).toBe('data_remonta');
    d = withKind(d, 'date', []);
    expect(d.key).toBe('data_remonta_at');
    d = withTarget(d, 'visitor', ['data_remonta_at']);
    expect(d.key).toBe('data_remonta_2_at');
    d = withKey(d, 'repaired_at');
    expect(withLabel(d, 'Отремонтировано', []).key).toBe('repaired_at');
    expect(withKind(d, 'text', []).key).toBe('repaired_at');
  });
});

describe('the request', () => {
  it('defines a text field in capitals with a pattern, required for a category', () => {
    const d = draft({ label: ' Модель ', key: 'model', upper: true, pattern: ' [A-Z0-9 ]+ ', require: 'some', categories: ['cat1'] });
    expect(fieldRequest(d, null)).toEqual({
      ok: true,
      value: { key: 'model', label: 'Модель', target: 'dialog', kind: 'text', format: 'upper', pattern: '[A-Z0-9 ]+', required: { always: false, channels: [], categories: ['cat1'] } },
    });
  });

  it('sends options for a choice only, and no requirement for a visitor\'s field', () => {
    const d = draft({ label: 'Город', key: 'city', target: 'visitor', kind: 'choice', options: [optionDraft('Москва'), optionDraft(' Казань ')], upper: true, pattern: 'x' });
    expect(fieldRequest(d, null)).toEqual({ ok: true, value: { key: 'city', label: 'Город', target: 'visitor', kind: 'choice', options: ['Москва', 'Казань'] } });
    const n = draft({ label: 'Сумма', key: 'amount', kind: 'number', require: 'always' });
    expect(fieldRequest(n, null)).toEqual({ ok: true, value: { key: 'amount', label: 'Сумма', target: 'dialog', kind: 'number', required: { always: true, channels: [], categories: [] } } });
  });

  it('changes a saved field without its key, target or kind; a blank pattern clears the saved one', () => {
    const saved = view();
    const d = { ...fieldDraft(saved), pattern: '', upper: false, require: 'never' as const };
    expect(fieldRequest(d, saved)).toEqual({ ok: true, value: { label: 'Модель', format: 'none', pattern: '', required: { always: false, channels: [], categories: [] } } });
  });

  it('names each bad value as the server does', () => {
    const issues = (d: FieldDraft, taken: string[] = []) => {
      const r = fieldRequest(d, null, taken);
      return r.ok ? [] : r.issues.map((i) => `${i.field}:${i.reason}`);
    };
    expect(issues(draft())).toEqual(['key:required', 'label:required']);
    expect(issues(draft({ key: 'Model', label: 'M' }))).toEqual(['key:slug']);
    expect(issues(draft({ key: '1model', label: 'M' }))).toEqual(['key:slug']);
    expect(issues(draft({ key: 'paid', label: 'M', kind: 'date' }))).toEqual(['key:invalid']);
    expect(issues(draft({ key: 'paid_at', label: 'M' }))).toEqual(['key:invalid']);
    expect(issues(draft({ key: 'model', label: 'M' }), ['model'])).toEqual(['key:taken']);
    expect(issues(draft({ key: 'k', label: 'x'.repeat(101) }))).toEqual(['label:too_long']);
    expect(issues(draft({ key: 'k', label: 'L', kind: 'choice', options: [optionDraft(' ')] }))).toEqual(['options:too_few']);
    expect(issues(draft({ key: 'k', label: 'L', kind: 'choice', options: [optionDraft('a'), optionDraft(''), optionDraft('a')] }))).toEqual(['options[1]:required', 'options[2]:duplicate']);
    expect(issues(draft({ key: 'k', label: 'L', pattern: '(' }))).toEqual(['pattern:regex']);
    expect(issues(draft({ key: 'k', label: 'L', pattern: '\\d*' }))).toEqual(['pattern:invalid']);
    // regex-lite's inline flags are the server's to judge.
    expect(issues(draft({ key: 'k', label: 'L', pattern: '(?i)abc' }))).toEqual([]);
    expect(issues(draft({ key: 'k', label: 'L', require: 'some' }))).toEqual(['required:too_few']);
  });

  it('tells an edited form from an untouched one', () => {
    const saved = fieldDraft(view());
    expect(sameDraft(saved, fieldDraft(view()))).toBe(true);
    expect(sameDraft(saved, { ...saved, label: 'Модель ' })).toBe(true);
    expect(sameDraft(saved, { ...saved, upper: false })).toBe(false);
    expect(sameDraft(saved, { ...saved, categories: [] })).toBe(false);
    expect(sameDraft(newFieldDraft('dialog'), newFieldDraft('dialog'))).toBe(true);
  });

  it('knows the keys a new field may not take: the target\'s, archived ones too', () => {
    const list = [view(), view({ id: 'f2', key: 'old', archived: true }), view({ id: 'f3', key: 'city', target: 'visitor' })];
    expect(takenKeys(list, 'dialog')).toEqual(['model', 'old']);
    expect(takenKeys(list, 'visitor')).toEqual(['city']);
  });
});

describe('refusals at their inputs', () => {
  it('words the console\'s issues in the field\'s own sense', () => {
    const d = draft({ key: 'paid', label: 'L', kind: 'date' });
    const r = fieldRequest(d, null);
    expect(r.ok).toBe(false);
    expect(fieldMessages(t, r.ok ? [] : r.issues, null, d).get('key')).toBe('Ключ поля-даты должен оканчиваться на _at.');
    const c = draft({ key: 'k', label: 'L', kind: 'choice', options: [optionDraft('a'), optionDraft('a')] });
    const rc = fieldRequest(c, null);
    expect(fieldMessages(t, rc.ok ? [] : rc.issues, null, c).get('options[1]')).toBe('Этот вариант уже есть выше.');
  });

  it('puts the server\'s validation_failed beside the input it names', () => {
    const d = draft({ kind: 'choice', options: [optionDraft('a'), optionDraft('b'), optionDraft('b')] });
    const taken = problem('validation_failed', { field: 'key' }, 'key: taken by another field');
    expect(refusedAt(taken, d)).toBe('key');
    expect(fieldMessages(t, [], taken, d).get('key')).toBe('Такой ключ уже есть у другого поля (и в архиве тоже).');
    const twice = problem('validation_failed', { field: 'options[2]' }, 'options[2]: listed twice');
    expect(fieldMessages(t, [], twice, d).get('options[2]')).toBe('Этот вариант уже есть выше.');
    const pattern = problem('validation_failed', { field: 'pattern' }, 'pattern: a regular expression that compiles');
    expect(fieldMessages(en, [], pattern, d).get('pattern')).toBe('Not a regular expression — check the brackets and special characters.');
    const date = problem('validation_failed', { field: 'key' }, "key: a date field's key ends in _at");
    expect(fieldMessages(t, [], date, draft({ kind: 'date' })).get('key')).toBe('Ключ поля-даты должен оканчиваться на _at.');
  });

  it('lands a channel or category gone meanwhile (404) on the requirement', () => {
    const gone = problem('not_found', { field: 'required.categories[0]' }, 'No such category.');
    expect(refusedAt(gone, draft())).toBe('required');
    expect(fieldMessages(t, [], gone, draft()).get('required')).toBe('Такого канала или категории больше нет — обновите страницу.');
  });

  it('leaves the limit of live fields and other refusals to the line under the form', () => {
    const many = problem('validation_failed', { field: 'key' }, 'key: a workspace has at most 50 live fields; archive one first');
    expect(tooManyFields(many)).toBe(true);
    expect(refusedAt(many, draft())).toBeNull();
    expect(refusedAt(problem('forbidden', {}), draft())).toBeNull();
    expect(refusedAt(problem('validation_failed', { field: 'position' }), draft())).toBeNull();
  });
});

describe('a field in words', () => {
  it('says what it takes', () => {
    expect(kindSummary(t, view())).toBe('Текст · заглавными · по образцу');
    expect(kindSummary(t, view({ kind: 'choice', format: 'none', pattern: null, options: ['Москва', 'Казань'] }))).toBe('Список · Москва, Казань');
    expect(kindSummary(en, view({ kind: 'date', format: 'none', pattern: null }))).toBe('Date');
  });

  it('says when it must be filled, by the channels\' and categories\' names', () => {
    const names = { channel: (id: string) => (id === 'c1' ? 'Поддержка' : null), category: (id: string) => (id === 'cat1' ? 'Цифровая техника' : null) };
    expect(requiredSummary(t, { always: false, channels: ['c1'], categories: ['cat1', 'gone'] }, names)).toBe('обязательно для: Поддержка, Цифровая техника, …');
    expect(requiredSummary(t, { always: true, channels: [], categories: [] }, names)).toBe('обязательно всегда');
    expect(requiredSummary(en, { always: false, channels: [], categories: [] }, names)).toBe('');
  });
});
