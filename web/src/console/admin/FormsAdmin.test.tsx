/**
 * The escalation forms page in jsdom: the list (name, fields, the department's address, on or
 * off); a new form made field by field (keys from labels, a contract's pattern tried on a value,
 * fields moved) and sent exactly as the server takes it; the kitchen maker's example; the
 * console's own refusals at their inputs; the server's refusal at `fields[1].pattern` shown there
 * with the focus on it; a saved form edited and switched off (the whole form sent again, unsaved
 * edits guarded); and the page in English, with its place in the navigation.
 */
import { render } from 'preact';
import { act } from 'preact/test-utils';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ApiError } from '../../shared/api';
import type { Lang } from '../../shared/i18n';
import { fakeApi, settle } from '../../test/fake-api';
import { meView, operator } from '../../test/fixtures';
import { AdminNav } from '../components/AdminNav';
import { ConsoleState } from '../console-state';
import { ConsoleContext } from '../context';
import type { FormInput, FormView } from './escalation-forms';
import { FormsAdmin } from './FormsAdmin';

const KITCHEN_ANSWER = 'Спасибо! Ваша заявка №{number} передана в сервисный отдел. Ответ придёт на e-mail в течение 24 часов без учёта субботы и воскресенья — до {due}.';

/** The kitchen maker's form as the server would send it back. */
const KITCHEN: FormInput = {
  name: 'Рекламация',
  fields: [
    { key: 'name', label: 'ФИО', kind: 'text', required: true },
    { key: 'contract', label: 'Номер договора', kind: 'contract', pattern: '\\d{6}', required: true },
    { key: 'email', label: 'E-mail', kind: 'email', required: true },
    { key: 'phone', label: 'Телефон', kind: 'phone', required: false },
  ],
  department_email: 'service@kitchen.example',
  subject: 'Вопрос по рекламации, онлайн-чат',
  answer: KITCHEN_ANSWER,
  due_hours: 24,
  counting: 'weekdays',
  language: 'ru',
  enabled: true,
};

function view(id: string, input: FormInput): FormView {
  return {
    id,
    name: input.name,
    fields: input.fields.map((f) => ({ ...f, pattern: f.kind === 'contract' ? f.pattern : null })),
    department_email: input.department_email.toLowerCase(),
    subject: input.subject,
    answer: input.answer,
    due_hours: input.due_hours,
    counting: input.counting ?? 'weekdays',
    language: input.language ?? 'ru',
    enabled: input.enabled ?? true,
    updated_at: '2026-12-01T10:00:00Z',
  };
}

const DELIVERY: FormInput = {
  name: 'Доставка',
  fields: [
    { key: 'order', label: 'Номер заказа', kind: 'contract', pattern: '[A-Z]{2}-\\d{4}', required: true },
    { key: 'phone', label: 'Телефон', kind: 'phone', required: false },
  ],
  department_email: 'delivery@kitchen.example',
  subject: 'Доставка, онлайн-чат',
  answer: 'Заявка №{number}: ответим до {due}.',
  due_hours: 8,
  counting: 'business_hours',
  language: 'ru',
  enabled: false,
};

let host: HTMLDivElement;
let items: FormView[];
let calls: { method: string; path: string; body: unknown }[];
let refuse: ApiError | null;
let state: ConsoleState;

async function mount(lang: Lang = 'ru', start: FormView[] = [view('f1', KITCHEN), view('f2', DELIVERY)]) {
  localStorage.setItem('frontline.console.lang', lang);
  items = start;
  calls = [];
  refuse = null;
  const api = fakeApi({
    'GET /api/v1/forms': () => ({ items }),
    'POST /api/v1/forms': (path, o) => {
      calls.push({ method: 'POST', path, body: o.body });
      if (refuse) throw refuse;
      const made = view(`f${items.length + 1}`, o.body as FormInput);
      items = [...items, made];
      return made;
    },
    'PUT /api/v1/forms/*': (path, o) => {
      calls.push({ method: 'PUT', path, body: o.body });
      if (refuse) throw refuse;
      const id = path.split('/').pop()!;
      const saved = view(id, o.body as FormInput);
      items = items.map((x) => (x.id === id ? saved : x));
      return saved;
    },
  });
  state = new ConsoleState({ api: api.request, watching: () => true });
  state.session.me = meView({ operator: operator('op1', { role: 'admin' }) });
  host = document.createElement('div');
  document.body.appendChild(host);
  await act(async () => {
    render(
      <ConsoleContext.Provider value={state}>
        <FormsAdmin />
      </ConsoleContext.Provider>,
      host,
    );
    await settle();
  });
}

