/**
 * The custom fields page in jsdom: dialog and visitor fields listed apart with their keys, what
 * they take and when they must be filled (by the channels' and categories' names), archived ones
 * below; a new text field whose key follows its label, in capitals with a pattern, required for a
 * category, saved and listed; a choice's options one per row (Enter adds the next), an option
 * listed twice refused at its row, the server's refusals at the key and at an option, a category
 * gone meanwhile at the requirement; a saved field changed without its key, archived and restored;
 * the tab beside the tags (admins alone); English.
 */
import { render } from 'preact';
import { act } from 'preact/test-utils';
import { afterEach, describe, expect, it } from 'vitest';
import { ApiError } from '../../shared/api';
import type { CategoryView, CustomFieldInput, CustomFieldView } from '../../shared/api-types';
import type { Lang } from '../../shared/i18n';
import { fakeApi, settle } from '../../test/fake-api';
import { channel, meView, operator } from '../../test/fixtures';
import { AdminNav } from '../components/AdminNav';
import { ConsoleState } from '../console-state';
import { ConsoleContext } from '../context';
import { FieldsAdmin } from './FieldsAdmin';
import { LabelsAdmin } from './LabelsAdmin';

const AT = '2026-03-05T10:00:00Z';

function field(id: string, over: Partial<CustomFieldView>): CustomFieldView {
  return {
    id,
    key: id,
    label: id,
    target: 'dialog',
    kind: 'text',
    options: [],
    format: 'none',
    pattern: null,
    required: { always: false, channels: [], categories: [] },
    position: 0,
    archived: false,
    created_at: AT,
    ...over,
  };
}

const MODEL = field('f1', { key: 'model', label: 'Модель', format: 'upper', pattern: '[A-Z0-9 ]+', required: { always: false, channels: ['c1'], categories: ['cat1'] } });
const DEVICE = field('f2', { key: 'device', label: 'Устройство', kind: 'choice', options: ['Телефон', 'Ноутбук'], position: 1, required: { always: true, channels: [], categories: [] } });
const CITY = field('f3', { key: 'city', label: 'Город', target: 'visitor', kind: 'choice', options: ['Москва', 'Казань'] });
const OLD = field('f4', { key: 'warranty_at', label: 'Гарантия до', kind: 'date', archived: true });

const category = (id: string, name: string, archived = false): CategoryView => ({ id, name, archived, created_at: AT }) as CategoryView;

let host: HTMLDivElement;
let state: ConsoleState;
let api: ReturnType<typeof fakeApi>;
let items: CustomFieldView[];
let refuse: ApiError | null;

async function mount(opts: { lang?: Lang; role?: 'admin' | 'supervisor'; stored?: CustomFieldView[]; page?: 'fields' | 'tags' } = {}) {
  localStorage.setItem('frontline.console.lang', opts.lang ?? 'ru');
  items = opts.stored ?? [MODEL, DEVICE, CITY, OLD];
  refuse = null;
  api = fakeApi({
    'GET /api/v1/fields': () => ({ items }),
    'GET /api/v1/channels': () => ({ items: [channel('c1', { name: 'Поддержка' }), channel('c2', { name: 'Продажи' })] }),
    'GET /api/v1/categories': (path) => ({ items: path.includes('archived=true') ? [category('cat9', 'Старое', true)] : [category('cat1', 'Цифровая техника'), category('cat2', 'Бытовая техника')] }),
    'GET /api/v1/tags': () => ({ items: [] }),
    'POST /api/v1/fields': (_p, o) => {
      if (refuse) throw refuse;
      const body = o.body as CustomFieldInput;
      const made = field(`f${items.length + 1}`, {
        key: body.key!,
        label: body.label!,
        target: body.target!,
        kind: body.kind!,
        options: body.options ?? [],
        format: body.format ?? 'none',
        pattern: body.pattern || null,
        required: body.required ?? { always: false, channels: [], categories: [] },
      });
      items = [...items, made];
      return made;
    },
    'PATCH /api/v1/fields/*': (path, o) => {
      if (refuse) throw refuse;
      const id = path.split('/').pop()!;
      const body = o.body as CustomFieldInput;
      items = items.map((f) =>
        f.id === id
          ? {
              ...f,
              ...(body.label !== undefined ? { label: body.label! } : {}),
              ...(body.format ? { format: body.format } : {}),
              ...(body.pattern !== undefined ? { pattern: body.pattern || null } : {}),
              ...(body.options ? { options: body.options } : {}),
              ...(body.required ? { required: body.required } : {}),
              ...(body.archived !== undefined && body.archived !== null ? { archived: body.archived } : {}),
            }
          : f,
      );
      return items.find((f) => f.id === id);
    },
  });
  state = new ConsoleState({ api: api.request, watching: () => true });
  state.session.me = meView({ operator: operator('op1', { display_name: 'Ольга', role: opts.role ?? 'admin' }) });
  state.session.route = { view: 'admin', section: opts.page ?? 'fields' };
  host = document.createElement('div');
  document.body.appendChild(host);
  await act(async () => {
    render(
      <ConsoleContext.Provider value={state}>
        <AdminNav />
        {opts.page === 'tags' ? <LabelsAdmin /> : <FieldsAdmin />}
      </ConsoleContext.Provider>,
      host,
    );
    await settle();
  });
  await act(settle);
}

