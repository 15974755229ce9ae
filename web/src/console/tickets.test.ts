/** Forms and tickets, the pure part and the controller: the lines' words, answers, send checks, queries, status changes. */
import { describe, expect, it } from 'vitest';
import { ApiError } from '../shared/api';
import type { MessageView } from '../shared/api-types';
import { fakeApi, settle } from '../test/fake-api';
import { dialog, message, systemMessage } from '../test/fixtures';
import { makeT } from './i18n';
import { pathFor, routeFromPath } from './routes';
import { systemLine } from './system-lines';
import {
  answerPairs,
  dueText,
  lastTicketLine,
  sendableForms,
  sendBlock,
  sendBlockText,
  sendProblemKey,
  statusLabel,
  ticketsQuery,
  TicketsState,
  whoLabel,
} from './tickets';
import { ev, form, ticket } from './tickets-fixtures';

const ru = makeT('ru');
const en = makeT('en');
const line = (e: Record<string, unknown>, lang: 'ru' | 'en') => systemLine({ body: '', event: ev(e) as MessageView['event'] }, makeT(lang), lang);

describe('form and ticket lines', () => {
  it('word a sent form, with and without who sent it', () => {
    expect(line({ kind: 'form_sent', request: 'r1', form: 'Рекламация', by: 'Анна' }, 'ru')).toEqual({
      text: 'Посетителю отправлена форма «Рекламация», инициатор: Анна',
      comment: null,
      request: 'r1',
    });
    expect(line({ kind: 'form_sent', request: 'r1', form: 'Рекламация', by: 'Анна' }, 'en').text).toBe('Анна sent the visitor the form “Рекламация”');
    expect(line({ kind: 'form_sent', request: 'r1', form: 'Рекламация' }, 'ru').text).toBe('Посетителю отправлена форма «Рекламация»');
    expect(line({ kind: 'form_sent', request: 'r1', form: '', by: null }, 'en').text).toBe('The visitor was sent the form “untitled”');
  });

  it('word a filled form: both tickets and what the visitor was told', () => {
    const e = { kind: 'form_submitted', request: 'r1', form: 'Рекламация', number: 1, client_number: 2, answer: 'Спасибо! Ваша заявка №2 передана.' };
    expect(line(e, 'ru')).toEqual({
      text: 'Посетитель заполнил форму «Рекламация»: заявка №1 в отдел, №2 — клиенту',
      comment: null,
      detail: 'Посетителю: «Спасибо! Ваша заявка №2 передана.»',
      request: 'r1',
    });
    expect(line(e, 'en')).toEqual({
      text: 'The visitor filled in the form “Рекламация”: ticket #1 to the department, #2 for the client',
      comment: null,
      detail: 'Told the visitor: “Спасибо! Ваша заявка №2 передана.”',
      request: 'r1',
    });
    expect(line({ kind: 'form_submitted', request: 'r1', form: 'Рекламация' }, 'ru')).toMatchObject({ text: 'Посетитель заполнил форму «Рекламация»', detail: null });
  });

  it('word the department answering, its text quoted under the line', () => {
    const e = { kind: 'ticket_answered', number: 1, from: 'service@kitchen.example', text: ' Мастер приедет во вторник.\n' };
    expect(line(e, 'ru')).toEqual({ text: 'Отдел (service@kitchen.example) ответил по заявке №1:', comment: null, detail: 'Мастер приедет во вторник.' });
    expect(line(e, 'en').text).toBe('The department (service@kitchen.example) answered ticket #1:');
    expect(line({ kind: 'ticket_answered', number: 3, text: '' }, 'ru')).toEqual({ text: 'Отдел ответил по заявке №3:', comment: null, detail: null });
  });

  it('tell the newest line that changes the tickets', () => {
    const lines = [
      systemMessage(1, ev({ kind: 'form_sent', request: 'r1', form: 'Р', by: 'Анна' })),
      message(2),
      systemMessage(3, ev({ kind: 'form_submitted', request: 'r1', form: 'Р', number: 1, client_number: 2, answer: '' })),
      systemMessage(4, ev({ kind: 'assigned', operator: 'Анна', by: null })),
    ];
    expect(lastTicketLine(lines)).toBe(3);
    expect(lastTicketLine([...lines, systemMessage(9, ev({ kind: 'ticket_answered', number: 1, from: 'x', text: 'y' }))])).toBe(9);
    expect(lastTicketLine(lines.slice(0, 2))).toBe(0);
  });
});

