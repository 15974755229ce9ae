/**
 * The dialog list's segment filter in jsdom: offered beside the tag filter once the workspace has
 * a segment (none: not there); picking one asks the server with `segment=<id>`, keeps it with the
 * other filters, counts it on the folded "Filters" button, and the list shows only the dialogs of
 * the visitors the server listed; a segment deleted meanwhile (`404`) drops the filter.
 */
import { render } from 'preact';
import { act } from 'preact/test-utils';
import { afterEach, describe, expect, it } from 'vitest';
import { ApiError } from '../../shared/api';
import type { DialogView } from '../../shared/api-types';
import { fakeApi, settle } from '../../test/fake-api';
import { dialog, meView, operator } from '../../test/fixtures';
import type { SegmentView } from '../admin/segments';
import { ConsoleState } from '../console-state';
import { ConsoleContext } from '../context';
import { ListFilters } from './ListFilters';

const seg = (id: string, name: string): SegmentView => ({ id, name, filter: { match: 'all', rules: [{ type: 'tag', tag: 'vip' }] }, created_at: '', updated_at: '' });

let host: HTMLDivElement;
let state: ConsoleState;
let api: ReturnType<typeof fakeApi>;
let segments: SegmentView[];
let gone: boolean;

const inSegment = dialog('d-in', { visitor: { ...dialog('x').visitor, id: 'v-in' } });
const outside = dialog('d-out', { visitor: { ...dialog('x').visitor, id: 'v-out' } });

async function mount(list: SegmentView[]) {
  localStorage.setItem('frontline.console.lang', 'ru');
  segments = list;
  gone = false;
  api = fakeApi({
    'GET /api/v1/segments': () => ({ items: segments }),
    'GET /api/v1/dialogs': (path): { items: DialogView[] } => {
      if (path.includes('segment=')) {
        if (gone) throw new ApiError(404, 'not_found', 'No such segment.');
        return { items: [inSegment] };
      }
      return { items: [inSegment, outside] };
    },
  });
  state = new ConsoleState({ api: api.request, watching: () => true });
  state.session.me = meView({ operator: operator('op1', { role: 'operator' }) });
  state.lists.filtersShown = true;
  await act(async () => {
    await state.loadSegments();
    await state.loadList();
  });
  host = document.createElement('div');
  document.body.appendChild(host);
  await act(async () => {
    render(
      <ConsoleContext.Provider value={state}>
        <ListFilters />
      </ConsoleContext.Provider>,
      host,
    );
    await settle();
  });
}

const q = <T extends HTMLElement = HTMLElement>(testid: string) => host.querySelector<T>(`[data-testid="${testid}"]`);
const choose = (select: HTMLSelectElement, value: string) =>
  act(async () => {
    select.value = value;
    select.dispatchEvent(new Event('change', { bubbles: true }));
    await settle();
  });
const shown = () => state.visible().map((d) => d.id);

afterEach(() => {
  act(() => render(null, host));
  host.remove();
  localStorage.clear();
});

describe('the dialog list\'s segment filter', () => {
  it('is not offered while the workspace has no segments', async () => {
    await mount([]);
    expect(q('filter-tag')).not.toBeNull();
    expect(q('filter-segment')).toBeNull();
  });

  it('asks the server with segment=<id>, is kept and counted, and shows only that segment\'s dialogs', async () => {
    await mount([seg('s1', 'Покупатели'), seg('s2', 'Давно не заходили')]);
    expect(shown().sort()).toEqual(['d-in', 'd-out']);
    const select = q<HTMLSelectElement>('filter-segment')!;
    expect(select.closest('label')?.querySelector('span')?.textContent).toBe('Сегмент');
    expect([...select.options].map((o) => o.textContent)).toEqual(['Любой', 'Давно не заходили', 'Покупатели']);

    await choose(select, 's1');
    expect(api.calls.at(-1)?.path).toBe('/api/v1/dialogs?status=open&segment=s1&limit=50');
    expect(shown()).toEqual(['d-in']);
    expect(JSON.parse(localStorage.getItem('frontline.console.filter') ?? '{}').segment).toBe('s1');
    expect(q('filters-count')?.textContent).toContain('1');

    await choose(select, '');
    expect(state.lists.filter.segment).toBeNull();
    expect(shown().sort()).toEqual(['d-in', 'd-out']);
  });

  it('drops the filter when the segment is gone', async () => {
    await mount([seg('s1', 'Покупатели')]);
    gone = true;
    await choose(q<HTMLSelectElement>('filter-segment')!, 's1');
    await act(settle);
    expect(state.lists.filter.segment).toBeNull();
    expect(state.lists.listProblem).toBeNull();
    expect(api.calls.at(-1)?.path).toBe('/api/v1/dialogs?status=open&limit=50');
  });
});
