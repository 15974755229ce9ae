/**
 * The dialog's custom fields in jsdom: «Поля 0 из 3» in the header's tools line folding a strip
 * of inputs in the admin's order (archived and visitor fields left out); a field this dialog's
 * category requires marked «обязательно перед закрытием» while empty; «iphone 15» saved on Enter
 * and shown as the server kept it («IPHONE 15»), the focus leaving afterwards sending nothing; the
 * server's refusal and the console's own told under the input; a choice saved as picked; a close
 * refused (`fields_required`) naming «Модель» in words and focusing it, even with the strip folded;
 * another tab's change arriving live (`dialog.updated`); the visitor's fields on his card, from his
 * attributes, saved through `PUT …/visitor/fields`; the list filter by a choice field's value.
 */
import { render } from 'preact';
import { act } from 'preact/test-utils';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ApiError } from '../../shared/api';
import type { CustomFieldView, DialogView, VisitorCardView } from '../../shared/api-types';
import type { Lang } from '../../shared/i18n';
import { fakeApi, settle } from '../../test/fake-api';
import { dialog, FakeSocket, meView, operator } from '../../test/fixtures';
import { ConsoleState } from '../console-state';
import { ConsoleContext } from '../context';
import { DialogHeader } from './DialogHeader';
import { ListFilters } from './ListFilters';
import { VisitorCard } from './VisitorCard';