const q = <T extends HTMLElement = HTMLElement>(testid: string, from: ParentNode = host) => from.querySelector<T>(`[data-testid="${testid}"]`);
const all = <T extends HTMLElement = HTMLElement>(testid: string, from: ParentNode = host) => [...from.querySelectorAll<T>(`[data-testid="${testid}"]`)];
const item = (key: string) => host.querySelector<HTMLElement>(`[data-testid="field-item"][data-key="${key}"]`)!;
const note = (f: string) => host.querySelector(`[data-testid="field-error"][data-field="${f}"]`)?.textContent ?? null;
const names = (group: string) => all('field-item', q(`fields-group-${group}`)!).map((x) => x.querySelector('.fld-item-name')?.textContent);
const writes = () => api.calls.filter((c) => c.method !== 'GET').map((c) => ({ method: c.method, path: c.path, body: c.options.body }));

async function act1(f: () => void) {
  await act(async () => {
    f();
    await settle();
  });
}
const type = (el: HTMLInputElement | null, value: string) =>
  act1(() => {
    el!.value = value;
    el!.dispatchEvent(new Event('input', { bubbles: true }));
  });
const choose = (el: HTMLSelectElement | null, value: string) =>
  act1(() => {
    el!.value = value;
    el!.dispatchEvent(new Event('change', { bubbles: true }));
  });
const tick = (el: HTMLInputElement | null) => act1(() => el!.click());
const click = (el: HTMLElement | null) => act1(() => el!.click());
const press = (el: HTMLElement | null, key: string) => act1(() => el!.dispatchEvent(new KeyboardEvent('keydown', { key, bubbles: true, cancelable: true })));
const submit = () => act1(() => q('field-form')!.dispatchEvent(new Event('submit', { bubbles: true, cancelable: true })));
const byId = (testid: string, id: string) => host.querySelector<HTMLInputElement>(`[data-testid="${testid}"][data-id="${id}"]`);

afterEach(() => {
  act(() => render(null, host));
  host.remove();
  localStorage.clear();
});

