/**
 * Forms and tickets in jsdom, in Russian and English: the form and ticket lines of the timeline
 * with a filled form's answers, "Send a form" beside the reply box (the forms, the reasons it
 * cannot, a refusal), the dialog's tickets in the visitor card (status, mail, read again when a
 * line says they changed) and the tickets page with its filters and the way there.
 */
import { render } from 'preact';
import { act } from 'preact/test-utils';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ApiError } from '../../shared/api';
import type { DialogView, MessageView } from '../../shared/api-types';
import { fakeApi, settle, type Handler } from '../../test/fake-api';
import { dialog, FakeSocket, meView, message, operator, systemMessage } from '../../test/fixtures';
import { ConsoleState } from '../console-state';
import { ConsoleContext } from '../context';
import { ev, form, ticket } from '../tickets-fixtures';
import type { FormView, TicketView } from '../tickets';
import { AdminNav } from './AdminNav';
import { App } from './App';
import { Composer } from './Composer';
import { DialogTimeline } from './DialogTimeline';
import { SendFormMenu } from './SendFormMenu';
import { TicketsPanel } from './Tickets';
import { TicketsPage } from './TicketsPage';

let host: HTMLDivElement;
let state: ConsoleState;
let api: ReturnType<typeof fakeApi>;
let messages: MessageView[];
let forms: FormView[];
let tickets: TicketView[];
let sendForm: Handler;
let patchTicket: Handler;
let theDialog: DialogView;
let answersFail = false;

const fields = [
  { key: 'name', kind: 'text', label: 'ФИО', required: true },
  { key: 'contract', kind: 'contract', label: 'Номер договора', pattern: '\\d{6}', required: true },
  { key: 'phone', kind: 'phone', label: 'Телефон' },
];

const sentLine = () => systemMessage(1, ev({ kind: 'form_sent', request: 'r1', form: 'Рекламация', by: 'Анна' }), { audience: 'all' });
const filledLine = (seq = 2) =>
  systemMessage(seq, ev({ kind: 'form_submitted', request: 'r1', form: 'Рекламация', number: 1, client_number: 2, answer: 'Спасибо! Ваша заявка №2 передана в сервисный отдел.' }), {
    audience: 'all',
  });
const answeredLine = (seq = 3) => systemMessage(seq, ev({ kind: 'ticket_answered', number: 1, from: 'service@kitchen.example', text: 'Мастер приедет во вторник.' }));

function setup(lang: 'ru' | 'en' = 'ru') {
  localStorage.setItem('frontline.console.lang', lang);
  api = fakeApi({
    'GET /api/v1/me': () => meView({ operator: operator('me', { display_name: 'Анна', role: 'operator' }) }),
    'GET /api/v1/dialogs/counts': () => ({ queue: 0, mine: 0, unanswered_mine: 0 }),
    'GET /api/v1/dialogs': () => ({ items: [theDialog], next_cursor: null }),
    'GET /api/v1/dialogs/d1': () => theDialog,
    'GET /api/v1/dialogs/d1/messages': () => ({ items: messages, next_cursor: null }),
    'GET /api/v1/dialogs/d1/visitor': () => ({
      id: 'v-d1',
      number: 42,
      name: 'Мария',
      email: null,
      phone: null,
      city: null,
      language: null,
      source: theDialog.visitor.source,
      first_seen_at: '2026-01-01T10:00:00Z',
      visit_started_at: null,
      page_url: null,
      properties: {},
      pages: [],
      dialogs: [],
      telegram: [],
    }),
    'POST /api/v1/dialogs/d1/read': () => undefined,
    'POST /api/v1/dialogs/d1/forms': (p, o) => sendForm(p, o),
    'GET /api/v1/operators': () => ({ items: [] }),
    'GET /api/v1/channels': () => ({ items: [] }),
    'GET /api/v1/saved-replies': () => ({ items: [] }),
    'GET /api/v1/tags': () => ({ items: [] }),
    'GET /api/v1/categories': () => ({ items: [] }),
    'GET /api/v1/forms': () => ({ items: forms }),
    'GET /api/v1/form-requests/r1': () => {
      if (answersFail) throw new ApiError(503, 'unavailable', 'down');
      return {
      id: 'r1',
      dialog_id: 'd1',
      name: 'Рекламация',
      status: 'submitted',
      fields,
      answers: { name: 'Мария Иванова', contract: '123456', phone: '' },
      created_at: '2026-12-04T12:00:00Z',
      submitted_at: '2026-12-04T12:05:00Z',
      };
    },
    'GET /api/v1/tickets': (path) => {
      const q = new URLSearchParams(path.split('?')[1] ?? '');
      return {
        items: tickets.filter(
          (x) => (!q.get('status') || x.status === q.get('status')) && (!q.get('overdue') || x.overdue) && (!q.get('dialog_id') || x.dialog_id === q.get('dialog_id')),
        ),
      };
    },
    'GET /api/v1/tickets/t1': () => ({
      ticket: tickets[0],
      entries: [
        { direction: 'out', text: 'ФИО: Мария Иванова\nНомер договора: 123456', at: '2026-12-04T12:05:00Z' },
        { direction: 'in', text: 'Мастер приедет во вторник.', at: '2026-12-04T14:10:00Z' },
      ],
    }),
    'PATCH /api/v1/tickets/*': (p, o) => patchTicket(p, o),
  });
  state = new ConsoleState({ api: api.request, WebSocketImpl: FakeSocket as unknown as typeof WebSocket, watching: () => true });
}

