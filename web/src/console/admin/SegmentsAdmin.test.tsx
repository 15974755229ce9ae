/**
 * The segments page in jsdom: the list with each segment's rules in words and its count (asked one
 * by one); a new segment built row by row — an incomplete rule asks for no count, a complete draft
 * is counted 400 ms after the last change («2 посетителя», the newest of them) and a date
 * attribute is offered date comparisons only —, saved, and listed; the server's refusal of a
 * rule's field told at that input, a taken name at the name; deleting asks first, and a segment a
 * routing rule uses is refused with where; a supervisor sees it all read-only (no tabs, the
 * segments in the navigation) and an operator has no page; English.
 */
import type { ComponentChildren } from 'preact';
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
import { sectionsFor } from '../routes';
import type { SegmentFilter, SegmentPreview, SegmentView } from './segments';
import { SegmentsAdmin } from './SegmentsAdmin';

const AT = '2026-03-05T14:30:00Z';

function segment(id: string, name: string, filter: SegmentFilter): SegmentView {
  return { id, name, filter, created_at: AT, updated_at: AT };
}

const BUYERS = segment('s1', 'Покупатели', {
  match: 'all',
  rules: [
    { type: 'attribute', name: 'plan', op: 'is', value: 'pro' },
    { type: 'event', name: 'order_paid', did: true, within_days: 30 },
  ],
});
const QUIET = segment('s2', 'Давно не заходили', { match: 'any', rules: [{ type: 'last_seen', op: 'older_than_days', days: 90 }] });

let host: HTMLDivElement;
let state: ConsoleState;
let api: ReturnType<typeof fakeApi>;
let items: SegmentView[];
let previews: SegmentFilter[];
let refuse: ApiError | null;
let refuseDelete: ApiError | null;

const counts: Record<string, number> = { s1: 21, s2: 5 };
const preview = (count: number): SegmentPreview => ({
  count,
  visitors: [
    { id: 'v1', number: 12, name: 'Анна Смирнова', user_id: 'crm-1042', last_seen_at: AT },
    { id: 'v2', number: 7, name: null, user_id: null, last_seen_at: null },
  ].slice(0, count),
});

async function mount(opts: { lang?: Lang; role?: 'admin' | 'supervisor' | 'operator'; stored?: SegmentView[]; page?: ComponentChildren } = {}) {
  localStorage.setItem('frontline.console.lang', opts.lang ?? 'ru');
  items = opts.stored ?? [BUYERS, QUIET];
  previews = [];
  refuse = null;
  refuseDelete = null;
  api = fakeApi({
    'GET /api/v1/segments': () => ({ items }),
    'GET /api/v1/segments/*': (path) => preview(counts[path.split('/')[4]] ?? 0),
    'POST /api/v1/segments/preview': (_p, o) => {
      const { filter } = o.body as { filter: SegmentFilter };
      previews.push(filter);
      return preview(filter.rules.length === 1 ? 2 : 1);
    },
    'POST /api/v1/segments': (_p, o) => {
      if (refuse) throw refuse;
      const body = o.body as { name: string; filter: SegmentFilter };
      const made = segment(`s${items.length + 1}`, body.name, body.filter);
      items = [...items, made];
      return made;
    },
    'PATCH /api/v1/segments/*': (path, o) => {
      if (refuse) throw refuse;
      const id = path.split('/').pop()!;
      items = items.map((s) => (s.id === id ? { ...s, ...(o.body as Partial<SegmentView>) } : s));
      return items.find((s) => s.id === id);
    },
    'DELETE /api/v1/segments/*': (path) => {
      if (refuseDelete) throw refuseDelete;
      items = items.filter((s) => s.id !== path.split('/').pop());
      return undefined;
    },
  });
  state = new ConsoleState({ api: api.request, watching: () => true });
  state.session.me = meView({ operator: operator('op1', { display_name: 'Ольга', role: opts.role ?? 'admin' }) });
  state.session.route = { view: 'admin', section: 'segments' };
  host = document.createElement('div');
  document.body.appendChild(host);
  await act(async () => {
    render(<ConsoleContext.Provider value={state}>{opts.page ?? <SegmentsAdmin />}</ConsoleContext.Provider>, host);
    await settle();
  });
  await act(settle);
}

