/**
 * The escalation forms' pure part: keys made from labels, the checks the server runs (each bad
 * value named as the server names it), the body sent, the answer's preview and the server's
 * refusals placed at their inputs.
 */
import { describe, expect, it } from 'vitest';
import { makeT } from '../i18n';
import {
  answerPreview,
  autoKey,
  draftChanged,
  exampleDraft,
  formAnchors,
  formDraft,
  formFieldMessages,
  formRequest,
  insertAt,
  keyFromLabel,
  newField,
  newFormDraft,
  patternMatches,
  unknownPlaceholders,
  withKey,
  withLabel,
  type FormDraft,
  type FormView,
} from './escalation-forms';

const t = makeT('ru');

function filled(): FormDraft {
  const d = exampleDraft(t, 'ru', newFormDraft(t, 'ru'));
  return { ...d, department_email: ' Service@Kitchen.Example ' };
}

const fieldsOf = (r: ReturnType<typeof formRequest>) => (r.ok ? [] : r.issues.map((i) => `${i.field}:${i.reason}`));

describe('escalation forms: keys', () => {
  it('are made from labels by transliteration, else field_N, and kept unique', () => {
    expect(keyFromLabel('ФИО')).toBe('fio');
    expect(keyFromLabel('Номер договора')).toBe('nomer_dogovora');
    expect(keyFromLabel('E-mail')).toBe('e_mail');
    expect(keyFromLabel('Телефон (мобильный)')).toBe('telefon_mobilnyy');
    expect(keyFromLabel('Щётка «Ёж»')).toBe('shchetka_ezh');
    expect(keyFromLabel('Café № 5')).toBe('cafe_no_5');
    expect(keyFromLabel('???')).toBe('');
    expect(keyFromLabel('Очень длинное название поля для проверки обрезки')).toHaveLength(32);
    expect(keyFromLabel('Очень длинное название поля для проверки обрезки')).not.toMatch(/_$/);
    expect(autoKey('', 2, [])).toBe('field_3');
    expect(autoKey('', 0, ['field_1'])).toBe('field_2');
    expect(autoKey('Телефон', 1, ['telefon'])).toBe('telefon_2');
    expect(autoKey('Телефон', 2, ['telefon', 'telefon_2'])).toBe('telefon_3');
  });

  it('follow the label until the admin types one', () => {
    let fields = [newField([])];
    fields = [...fields, newField(fields)];
    expect(fields.map((f) => f.key)).toEqual(['field_1', 'field_2']);
    fields = withLabel(fields, 0, 'ФИО');
    fields = withLabel(fields, 1, 'Номер договора');
    expect(fields.map((f) => f.key)).toEqual(['fio', 'nomer_dogovora']);
    fields = withKey(fields, 1, 'contract');
    fields = withLabel(fields, 1, 'Договор');
    expect(fields.map((f) => [f.key, f.keyAuto])).toEqual([
      ['fio', true],
      ['contract', false],
    ]);
    // Cleared, the label gives the key back its number.
    fields = withLabel(fields, 0, '');
    expect(fields[0].key).toBe('field_1');
  });
});