function field(key: string, over: Partial<CustomFieldView>): CustomFieldView {
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

const MODEL = field('model', { label: 'Модель', format: 'upper', pattern: '[A-Z0-9 ]+', required: { always: false, channels: [], categories: ['cat1'] } });
const AMOUNT = field('amount', { label: 'Сумма', kind: 'number', position: 1 });
const DEVICE = field('device', { label: 'Устройство', kind: 'choice', options: ['Телефон', 'Ноутбук'], position: 2 });
const OLD = field('old', { label: 'Старое', archived: true });
const CITY = field('city', { label: 'Город', target: 'visitor', kind: 'choice', options: ['Москва', 'Казань'] });

const CATEGORY = { id: 'cat1', name: 'Цифровая техника' };

let host: HTMLDivElement;
let state: ConsoleState;
let api: ReturnType<typeof fakeApi>;
let held: DialogView;
let card: VisitorCardView;
let fields: CustomFieldView[];
let refuseClose: boolean;

const baseCard = (): VisitorCardView => ({
    id: 'v-d1',
    number: 42,
    name: 'Мария',
    email: null,
    phone: null,
    city: null,
    language: null,
    source: 'widget',
    first_seen_at: '2026-01-01T10:00:00Z',
    visit_started_at: null,
    page_url: null,
    properties: {},
    pages: [],
    dialogs: [],
    telegram: [],
    tags: [],
    segments: [],
    events: [],
    recent_events: [],
    attributes: [
      { name: 'city', kind: 'text', value: 'Москва' as never },
      { name: 'plan', kind: 'text', value: 'pro' as never },
    ],
  });

function upper(values: Record<string, unknown>): Record<string, unknown> {
  const out = { ...held.fields };
  for (const [k, v] of Object.entries(values)) {
    if (v === null) delete out[k];
    else out[k] = k === 'model' && typeof v === 'string' ? v.trim().toUpperCase() : v;
  }
  return out;
}

async function start(opts: { lang?: Lang; list?: CustomFieldView[]; with?: Partial<DialogView> } = {}) {
  localStorage.setItem('frontline.console.lang', opts.lang ?? 'ru');
  fields = opts.list ?? [DEVICE, OLD, AMOUNT, CITY, MODEL];
  held = dialog('d1', { channel_id: 'c1', assignee: { id: 'op1', display_name: 'Анна' }, ...opts.with });
  card = baseCard();
  refuseClose = true;
  api = fakeApi({
    'GET /api/v1/me': () => meView({ operator: operator('op1', { display_name: 'Анна', role: 'operator' }) }),
    'GET /api/v1/fields': () => ({ items: fields }),
    'GET /api/v1/dialogs': (path) => ({ items: path.includes('field=device') ? [held].filter((d) => d.fields?.device === 'Телефон') : [held], next_cursor: null }),
    'GET /api/v1/dialogs/d1/visitor': () => card,
    'PUT /api/v1/dialogs/d1/fields': (_p, o) => {
      const { values } = o.body as { values: Record<string, unknown> };
      if (typeof values.model === 'string' && !/^[A-Z0-9 ]+$/.test(values.model.trim().toUpperCase())) {
        throw new ApiError(400, 'validation_failed', 'values.model: must match [A-Z0-9 ]+', { field: 'values.model' });
      }
      held = { ...held, fields: upper(values), updated_at: new Date().toISOString() };
      return held;
    },
    'PUT /api/v1/dialogs/d1/visitor/fields': (_p, o) => {
      const { values } = o.body as { values: Record<string, string | null> };
      card = { ...card, attributes: [...(card.attributes ?? []).filter((a) => !(a.name in values)), ...Object.entries(values).filter(([, v]) => v !== null).map(([name, value]) => ({ name, kind: 'text', value: value as never }))] };
      return card;
    },
    'POST /api/v1/dialogs/d1/close': () => {
      const missing = held.category?.id === 'cat1' && !held.fields?.model;
      if (refuseClose && missing) throw new ApiError(409, 'fields_required', 'Fill these fields before closing: Модель.', { fields: [{ key: 'model', label: 'Модель' }] });
      held = { ...held, status: 'closed', updated_at: new Date().toISOString() };
      return held;
    },
    'GET /api/v1/tickets': () => ({ items: [] }),
  });
  state = new ConsoleState({ api: api.request, WebSocketImpl: FakeSocket as unknown as typeof WebSocket, watching: () => true });
  await act(async () => {
    await state.start();
    await settle();
  });
  await act(settle);
  host = document.createElement('div');
  document.body.appendChild(host);
  draw();
  await act(settle);
}

function draw() {
  const d = state.lists.dialogs.get('d1') ?? held;
  act(() =>
    render(
      <ConsoleContext.Provider value={state}>
        <DialogHeader dialog={d} name="Мария" />
      </ConsoleContext.Provider>,
      host,
    ),
  );
}

const q = <T extends HTMLElement = HTMLElement>(testid: string, from: ParentNode = host) => from.querySelector<T>(`[data-testid="${testid}"]`);
const all = <T extends HTMLElement = HTMLElement>(testid: string, from: ParentNode = host) => [...from.querySelectorAll<T>(`[data-testid="${testid}"]`)];
const input = <T extends HTMLElement = HTMLInputElement>(key: string) => host.querySelector<T>(`[data-testid="field-value"][data-key="${key}"]`)!;
const row = (key: string) => host.querySelector<HTMLElement>(`[data-testid="field-row"][data-key="${key}"]`)!;
const puts = () => api.calls.filter((c) => c.method === 'PUT').map((c) => ({ path: c.path, body: c.options.body }));

async function step(f: () => void) {
  await act(async () => {
    f();
    await settle();
  });
  draw();
  await act(settle);
}
const typeIn = (el: HTMLInputElement, value: string) =>
  step(() => {
    el.focus();
    el.value = value;
    el.dispatchEvent(new Event('input', { bubbles: true }));
  });
const enter = (el: HTMLElement) => step(() => el.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', bubbles: true, cancelable: true })));
const blur = (el: HTMLElement) => step(() => el.dispatchEvent(new FocusEvent('blur')));
const pick = (el: HTMLSelectElement, value: string) =>
  step(() => {
    el.value = value;
    el.dispatchEvent(new Event('change', { bubbles: true }));
  });

beforeEach(() => {
  FakeSocket.instances = [];
  localStorage.clear();
  history.replaceState(null, '', '/console/');
});

afterEach(() => {
  act(() => render(null, host));
  host.remove();
  localStorage.clear();
});

describe('the dialog\'s custom fields', () => {
  it('are not there while the workspace has no dialog fields', async () => {
    await start({ list: [CITY, OLD] });
    expect(q('fields-toggle')).toBeNull();
    expect(q('dialog-fields')).toBeNull();
  });

  it('show the live dialog fields in the admin\'s order, folded by «Поля»', async () => {
    await start();
    expect(q('fields-toggle')?.textContent).toBe('Поля0 из 3');
    expect(q('fields-toggle')?.getAttribute('aria-expanded')).toBe('true');
    expect(all('field-row', q('dialog-fields')!).map((r) => r.querySelector('label')?.textContent)).toEqual(['Модель', 'Сумма', 'Устройство']);
    // Its category requires nothing yet.
    expect(q('field-required-note')).toBeNull();
    await step(() => q('fields-toggle')!.click());
    expect(q('dialog-fields')).toBeNull();
    expect(localStorage.getItem('frontline.console.fields_shown')).toBe('off');
    await step(() => q('fields-toggle')!.click());
    expect(q('dialog-fields')).not.toBeNull();
  });

  it('marks a field the dialog\'s category requires while it is empty', async () => {
    await start({ with: { category: CATEGORY } });
    expect(row('model').dataset.required).toBe('true');
    expect(q('field-required-note', row('model'))?.textContent).toBe('обязательно перед закрытием');
    expect(input('model').getAttribute('aria-required')).toBe('true');
    expect(q('fields-toggle')?.dataset.missing).toBe('1');
    expect(q('fields-toggle')?.getAttribute('title')).toBe('Не заполнено обязательное перед закрытием: «Модель»');
    expect(q('field-required-note', row('amount'))).toBeNull();
  });

  it('saves on Enter and shows the value as the server kept it; the focus leaving sends nothing more', async () => {
    await start({ with: { category: CATEGORY } });
    await typeIn(input('model'), 'iphone 15');
    await enter(input('model'));
    expect(puts()).toEqual([{ path: '/api/v1/dialogs/d1/fields', body: { values: { model: 'iphone 15' } } }]);
    expect(input('model').value).toBe('IPHONE 15');
    expect(q('field-required-note', row('model'))).toBeNull();
    expect(q('fields-toggle')?.textContent).toBe('Поля1 из 3');
    await blur(input('model'));
    expect(puts()).toHaveLength(1);
    // Typed again in small letters: the same value, nothing sent.
    await typeIn(input('model'), 'iphone 15 ');
    await blur(input('model'));
    expect(puts()).toHaveLength(1);
    expect(input('model').value).toBe('IPHONE 15');
    // Cleared: null.
    await typeIn(input('model'), '');
    await blur(input('model'));
    expect(puts().at(-1)?.body).toEqual({ values: { model: null } });
  });

  it('tells the server\'s refusal and the console\'s own under the input', async () => {
    await start();
    await typeIn(input('model'), 'iPhone-15');
    await enter(input('model'));
    expect(q('field-value-error', row('model'))?.textContent).toBe('Не подходит под образец [A-Z0-9 ]+.');
    expect(input('model').getAttribute('aria-invalid')).toBe('true');
    expect(input('model').value).toBe('iPhone-15');
    // The focus leaving does not send the refused value again.
    await blur(input('model'));
    expect(puts()).toHaveLength(1);
    await typeIn(input('amount'), 'двенадцать');
    await blur(input('amount'));
    expect(q('field-value-error', row('amount'))?.textContent).toBe('Нужно число, например 12 или 3,5.');
    expect(puts()).toHaveLength(1);
    await typeIn(input('amount'), '1 200,50');
    await blur(input('amount'));
    expect(puts().at(-1)?.body).toEqual({ values: { amount: 1200.5 } });
    expect(q('field-value-error', row('amount'))).toBeNull();
  });

  it('saves a choice as soon as it is picked', async () => {
    await start();
    const select = input<HTMLSelectElement>('device');
    expect([...select.options].map((o) => o.textContent)).toEqual(['—', 'Телефон', 'Ноутбук']);
    await pick(select, 'Ноутбук');
    expect(puts()).toEqual([{ path: '/api/v1/dialogs/d1/fields', body: { values: { device: 'Ноутбук' } } }]);
    expect(input<HTMLSelectElement>('device').value).toBe('Ноутбук');
  });

  it('names the missing fields when a close is refused and focuses the first, even folded', async () => {
    await start({ with: { category: CATEGORY } });
    await step(() => q('fields-toggle')!.click());
    expect(q('dialog-fields')).toBeNull();
    await step(() => q('close-dialog')!.click());
    expect(q('fields-required-alert')?.textContent).toBe('Перед закрытием заполните поле «Модель».');
    expect(q('dialog-fields')).not.toBeNull();
    expect(document.activeElement).toBe(input('model'));
    expect(row('model').classList.contains('fv-needed')).toBe(true);
    // Not told twice: no toast.
    expect(state.alerts.notice).toBeNull();
    await typeIn(input('model'), 'iphone 15');
    await enter(input('model'));
    expect(q('fields-required-alert')).toBeNull();
    await step(() => q('close-dialog')!.click());
    expect(state.lists.dialogs.get('d1')?.status).toBe('closed');
  });

  it('follows another tab\'s change live', async () => {
    await start();
    FakeSocket.last().open();
    await step(() => FakeSocket.last().push({ type: 'dialog.updated', dialog: { ...held, fields: { device: 'Телефон' }, updated_at: '2026-01-01T12:00:00Z' } }));
    expect(input<HTMLSelectElement>('device').value).toBe('Телефон');
  });

  it('speaks English', async () => {
    await start({ lang: 'en', with: { category: CATEGORY } });
    expect(q('fields-toggle')?.textContent).toBe('Fields0 of 3•Required before closing and empty: “Модель”');
    expect(q('field-required-note', row('model'))?.textContent).toBe('required before closing');
    await step(() => q('close-dialog')!.click());
    expect(q('fields-required-alert')?.textContent).toBe('Fill in “Модель” before closing.');
  });
});

describe('the visitor\'s custom fields on his card', () => {
  async function mountCard() {
    await start();
    act(() =>
      render(
        <ConsoleContext.Provider value={state}>
          <VisitorCard dialog={held} />
        </ConsoleContext.Provider>,
        host,
      ),
    );
    await act(settle);
  }

  it('show his attribute under the field\'s key, save a change, and leave it out of the attributes', async () => {
    await mountCard();
    const section = q('card-fields')!;
    expect(section.querySelector('h4')?.textContent).toBe('Поля');
    expect(all('field-row', section).map((r) => r.querySelector('label')?.textContent)).toEqual(['Город']);
    const select = input<HTMLSelectElement>('city');
    expect(select.value).toBe('Москва');
    expect(all('card-attribute').map((a) => a.dataset.name)).toEqual(['plan']);
    await act(async () => {
      select.value = 'Казань';
      select.dispatchEvent(new Event('change', { bubbles: true }));
      await settle();
    });
    await act(settle);
    expect(puts()).toEqual([{ path: '/api/v1/dialogs/d1/visitor/fields', body: { values: { city: 'Казань' } } }]);
    expect(input<HTMLSelectElement>('city').value).toBe('Казань');
  });
});

describe('the list filter by a custom field', () => {
  it('offers the choice fields\' values grouped by field, and asks with field=key:value', async () => {
    await start();
    state.lists.filtersShown = true;
    act(() =>
      render(
        <ConsoleContext.Provider value={state}>
          <ListFilters />
        </ConsoleContext.Provider>,
        host,
      ),
    );
    const select = q<HTMLSelectElement>('filter-field')!;
    expect(select.closest('label')?.querySelector('span')?.textContent).toBe('Поле');
    expect([...select.querySelectorAll('optgroup')].map((g) => g.label)).toEqual(['Устройство']);
    expect([...select.options].map((o) => o.textContent)).toEqual(['Любое значение', 'Устройство: Телефон', 'Устройство: Ноутбук']);
    await act(async () => {
      select.value = 'device:Телефон';
      select.dispatchEvent(new Event('change', { bubbles: true }));
      await settle();
    });
    expect(api.calls.filter((c) => c.path.startsWith('/api/v1/dialogs?')).at(-1)?.path).toBe('/api/v1/dialogs?status=open&field=device%3A%D0%A2%D0%B5%D0%BB%D0%B5%D1%84%D0%BE%D0%BD&limit=50');
    expect(state.visible()).toEqual([]);
    expect(q('filters-count')?.textContent).toContain('1');
    expect(JSON.parse(localStorage.getItem('frontline.console.filter') ?? '{}').field).toBe('device:Телефон');
  });
});