const q = <T extends HTMLElement = HTMLElement>(testid: string, from: ParentNode = host) => from.querySelector<T>(`[data-testid="${testid}"]`);
const all = <T extends HTMLElement = HTMLElement>(testid: string, from: ParentNode = host) => [...from.querySelectorAll<T>(`[data-testid="${testid}"]`)];
const row = (i: number) => all('segment-rule')[i];
const item = (id: string) => host.querySelector<HTMLElement>(`[data-testid="segment-item"][data-segment-id="${id}"]`)!;
const note = (field: string) => host.querySelector(`[data-testid="field-error"][data-field="${field}"]`)?.textContent ?? null;
const options = (select: HTMLSelectElement) => [...select.options].map((o) => o.value);
const writes = () => api.calls.filter((c) => c.method !== 'GET' && !c.path.endsWith('/preview')).map((c) => ({ method: c.method, path: c.path, body: c.options.body }));

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
const click = (el: HTMLElement | null) => act1(() => el!.click());
const submit = () => act1(() => q('segment-form')!.dispatchEvent(new Event('submit', { bubbles: true, cancelable: true })));
/** Lets the live count's 400 ms pass and its answer arrive. */
const wait = (ms: number) =>
  act(async () => {
    await vi.advanceTimersByTimeAsync(ms);
    await settle();
  });

afterEach(() => {
  act(() => render(null, host));
  host.remove();
  localStorage.clear();
  vi.useRealTimers();
  vi.restoreAllMocks();
});