describe('form answers', () => {
  it('follow the form\'s fields, then answers to fields it no longer lists', () => {
    const fields = [
      { key: 'name', kind: 'text', label: 'ФИО', required: true },
      { key: 'phone', kind: 'phone', label: 'Телефон' },
      { key: 'contract', kind: 'contract', label: 'Номер договора', pattern: '\\d{6}' },
    ];
    expect(answerPairs({ fields, answers: { contract: '123456', name: ' Мария ', old: 'было' } })).toEqual([
      { key: 'name', label: 'ФИО', value: 'Мария' },
      { key: 'phone', label: 'Телефон', value: '' },
      { key: 'contract', label: 'Номер договора', value: '123456' },
      { key: 'old', label: 'old', value: 'было' },
    ]);
    expect(answerPairs({ fields, answers: null })).toEqual([]);
  });
});

describe('sending a form', () => {
  it('is for a website visitor\'s open dialog, with forms to send', () => {
    const forms = [form('f1')];
    expect(sendBlock(dialog('d1'), forms)).toBeNull();
    expect(sendBlock(dialog('d1'), null)).toBeNull();
    expect(sendBlock(dialog('d1', { status: 'closed' }), forms)).toBe('closed');
    const telegram = dialog('d1', { visitor: { ...dialog('d1').visitor, source: 'telegram' } });
    expect(sendBlock(telegram, forms)).toBe('not_widget');
    expect(sendBlock(dialog('d1'), [])).toBe('no_forms');
    expect(sendBlockText(ru, 'no_forms')).toBe('Форм пока нет: их создаёт администратор.');
    expect(sendBlockText(en, 'no_forms')).toBe('No forms yet: an admin creates them.');
  });

  it('offers the enabled forms by name', () => {
    expect(sendableForms([form('b', { name: 'Рекламация' }), form('a', { name: 'Доставка' }), form('c', { name: 'Архив', enabled: false })]).map((f) => f.name)).toEqual([
      'Доставка',
      'Рекламация',
    ]);
  });

  it('words the server\'s refusals', () => {
    expect(sendProblemKey({ code: 'validation_failed', details: { field: 'form_id' } })).toBe('forms.send.not_widget');
    expect(sendProblemKey({ code: 'not_found', details: { field: 'form_id' } })).toBe('forms.send.gone');
    expect(sendProblemKey({ code: 'dialog_closed', details: {} })).toBe('forms.send.closed');
    expect(sendProblemKey({ code: 'validation_failed', details: { field: 'body' } })).toBeNull();
    expect(sendProblemKey({ code: 'forbidden', details: {} })).toBeNull();
  });
});

describe('tickets', () => {
  it('name statuses, sides and whom a ticket is for', () => {
    expect(statusLabel(ru, 'answered')).toBe('Есть ответ');
    expect(statusLabel(en, 'closed')).toBe('Closed');
    expect(statusLabel(en, 'lost')).toBe('lost');
    expect(whoLabel(ru, ticket('t1'))).toBe('Отдел (service@kitchen.example)');
    expect(whoLabel(en, ticket('t2', { side: 'client', address: 'maria@mail.test' }))).toBe('Client (maria@mail.test)');
    expect(whoLabel(ru, ticket('t2', { side: 'client', address: '' }))).toBe('Клиент');
  });

  it('show the due time as the console shows times: the clock today, else the date too', () => {
    const now = new Date(2026, 11, 4, 10, 0).getTime();
    expect(dueText(new Date(2026, 11, 4, 15, 30).toISOString(), 'ru', now)).toBe('15:30');
    expect(dueText(new Date(2026, 11, 7, 15, 0).toISOString(), 'ru', now)).toMatch(/^7 дек\.?, 15:00$/);
    expect(dueText(new Date(2026, 11, 7, 15, 0).toISOString(), 'en', now)).toBe('7 Dec, 15:00');
    expect(dueText(null, 'en', now)).toBe('');
  });

  it('ask the list with the filters and the dialog', () => {
    expect(ticketsQuery({ status: 'all', overdue: false })).toBe('');
    expect(ticketsQuery({ status: 'open', overdue: true })).toBe('?status=open&overdue=true');
    expect(ticketsQuery({ status: 'all', overdue: false }, 'd 1')).toBe('?dialog_id=d%201');
  });

  it('have a page of their own: /console/tickets', () => {
    expect(routeFromPath('/console/tickets')).toEqual({ view: 'tickets' });
    expect(routeFromPath('/console/tickets/')).toEqual({ view: 'tickets' });
    expect(routeFromPath('/console/ticketsx')).toEqual({ view: 'dialogs', dialogId: null });
    expect(pathFor({ view: 'tickets' })).toBe('/console/tickets');
  });
});