describe('escalation forms: the request', () => {
  it('is the form trimmed, with a pattern for a contract field only', () => {
    const r = formRequest(filled(), { isNew: true, count: 0 });
    expect(r).toEqual({
      ok: true,
      body: {
        name: 'Рекламация',
        fields: [
          { key: 'name', label: 'ФИО', kind: 'text', required: true },
          { key: 'contract', label: 'Номер договора', kind: 'contract', pattern: '\\d{6}', required: true },
          { key: 'email', label: 'E-mail', kind: 'email', required: true },
          { key: 'phone', label: 'Телефон', kind: 'phone', required: false },
        ],
        department_email: 'Service@Kitchen.Example',
        subject: 'Вопрос по рекламации, онлайн-чат',
        answer: 'Спасибо! Ваша заявка №{number} передана в сервисный отдел. Ответ придёт на e-mail в течение 24 часов без учёта субботы и воскресенья — до {due}.',
        due_hours: 24,
        counting: 'weekdays',
        language: 'ru',
        enabled: true,
      },
    });
    // A pattern kept while another kind is chosen is not sent.
    const d = filled();
    d.fields[1] = { ...d.fields[1], kind: 'text' };
    const body = formRequest(d, { isNew: false, count: 50 });
    expect(body.ok && body.body.fields[1]).toEqual({ key: 'contract', label: 'Номер договора', kind: 'text', required: true });
  });

  it('names every bad value as the server does', () => {
    const d = filled();
    d.name = ' ';
    d.fields[0] = { ...d.fields[0], key: 'Имя' };
    d.fields[2] = { ...d.fields[2], key: 'contract' };
    d.fields[3] = { ...d.fields[3], label: 'x'.repeat(101) };
    d.fields[1] = { ...d.fields[1], pattern: '(' };
    d.department_email = 'service';
    d.subject = '';
    d.answer = 'tab\there';
    d.due_hours = '721';
    d.counting = 'lunar';
    d.language = 'de';
    expect(fieldsOf(formRequest(d, { isNew: true, count: 50 }))).toEqual([
      'name:required',
      'fields[0].key:slug',
      'fields[1].pattern:regex',
      'fields[2].key:duplicate',
      'fields[3].label:too_long',
      'department_email:email',
      'subject:required',
      'answer:control_chars',
      'due_hours:range',
      'counting:choice',
      'language:choice',
      'forms:too_many',
    ]);
    const none = { ...filled(), fields: [] };
    expect(fieldsOf(formRequest(none, { isNew: false, count: 1 }))).toEqual(['fields:too_few']);
    const many = { ...filled(), fields: Array.from({ length: 21 }, (_, i) => ({ ...newField([]), key: `f${i}`, label: `F${i}` })) };
    expect(fieldsOf(formRequest(many, { isNew: false, count: 1 }))).toEqual(['fields:too_many']);
    const empty = filled();
    empty.fields[1] = { ...empty.fields[1], pattern: ' ' };
    empty.fields[0] = { ...empty.fields[0], key: '' };
    empty.answer = 'x'.repeat(1001);
    expect(fieldsOf(formRequest(empty, { isNew: false, count: 1 }))).toEqual(['fields[0].key:required', 'fields[1].pattern:required', 'answer:too_long']);
  });

  it('tells a saved form from an edited one, ignoring white space around the text', () => {
    const view: FormView = {
      id: 'f1',
      ...(formRequest(filled(), { isNew: true, count: 0 }) as { body: Omit<FormView, 'id' | 'updated_at'> }).body,
      counting: 'weekdays',
      language: 'ru',
      updated_at: '2026-12-01T10:00:00Z',
    } as FormView;
    const d = formDraft(view);
    expect(draftChanged(formDraft(view), { ...d, name: ' Рекламация ' })).toBe(false);
    expect(draftChanged(formDraft(view), { ...d, enabled: false })).toBe(true);
    expect(draftChanged(formDraft(view), { ...d, fields: [...d.fields].reverse() })).toBe(true);
  });
});

describe('escalation forms: patterns and the answer', () => {
  it('match a sample whole', () => {
    expect(patternMatches('\\d{6}', '123456')).toBe(true);
    expect(patternMatches('\\d{6}', '1234567')).toBe(false);
    expect(patternMatches('[А-Я]{2}-\\d{4}', 'АБ-1234')).toBe(true);
    expect(patternMatches('(', 'x')).toBeNull();
  });

  it('previews the answer with the example number and due time, and finds unknown placeholders', () => {
    expect(answerPreview('Заявка №{number}, ответ до {due}.', 'ru')).toEqual([
      { text: 'Заявка №', filled: false },
      { text: '17', filled: true },
      { text: ', ответ до ', filled: false },
      { text: '07.12.2026, 15:00', filled: true },
      { text: '.', filled: false },
    ]);
    expect(answerPreview('By {due}', 'en').map((p) => p.text).join('')).toBe('By 7 Dec 2026, 15:00');
    expect(unknownPlaceholders('№{number} до {due} {numbr} {numbr} {срок}')).toEqual(['{numbr}', '{срок}']);
    expect(insertAt('Ответ до .', 9, 9, '{due}')).toEqual({ value: 'Ответ до {due}.', caret: 14 });
  });
});

describe('escalation forms: refusals', () => {
  it('land at their input, or the nearest part of the form', () => {
    const d = filled();
    const anchors = formAnchors(d);
    const refusal = (field: string, message: string) => ({ code: 'validation_failed', message, details: { field } });
    const at = (field: string, message: string) => formFieldMessages(t, [], refusal(field, message), anchors);
    expect([...at('fields[1].pattern', 'fields[1].pattern: a regular expression of 1–200 characters').at]).toEqual([
      ['fields[1].pattern', 'Нужно регулярное выражение до 200 символов — проверьте скобки и спецсимволы.'],
    ]);
    expect([...at('fields[2].key', 'fields[2].key: another field has this key').at]).toEqual([['fields[2].key', 'Такой ключ уже есть у другого поля.']]);
    expect([...at('fields[0].pattern', 'fields[0].pattern: a regular expression of 1–200 characters').at].map(([k]) => k)).toEqual(['fields[0]']);
    expect([...at('fields[9].label', 'fields[9].label: 1–100 characters').at].map(([k]) => k)).toEqual(['fields']);
    expect([...at('forms', 'forms: at most 50 forms').at]).toEqual([['forms', 'Форм уже 50 — больше создать нельзя. Измените ненужную форму вместо новой.']]);
    expect(at('nonsense', 'nonsense: what').elsewhere).toEqual([['nonsense', 'Недопустимое значение.']]);
  });
});
