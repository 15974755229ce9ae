/** The visitor's tone in jsdom: the badge on the list row and in the dialog header (words, a mark and a title, not colour alone), and "Upset first" in the list's order. */
import { render } from 'preact';
import { act } from 'preact/test-utils';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fakeApi, settle } from '../../test/fake-api';
import { dialog } from '../../test/fixtures';
import { ConsoleState } from '../console-state';
import { ConsoleContext } from '../context';
import { DialogHeader } from './DialogHeader';
import { DialogRow } from './DialogRow';
import { ListFilters } from './ListFilters';

const NOW = Date.parse('2026-01-01T12:00:00Z');
let host: HTMLDivElement;
let state: ConsoleState;
let api: ReturnType<typeof fakeApi>;

function start(lang: 'ru' | 'en') {
  localStorage.clear();
  localStorage.setItem('frontline.console.lang', lang);
  api = fakeApi({ 'GET /api/v1/dialogs': () => ({ items: [], next_cursor: null }) });
  state = new ConsoleState({ api: api.request, watching: () => true });
}
function mount(node: preact.ComponentChild) {
  act(() => render(<ConsoleContext.Provider value={state}>{node}</ConsoleContext.Provider>, host));
}
const byTestId = (id: string) => host.querySelector<HTMLElement>(`[data-testid="${id}"]`);

beforeEach(() => {
  host = document.createElement('div');
  document.body.appendChild(host);
});
afterEach(() => {
  act(() => render(null, host));
  host.remove();
});

describe('the tone badge', () => {
  it('shows nothing for a calm visitor, "Напряжённо" at 1 and "Раздражён" at 2–3, with what is counted in the title', () => {
    start('ru');
    mount(<DialogRow dialog={dialog('d1', { tone: 0 })} now={NOW} />);
    expect(byTestId('tone-row')).toBeNull();
    mount(<DialogRow dialog={dialog('d1', { tone: 1 })} now={NOW} />);
    const tense = byTestId('tone-row')!;
    expect(tense.textContent).toBe('Напряжённо');
    expect(tense.className).toContain('tone-tense');
    expect(tense.getAttribute('title')).toBe('Тон клиента: Напряжённо (1 из 3). По баллу дают капс, «!!!» и грубые слова в его сообщениях.');
    expect(tense.getAttribute('aria-label')).toBe(tense.getAttribute('title'));
    // Not colour alone: one bar for tense, two for upset.
    expect(tense.querySelectorAll('svg path')).toHaveLength(1);
    mount(<DialogRow dialog={dialog('d1', { tone: 3 })} now={NOW} />);
    const upset = byTestId('tone-row')!;
    expect(upset.textContent).toBe('Раздражён');
    expect(upset.querySelectorAll('svg path')).toHaveLength(2);
  });

  it('shows in the dialog header too, in English', () => {
    start('en');
    mount(<DialogHeader dialog={dialog('d1', { tone: 2 })} name="Visitor 42" />);
    const badge = byTestId('tone-header')!;
    expect(badge.textContent).toBe('Upset');
    expect(badge.getAttribute('title')).toContain('Capitals, «!!!» and rude words');
    mount(<DialogHeader dialog={dialog('d1', { tone: 0 })} name="Visitor 42" />);
    expect(byTestId('tone-header')).toBeNull();
  });
});

describe('"Upset first"', () => {
  it('is a choice of the list order and asks the server for sort=tone', async () => {
    start('ru');
    mount(<ListFilters />);
    const select = byTestId('filter-sort') as HTMLSelectElement;
    expect([...select.options].map((o) => `${o.value}:${o.textContent}`)).toContain('tone:Сначала раздражённые');
    await act(async () => {
      select.value = 'tone';
      select.dispatchEvent(new Event('change', { bubbles: true }));
      await settle();
    });
    expect(state.lists.filter.sort).toBe('tone');
    expect(api.callsTo('GET', '/api/v1/dialogs').at(-1)?.path).toContain('sort=tone');
    expect(JSON.parse(localStorage.getItem('frontline.console.filter')!).sort).toBe('tone');
  });
});
