/** The proactive messages page in jsdom: list, create with the defaults, edit conditions, switch off in place, a refused field, delete. */
import { render } from 'preact';
import { act } from 'preact/test-utils';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ApiError } from '../../shared/api';
import type { TriggerInput, TriggerView } from '../../shared/api-types';
import { fakeApi, settle } from '../../test/fake-api';
import { meView, operator, trigger } from '../../test/fixtures';
import { AdminNav } from '../components/AdminNav';
import { ConsoleState } from '../console-state';
import { ConsoleContext } from '../context';
import { TriggersAdmin } from './TriggersAdmin';

let host: HTMLDivElement;
let items: TriggerView[];
let calls: { method: string; path: string; body: TriggerInput | undefined }[];
let refuse: ApiError | null;
let state: ConsoleState;
let segments: { id: string; name: string; filter: unknown; created_at: string; updated_at: string }[] = [];

async function mount() {
  localStorage.setItem('frontline.console.lang', 'ru');
  items = [trigger('t1', { name: 'Кухни', conditions: [{ type: 'url', pattern: '/kitchens/*', regex: false }] })];
  calls = [];
  refuse = null;
  const api = fakeApi({
    'GET /api/v1/triggers': () => ({ items }),
    'POST /api/v1/triggers': (path, o) => {
      calls.push({ method: 'POST', path, body: o.body as TriggerInput });
      if (refuse) throw refuse;
      const made = trigger(`t${items.length + 1}`, o.body as Partial<TriggerView>);
      items = [...items, made];
      return made;
    },
    'PATCH /api/v1/triggers/*': (path, o) => {
      calls.push({ method: 'PATCH', path, body: o.body as TriggerInput });
      if (refuse) throw refuse;
      const id = path.split('/').pop()!;
      items = items.map((x) => (x.id === id ? { ...x, ...(o.body as Partial<TriggerView>) } : x));
      return items.find((x) => x.id === id);
    },
    'GET /api/v1/segments': () => ({ items: segments }),
    'DELETE /api/v1/triggers/*': (path) => {
      calls.push({ method: 'DELETE', path, body: undefined });
      items = items.filter((x) => x.id !== path.split('/').pop());
      return undefined;
    },
  });
  state = new ConsoleState({ api: api.request, watching: () => true });
  host = document.createElement('div');
  document.body.appendChild(host);
  await act(async () => {
    render(
      <ConsoleContext.Provider value={state}>
        <TriggersAdmin />
      </ConsoleContext.Provider>,
      host,
    );
    await settle();
  });
}

const q = <T extends HTMLElement = HTMLElement>(testid: string) => host.querySelector<T>(`[data-testid="${testid}"]`);
const all = <T extends HTMLElement = HTMLElement>(testid: string) => [...host.querySelectorAll<T>(`[data-testid="${testid}"]`)];

async function type(el: HTMLInputElement | HTMLTextAreaElement, value: string) {
  await act(async () => {
    el.value = value;
    el.dispatchEvent(new Event('input', { bubbles: true }));
    await settle();
  });
}
async function click(el: HTMLElement) {
  await act(async () => {
    el.click();
    await settle();
  });
}
async function submit() {
  await act(async () => {
    q<HTMLFormElement>('trigger-form')!.dispatchEvent(new Event('submit', { bubbles: true, cancelable: true }));
    await settle();
  });
}

