/** The card of a form an operator sent, in the chat window over a fake API: what the visitor sees and sends. */
import { render } from 'preact';
import { act } from 'preact/test-utils';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ApiError } from '../../shared/api';
import type { MessageView, WidgetDialogView } from '../../shared/api-types';
import type { Lang } from '../../shared/i18n';
import { fakeApi, settle, type Handler } from '../../test/fake-api';
import { FakeSocket, message, NIL_ID, operatorMessage } from '../../test/fixtures';
import { WidgetChat } from '../chat';
import { ChatContext } from '../context';
import type { FormFieldView, FormRequestView } from '../forms';
import { makeT } from '../i18n';
import { ChatWindow } from './ChatWindow';

const REQUEST = '0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b';
const ANSWER = 'Спасибо! Ваша заявка №2 передана в сервисный отдел. Ответ придёт на почту до 07.12.2026, 15:00.';
const open: WidgetDialogView = { id: 'd1', number: 1, status: 'open', last_seq: 3, close_reason: null, rating: null, operator_read_seq: 0 };

const FIELDS: FormFieldView[] = [
  { key: 'contract', label: 'Номер договора', kind: 'contract', pattern: '\\d{6}', required: true },
  { key: 'email', label: 'E-mail для ответа', kind: 'email', required: true },
  { key: 'phone', label: 'Телефон', kind: 'phone', required: false },
  { key: 'problem', label: 'Что случилось', kind: 'text', required: false },
];

function formView(over: Partial<FormRequestView> = {}): FormRequestView {
  return {
    id: REQUEST,
    dialog_id: 'd1',
    name: 'Возврат товара',
    fields: FIELDS,
    status: 'sent',
    answers: null,
    created_at: '2026-01-01T12:00:03Z',
    submitted_at: null,
    ...over,
  };
}

const system = (seq: number, event: Record<string, unknown>): MessageView =>
  message(seq, { author: { kind: 'system', id: NIL_ID, name: null }, body: '', event });
const sentLine = system(3, { kind: 'form_sent', request: REQUEST, form: 'Возврат товара', by: 'Анна' });
const submittedLine = (seq: number) =>
  system(seq, { kind: 'form_submitted', request: REQUEST, form: 'Возврат товара', number: 3, client_number: 2, answer: ANSWER });

let host: HTMLDivElement | null = null;
let chat: WidgetChat | null = null;

async function mount(opts: { routes?: Record<string, Handler>; history?: MessageView[]; lang?: Lang } = {}) {
  const lang = opts.lang ?? 'ru';
  const api = fakeApi({
    'POST /widget/v1/session': () => ({
      token: 't',
      visitor: { id: 'v1', number: 42, name: null },
      dialog: open,
      site: { name: 'Кухни' },
    }),
    'GET /widget/v1/messages': (path) => ({ items: path.includes('cursor') ? [] : opts.history ?? [message(1), operatorMessage(2), sentLine], next_cursor: null }),
    'GET /widget/v1/forms/*': () => formView(),
    ...opts.routes,
  });
  chat = new WidgetChat({ key: 'k', origin: '', page: '', lang }, () => {}, { api: api.request, WebSocketImpl: FakeSocket as unknown as typeof WebSocket });
  await chat.start();
  host = document.createElement('div');
  document.body.appendChild(host);
  const el = host;
  const value = { chat, t: makeT(lang), lang, close: () => {}, embedded: false };
  await act(async () => {
    render(
      <ChatContext.Provider value={value}>
        <ChatWindow />
      </ChatContext.Provider>,
      el,
    );
  });
  await flush();
  const q = <T extends HTMLElement = HTMLElement>(id: string) => el.querySelector<T>(`[data-testid="${id}"]`);
  return { chat, api, el, q };
}

/** Lets the requests answer and the components catch up. */
const flush = () => act(async () => settle());