const q = <T extends HTMLElement = HTMLElement>(testid: string, within: ParentNode = document) => within.querySelector<T>(`[data-testid="${testid}"]`);
const all = <T extends HTMLElement = HTMLElement>(testid: string, within: ParentNode = document) => [...within.querySelectorAll<T>(`[data-testid="${testid}"]`)];
const input = (testid: string, within: ParentNode = document) => q<HTMLInputElement>(testid, within)!;
const select = (testid: string, within: ParentNode = document) => q<HTMLSelectElement>(testid, within)!;
const rows = () => all('form-field-row');
const row = (i: number) => rows()[i];
const fieldNote = (field: string) => document.querySelector(`[data-testid="field-error"][data-field="${field}"]`)?.textContent ?? null;
const texts = (testid: string) => all(testid).map((el) => el.textContent);

async function type(el: HTMLInputElement | HTMLTextAreaElement, value: string) {
  await act(async () => {
    el.value = value;
    el.dispatchEvent(new Event('input', { bubbles: true }));
    await settle();
  });
}
async function pick(el: HTMLSelectElement | HTMLInputElement, value?: string) {
  await act(async () => {
    if (el instanceof HTMLSelectElement) el.value = value!;
    else el.checked = !el.checked;
    el.dispatchEvent(new Event('change', { bubbles: true }));
    await settle();
  });
}
async function click(el: HTMLElement) {
  await act(async () => {
    el.click();
    await settle();
  });
}
async function save() {
  await act(async () => {
    q<HTMLFormElement>('form-editor')!.dispatchEvent(new Event('submit', { bubbles: true, cancelable: true }));
    await settle();
  });
}

afterEach(() => {
  act(() => render(null, host));
  host.remove();
  vi.restoreAllMocks();
});