async function mount(node: preact.ComponentChild, lang: 'ru' | 'en' = 'ru', open = true) {
  setup(lang);
  await state.start();
  await settle();
  if (open) await state.open('d1');
  host = document.createElement('div');
  document.body.appendChild(host);
  await act(async () => {
    render(<ConsoleContext.Provider value={state}>{node}</ConsoleContext.Provider>, host);
    await settle();
  });
}

const byId = <T extends HTMLElement = HTMLElement>(testid: string, from: ParentNode = host) => from.querySelector<T>(`[data-testid="${testid}"]`);
const allById = (testid: string, from: ParentNode = host) => [...from.querySelectorAll<HTMLElement>(`[data-testid="${testid}"]`)];
const text = (el: Element | null | undefined) => el?.textContent?.replace(/\s+/g, ' ').trim() ?? null;

async function click(el: HTMLElement) {
  await act(async () => {
    el.click();
    await settle();
  });
}
async function key(el: HTMLElement, k: string) {
  await act(async () => {
    el.dispatchEvent(new KeyboardEvent('keydown', { key: k, bubbles: true, cancelable: true }));
    await settle();
  });
}
async function choose(select: HTMLSelectElement, value: string) {
  await act(async () => {
    select.value = value;
    select.dispatchEvent(new Event('change', { bubbles: true }));
    await settle();
  });
}

beforeEach(() => {
  // A fixed today (only the clock is faked, not timers): a due time of another day shows its
  // date, one of today only its time, and the fixtures' due date must not be today.
  vi.useFakeTimers({ toFake: ['Date'] });
  vi.setSystemTime(new Date('2026-12-04T15:00:00Z'));
  answersFail = false;
  FakeSocket.instances = [];
  history.replaceState(null, '', '/console/');
  theDialog = dialog('d1', { assignee: { id: 'me', display_name: 'Анна' } });
  messages = [message(0, { body: 'Дверца шкафа перекошена' })];
  forms = [form('f2', { name: 'Рекламация' }), form('f1', { name: 'Доставка', subject: 'Вопрос по доставке' }), form('f3', { name: 'Старая', enabled: false })];
  tickets = [
    ticket('t1', { overdue: true, due_at: '2026-12-07T12:00:00Z' }),
    ticket('t2', { number: 2, side: 'client', linked_id: 't1', linked_number: 1, address: 'maria@mail.test', status: 'answered' }),
  ];
  sendForm = () => ({ id: 'r9', dialog_id: 'd1', name: 'Рекламация', status: 'sent', fields, created_at: '2026-12-04T12:00:00Z' });
  patchTicket = (path, o) => {
    const id = path.split('/').pop()!;
    tickets = tickets.map((x) => (x.id === id ? { ...x, status: (o.body as { status: string }).status } : x));
    return tickets.find((x) => x.id === id);
  };
});
afterEach(() => {
  vi.useRealTimers();
  act(() => render(null, host));
  host?.remove();
  localStorage.clear();
});