describe('the custom fields page', () => {
  it('lists dialog and visitor fields apart, each with its key, what it takes and when it must be filled', async () => {
    await mount();
    expect(q('fields-title')?.textContent).toBe('Поля');
    expect(names('dialog')).toEqual(['Модель', 'Устройство']);
    expect(names('visitor')).toEqual(['Город']);
    expect(names('archived')).toEqual(['Гарантия до']);
    expect(item('model').querySelector('.fld-key')?.textContent).toBe('model');
    expect(q('field-kind', item('model'))?.textContent).toBe('Текст · заглавными · по образцу');
    expect(q('field-required', item('model'))?.textContent).toBe('обязательно для: Поддержка, Цифровая техника');
    expect(q('field-kind', item('device'))?.textContent).toBe('Список · Телефон, Ноутбук');
    expect(q('field-required', item('device'))?.textContent).toBe('обязательно всегда');
    expect(q('field-required', item('city'))).toBeNull();
    expect(q('field-kind', item('warranty_at'))?.textContent).toBe('Диалога · Дата');
    // The tab beside the tags and categories; the navigation marks «Теги».
    expect(q('labels-tab-fields')?.getAttribute('aria-current')).toBe('page');
    expect(q('labels-tab-tags')?.textContent).toBe('Теги и категории');
    expect(q('nav-tags')?.getAttribute('aria-current')).toBe('page');
    expect(q('nav-fields')).toBeNull();
    // A new dialog field's form at once.
    expect(q('field-form-title')?.textContent).toBe('Новое поле диалога');
  });

  it('defines a text field: the key follows the label, upper case, a pattern, required for a category', async () => {
    await mount({ stored: [] });
    expect(q('fields-group-dialog')?.textContent).toContain('Полей диалога пока нет.');
    await type(q('field-label'), 'Серийный номер');
    expect(q<HTMLInputElement>('field-key')?.value).toBe('seriynyy_nomer');
    await tick(q('field-upper'));
    expect(q('field-pattern')?.getAttribute('placeholder')).toBe('[A-Z0-9 ]+');
    await type(q('field-pattern'), '[A-Z0-9]{6,12}');
    await tick(q('field-require-some'));
    // Nothing ticked yet: refused at the requirement, nothing sent.
    await submit();
    expect(note('required')).toBe('Отметьте хотя бы один канал или категорию.');
    expect(writes()).toEqual([]);
    expect(all('field-required-channel').map((x) => x.nextElementSibling?.textContent)).toEqual(['Поддержка', 'Продажи']);
    expect(all('field-required-category').map((x) => x.nextElementSibling?.textContent)).toEqual(['Бытовая техника', 'Цифровая техника']);
    await tick(byId('field-required-category', 'cat1'));
    await submit();
    expect(writes()).toEqual([
      {
        method: 'POST',
        path: '/api/v1/fields',
        body: { key: 'seriynyy_nomer', label: 'Серийный номер', target: 'dialog', kind: 'text', format: 'upper', pattern: '[A-Z0-9]{6,12}', required: { always: false, channels: [], categories: ['cat1'] } },
      },
    ]);
    expect(names('dialog')).toEqual(['Серийный номер']);
    expect(q('field-saved')?.textContent).toBe('Сохранено');
    expect(q('field-form-title')?.textContent).toBe('Поле «Серийный номер»');
    // Made: the key, the kind and the target are fixed.
    expect(q<HTMLInputElement>('field-key')?.readOnly).toBe(true);
    expect(q<HTMLSelectElement>('field-kind-select')?.disabled).toBe(true);
    expect(q('field-target')?.textContent).toBe('Чьё поле: Диалога');
    // The console's list follows for the dialog's header and the list filter.
    expect(state.tools.fields.map((f) => f.key)).toEqual(['seriynyy_nomer']);
  });

  it('keeps the label and its key when the kind is picked before the next render', async () => {
    await mount({ stored: [] });
    // Typed and picked in one go, as a fast hand or a browser's autofill does: no render between.
    await act1(() => {
      const label = q<HTMLInputElement>('field-label')!;
      label.value = 'Город';
      label.dispatchEvent(new Event('input', { bubbles: true }));
      const kind = q<HTMLSelectElement>('field-kind-select')!;
      kind.value = 'choice';
      kind.dispatchEvent(new Event('change', { bubbles: true }));
    });
    expect(q<HTMLInputElement>('field-label')?.value).toBe('Город');
    expect(q<HTMLInputElement>('field-key')?.value).toBe('gorod');
    expect(q<HTMLSelectElement>('field-kind-select')?.value).toBe('choice');
  });

  it('defines a visitor\'s choice: options one per row, Enter adds the next, one listed twice refused at its row', async () => {
    await mount({ stored: [] });
    await click(q('field-new-visitor'));
    expect(q('field-form-title')?.textContent).toBe('Новое поле посетителя');
    expect(q('field-required-box')).toBeNull();
    await type(q('field-label'), 'Город');
    await choose(q('field-kind-select'), 'choice');
    expect(q<HTMLInputElement>('field-key')?.value).toBe('gorod');
    await type(all<HTMLInputElement>('field-option')[0], 'Москва');
    await press(all('field-option')[0], 'Enter');
    expect(all('field-option')).toHaveLength(2);
    expect(document.activeElement).toBe(all('field-option')[1]);
    await type(all<HTMLInputElement>('field-option')[1], 'Москва');
    await click(q('field-option-add'));
    await type(all<HTMLInputElement>('field-option')[2], 'Казань');
    await submit();
    expect(note('options[1]')).toBe('Этот вариант уже есть выше.');
    expect(all<HTMLInputElement>('field-option')[1].getAttribute('aria-invalid')).toBe('true');
    expect(writes()).toEqual([]);
    await click(all('field-option-remove')[1]);
    await type(q('field-key'), 'city');
    await submit();
    expect(writes()).toEqual([{ method: 'POST', path: '/api/v1/fields', body: { key: 'city', label: 'Город', target: 'visitor', kind: 'choice', options: ['Москва', 'Казань'] } }]);
    expect(names('visitor')).toEqual(['Город']);
  });

  it('shows the server\'s refusals at the key, at an option, and a category gone at the requirement', async () => {
    await mount({ stored: [MODEL] });
    await type(q('field-label'), 'Модель');
    expect(q<HTMLInputElement>('field-key')?.value).toBe('model_2');
    await type(q('field-key'), 'model');
    // The console knows this key is taken already.
    await submit();
    expect(note('key')).toBe('Такой ключ уже есть у другого поля (и в архиве тоже).');
    await type(q('field-key'), 'model_x');
    refuse = new ApiError(400, 'validation_failed', 'key: taken by another field', { field: 'key' });
    await submit();
    expect(note('key')).toBe('Такой ключ уже есть у другого поля (и в архиве тоже).');

    await choose(q('field-kind-select'), 'choice');
    await type(all<HTMLInputElement>('field-option')[0], 'A');
    await click(q('field-option-add'));
    await type(all<HTMLInputElement>('field-option')[1], 'B');
    refuse = new ApiError(400, 'validation_failed', 'options[1]: 1–100 characters', { field: 'options[1]' });
    await submit();
    expect(note('options[1]')).toBe('От 1 до 100 символов.');

    await choose(q('field-kind-select'), 'text');
    await tick(q('field-require-some'));
    await tick(byId('field-required-channel', 'c2'));
    refuse = new ApiError(404, 'not_found', 'No such channel.', { field: 'required.channels[0]' });
    await submit();
    expect(note('required')).toBe('Такого канала или категории больше нет — обновите страницу.');

    refuse = new ApiError(400, 'validation_failed', 'key: a workspace has at most 50 live fields; archive one first', { field: 'key' });
    await submit();
    expect(q('field-error')?.textContent).toBe('Живых полей может быть не больше 50 — уберите какое-нибудь в архив.');
  });

  it('changes a saved field without its key, archives and restores it', async () => {
    await mount();
    await click(item('model'));
    expect(q('field-form-title')?.textContent).toBe('Поле «Модель»');
    expect(q<HTMLInputElement>('field-key')?.value).toBe('model');
    expect(q<HTMLInputElement>('field-upper')?.checked).toBe(true);
    expect(q<HTMLInputElement>('field-pattern')?.value).toBe('[A-Z0-9 ]+');
    expect(q<HTMLInputElement>('field-require-some')?.checked).toBe(true);
    expect(byId('field-required-channel', 'c1')?.checked).toBe(true);
    expect(byId('field-required-category', 'cat1')?.checked).toBe(true);
    // The archived category is offered only when the field has it.
    expect(byId('field-required-category', 'cat9')).toBeNull();
    expect(q<HTMLButtonElement>('field-save')?.disabled).toBe(true);

    await type(q('field-label'), 'Модель устройства');
    expect(q<HTMLInputElement>('field-key')?.value).toBe('model');
    await type(q('field-pattern'), '');
    await tick(q('field-require-always'));
    await submit();
    expect(writes()).toEqual([
      { method: 'PATCH', path: '/api/v1/fields/f1', body: { label: 'Модель устройства', format: 'upper', pattern: '', required: { always: true, channels: [], categories: [] } } },
    ]);
    expect(q('field-kind', item('model'))?.textContent).toBe('Текст · заглавными');
    expect(q('field-required', item('model'))?.textContent).toBe('обязательно всегда');

    await click(q('field-archive'));
    expect(writes().at(-1)).toEqual({ method: 'PATCH', path: '/api/v1/fields/f1', body: { archived: true } });
    expect(names('dialog')).toEqual(['Устройство']);
    expect(names('archived')).toEqual(['Модель устройства', 'Гарантия до']);
    expect(q('field-archived-note')?.textContent).toBe('Поле в архиве: его нигде не предлагают, а сохранённые значения остались.');
    await click(q('field-restore'));
    expect(writes().at(-1)).toEqual({ method: 'PATCH', path: '/api/v1/fields/f1', body: { archived: false } });
    expect(names('dialog')).toEqual(['Модель устройства', 'Устройство']);
  });

  it('asks before leaving an edited field for another', async () => {
    await mount();
    await type(q('field-label'), 'Черновик');
    expect(state.team.unsaved.any()).toBe(true);
  });

  it('is a tab beside the tags for admins; a supervisor has the tags alone', async () => {
    await mount({ page: 'tags' });
    expect(q('labels-tab-tags')?.getAttribute('aria-current')).toBe('page');
    expect(q('labels-tab-fields')?.textContent).toBe('Поля');
    act(() => render(null, host));
    host.remove();
    await mount({ page: 'tags', role: 'supervisor' });
    expect(q('labels-tab-fields')).toBeNull();
    expect(q('nav-fields')).toBeNull();
    expect(state.adminSections()).not.toContain('fields');
  });

  it('speaks English', async () => {
    await mount({ lang: 'en' });
    expect(q('fields-title')?.textContent).toBe('Custom fields');
    expect(q('fields-group-dialog')?.querySelector('h3')?.textContent).toBe('Dialog fields');
    expect(q('field-kind', item('model'))?.textContent).toBe('Text · upper case · with a pattern');
    expect(q('field-required', item('model'))?.textContent).toBe('required for: Поддержка, Цифровая техника');
    expect(q('field-upper')?.nextElementSibling?.textContent).toBe('Upper case');
    expect(q('labels-tab-tags')?.textContent).toBe('Tags and categories');
  });
});
