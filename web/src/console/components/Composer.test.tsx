/** The composer in jsdom: "/" popup and Ctrl+1 with variables filled, note mode and @ mentions, files refused before upload, emoji. */
import { render } from 'preact';
import { act } from 'preact/test-utils';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fakeApi, settle } from '../../test/fake-api';
import { channel, dialog, FakeSocket, operator } from '../../test/fixtures';
import { ConsoleState } from '../console-state';
import { ConsoleContext } from '../context';
import { Composer } from './Composer';

const anna = operator('op1', { display_name: 'Анна Смирнова' });
const ivan = operator('op2', { display_name: 'Иван Петров' });
const replies = [
  { id: 'w1', scope: 'workspace', channel_id: null, owner_id: null, title: 'Общий', body: 'Спасибо за обращение!' },
  { id: 'p1', scope: 'personal', channel_id: null, owner_id: 'op1', title: 'Приветствие', body: 'Здравствуйте, {visitor.first_name}! Меня зовут {operator.first_name}.' },
];

let host: HTMLDivElement;
let state: ConsoleState;
let posted: unknown[];
let next = 0;
let dialogId = 'd1';

async function mount(visitorName: string | null) {
  posted = [];
  dialogId = `d${++next}`; // drafts outlive a composer: each test its own dialog
  localStorage.setItem('frontline.console.lang', 'ru');
  const api = fakeApi({
    'GET /api/v1/me': () => ({ operator: anna, workspace: { id: 'w', name: 'W', slug: 'w' }, upload_limits: { max_bytes: 100, max_files: 2, types: ['image/png'] } }),
    'GET /api/v1/dialogs/counts': () => ({ queue: 0, mine: 0, unanswered_mine: 0 }),
    'GET /api/v1/dialogs': () => ({ items: [dialog(dialogId, { visitor: { id: 'v', number: 42, name: visitorName, city: null, page_url: null, source: 'widget' } })], next_cursor: null }),
    'GET /api/v1/operators': () => ({ items: [anna, ivan] }),
    'GET /api/v1/channels': () => ({ items: [channel('c1')] }),
    'GET /api/v1/saved-replies': () => ({ items: replies }),
    'GET /api/v1/tags': () => ({ items: [] }),
    'GET /api/v1/categories': () => ({ items: [] }),
    'POST /api/v1/dialogs/*': (_p, o) => {
      posted.push(o.body);
      return new Promise(() => {});
    },
  });
  state = new ConsoleState({ api: api.request, WebSocketImpl: FakeSocket as unknown as typeof WebSocket, watching: () => true });
  await state.start();
  await settle();
  host = document.createElement('div');
  document.body.appendChild(host);
  act(() =>
    render(
      <ConsoleContext.Provider value={state}>
        <Composer dialogId={dialogId} />
      </ConsoleContext.Provider>,
      host,
    ),
  );
  await settle();
}

const textarea = () => host.querySelector<HTMLTextAreaElement>('[data-testid="composer-input"]')!;
const byTestId = (id: string) => host.querySelector<HTMLElement>(`[data-testid="${id}"]`);

async function type(value: string) {
  const el = textarea();
  el.value = value;
  el.setSelectionRange(value.length, value.length);
  await act(async () => {
    el.dispatchEvent(new Event('input', { bubbles: true }));
    await settle();
  });
}

async function key(init: KeyboardEventInit) {
  await act(async () => {
    textarea().dispatchEvent(new KeyboardEvent('keydown', { bubbles: true, cancelable: true, ...init }));
    await settle();
  });
}

beforeEach(() => {
  FakeSocket.instances = [];
  localStorage.clear();
});
afterEach(() => {
  render(null, host);
  host.remove();
});

describe('Composer', () => {
  it('"/" lists the saved replies, personal first with Ctrl+N, and Enter inserts the filled text', async () => {
    await mount('Ольга Петрова');
    await type('/');
    const options = [...host.querySelectorAll('[data-testid="saved-reply-option"]')];
    expect(options.map((o) => o.querySelector('.popup-title')?.textContent)).toEqual(['Приветствие', 'Общий']);
    expect(options[0].textContent).toContain('Ctrl+1');
    await type('/прив');
    await key({ key: 'Enter' });
    expect(textarea().value).toBe('Здравствуйте, Ольга! Меня зовут Анна.');
    expect(byTestId('saved-replies-popup')).toBeNull();
  });

  it('Ctrl+1 inserts the first reply; a visitor without a name leaves no stray comma', async () => {
    await mount(null);
    await key({ key: '1', code: 'Digit1', ctrlKey: true });
    expect(textarea().value).toBe('Здравствуйте! Меня зовут Анна.');
    await key({ key: '2', code: 'Digit2', ctrlKey: true });
    expect(textarea().value).toBe('Здравствуйте! Меня зовут Анна.Спасибо за обращение!');
  });

  it('Esc closes the popup without clearing the text', async () => {
    await mount(null);
    await type('/об');
    await key({ key: 'Escape' });
    expect(byTestId('saved-replies-popup')).toBeNull();
    expect(textarea().value).toBe('/об');
  });

  it('note mode looks different, offers @ mentions and sends internal', async () => {
    await mount(null);
    await act(async () => byTestId('composer-mode-note')!.click());
    expect(byTestId('composer')!.className).toContain('composer-note');
    expect(textarea().placeholder).toBe('Заметка видна только операторам');
    await type('Коллега @ив');
    const options = [...host.querySelectorAll('[data-testid="mention-option"]')];
    expect(options.map((o) => o.textContent)).toEqual(['ИПИван Петров']);
    await key({ key: 'Enter' });
    expect(textarea().value).toBe('Коллега @Иван Петров ');
    await key({ key: 'Enter' });
    expect(posted).toEqual([expect.objectContaining({ body: 'Коллега @Иван Петров', internal: true })]);
  });

  it('refuses a file over the limit before any upload and says why', async () => {
    await mount(null);
    const input = host.querySelector<HTMLInputElement>('[data-testid="composer-file"]')!;
    const big = new File(['x'.repeat(200)], 'скан.png', { type: 'image/png' });
    Object.defineProperty(input, 'files', { value: [big], configurable: true });
    await act(async () => {
      input.dispatchEvent(new Event('change', { bubbles: true }));
      await settle();
    });
    expect(byTestId('composer-refusals')!.textContent).toBe('«скан.png» не прикреплён: файл больше 100 Б.');
    expect(host.querySelectorAll('[data-testid="file-chip"]')).toHaveLength(0);
  });

  it('the emoji picker puts an emoji at the caret and closes', async () => {
    await mount(null);
    await type('Спасибо ');
    await act(async () => byTestId('composer-emoji')!.click());
    const first = host.querySelector<HTMLButtonElement>('[data-testid="emoji-picker"] button')!;
    await act(async () => first.click());
    expect(textarea().value).toBe('Спасибо 😀');
    expect(byTestId('emoji-picker')).toBeNull();
  });
});