async function type(el: HTMLElement | null, value: string) {
  const input = el as HTMLInputElement;
  await act(async () => {
    input.value = value;
    input.dispatchEvent(new Event('input', { bubbles: true }));
  });
}

async function send(q: (id: string) => HTMLElement | null) {
  await act(async () => (q('form-send') as HTMLButtonElement).click());
  await flush();
}

beforeEach(() => {
  FakeSocket.instances = [];
  localStorage.clear();
});
afterEach(() => {
  if (host) render(null, host);
  host?.remove();
  host = null;
  chat?.stop();
  chat = null;
});

describe('FormCard', () => {
  it('draws the form it loads for a form_sent line: name, intro, labelled fields typed by kind', async () => {
    const { api, el, q } = await mount();
    expect(api.callsTo('GET', `/widget/v1/forms/${REQUEST}`)).toHaveLength(1);
    const card = q('form-card')!;
    expect(card.dataset.status).toBe('sent');
    expect(card.dataset.request).toBe(REQUEST);
    // The card takes the plain line's place.
    expect(el.querySelector('[data-testid="system-line"][data-event="form_sent"]')).toBeNull();
    expect(card.querySelector('h2')?.textContent).toBe('Возврат товара');
    expect(card.textContent).toContain('Заполните, пожалуйста, форму');

    const contract = q<HTMLInputElement>('form-field-contract')!;
    const email = q<HTMLInputElement>('form-field-email')!;
    const phone = q<HTMLInputElement>('form-field-phone')!;
    const problem = q('form-field-problem')!;
    expect(contract.type).toBe('text');
    expect(contract.getAttribute('inputmode')).toBe('numeric');
    expect(email.type).toBe('email');
    expect(phone.type).toBe('tel');
    expect(phone.getAttribute('inputmode')).toBe('tel');
    expect(problem.tagName).toBe('TEXTAREA');

    // Each field has its label; required ones are marked (and say so to screen readers).
    const label = (input: HTMLElement) => el.querySelector(`label[for="${input.id}"]`)!;
    expect(label(contract).textContent).toBe('Номер договора *');
    expect(label(phone).textContent).toBe('Телефон');
    expect(contract.getAttribute('aria-required')).toBe('true');
    expect(phone.getAttribute('aria-required')).toBeNull();
    expect(contract.getAttribute('aria-invalid')).toBeNull();
    expect(q<HTMLButtonElement>('form-send')!.textContent).toBe('Отправить');
  });

  it('shows it loading until the server answers, titled by the line', async () => {
    let answer: (v: FormRequestView) => void = () => {};
    const { q } = await mount({ routes: { 'GET /widget/v1/forms/*': () => new Promise<FormRequestView>((r) => (answer = r)) } });
    expect(q('form-card')?.dataset.status).toBe('loading');
    expect(q('form-card')?.textContent).toContain('Возврат товара');
    expect(q('form-loading')?.textContent).toBe('Загружаем форму…');
    await act(async () => answer(formView()));
    await flush();
    expect(q('form-card')?.dataset.status).toBe('sent');
  });

  it('refuses blank required fields and a bad contract or e-mail at their fields, without sending', async () => {
    const { api, el, q } = await mount();
    await send(q);
    expect(api.callsTo('POST', '/widget/v1/forms/')).toHaveLength(0);
    expect(q('form-error-contract')?.textContent).toBe('Заполните это поле.');
    expect(q('form-error-email')?.textContent).toBe('Заполните это поле.');
    expect(q('form-error-phone')).toBeNull();
    const contract = q('form-field-contract')!;
    expect(contract.getAttribute('aria-invalid')).toBe('true');
    expect(contract.getAttribute('aria-describedby')).toBe(q('form-error-contract')!.id);
    // The caret goes to the first field to fix.
    expect(document.activeElement).toBe(contract);

    await type(contract, '12345');
    // Typing clears that field's slip only.
    expect(q('form-error-contract')).toBeNull();
    expect(q('form-error-email')).not.toBeNull();
    await type(q('form-field-email'), 'ivan@example');
    await type(q('form-field-phone'), 'позвоните');
    await send(q);
    expect(api.callsTo('POST', '/widget/v1/forms/')).toHaveLength(0);
    expect(q('form-error-contract')?.textContent).toBe('Проверьте значение: оно не в том формате.');
    expect(q('form-error-email')?.textContent).toBe('Похоже, в адресе e-mail ошибка.');
    expect(q('form-error-phone')?.textContent).toContain('Проверьте номер телефона');
    expect(el.querySelectorAll('[aria-invalid="true"]')).toHaveLength(3);
  });

  it('sends the trimmed answers, then shows "Form sent" with them read-only', async () => {
    let release: () => void = () => {};
    const { api, el, q } = await mount({
      routes: {
        'POST /widget/v1/forms/*': () =>
          new Promise((r) => (release = () => r({ number: 2, due_at: '2026-12-07T12:00:00Z', answer: ANSWER }))),
      },
    });
    await type(q('form-field-contract'), ' 123456 ');
    await type(q('form-field-email'), 'ivan@example.com');
    await type(q('form-field-problem'), 'Не закрывается дверца');
    await send(q);
    // While it goes: the button is disabled and says so.
    const button = q<HTMLButtonElement>('form-send')!;
    expect(button.disabled).toBe(true);
    expect(button.textContent).toBe('Отправляем…');
    const posts = api.callsTo('POST', `/widget/v1/forms/${REQUEST}`);
    expect(posts).toHaveLength(1);
    expect(posts[0].options).toMatchObject({ token: 't', body: { answers: { contract: '123456', email: 'ivan@example.com', problem: 'Не закрывается дверца' } } });

    await act(async () => release());
    await flush();
    const card = q('form-card')!;
    expect(card.dataset.status).toBe('submitted');
    expect(q('form-sent')?.textContent).toBe('Форма отправлена');
    expect(document.activeElement).toBe(q('form-sent'));
    expect(card.querySelector('input, textarea, button')).toBeNull();
    expect(q('form-answer-contract')?.querySelector('dt')?.textContent).toBe('Номер договора');
    expect(q('form-answer-contract')?.querySelector('dd')?.textContent).toBe('123456');
    expect(q('form-answer-phone')?.querySelector('dd')?.textContent).toBe('—');
    // Until its line comes, the card says the answer; then the line does (once).
    expect(q('form-reply')?.textContent).toBe(ANSWER);
    FakeSocket.last().open();
    FakeSocket.last().push({ type: 'message.created', message: submittedLine(4) });
    await flush();
    expect(q('form-reply')).toBeNull();
    const notice = el.querySelector('[data-testid="system-line"][data-event="form_submitted"]');
    expect(notice?.textContent).toBe(ANSWER);
    expect(el.textContent?.split(ANSWER)).toHaveLength(2);
  });

  it('shows a server refusal at the field it names', async () => {
    const { api, q } = await mount({
      routes: {
        'POST /widget/v1/forms/*': () => {
          throw new ApiError(400, 'validation_failed', 'answers.email: not an e-mail address', { field: 'answers.email' });
        },
      },
    });
    await type(q('form-field-contract'), '123456');
    await type(q('form-field-email'), 'ivan@example.com');
    await send(q);
    expect(api.callsTo('POST', '/widget/v1/forms/')).toHaveLength(1);
    expect(q('form-error-email')?.textContent).toBe('Похоже, в адресе e-mail ошибка.');
    expect(q('form-field-email')?.getAttribute('aria-invalid')).toBe('true');
    expect(q('form-error-contract')).toBeNull();
    expect(q('form-error')).toBeNull();
    expect(q('form-card')?.dataset.status).toBe('sent');
    expect(q<HTMLButtonElement>('form-send')?.disabled).toBe(false);
  });

  it('reloads the card after a 409: it went already, so it shows as sent', async () => {
    let gets = 0;
    const { api, q } = await mount({
      routes: {
        'GET /widget/v1/forms/*': () =>
          ++gets === 1 ? formView() : formView({ status: 'submitted', answers: { contract: '654321', email: 'ivan@example.com' }, submitted_at: '2026-01-01T12:05:00Z' }),
        'POST /widget/v1/forms/*': () => {
          throw new ApiError(409, 'form_sent_already', 'This form was sent already.');
        },
      },
    });
    await type(q('form-field-contract'), '123456');
    await type(q('form-field-email'), 'ivan@example.com');
    await send(q);
    expect(api.callsTo('GET', `/widget/v1/forms/${REQUEST}`)).toHaveLength(2);
    expect(q('form-card')?.dataset.status).toBe('submitted');
    expect(q('form-sent')).not.toBeNull();
    expect(q('form-answer-contract')?.querySelector('dd')?.textContent).toBe('654321');
    expect(q('form-error')).toBeNull();
  });

  it('says a network failure at the card and lets him send again', async () => {
    let fail = true;
    const { api, q } = await mount({
      routes: {
        'POST /widget/v1/forms/*': () => {
          if (fail) throw new ApiError(0, 'network', 'offline');
          return { number: 2, due_at: '2026-12-07T12:00:00Z', answer: ANSWER };
        },
      },
    });
    await type(q('form-field-contract'), '123456');
    await type(q('form-field-email'), 'ivan@example.com');
    await send(q);
    expect(q('form-error')?.textContent).toBe('Нет связи с сервером.');
    expect(q<HTMLButtonElement>('form-send')?.disabled).toBe(false);
    fail = false;
    await send(q);
    expect(api.callsTo('POST', '/widget/v1/forms/')).toHaveLength(2);
    expect(q('form-sent')).not.toBeNull();
  });

  it('shows a form sent before read-only when loaded (the status survives a reload)', async () => {
    const { api, el, q } = await mount({
      history: [message(1), sentLine, submittedLine(4)],
      routes: {
        'GET /widget/v1/forms/*': () =>
          formView({ status: 'submitted', answers: { contract: '123456', email: 'ivan@example.com', problem: 'Не закрывается\nдверца' }, submitted_at: '2026-01-01T12:05:00Z' }),
      },
    });
    expect(q('form-card')?.dataset.status).toBe('submitted');
    expect(q('form-sent')?.textContent).toBe('Форма отправлена');
    expect(q('form-send')).toBeNull();
    expect(q('form-card')?.querySelector('input, textarea')).toBeNull();
    expect(q('form-answer-email')?.textContent).toBe('E-mail для ответаivan@example.com');
    expect(q('form-answer-problem')?.querySelector('dd')?.textContent).toBe('Не закрывается\nдверца');
    expect(q('form-reply')).toBeNull();
    expect(el.querySelector('[data-testid="system-line"][data-event="form_submitted"]')?.textContent).toBe(ANSWER);
    expect(el.querySelector('.system-notice')).not.toBeNull();
    expect(api.callsTo('POST', '/widget/v1/forms/')).toHaveLength(0);
  });

  it('turns to "sent" when the form went from another tab (its answer line came)', async () => {
    let submitted = false;
    const { api, q } = await mount({
      routes: {
        'GET /widget/v1/forms/*': () =>
          submitted ? formView({ status: 'submitted', answers: { contract: '123456', email: 'ivan@example.com' } }) : formView(),
      },
    });
    expect(q('form-card')?.dataset.status).toBe('sent');
    submitted = true;
    FakeSocket.last().open();
    FakeSocket.last().push({ type: 'message.created', message: submittedLine(4) });
    await flush();
    // The effect asks at the end of the render; its answer needs one more turn.
    await flush();
    expect(api.callsTo('GET', `/widget/v1/forms/${REQUEST}`)).toHaveLength(2);
    expect(q('form-card')?.dataset.status).toBe('submitted');
  });

  it('reads the card again when its answer line came but the answer to his send was lost', async () => {
    let stored = false;
    const { q } = await mount({
      routes: {
        'GET /widget/v1/forms/*': () => (stored ? formView({ status: 'submitted', answers: { contract: '123456', email: 'ivan@example.com' } }) : formView()),
        'POST /widget/v1/forms/*': () => {
          stored = true;
          FakeSocket.last().push({ type: 'message.created', message: submittedLine(4) });
          throw new ApiError(0, 'network', 'connection reset');
        },
      },
    });
    FakeSocket.last().open();
    await type(q('form-field-contract'), '123456');
    await type(q('form-field-email'), 'ivan@example.com');
    await send(q);
    await flush();
    expect(q('form-card')?.dataset.status).toBe('submitted');
    expect(q('form-sent')).not.toBeNull();
  });

  it('leaves a contract pattern JavaScript cannot read to the server', async () => {
    const { api, q } = await mount({
      routes: {
        'GET /widget/v1/forms/*': () => formView({ fields: [{ key: 'contract', label: 'Договор', kind: 'contract', pattern: '(?<n', required: true }] }),
        'POST /widget/v1/forms/*': () => ({ number: 2, due_at: '2026-12-07T12:00:00Z', answer: ANSWER }),
      },
    });
    await type(q('form-field-contract'), 'что угодно');
    await send(q);
    expect(api.callsTo('POST', '/widget/v1/forms/')[0].options.body).toEqual({ answers: { contract: 'что угодно' } });
    expect(q('form-sent')).not.toBeNull();
  });

  it('says when the form cannot be loaded, and tries again on request', async () => {
    let fail = true;
    const { q } = await mount({
      routes: {
        'GET /widget/v1/forms/*': () => {
          if (fail) throw new ApiError(503, 'unavailable', 'later');
          return formView();
        },
      },
    });
    expect(q('form-card')?.dataset.status).toBe('failed');
    expect(q('form-error')?.textContent).toContain('Не удалось загрузить форму.');
    fail = false;
    await act(async () => q('form-retry')!.click());
    await flush();
    expect(q('form-card')?.dataset.status).toBe('sent');
  });

  it('says a form that is not his (404) is unavailable, without a retry', async () => {
    const { q } = await mount({
      routes: {
        'GET /widget/v1/forms/*': () => {
          throw new ApiError(404, 'not_found', 'No such form request.');
        },
      },
    });
    expect(q('form-error')?.textContent).toBe('Эта форма больше недоступна.');
    expect(q('form-retry')).toBeNull();
  });

  it('speaks English to an English visitor', async () => {
    const { q } = await mount({ lang: 'en' });
    expect(q('form-card')?.textContent).toContain('Please fill in this form');
    expect(q('form-send')?.textContent).toBe('Send');
    await send(q);
    expect(q('form-error-contract')?.textContent).toBe('Please fill in this field.');
    await type(q('form-field-contract'), 'abc');
    await type(q('form-field-email'), 'nope');
    await send(q);
    expect(q('form-error-contract')?.textContent).toBe('Please check the value: it is not in the expected format.');
    expect(q('form-error-email')?.textContent).toBe('This e-mail address looks wrong.');
  });

  it('prefills the e-mail he gave the chat before', async () => {
    localStorage.setItem('frontline.contact.k', JSON.stringify({ visitor_id: 'v1', email: 'ivan@example.com', phone: '+7 900 123-45-67' }));
    const { q } = await mount();
    expect(q<HTMLInputElement>('form-field-email')?.value).toBe('ivan@example.com');
    expect(q<HTMLInputElement>('form-field-phone')?.value).toBe('+7 900 123-45-67');
  });
});