describe('proactive messages page', () => {
  beforeEach(mount);
  afterEach(() => {
    act(() => render(null, host));
    host.remove();
    vi.restoreAllMocks();
  });

  it('lists the triggers with what they wait for', () => {
    expect(all('trigger-item')).toHaveLength(1);
    expect(q('trigger-item')?.textContent).toContain('через 25 с · раз в 24 ч · условий: 1');
  });

  it('creates one with the defaults and a condition from the routing rule editor', async () => {
    expect(q<HTMLInputElement>('trigger-time-on-site')?.value).toBe('25');
    expect(q<HTMLInputElement>('trigger-period')?.value).toBe('24');
    await type(q<HTMLInputElement>('trigger-name')!, 'Диваны');
    await type(q<HTMLTextAreaElement>('trigger-message')!, 'Помочь с выбором дивана?');
    await click(q('condition-add')!);
    // A proactive message shows in the widget: no Telegram topic to ask for.
    expect([...q<HTMLSelectElement>('condition-type')!.options].map((o) => o.value)).toEqual(['url', 'property', 'language']);
    await type(q<HTMLInputElement>('condition-pattern')!, 'https://shop.example/sofas/*');
    await submit();
    expect(calls).toEqual([
      {
        method: 'POST',
        path: '/api/v1/triggers',
        body: {
          name: 'Диваны',
          message: 'Помочь с выбором дивана?',
          enabled: true,
          time_on_site_seconds: 25,
          conditions: [{ type: 'url', pattern: 'https://shop.example/sofas/*', regex: false }],
          period_hours: 24,
        },
      },
    ]);
    expect(all('trigger-item')).toHaveLength(2);
    // The new one is open in the form, saved.
    expect(q('trigger-form')?.dataset.triggerId).toBe('t2');
    expect(q('trigger-saved')?.textContent).toBe('Сохранено');
  });

  it('switches one off in place and edits it', async () => {
    await click(q('trigger-toggle')!);
    expect(calls[0]).toEqual({ method: 'PATCH', path: '/api/v1/triggers/t1', body: { enabled: false } });
    expect(q('trigger-item')?.dataset.enabled).toBe('false');
    await click(q('trigger-open')!);
    expect(q<HTMLInputElement>('trigger-enabled')?.checked).toBe(false);
    await type(q<HTMLInputElement>('trigger-period')!, '72');
    await submit();
    expect(calls[1]).toMatchObject({ method: 'PATCH', path: '/api/v1/triggers/t1', body: { period_hours: 72, enabled: false, name: 'Кухни' } });
    expect(q('trigger-item')?.textContent).toContain('раз в 72 ч');
  });

  it('shows a refused field beside it, a condition\'s under the conditions', async () => {
    await click(q('trigger-open')!);
    refuse = new ApiError(400, 'validation_failed', 'not a valid regular expression', { field: 'conditions[0].pattern' });
    await type(q<HTMLInputElement>('condition-pattern')!, '(');
    await click(q('condition-regex')!);
    await submit();
    expect(q<HTMLInputElement>('condition-pattern')?.getAttribute('aria-invalid')).toBe('true');
    expect(host.querySelector('[data-testid="field-error"][data-field="conditions"]')?.textContent).toBe(
      'Условие 1, поле «Шаблон адреса»: Это не регулярное выражение — проверьте скобки и спецсимволы.',
    );
    refuse = new ApiError(400, 'validation_failed', 'too long', { field: 'message' });
    await type(q<HTMLTextAreaElement>('trigger-message')!, 'Ещё текст');
    await submit();
    expect(host.querySelector('[data-testid="field-error"][data-field="message"]')?.textContent).toBe('Слишком длинно.');
    expect(q<HTMLTextAreaElement>('trigger-message')?.getAttribute('aria-invalid')).toBe('true');
  });

  it('checks the numbers before sending', async () => {
    await type(q<HTMLInputElement>('trigger-name')!, 'Новое');
    await type(q<HTMLTextAreaElement>('trigger-message')!, 'Привет');
    await type(q<HTMLInputElement>('trigger-period')!, '0');
    await submit();
    expect(calls).toEqual([]);
    expect(host.querySelector('[data-testid="field-error"][data-field="period_hours"]')?.textContent).toBe('Число от 1 до 8760.');
  });

  it('takes a segment condition; a segment deleted meanwhile is told at that condition', async () => {
    segments = [{ id: 's1', name: 'Покупатели', filter: { match: 'all', rules: [{ type: 'tag', tag: 'vip' }] }, created_at: '', updated_at: '' }];
    await act(async () => {
      await state.loadSegments();
      await settle();
    });
    await click(q('trigger-open')!);
    const type = q<HTMLSelectElement>('condition-type')!;
    expect([...type.options].map((o) => o.value)).toEqual(['url', 'property', 'language', 'segment']);
    await act(async () => {
      type.value = 'segment';
      type.dispatchEvent(new Event('change', { bubbles: true }));
      await settle();
    });
    expect(q<HTMLSelectElement>('condition-segment')?.value).toBe('s1');
    refuse = new ApiError(404, 'not_found', 'No such segment.', { field: 'conditions[0].segment_id' });
    await submit();
    expect(calls[0].body?.conditions).toEqual([{ type: 'segment', segment_id: 's1' }]);
    expect(q('condition-segment')?.getAttribute('aria-invalid')).toBe('true');
    expect(host.querySelector('[data-testid="field-error"][data-field="conditions"]')?.textContent).toBe(
      'Условие 1, поле «Какой сегмент»: Такого сегмента больше нет — выберите другой.',
    );
    expect(q('trigger-error')).toBeNull();
    segments = [];
  });

  it('deletes one after asking', async () => {
    vi.spyOn(window, 'confirm').mockReturnValue(true);
    await click(q('trigger-open')!);
    await click(q('trigger-delete')!);
    expect(calls).toEqual([{ method: 'DELETE', path: '/api/v1/triggers/t1', body: undefined }]);
    expect(q('triggers-empty')?.textContent).toBe('Проактивных сообщений пока нет.');
  });

  it('is in the admin navigation; a channel\'s automation is reached from the channel instead', async () => {
    state.session.me = meView({ operator: operator('op1', { role: 'admin' }) });
    await act(async () => {
      render(
        <ConsoleContext.Provider value={state}>
          <AdminNav />
        </ConsoleContext.Provider>,
        host,
      );
      await settle();
    });
    expect(q('nav-triggers')?.textContent).toBe('Проактивные');
    expect(q('nav-triggers')?.getAttribute('href')).toBe('/console/admin/triggers');
    expect(q('nav-automation')).toBeNull();
  });
});