describe('the segments page', () => {
  it('lists the segments with their rules in words and their counts, asked one by one', async () => {
    await mount();
    expect(q('segments-title')?.textContent).toBe('Сегменты');
    expect(all('segment-item').map((x) => x.querySelector('.seg-item-name')?.textContent)).toEqual(['Давно не заходили', 'Покупатели']);
    expect(q('segment-summary', item('s1'))?.textContent).toBe('plan = pro · сделал order_paid за 30 дней');
    expect(q('segment-summary', item('s2'))?.textContent).toBe('не заходил 90 дней');
    expect(q('segment-count', item('s1'))?.textContent).toBe('21 посетитель');
    expect(q('segment-count', item('s2'))?.textContent).toBe('5 посетителей');
    expect(api.callsTo('GET', '/api/v1/segments/').map((c) => c.path)).toEqual(['/api/v1/segments/s2/preview', '/api/v1/segments/s1/preview']);
    // The tab beside the routing rules, the quality guard and the complaints.
    expect(all('rules-tab-segments').length + all('rules-tab-rules').length).toBe(2);
    expect(q('rules-tab-segments')?.getAttribute('aria-current')).toBe('page');
    // Admins get the form for a new one at once.
    expect(q('segment-form-title')?.textContent).toBe('Новый сегмент');
  });

  it('builds a segment row by row with a live count, and saves it', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    await mount({ stored: [] });
    expect(q('segments-empty')?.textContent).toBe('Сегментов пока нет — создайте первый в форме справа.');
    const live = () => q('segment-live-count')?.textContent;
    expect(live()).toBe('Заполните условия — и здесь появится, сколько посетителей подходит.');

    await type(q('segment-name'), 'Покупатели тарифа «Про»');
    // An attribute: a value compared as text, number or yes/no; no date comparisons for plan.
    const op = q<HTMLSelectElement>('segment-rule-op', row(0))!;
    expect(options(op)).toEqual(['is', 'is_not', 'contains', 'gt', 'lt', 'exists', 'missing']);
    await type(q('segment-rule-name', row(0)), 'plan');
    await wait(1000);
    // The value is missing: nothing is asked.
    expect(previews).toEqual([]);
    await type(q('segment-rule-value', row(0)), 'pr');
    await wait(200);
    await type(q('segment-rule-value', row(0)), 'pro');
    await wait(399);
    expect(previews).toEqual([]);
    await wait(1);
    expect(previews).toEqual([{ match: 'all', rules: [{ type: 'attribute', name: 'plan', op: 'is', value: 'pro' }] }]);
    expect(live()).toBe('2 посетителя');
    expect(all('segment-live-visitor').map((v) => v.textContent)).toEqual(['Анна СмирноваID на сайте: crm-1042', 'Посетитель №7']);
    // Visitors change meanwhile: counted again on asking, at once.
    await click(q('segment-live-refresh'));
    expect(previews).toHaveLength(2);

    // A second rule, an event done in the last 30 days.
    await click(q('segment-rule-add'));
    await choose(q('segment-rule-type', row(1)), 'event');
    await type(q('segment-rule-name', row(1)), 'order_paid');
    await type(q('segment-rule-within', row(1)), '30');
    await wait(400);
    expect(previews.at(-1)).toEqual({
      match: 'all',
      rules: [
        { type: 'attribute', name: 'plan', op: 'is', value: 'pro' },
        { type: 'event', name: 'order_paid', did: true, within_days: 30 },
      ],
    });
    expect(live()).toBe('1 посетитель');

    await submit();
    expect(writes()).toEqual([
      {
        method: 'POST',
        path: '/api/v1/segments',
        body: { name: 'Покупатели тарифа «Про»', filter: previews.at(-1) },
      },
    ]);
    expect(q('segment-summary', item('s1'))?.textContent).toBe('plan = pro · сделал order_paid за 30 дней');
    expect(q('segment-form-title')?.textContent).toBe('Сегмент «Покупатели тарифа «Про»»');
    expect(q('segment-saved')?.textContent).toBe('Сохранено');
    // The editor's count is the list's too; nothing more is asked.
    expect(q('segment-count', item('s1'))?.textContent).toBe('1 посетитель');
    await wait(1000);
    expect(previews).toHaveLength(3);
    // The dialog list's filter and the conditions editor have it at once.
    expect(state.tools.segments.map((s) => s.name)).toEqual(['Покупатели тарифа «Про»']);
  });

  it('offers a date attribute its date comparisons only, and checks the days before asking', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    await mount({ stored: [] });
    await type(q('segment-rule-name', row(0)), 'paid_at');
    const op = q<HTMLSelectElement>('segment-rule-op', row(0))!;
    expect(options(op)).toEqual(['within_days', 'older_than_days', 'exists', 'missing']);
    expect(op.value).toBe('within_days');
    expect(row(0).textContent).toContain('Название оканчивается на _at — это дата: её сравнивают по дням.');
    expect(q('segment-rule-kind', row(0))).toBeNull();
    await type(q('segment-rule-value', row(0)), '0');
    await wait(1000);
    expect(previews).toEqual([]);
    await type(q('segment-name'), 'Платили давно');
    await submit();
    // Nothing is sent; the days are told at their input.
    expect(writes()).toEqual([]);
    expect(note('filter.rules[0].value')).toBe('Число от 1 до 3650.');
    expect(q('segment-rule-value', row(0))?.getAttribute('aria-invalid')).toBe('true');
    await choose(op, 'older_than_days');
    await type(q('segment-rule-value', row(0)), '90');
    expect(note('filter.rules[0].value')).toBeNull();
    await submit();
    expect(writes()[0].body).toEqual({ name: 'Платили давно', filter: { match: 'all', rules: [{ type: 'attribute', name: 'paid_at', op: 'older_than_days', value: 90 }] } });
  });

  it('tells the server\'s refusal of a rule\'s field at that input, and a taken name at the name', async () => {
    await mount();
    await click(item('s1'));
    expect(q<HTMLInputElement>('segment-name')?.value).toBe('Покупатели');
    expect(all('segment-rule')).toHaveLength(2);
    await type(q('segment-rule-within', row(1)), '45');
    refuse = new ApiError(400, 'validation_failed', 'filter.rules[1].within_days: whole days, 1–3650', { field: 'filter.rules[1].within_days' });
    await submit();
    expect(note('filter.rules[1].within_days')).toBe('Число от 1 до 3650.');
    expect(q('segment-rule-within', row(1))?.getAttribute('aria-invalid')).toBe('true');
    expect(q('segment-rule-name', row(1))?.getAttribute('aria-invalid')).toBeNull();
    expect(row(1).classList.contains('has-error')).toBe(true);
    expect(q('segment-error')).toBeNull();

    refuse = new ApiError(409, 'name_taken', 'This name is taken.', { field: 'name' });
    await submit();
    expect(note('name')).toBe('Сегмент с таким названием уже есть.');
    expect(q('segment-name')?.getAttribute('aria-invalid')).toBe('true');

    refuse = new ApiError(409, 'too_many_segments', 'at most 100', { limit: 100 });
    await submit();
    expect(q('segment-error')?.textContent).toBe('Достигнут предел: не больше 100 сегментов. Удалите ненужный, чтобы создать новый.');

    refuse = null;
    await submit();
    expect(writes().at(-1)).toMatchObject({ method: 'PATCH', path: '/api/v1/segments/s1' });
    expect(q('segment-saved')).not.toBeNull();
  });

  it('deletes after the browser asks; one a routing rule uses is refused with where', async () => {
    await mount();
    await click(item('s1'));
    const asked: string[] = [];
    vi.spyOn(window, 'confirm').mockImplementation((m) => {
      asked.push(String(m));
      return asked.length > 1;
    });
    await click(q('segment-delete'));
    expect(asked).toEqual(['Удалить сегмент «Покупатели»? Фильтр списка диалогов по нему пропадёт у всех операторов.']);
    expect(writes()).toEqual([]);

    refuseDelete = new ApiError(409, 'segment_in_use', 'used', { used_by: 'routing rule «Покупатели в отдел продаж»' });
    await click(q('segment-delete'));
    expect(q('segment-error')?.textContent).toBe('Сегмент нельзя удалить: его использует правило маршрутизации «Покупатели в отдел продаж». Сначала уберите его оттуда.');
    expect(item('s1')).not.toBeNull();

    refuseDelete = null;
    state.setFilter({ segment: 's1' });
    await click(q('segment-delete'));
    expect(writes().map((w) => `${w.method} ${w.path}`)).toEqual(['DELETE /api/v1/segments/s1', 'DELETE /api/v1/segments/s1']);
    expect(item('s1')).toBeNull();
    expect(q('segment-form-title')?.textContent).toBe('Новый сегмент');
    // The dialog list's filter by it goes too.
    expect(state.lists.filter.segment).toBeNull();
  });

  it('shows a supervisor the segments read-only, counted; no tabs, the page in his navigation', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    await mount({ role: 'supervisor' });
    expect(q('segment-new')).toBeNull();
    expect(q('rules-tab-segments')).toBeNull();
    expect(q('segment-pick')?.textContent).toBe('Выберите сегмент в списке, чтобы увидеть его условия и посетителей.');
    expect(q('segment-count', item('s1'))?.textContent).toBe('21 посетитель');
    await click(item('s1'));
    expect(q('segment-read-only')).not.toBeNull();
    expect(q<HTMLFieldSetElement>('segment-form')!.querySelector('fieldset')!.disabled).toBe(true);
    expect(q('segment-save')).toBeNull();
    expect(q('segment-delete')).toBeNull();
    expect(q('segment-rule-add')).toBeNull();
    // He may count: the saved filter is asked about.
    await wait(400);
    expect(previews).toEqual([BUYERS.filter]);
    expect(q('segment-live-count')?.textContent).toBe('1 посетитель');
    act(() => render(null, host));
    host.remove();

    await mount({ role: 'supervisor', page: <AdminNav /> });
    expect(q('nav-segments')?.textContent).toBe('Сегменты');
    expect(q('nav-rules')).toBeNull();
  });

  it('is beside the routing rules for admins, and no page of an operator\'s', async () => {
    await mount({ page: <AdminNav /> });
    expect(q('nav-segments')).toBeNull();
    expect(q('nav-rules')).not.toBeNull();
    expect(sectionsFor('operator')).not.toContain('segments');
  });

  it('reads in English', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    await mount({ lang: 'en' });
    expect(q('segments-title')?.textContent).toBe('Segments');
    expect(q('segment-summary', item('s1'))?.textContent).toBe('plan = pro · did order_paid in the last 30 days');
    expect(q('segment-count', item('s1'))?.textContent).toBe('21 visitors');
    await click(item('s2'));
    await wait(400);
    expect(q('segment-live-count')?.textContent).toBe('2 visitors');
    expect(all('segment-live-visitor').map((v) => v.querySelector('.seg-visitor-name')?.textContent)).toEqual(['Анна Смирнова', 'Visitor #7']);
    expect(q<HTMLSelectElement>('segment-rule-seen', row(0))?.selectedOptions[0].textContent).toBe('not visited in the last');
  });
});