describe('TicketsState', () => {
  function setup() {
    let items = [ticket('t1'), ticket('t2', { number: 2, side: 'client', linked_id: 't1', linked_number: 1, address: 'maria@mail.test' })];
    const api = fakeApi({
      'GET /api/v1/forms': () => ({ items: [form('f2', { name: 'Рекламация' }), form('f1', { name: 'Доставка' }), form('f3', { enabled: false })] }),
      'POST /api/v1/dialogs/d1/forms': () => ({ id: 'r9', dialog_id: 'd1', name: 'Рекламация', status: 'sent', fields: [], created_at: '2026-01-01T10:00:00Z' }),
      'POST /api/v1/dialogs/d2/forms': () => {
        throw new ApiError(404, 'not_found', 'No such form.', { field: 'form_id' });
      },
      'GET /api/v1/tickets': () => ({ items }),
      'GET /api/v1/tickets/t1': () => ({ ticket: { ...items[0], status: 'answered' }, entries: [{ direction: 'out', text: 'ФИО: Мария', at: '2026-12-04T12:00:00Z' }] }),
      'PATCH /api/v1/tickets/*': (path, o) => {
        const id = path.split('/').pop()!;
        const status = (o.body as { status: string }).status;
        if (status === 'lost') throw new ApiError(400, 'validation_failed', 'status', { field: 'status' });
        items = items.map((x) => (x.id === id ? { ...x, status } : x));
        return items.find((x) => x.id === id);
      },
    });
    return { api, tickets: new TicketsState({ api: api.request, guard: (e) => ({ code: (e as ApiError).code, details: (e as ApiError).details }) }) };
  }

  it('reads the sendable forms and sends one; a form gone reads them again', async () => {
    const { api, tickets } = setup();
    await tickets.loadForms();
    expect(tickets.forms?.map((f) => f.id)).toEqual(['f1', 'f2']);
    expect(await tickets.sendForm('d1', 'f2')).toBeNull();
    expect(api.callsTo('POST', '/api/v1/dialogs/d1/forms')[0].options.body).toEqual({ form_id: 'f2' });
    const refused = await tickets.sendForm('d2', 'f2');
    expect(refused?.code).toBe('not_found');
    await settle();
    expect(api.callsTo('GET', '/api/v1/forms')).toHaveLength(2);
  });

  it('lists a dialog\'s tickets and the page\'s, and puts a changed status everywhere', async () => {
    const { api, tickets } = setup();
    await tickets.loadDialog('d1');
    expect(api.calls.at(-1)?.path).toBe('/api/v1/tickets?dialog_id=d1');
    tickets.setFilter({ status: 'open' });
    await settle();
    expect(api.calls.at(-1)?.path).toBe('/api/v1/tickets?status=open');
    expect(tickets.list).toHaveLength(2);
    expect(await tickets.setStatus('t1', 'closed')).toBeNull();
    expect(tickets.byDialog.get('d1')?.value?.[0].status).toBe('closed');
    expect(tickets.list[0].status).toBe('closed');
    expect((await tickets.setStatus('t2', 'lost' as 'open'))?.code).toBe('validation_failed');
    expect(tickets.list[1].status).toBe('open');
    await tickets.loadDetail('t1');
    expect(tickets.details.get('t1')?.value?.entries).toHaveLength(1);
    // The ticket as the mail's answer has it is put in the lists too.
    expect(tickets.list[0].status).toBe('answered');
  });
});