describe('form and ticket lines in the timeline', () => {
  it('words them in Russian and opens a filled form\'s answers', async () => {
    messages = [message(0), sentLine(), filledLine(), answeredLine()];
    await mount(<DialogTimeline dialogId="d1" />);
    const lines = allById('system-line');
    expect(lines.map((l) => l.dataset.event)).toEqual(['form_sent', 'form_submitted', 'ticket_answered']);
    expect(text(lines[0].querySelector('.system-text'))).toMatch(/^Посетителю отправлена форма «Рекламация», инициатор: Анна · \d\d:\d\d$/);
    expect(text(lines[1].querySelector('.system-text'))).toMatch(/^Посетитель заполнил форму «Рекламация»: заявка №1 в отдел, №2 — клиенту · /);
    expect(text(byId('system-detail', lines[1]))).toBe('Посетителю: «Спасибо! Ваша заявка №2 передана в сервисный отдел.»');
    expect(text(lines[2].querySelector('.system-text'))).toMatch(/^Отдел \(service@kitchen\.example\) ответил по заявке №1: · /);
    expect(text(byId('system-detail', lines[2]))).toBe('Мастер приедет во вторник.');
    // Only the filled form's line has answers to read.
    expect(byId('form-answers', lines[0])).toBeNull();
    expect(byId('form-answers', lines[2])).toBeNull();

    const toggle = byId('form-answers', lines[1])!;
    expect(toggle.tagName).toBe('BUTTON');
    expect(text(toggle)).toBe('Ответы');
    expect(toggle.getAttribute('aria-expanded')).toBe('false');
    await click(toggle);
    expect(api.callsTo('GET', '/api/v1/form-requests/r1')).toHaveLength(1);
    const list = byId('form-answers-list', lines[1])!;
    expect(list.getAttribute('aria-label')).toBe('Ответы на форму «Рекламация»');
    expect(toggle.getAttribute('aria-controls')).toBe(list.parentElement?.id);
    expect(allById('form-answer', list).map((a) => `${text(a.querySelector('dt'))}: ${text(a.querySelector('dd'))}`)).toEqual([
      'ФИО: Мария Иванова',
      'Номер договора: 123456',
      'Телефон: —',
    ]);
    expect(text(toggle)).toBe('Скрыть ответы');
    await click(toggle);
    expect(byId('form-answers-list')).toBeNull();
    // Read once.
    await click(toggle);
    expect(api.callsTo('GET', '/api/v1/form-requests/r1')).toHaveLength(1);
  });

  it('speaks English, and says when the answers cannot be read', async () => {
    messages = [message(0), sentLine(), filledLine(), answeredLine()];
    await mount(<DialogTimeline dialogId="d1" />, 'en');
    const lines = allById('system-line');
    expect(text(lines[0].querySelector('.system-text'))).toMatch(/^Анна sent the visitor the form “Рекламация” · /);
    expect(text(lines[1].querySelector('.system-text'))).toMatch(/^The visitor filled in the form “Рекламация”: ticket #1 to the department, #2 for the client · /);
    expect(text(lines[2].querySelector('.system-text'))).toMatch(/^The department \(service@kitchen\.example\) answered ticket #1: · /);
    expect(text(byId('system-audience', lines[2]) ?? lines[2].querySelector('.system-audience'))).toBe('only operators see this');

    const toggle = byId('form-answers', lines[1])!;
    expect(text(toggle)).toBe('Answers');
    await click(toggle);
    expect(text(byId('form-answers-list'))).toContain('Номер договора123456');
  });

  it('offers to read the answers again after a refusal', async () => {
    messages = [message(0), filledLine()];
    answersFail = true;
    await mount(<DialogTimeline dialogId="d1" />);
    await click(byId('form-answers')!);
    expect(text(byId('form-answers-error'))).toBe('Сервер временно недоступен. Повторите позже. Повторить');
    answersFail = false;
    await click(byId('form-answers-error')!.querySelector('button')!);
    expect(byId('form-answers-error')).toBeNull();
    expect(allById('form-answer')).toHaveLength(3);
  });
});

describe('sending a form', () => {
  it('lists the enabled forms by name, sends the picked one and gives the focus back', async () => {
    await mount(<SendFormMenu dialog={theDialog} />);
    const button = byId<HTMLButtonElement>('send-form')!;
    expect(button.getAttribute('aria-label')).toBe('Отправить форму');
    expect(button.getAttribute('aria-expanded')).toBe('false');
    expect(button.hasAttribute('aria-disabled')).toBe(false);
    await click(button);
    expect(api.callsTo('GET', '/api/v1/forms')).toHaveLength(1);
    const menu = byId('send-form-menu')!;
    expect(menu.getAttribute('role')).toBe('dialog');
    expect(menu.getAttribute('aria-label')).toBe('Отправить форму');
    const items = allById('send-form-item', menu);
    expect(items.map((i) => text(i.querySelector('.send-form-name')))).toEqual(['Доставка', 'Рекламация']);
    expect(items.every((i) => i.tagName === 'BUTTON')).toBe(true);
    // The first form has the focus; the arrows walk the list.
    expect(document.activeElement).toBe(items[0]);
    await key(items[0], 'ArrowDown');
    expect(document.activeElement).toBe(items[1]);
    await key(items[1], 'ArrowDown');
    expect(document.activeElement).toBe(items[0]);
    await key(items[0], 'End');
    expect(document.activeElement).toBe(items[1]);

    await click(items[1]);
    expect(api.callsTo('POST', '/api/v1/dialogs/d1/forms').map((c) => c.options.body)).toEqual([{ form_id: 'f2' }]);
    expect(byId('send-form-menu')).toBeNull();
    expect(document.activeElement).toBe(button);
  });

  it('shows the server\'s refusal in words and stays open', async () => {
    sendForm = () => {
      throw new ApiError(409, 'dialog_closed', 'The dialog is closed.');
    };
    await mount(<SendFormMenu dialog={theDialog} />);
    await click(byId('send-form')!);
    await click(allById('send-form-item')[0]);
    const error = byId('send-form-error')!;
    expect(error.getAttribute('role')).toBe('alert');
    expect(error.dataset.code).toBe('dialog_closed');
    expect(text(error)).toBe('Диалог закрыт: форму можно отправить только в открытый диалог.');
    expect(byId('send-form-menu')).not.toBeNull();

    sendForm = () => {
      throw new ApiError(400, 'validation_failed', 'form_id: a form is filled in the website widget', { field: 'form_id' });
    };
    await click(allById('send-form-item')[0]);
    expect(text(byId('send-form-error'))).toBe('Посетитель пишет не с сайта (из Telegram или по почте): форму заполняют только в окне чата на сайте.');
    // Esc closes it and the focus goes back to the button.
    await key(byId('send-form-menu')!, 'Escape');
    expect(byId('send-form-menu')).toBeNull();
    expect(document.activeElement).toBe(byId('send-form'));
  });

  it('says why not for a visitor from Telegram, without asking for the forms', async () => {
    theDialog = dialog('d1', { visitor: { ...dialog('d1').visitor, source: 'telegram' } });
    await mount(<SendFormMenu dialog={theDialog} />);
    const button = byId('send-form')!;
    expect(button.getAttribute('aria-disabled')).toBe('true');
    expect(button.title).toBe('Отправить форму: Посетитель пишет не с сайта (из Telegram или по почте): форму заполняют только в окне чата на сайте.');
    await click(button);
    expect(byId('send-form-reason')?.dataset.reason).toBe('not_widget');
    expect(allById('send-form-item')).toHaveLength(0);
    expect(api.callsTo('GET', '/api/v1/forms')).toHaveLength(0);
  });

  it('says there are no forms yet, in both languages', async () => {
    forms = [form('f3', { enabled: false })];
    await mount(<SendFormMenu dialog={theDialog} />);
    await click(byId('send-form')!);
    expect(text(byId('send-form-reason'))).toBe('Форм пока нет: их создаёт администратор.');
    act(() => render(null, host));
    host.remove();

    await mount(<SendFormMenu dialog={theDialog} />, 'en');
    await click(byId('send-form')!);
    expect(text(byId('send-form-reason'))).toBe('No forms yet: an admin creates them.');
    expect(byId('send-form')!.getAttribute('aria-label')).toBe('Send a form');
  });

  it('sits among the reply box\'s tools', async () => {
    await mount(<Composer dialogId="d1" />);
    expect(byId('send-form')?.closest('.composer-tools')).not.toBeNull();
  });
});

describe('the dialog\'s tickets beside it', () => {
  it('lists them with whom they are for, status, due time and the overdue mark', async () => {
    await mount(<TicketsPanel dialogId="d1" />);
    expect(api.callsTo('GET', '/api/v1/tickets').map((c) => c.path)).toEqual(['/api/v1/tickets?dialog_id=d1']);
    const panel = byId('tickets-panel')!;
    expect(text(panel.querySelector('h4'))).toBe('Заявки');
    expect(panel.getAttribute('aria-labelledby')).toBe(panel.querySelector('h4')?.id);
    const rows = allById('ticket-row', panel);
    expect(rows.map((r) => text(r.querySelector('.ticket-number')))).toEqual(['№1', '№2']);
    expect(rows.map((r) => text(byId('ticket-who', r)))).toEqual(['Отдел (service@kitchen.example)', 'Клиент (maria@mail.test)']);
    expect(rows.map((r) => text(byId('ticket-overdue', r)))).toEqual(['Просрочена', null]);
    expect(rows[0].dataset.overdue).toBe('true');
    expect(text(byId('ticket-due', rows[0]))).toMatch(/^Срок: 7 дек\.?, \d\d:00$/);
    const selects = allById('ticket-status', panel) as HTMLSelectElement[];
    expect(selects.map((s) => s.value)).toEqual(['open', 'answered']);
    expect(selects[0].getAttribute('aria-label')).toBe('Статус заявки №1');
    expect([...selects[0].options].map((o) => o.text)).toEqual(['Открыта', 'Есть ответ', 'Закрыта']);
  });

  it('sets the status, and puts it back with the reason when refused', async () => {
    await mount(<TicketsPanel dialogId="d1" />);
    let select = allById('ticket-status')[0] as HTMLSelectElement;
    await choose(select, 'closed');
    expect(api.callsTo('PATCH', '/api/v1/tickets/t1').map((c) => c.options.body)).toEqual([{ status: 'closed' }]);
    select = allById('ticket-status')[0] as HTMLSelectElement;
    expect(select.value).toBe('closed');
    expect(allById('ticket-row')[0].dataset.status).toBe('closed');

    patchTicket = () => {
      throw new ApiError(403, 'forbidden', 'no');
    };
    await choose(select, 'open');
    expect(select.value).toBe('closed');
    expect(text(byId('ticket-status-error'))).toBe('Недостаточно прав для этого действия.');
  });

  it('opens a ticket\'s mail: what went out and what came back, with times', async () => {
    await mount(<TicketsPanel dialogId="d1" />);
    const toggle = byId('ticket-mail', allById('ticket-row')[0])!;
    expect(text(toggle)).toBe('Письма');
    await click(toggle);
    expect(api.callsTo('GET', '/api/v1/tickets/t1')).toHaveLength(1);
    const entries = allById('ticket-entry');
    expect(entries.map((e) => e.dataset.direction)).toEqual(['out', 'in']);
    expect(text(entries[0].querySelector('.ticket-entry-head span'))).toBe('Отправлено');
    expect(text(entries[1].querySelector('.ticket-entry-head span'))).toBe('Ответ');
    expect(entries[1].querySelector('time')?.getAttribute('datetime')).toBe('2026-12-04T14:10:00Z');
    expect(text(entries[1].querySelector('.ticket-entry-text'))).toBe('Мастер приедет во вторник.');
    expect(toggle.getAttribute('aria-expanded')).toBe('true');
    await click(toggle);
    expect(allById('ticket-entry')).toHaveLength(0);
  });

  it('speaks English', async () => {
    await mount(<TicketsPanel dialogId="d1" />, 'en');
    const rows = allById('ticket-row');
    expect(text(byId('tickets-panel')?.querySelector('h4'))).toBe('Tickets');
    expect(text(rows[0].querySelector('.ticket-number'))).toBe('#1');
    expect(text(byId('ticket-who', rows[0]))).toBe('Department (service@kitchen.example)');
    expect(text(byId('ticket-overdue', rows[0]))).toBe('Overdue');
    expect(text(byId('ticket-due', rows[0]))).toMatch(/^Due 7 Dec, \d\d:00$/);
    expect([...(allById('ticket-status')[1] as HTMLSelectElement).options].map((o) => o.text)).toEqual(['Open', 'Answered', 'Closed']);
    expect(text(byId('ticket-mail'))).toBe('Mail');
    tickets = [];
    act(() => render(null, host));
    host.remove();
    await mount(<TicketsPanel dialogId="d1" />, 'en');
    expect(text(byId('tickets-panel')?.querySelector('p'))).toBe('No tickets in this dialog.');
  });

  it('reads them again when a filled form or the department\'s answer comes into the open dialog', async () => {
    messages = [message(0), sentLine(), filledLine()];
    await mount(<TicketsPanel dialogId="d1" />);
    FakeSocket.last().open();
    await settle();
    // The lines the history held were in the first answer.
    expect(api.callsTo('GET', '/api/v1/tickets')).toHaveLength(1);
    await act(async () => {
      FakeSocket.last().push({ type: 'message.created', message: message(3, { body: 'Спасибо' }) });
      await settle();
    });
    expect(api.callsTo('GET', '/api/v1/tickets')).toHaveLength(1);
    await act(async () => {
      FakeSocket.last().push({ type: 'message.created', message: answeredLine(4) });
      await settle();
    });
    expect(api.callsTo('GET', '/api/v1/tickets').map((c) => c.path)).toEqual(['/api/v1/tickets?dialog_id=d1', '/api/v1/tickets?dialog_id=d1']);
  });

  it('does not read them again for the lines of a history that comes after it', async () => {
    messages = [message(0), sentLine(), filledLine(), answeredLine()];
    await mount(<TicketsPanel dialogId="d1" />, 'ru', false);
    expect(api.callsTo('GET', '/api/v1/tickets')).toHaveLength(1);
    await act(async () => {
      await state.open('d1');
      await settle();
    });
    expect(state.dialog.loaded.get('d1')?.messages.log.list()).toHaveLength(4);
    expect(api.callsTo('GET', '/api/v1/tickets')).toHaveLength(1);
  });

  it('shows in the visitor card of a website visitor', async () => {
    theDialog = dialog('d1');
    await mount(<App />);
    await act(async () => {
      state.dialog.cardShown || state.dialog.toggleCard();
      await settle();
    });
    expect(byId('visitor-card')).not.toBeNull();
    expect(byId('tickets-panel', byId('visitor-card')!)).not.toBeNull();
    expect(byId('send-form', byId('composer')!)).not.toBeNull();
  });
});

describe('the tickets page', () => {
  beforeEach(() => {
    tickets = [
      ticket('t3', { number: 3, dialog_id: 'd7', linked_id: 't4', linked_number: 4, subject: 'Доставка', address: 'delivery@kitchen.example' }),
      ...tickets,
    ];
  });

  it('lists every ticket with its side, linked number, subject, address, status, due time, and links to its dialog', async () => {
    await mount(<TicketsPage />, 'ru', false);
    expect(api.callsTo('GET', '/api/v1/tickets').map((c) => c.path)).toEqual(['/api/v1/tickets']);
    const page = byId('tickets-page')!;
    expect(text(page.querySelector('h1'))).toBe('Заявки');
    expect([...page.querySelectorAll('th')].map((th) => text(th))).toEqual(['Номер', 'Сторона', 'Связанная', 'Тема', 'Адрес', 'Статус', 'Срок', 'Диалог']);
    const rows = allById('ticket-row', page);
    expect(rows.map((r) => [...r.querySelectorAll('td')].slice(0, 5).map((td) => text(td)))).toEqual([
      ['№3', 'Отдел', '№4', 'Доставка', 'delivery@kitchen.example'],
      ['№1', 'Отдел', '№2', 'Вопрос по рекламации', 'service@kitchen.example'],
      ['№2', 'Клиент', '№1', 'Вопрос по рекламации', 'maria@mail.test'],
    ]);
    expect(text(byId('ticket-due', rows[1])?.querySelector('time'))).toMatch(/^7 дек\.?, \d\d:00$/);
    expect(text(byId('ticket-overdue', rows[1]))).toBe('Просрочена');
    expect(byId('ticket-overdue', rows[0])).toBeNull();
    expect((byId('ticket-status', rows[2]) as HTMLSelectElement).value).toBe('answered');

    const link = byId<HTMLAnchorElement>('ticket-dialog-link', rows[0])!;
    expect(link.getAttribute('href')).toBe('/console/dialogs/d7');
    expect(link.getAttribute('aria-label')).toBe('Открыть диалог заявки №3');
    await click(link);
    expect(location.pathname).toBe('/console/dialogs/d7');
    expect(state.session.route).toEqual({ view: 'dialogs', dialogId: 'd7' });
  });

  it('filters by status and to the overdue ones', async () => {
    await mount(<TicketsPage />, 'ru', false);
    await choose(byId<HTMLSelectElement>('tickets-filter-status')!, 'answered');
    expect(api.calls.at(-1)?.path).toBe('/api/v1/tickets?status=answered');
    expect(allById('ticket-row').map((r) => r.dataset.ticketId)).toEqual(['t2']);
    const overdue = byId<HTMLInputElement>('tickets-filter-overdue')!;
    await click(overdue);
    expect(api.calls.at(-1)?.path).toBe('/api/v1/tickets?status=answered&overdue=true');
    expect(text(byId('tickets-empty'))).toBe('Нет заявок по этому фильтру.');
    await choose(byId<HTMLSelectElement>('tickets-filter-status')!, 'all');
    expect(api.calls.at(-1)?.path).toBe('/api/v1/tickets?overdue=true');
    expect(allById('ticket-row').map((r) => r.dataset.ticketId)).toEqual(['t1']);
  });

  it('speaks English', async () => {
    await mount(<TicketsPage />, 'en', false);
    const page = byId('tickets-page')!;
    expect(text(page.querySelector('h1'))).toBe('Tickets');
    expect([...page.querySelectorAll('th')].map((th) => text(th))).toEqual(['Number', 'Side', 'Linked', 'Subject', 'Address', 'Status', 'Due', 'Dialog']);
    const rows = allById('ticket-row');
    expect(text(rows[2].querySelector('td:nth-child(2)'))).toBe('Client');
    expect(text(byId('ticket-due', rows[1])?.querySelector('time'))).toMatch(/^7 Dec, \d\d:00$/);
    expect(text(byId('ticket-overdue', rows[1]))).toBe('Overdue');
    expect(text(byId('ticket-dialog-link', rows[0]))).toBe('Open the dialog');
    expect(text(page.querySelector('label.choice'))).toBe('Overdue only');
  });

  it('is in every operator\'s navigation, and a deep link opens it', async () => {
    await mount(<AdminNav />, 'ru', false);
    const nav = byId('nav-tickets')!;
    expect(text(nav)).toBe('Заявки');
    expect(nav.getAttribute('href')).toBe('/console/tickets');
    expect(nav.hasAttribute('aria-current')).toBe(false);
    await click(nav);
    expect(location.pathname).toBe('/console/tickets');
    expect(state.session.route).toEqual({ view: 'tickets' });
    expect(byId('nav-tickets')!.getAttribute('aria-current')).toBe('page');
    act(() => render(null, host));
    host.remove();

    history.replaceState(null, '', '/console/tickets');
    await mount(<App />, 'en', false);
    expect(byId('tickets-page')).not.toBeNull();
    expect(text(byId('nav-tickets'))).toBe('Tickets');
    expect(byId('skip-to-list')).toBeNull();
  });
});