describe('Forms page', () => {
  it('lists the forms: name, number of fields, the department\'s address, on or off', async () => {
    await mount();
    expect(q('forms-title')?.textContent).toBe('Формы');
    expect(all('form-row').map((r) => r.dataset.formId)).toEqual(['f1', 'f2']);
    expect(texts('form-row-name')).toEqual(['Рекламация', 'Доставка']);
    expect(texts('form-row-fields')).toEqual(['4', '2']);
    expect(texts('form-row-department')).toEqual(['service@kitchen.example', 'delivery@kitchen.example']);
    expect(texts('form-row-state')).toEqual(['Включена', 'Выключена']);
    expect(all('form-row').map((r) => r.dataset.enabled)).toEqual(['true', 'false']);
    expect(q('form-edit')?.getAttribute('aria-label')).toBe('Изменить форму «Рекламация»');
    expect(q('form-editor')).toBeNull();
    expect(q('forms-empty')).toBeNull();
    expect(state.team.unsaved.any()).toBe(false);
  });

  it('says when there are none, and offers to start from the example', async () => {
    await mount('ru', []);
    expect(q('forms-empty')?.textContent).toMatch(/^Форм пока нет\./);
    await click(q('forms-empty-example')!);
    expect(input('form-name').value).toBe('Рекламация');
    expect(rows()).toHaveLength(4);
    expect(document.activeElement).toBe(q('form-department-email'));
    // Filled in but not saved: leaving is asked about.
    expect(state.team.unsaved.any()).toBe(true);
  });

  it('creates a form field by field and sends exactly what the server takes', async () => {
    await mount();
    await click(q('form-new')!);
    expect(q('form-editor-title')?.textContent).toBe('Новая форма');
    expect(document.activeElement).toBe(q('form-editor-title'));
    // One text field to start with, its key numbered until it has a label.
    expect(rows()).toHaveLength(1);
    expect(input('form-field-key').value).toBe('field_1');
    expect(select('form-field-kind').value).toBe('text');
    expect(q('form-field-pattern')).toBeNull();
    expect(q<HTMLButtonElement>('form-field-remove')?.disabled).toBe(true);
    expect(state.team.unsaved.any()).toBe(false);

    await type(input('form-name'), '  Гарантия  ');
    await type(input('form-field-label', row(0)), 'ФИО');
    expect(input('form-field-key', row(0)).value).toBe('fio');
    await pick(input('form-field-required', row(0)));
    await click(q('form-field-add')!);
    expect(rows()).toHaveLength(2);
    expect(document.activeElement).toBe(q('form-field-label', row(1)));
    expect(input('form-field-key', row(1)).value).toBe('field_2');
    await type(input('form-field-label', row(1)), 'Номер договора');
    expect(input('form-field-key', row(1)).value).toBe('nomer_dogovora');
    // A key of the admin's own no longer follows the label.
    await type(input('form-field-key', row(1)), 'contract');
    await type(input('form-field-label', row(1)), 'Номер договора или заказа');
    expect(input('form-field-key', row(1)).value).toBe('contract');
    // The pattern shows for a contract number only, with its hint and a place to try it.
    expect([...select('form-field-kind', row(1)).options].map((o) => o.textContent)).toEqual(['Текст', 'Номер договора', 'E-mail', 'Телефон']);
    await pick(select('form-field-kind', row(1)), 'contract');
    expect(q('form-field-pattern-hint', row(1))?.textContent).toBe('Регулярное выражение: номер должен подходить под него целиком. Например, \\d{6} — шесть цифр.');
    await type(input('form-field-pattern', row(1)), '\\d{6}');
    await type(input('form-field-pattern-try', row(1)), '12345');
    expect(q('form-field-pattern-result', row(1))?.textContent).toBe('✗ Не подходит');
    await type(input('form-field-pattern-try', row(1)), '123456');
    expect(q('form-field-pattern-result', row(1))?.textContent).toBe('✓ Подходит');
    await pick(input('form-field-required', row(1)));
    // A third field, moved up above the contract number.
    await click(q('form-field-add')!);
    await type(input('form-field-label', row(2)), 'Телефон');
    await pick(select('form-field-kind', row(2)), 'phone');
    await click(q('form-field-up', row(2))!);
    expect(rows().map((r) => input('form-field-key', r).value)).toEqual(['fio', 'telefon', 'contract']);
    expect(document.activeElement).toBe(q('form-field-up', row(1)));

    await type(input('form-department-email'), ' Warranty@Kitchen.Example ');
    await type(input('form-subject'), 'Гарантия, онлайн-чат');
    // The answer starts worded; its preview fills in the example number and due time.
    expect(q<HTMLTextAreaElement>('form-answer')!.value).toBe('Спасибо! Ваша заявка №{number} передана специалистам. Ответ придёт до {due}.');
    expect(q('form-answer-preview')?.textContent).toBe('Спасибо! Ваша заявка №17 передана специалистам. Ответ придёт до 07.12.2026, 15:00.');
    await type(q<HTMLTextAreaElement>('form-answer')!, 'Заявка принята, ответ до {due}. {numbr}');
    expect(q('form-answer-no-number')?.textContent).toBe('В ответе нет {number} — клиент не узнает номер своей заявки.');
    expect(q('form-answer-unknown')?.textContent).toBe('Неизвестная подстановка: {numbr}. Клиент увидит её как есть — заменяются только {number} и {due}.');
    await type(q<HTMLTextAreaElement>('form-answer')!, 'Заявка №');
    await click(q('form-answer-insert-number')!);
    expect(q<HTMLTextAreaElement>('form-answer')!.value).toBe('Заявка №{number}');
    expect(document.activeElement).toBe(q('form-answer'));
    expect(q('form-answer-no-number')).toBeNull();
    expect(q('form-answer-preview')?.textContent).toBe('Заявка №17');
    await type(input('form-due-hours'), '48');
    expect(q('form-counting-hint')?.textContent).toMatch(/^Считаются все часы с понедельника по пятницу/);
    await pick(select('form-counting'), 'calendar');
    expect(q('form-counting-hint')?.textContent).toBe('Выходные и праздники тоже считаются: пятница 15:00 + 24 часа = суббота 15:00.');
    await pick(select('form-language'), 'en');
    expect(state.team.unsaved.any()).toBe(true);
    await save();

    expect(calls).toEqual([
      {
        method: 'POST',
        path: '/api/v1/forms',
        body: {
          name: 'Гарантия',
          fields: [
            { key: 'fio', label: 'ФИО', kind: 'text', required: true },
            { key: 'telefon', label: 'Телефон', kind: 'phone', required: false },
            { key: 'contract', label: 'Номер договора или заказа', kind: 'contract', pattern: '\\d{6}', required: true },
          ],
          department_email: 'Warranty@Kitchen.Example',
          subject: 'Гарантия, онлайн-чат',
          answer: 'Заявка №{number}',
          due_hours: 48,
          counting: 'calendar',
          language: 'en',
          enabled: true,
        },
      },
    ]);
    // Saved: the list has it, the editor holds it as saved.
    expect(q('form-saved')?.textContent).toBe('Сохранено');
    expect(q('form-editor-title')?.textContent).toBe('Форма «Гарантия»');
    expect(q('form-editor')?.dataset.formId).toBe('f3');
    expect(texts('form-row-name')).toEqual(['Рекламация', 'Доставка', 'Гарантия']);
    expect(input('form-department-email').value).toBe('warranty@kitchen.example');
    expect(q<HTMLButtonElement>('form-save')?.disabled).toBe(true);
    expect(q('form-example')).toBeNull();
    expect(state.team.unsaved.any()).toBe(false);
  });

  it('fills in the kitchen maker\'s form from the example button', async () => {
    await mount();
    await click(q('form-new')!);
    await click(q('form-example')!);
    expect(input('form-name').value).toBe('Рекламация');
    expect(
      rows().map((r) => [
        input('form-field-label', r).value,
        input('form-field-key', r).value,
        select('form-field-kind', r).value,
        q<HTMLInputElement>('form-field-pattern', r)?.value ?? null,
        input('form-field-required', r).checked,
      ]),
    ).toEqual([
      ['ФИО', 'name', 'text', null, true],
      ['Номер договора', 'contract', 'contract', '\\d{6}', true],
      ['E-mail', 'email', 'email', null, true],
      ['Телефон', 'phone', 'phone', null, false],
    ]);
    expect(input('form-subject').value).toBe('Вопрос по рекламации, онлайн-чат');
    expect(input('form-due-hours').value).toBe('24');
    expect(select('form-counting').value).toBe('weekdays');
    expect(select('form-language').value).toBe('ru');
    expect(q('form-answer-preview')?.textContent).toBe(
      'Спасибо! Ваша заявка №17 передана в сервисный отдел. Ответ придёт на e-mail в течение 24 часов без учёта субботы и воскресенья — до 07.12.2026, 15:00.',
    );
    // The department's address is the admin's to give: the focus waits there.
    expect(input('form-department-email').value).toBe('');
    expect(document.activeElement).toBe(q('form-department-email'));
    expect(q('form-example-note')?.textContent).toBe('Форма заполнена по примеру. Осталось указать почту отдела — и поправьте тексты под себя.');
    await type(input('form-department-email'), 'service@kitchen.example');
    expect(q('form-example-note')?.textContent).toBe('Форма заполнена по примеру. Проверьте тексты и сохраните.');
    // Pressed again over edits, it asks first.
    await type(input('form-name'), 'Рекламация (кухни)');
    const ask = vi.spyOn(window, 'confirm').mockReturnValueOnce(false).mockReturnValueOnce(true);
    await click(q('form-example')!);
    expect(input('form-name').value).toBe('Рекламация (кухни)');
    await click(q('form-example')!);
    expect(ask).toHaveBeenCalledTimes(2);
    expect(input('form-name').value).toBe('Рекламация');
    expect(input('form-department-email').value).toBe('service@kitchen.example');
    await save();
    expect(calls.map((c) => [c.method, c.path, c.body])).toEqual([['POST', '/api/v1/forms', KITCHEN]]);
  });

  it('refuses bad values itself, each at its input, and brings the focus to the first', async () => {
    await mount();
    await click(q('form-new')!);
    await type(q<HTMLTextAreaElement>('form-answer')!, '');
    await save();
    expect(calls).toEqual([]);
    expect(q('form-error')?.textContent).toBe('Форма не сохранена: исправьте отмеченные поля.');
    expect(fieldNote('name')).toBe('Заполните это поле.');
    expect(fieldNote('fields[0].label')).toBe('Заполните это поле.');
    expect(fieldNote('department_email')).toBe('Заполните это поле.');
    expect(fieldNote('subject')).toBe('Заполните это поле.');
    expect(fieldNote('answer')).toBe('Заполните это поле.');
    expect(document.activeElement).toBe(q('form-name'));
    expect(input('form-name').getAttribute('aria-invalid')).toBe('true');

    // The example replaces what was typed, once the admin agrees.
    vi.spyOn(window, 'confirm').mockReturnValue(true);
    await click(q('form-example')!);
    await save();
    expect(fieldNote('department_email')).toBe('Заполните это поле.');
    expect(document.activeElement).toBe(q('form-department-email'));
    await type(input('form-department-email'), 'service');
    expect(fieldNote('department_email')).toBe('Укажите адрес почты отдела, например service@example.com.');
    await type(input('form-department-email'), 'service@kitchen.example');
    // A key that is not a-z, 0-9 and _, a key twice, a pattern JavaScript cannot read, hours out of range.
    await type(input('form-field-key', row(0)), 'ФИО');
    await type(input('form-field-key', row(3)), 'email');
    await type(input('form-field-pattern', row(1)), '(\\d{6}');
    await type(input('form-due-hours'), '721');
    await type(input('form-subject'), 'x'.repeat(201));
    await save();
    expect(calls).toEqual([]);
    expect(fieldNote('fields[0].key')).toBe('От 1 до 32 символов: латинские буквы a–z, цифры и _.');
    expect(fieldNote('fields[3].key')).toBe('Такой ключ уже есть у другого поля.');
    expect(fieldNote('fields[1].pattern')).toBe('Нужно регулярное выражение до 200 символов — проверьте скобки и спецсимволы.');
    expect(fieldNote('due_hours')).toBe('Целое число часов от 1 до 720.');
    expect(fieldNote('subject')).toBe('Одна строка, от 1 до 200 символов.');
    expect(document.activeElement).toBe(q('form-field-key', row(0)));
    expect(row(0).classList.contains('has-error')).toBe(true);
    // Fixed, the messages go as the values are typed.
    await type(input('form-field-key', row(0)), 'name');
    await type(input('form-field-key', row(3)), 'phone');
    await type(input('form-field-pattern', row(1)), '\\d{6}');
    await type(input('form-due-hours'), '24');
    await type(input('form-subject'), 'Вопрос по рекламации, онлайн-чат');
    expect(q('field-error')).toBeNull();
    await save();
    expect(calls.map((c) => c.body)).toEqual([KITCHEN]);
  });

  it('shows the server\'s refusal of fields[1].pattern at that field, with the focus on it', async () => {
    await mount();
    await click(q('form-new')!);
    await click(q('form-example')!);
    await type(input('form-department-email'), 'service@kitchen.example');
    // JavaScript reads a lookahead; the server's syntax has none.
    await type(input('form-field-pattern', row(1)), '(?=1)\\d{6}');
    refuse = new ApiError(400, 'validation_failed', 'fields[1].pattern: a regular expression of 1–200 characters', { field: 'fields[1].pattern' });
    await save();
    expect(calls).toHaveLength(1);
    expect(fieldNote('fields[1].pattern')).toBe('Нужно регулярное выражение до 200 символов — проверьте скобки и спецсимволы.');
    expect(input('form-field-pattern', row(1)).getAttribute('aria-invalid')).toBe('true');
    expect(document.activeElement).toBe(q('form-field-pattern', row(1)));
    expect(q('form-error')?.textContent).toBe('Форма не сохранена: исправьте отмеченные поля.');
    expect(all('field-error')).toHaveLength(1);
    expect(q('form-saved')).toBeNull();
    expect(texts('form-row-name')).toEqual(['Рекламация', 'Доставка']);
    // Edited, the refusal is gone; saved again, it goes through.
    refuse = null;
    await type(input('form-field-pattern', row(1)), '\\d{6}');
    expect(q('field-error')).toBeNull();
    await save();
    expect(calls).toHaveLength(2);
    expect(q('form-saved')?.textContent).toBe('Сохранено');
  });

  it('places the limit of 50 forms and other refusals under the form', async () => {
    await mount();
    await click(q('form-new')!);
    await click(q('form-example')!);
    await type(input('form-department-email'), 'service@kitchen.example');
    refuse = new ApiError(400, 'validation_failed', 'forms: at most 50 forms', { field: 'forms' });
    await save();
    expect(fieldNote('forms')).toBe('Форм уже 50 — больше создать нельзя. Измените ненужную форму вместо новой.');
    refuse = new ApiError(503, 'unavailable', 'The store is unavailable for a moment.');
    await type(input('form-name'), 'Рекламация 2');
    await save();
    expect(q('form-error')?.dataset.code).toBe('unavailable');
    expect(q('field-error')).toBeNull();
  });

  it('edits a saved form and switches it off, sending the whole form; unsaved edits are guarded', async () => {
    await mount();
    await click(all('form-edit')[0]);
    expect(q('form-editor-title')?.textContent).toBe('Форма «Рекламация»');
    expect(q('form-editor')?.dataset.formId).toBe('f1');
    expect(q('form-example')).toBeNull();
    expect(all('form-row')[0].classList.contains('is-selected')).toBe(true);
    expect(rows().map((r) => input('form-field-key', r).value)).toEqual(['name', 'contract', 'email', 'phone']);
    expect(input('form-enabled').checked).toBe(true);
    expect(q<HTMLButtonElement>('form-save')?.disabled).toBe(true);
    // A saved key does not follow its label.
    await type(input('form-field-label', row(0)), 'Фамилия, имя и отчество');
    expect(input('form-field-key', row(0)).value).toBe('name');
    await click(q('form-field-down', row(2))!);
    await pick(input('form-enabled'));
    expect(q('form-enabled')?.nextElementSibling?.nextElementSibling?.textContent).toBe('Выключена');
    expect(state.team.unsaved.any()).toBe(true);

    // Another form while this one is unsaved: asked first, and nothing changes until answered.
    await click(all('form-edit')[1]);
    expect(state.team.unsaved.pending).not.toBeNull();
    expect(q('form-editor')?.dataset.formId).toBe('f1');
    await act(async () => {
      state.team.unsaved.stay();
      await settle();
    });

    await save();
    expect(calls).toEqual([
      {
        method: 'PUT',
        path: '/api/v1/forms/f1',
        body: {
          ...KITCHEN,
          fields: [
            { key: 'name', label: 'Фамилия, имя и отчество', kind: 'text', required: true },
            KITCHEN.fields[1],
            KITCHEN.fields[3],
            KITCHEN.fields[2],
          ],
          enabled: false,
        },
      },
    ]);
    expect(q('form-saved')?.textContent).toBe('Сохранено');
    expect(texts('form-row-state')).toEqual(['Выключена', 'Выключена']);
    expect(state.team.unsaved.any()).toBe(false);

    // Now another form opens at once; "Discard changes" puts back what is saved.
    await click(all('form-edit')[1]);
    expect(q('form-editor')?.dataset.formId).toBe('f2');
    expect(select('form-counting').value).toBe('business_hours');
    expect(input('form-field-pattern', row(0)).value).toBe('[A-Z]{2}-\\d{4}');
    await type(input('form-subject'), 'Другая тема');
    await click(q('form-revert')!);
    expect(input('form-subject').value).toBe('Доставка, онлайн-чат');
    expect(state.team.unsaved.any()).toBe(false);
    await click(q('form-close')!);
    expect(q('form-editor')).toBeNull();
  });

  it('speaks English, and sits in the admin navigation', async () => {
    await mount('en');
    expect(q('forms-title')?.textContent).toBe('Forms');
    expect(texts('form-row-state')).toEqual(['On', 'Off']);
    expect(q('form-new')?.textContent).toBe('+ New form');
    await click(q('form-new')!);
    expect(q('form-example')?.textContent).toBe('Example: warranty claim');
    expect([...select('form-field-kind').options].map((o) => o.textContent)).toEqual(['Text', 'Contract number', 'E-mail', 'Phone']);
    expect([...select('form-counting').options].map((o) => o.textContent)).toEqual(['Weekdays (Mon–Fri, around the clock)', "The channel's business hours", 'Every hour']);
    expect([...select('form-language').options].map((o) => o.textContent)).toEqual(['Русский', 'English']);
    expect(select('form-language').value).toBe('en');
    await click(q('form-example')!);
    expect(rows().map((r) => input('form-field-label', r).value)).toEqual(['Full name', 'Contract number', 'E-mail', 'Phone']);
    expect(q('form-field-pattern-hint')?.textContent).toBe('A regular expression the whole number must match. For example, \\d{6}: six digits.');
    expect(q('form-answer-preview')?.textContent).toBe(
      'Thank you! Your request #17 has been passed to the service department. The answer comes by e-mail within 24 hours, excluding Saturday and Sunday: by 7 Dec 2026, 15:00.',
    );
    await save();
    expect(fieldNote('department_email')).toBe('Fill in this field.');
    expect(q('form-error')?.textContent).toBe('The form is not saved: fix the marked fields.');

    await act(async () => {
      render(
        <ConsoleContext.Provider value={state}>
          <AdminNav />
        </ConsoleContext.Provider>,
        host,
      );
      await settle();
    });
    expect(q('nav-forms')?.textContent).toBe('Forms');
    expect(q('nav-forms')?.getAttribute('href')).toBe('/console/admin/forms');
  });
});
