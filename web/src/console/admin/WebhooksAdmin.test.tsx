/**
 * The webhooks page in jsdom: the list with the "switched off after failing" warning, adding an
 * endpoint (events by group, the internal-notes warning, refusals beside their field, the secret
 * shown once added), one endpoint's page (secret, test event, delivery log and a delivery with
 * its attempts and "Replay"), editing and deleting, and the admin navigation.
 */
import { render } from 'preact';
import { act } from 'preact/test-utils';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ApiError } from '../../shared/api';
import type { Lang } from '../../shared/i18n';
import { fakeApi, settle } from '../../test/fake-api';
import { meView, operator, webhookDelivery, webhookEndpoint } from '../../test/fixtures';
import { AdminNav } from '../components/AdminNav';
import { ConsoleState } from '../console-state';
import { ConsoleContext } from '../context';
import { makeT } from '../i18n';
import { formatWhen } from './lifecycle';
import type { CatalogueEntry, Delivery, DeliveryDetail, WebhookEndpoint } from './webhooks';
import { WebhooksAdmin } from './WebhooksAdmin';

const KINDS = [
  'dialog.created',
  'dialog.assigned',
  'dialog.closed',
  'message.created',
  'note.created',
  'visitor.updated',
  'operator.updated',
  'rating.created',
  'sla.breached',
];
const catalogue: CatalogueEntry[] = KINDS.map((kind) => ({ kind, description: `${kind} (English)` }));
const FAILING_SINCE = '2026-02-20T09:30:00Z';

const endpoint = webhookEndpoint;
const delivery = webhookDelivery;

let host: HTMLDivElement;
let items: WebhookEndpoint[];
let log: Delivery[];
let calls: { method: string; path: string; body: unknown }[];
let refuse: ApiError | null;
let state: ConsoleState;

async function mount(lang: Lang = 'ru') {
  localStorage.setItem('frontline.console.lang', lang);
  items = [
    endpoint('w1', { events: ['message.created', 'dialog.closed'] }),
    endpoint('w2', { url: 'https://old.example.com/hook', enabled: false, disabled_reason: 'failing', failing_since: FAILING_SINCE }),
  ];
  log = [
    delivery('d2', { status: 'failed', attempts: 3, last_attempt: { attempt: 3, at: '2026-03-01T11:00:00Z', status_code: 500, response_excerpt: 'oops', latency_ms: 1200, error: null } }),
    delivery('d1'),
  ];
  calls = [];
  refuse = null;
  const record = (method: string, path: string, body: unknown) => calls.push({ method, path, body });
  const api = fakeApi({
    'GET /api/v1/webhooks': () => ({ items }),
    'GET /api/v1/webhooks/catalogue': () => ({ items: catalogue }),
    'POST /api/v1/webhooks': (path, o) => {
      record('POST', path, o.body);
      if (refuse) throw refuse;
      const made = endpoint(`w${items.length + 1}`, o.body as Partial<WebhookEndpoint>);
      items = [...items, made];
      return { endpoint: made, secret: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw' };
    },
    'PATCH /api/v1/webhooks/*': (path, o) => {
      record('PATCH', path, o.body);
      if (refuse) throw refuse;
      const id = path.split('/').pop()!;
      const patch = o.body as Partial<WebhookEndpoint>;
      const reset = patch.enabled ? { disabled_reason: null, failing_since: null } : {};
      items = items.map((x) => (x.id === id ? { ...x, ...patch, ...reset } : x));
      return { endpoint: items.find((x) => x.id === id) };
    },
    'DELETE /api/v1/webhooks/*': (path) => {
      record('DELETE', path, undefined);
      items = items.filter((x) => x.id !== path.split('/').pop());
      return undefined;
    },
    'GET /api/v1/webhooks/*': (path) => {
      record('GET', path, undefined);
      if (path.endsWith('/secret')) return { secret: 'whsec_current' };
      const one = /\/deliveries\/([^/?]+)$/.exec(path);
      if (one) {
        const detail: DeliveryDetail = {
          delivery: log.find((d) => d.id === one[1])!,
          request_body: '{"type":"message.created","data":{"text":"Здравствуйте"}}',
          attempts: [
            { attempt: 1, at: '2026-03-01T10:00:01Z', status_code: null, response_excerpt: null, latency_ms: null, error: 'connection refused' },
            // As the server says it: a failing status comes with an error saying so.
            { attempt: 2, at: '2026-03-01T10:01:01Z', status_code: 500, response_excerpt: 'Internal Server Error', latency_ms: 310, error: 'the endpoint answered 500 Internal Server Error' },
          ],
        };
        return detail;
      }
      return { items: log, next_cursor: null };
    },
    'POST /api/v1/webhooks/*': (path) => {
      record('POST', path, undefined);
      if (refuse) throw refuse;
      if (path.endsWith('/rotate')) return { secret: 'whsec_rotated', previous_valid_until: '2026-03-03T12:00:00Z' };
      if (path.endsWith('/test')) {
        const made = delivery('t1', { event_kind: 'webhook.test', status: 'pending', attempts: 0, last_attempt: null });
        log = [made, ...log];
        return { delivery: made };
      }
      if (path.endsWith('/replay')) {
        const made = delivery('r1', { status: 'pending', attempts: 0, last_attempt: null });
        log = [made, ...log];
        return { delivery: made };
      }
      throw new ApiError(404, 'not_found', path);
    },
  });
  state = new ConsoleState({ api: api.request, watching: () => true });
  state.session.me = meView({ operator: operator('op1', { role: 'admin' }) });
  host = document.createElement('div');
  document.body.appendChild(host);
  await act(async () => {
    render(
      <ConsoleContext.Provider value={state}>
        <WebhooksAdmin />
      </ConsoleContext.Provider>,
      host,
    );
    await settle();
  });
}

const q = <T extends HTMLElement = HTMLElement>(testid: string) => document.querySelector<T>(`[data-testid="${testid}"]`);
const all = <T extends HTMLElement = HTMLElement>(testid: string) => [...document.querySelectorAll<T>(`[data-testid="${testid}"]`)];
const fieldNote = (field: string) => document.querySelector(`[data-testid="field-error"][data-field="${field}"]`)?.textContent ?? null;
const kind = (k: string) => document.querySelector<HTMLInputElement>(`[data-testid="webhook-event"][data-kind="${k}"]`)!;
const group = (name: string) => document.querySelector<HTMLElement>(`[data-testid="webhook-group"][data-group="${name}"]`)!;

async function type(el: HTMLInputElement, value: string) {
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
    q<HTMLFormElement>('webhook-form')!.dispatchEvent(new Event('submit', { bubbles: true, cancelable: true }));
    await settle();
  });
}
/** Lets what an effect asked for (read after the render) arrive and show. */
async function flush() {
  await act(async () => {
    await settle();
  });
}
async function openFirst() {
  await click(all('webhook-open')[0]);
}

afterEach(() => {
  act(() => render(null, host));
  host.remove();
  vi.restoreAllMocks();
});

describe('webhooks page', () => {
  it('lists the endpoints with their events and state, and warns of one switched off after failing', async () => {
    await mount();
    const rows = all('webhook-row');
    expect(rows.map((r) => r.dataset.webhookId)).toEqual(['w1', 'w2']);
    // Opening the page does not take the focus.
    expect(document.activeElement).not.toBe(q('webhooks-title'));
    expect(all('webhook-row-events').map((c) => c.textContent)).toEqual(['2 из 9', '1 из 9']);
    expect(all('webhook-health').map((c) => c.textContent)).toEqual(['Включён', 'Отключён из-за ошибок']);
    const warning = q('webhook-failing')!;
    expect(warning.textContent).toContain(
      makeT('ru')('webhooks.failing_off_warning', { when: formatWhen(FAILING_SINCE, 'ru') }),
    );
    expect(q('webhook-reenable')?.getAttribute('aria-label')).toBe('Включить снова адрес https://old.example.com/hook');
  });

  it('enables again an endpoint Frontline switched off', async () => {
    await mount();
    await click(q('webhook-reenable')!);
    expect(calls).toEqual([{ method: 'PATCH', path: '/api/v1/webhooks/w2', body: { enabled: true } }]);
    expect(q('webhook-failing')).toBeNull();
    expect(all('webhook-health')[1].textContent).toBe('Включён');
  });

  it('adds an endpoint: events by group, the internal-notes warning, the form\'s own checks, then the secret', async () => {
    await mount();
    await click(q('webhook-add')!);
    const dialog = q('webhook-dialog')!;
    expect(dialog.getAttribute('role')).toBe('dialog');
    expect(document.activeElement).toBe(q('webhook-form-url'));
    expect(all('webhook-group').map((g) => g.dataset.group)).toEqual(['dialog', 'message', 'note', 'visitor', 'operator', 'rating', 'sla']);
    expect(group('dialog').querySelector('legend')?.textContent).toBe('Диалоги');
    expect(kind('message.created').closest('label')?.textContent).toBe('Новое сообщение message.created');

    // Nothing typed or ticked: both fields say why, and the focus goes to the first.
    await submit();
    expect(calls).toEqual([]);
    expect(fieldNote('url')).toBe('Заполните это поле.');
    expect(fieldNote('events')).toBe('Выберите хотя бы одно событие.');
    expect(document.activeElement).toBe(q('webhook-form-url'));

    await type(q<HTMLInputElement>('webhook-form-url')!, 'crm.example.com/hooks');
    await submit();
    expect(fieldNote('url')).toBe('Укажите полный адрес с http:// или https://, например https://example.com/hooks/frontline.');

    // A group's "all" box ticks the whole group; one unticked makes it mixed.
    const dialogAll = group('dialog').querySelector<HTMLInputElement>('[data-testid="webhook-group-all"]')!;
    expect(dialogAll.getAttribute('aria-label')).toBe('Диалоги: все события');
    await click(dialogAll);
    expect(['dialog.created', 'dialog.assigned', 'dialog.closed'].map((k) => kind(k).checked)).toEqual([true, true, true]);
    await click(kind('dialog.assigned'));
    expect(dialogAll.checked).toBe(false);
    expect(dialogAll.indeterminate).toBe(true);
    expect(q('webhook-events-all')?.dataset.state).toBe('some');

    expect(q('webhook-internal-warning')).toBeNull();
    await click(kind('note.created'));
    expect(q('webhook-internal-warning')?.textContent).toMatch(/^Выбрано «Внутренняя заметка»: заметки операторов/);

    await type(q<HTMLInputElement>('webhook-form-url')!, ' https://crm.example.com/hooks/new ');
    await type(q<HTMLInputElement>('webhook-form-description')!, 'Наша CRM');
    await submit();
    expect(calls.filter((c) => c.method === 'POST')).toEqual([
      {
        method: 'POST',
        path: '/api/v1/webhooks',
        body: { url: 'https://crm.example.com/hooks/new', description: 'Наша CRM', events: ['dialog.created', 'dialog.closed', 'note.created'], enabled: true },
      },
    ]);

    // The secret, with a copy button; the new endpoint's page is behind it.
    expect(q('webhook-dialog')).toBeNull();
    expect(q<HTMLInputElement>('webhook-created-secret')?.value).toBe('whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw');
    const writeText = vi.fn().mockResolvedValue(undefined);
    Object.defineProperty(navigator, 'clipboard', { value: { writeText }, configurable: true });
    await click(q('webhook-created-copy')!);
    expect(writeText).toHaveBeenCalledWith('whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw');
    expect(q('webhook-created-copied')?.textContent).toBe('Скопировано');
    // Escape does not close it: only "Done".
    await act(async () => {
      dispatchEvent(new KeyboardEvent('keydown', { key: 'Escape' }));
      await settle();
    });
    expect(q('webhook-created-dialog')).not.toBeNull();
    await click(q('webhook-created-done')!);
    expect(q('webhook-created-dialog')).toBeNull();
    expect(q('webhook-detail')?.dataset.webhookId).toBe('w3');
    expect(document.activeElement).toBe(q('webhook-detail-url'));
  });

  it('words the server\'s refusals beside their field: a private address, an unknown event, the limit', async () => {
    await mount();
    await click(q('webhook-add')!);
    await type(q<HTMLInputElement>('webhook-form-url')!, 'http://192.168.1.10/hook');
    await click(kind('message.created'));

    refuse = new ApiError(400, 'url_not_allowed', 'url: private address', { field: 'url' });
    await submit();
    expect(fieldNote('url')).toMatch(/^Этот адрес ведёт на сам сервер или во внутреннюю сеть \(localhost, 127\.0\.0\.1, 10\.x, 192\.168\.x, link-local\)/);
    expect(q('webhook-form-url')?.getAttribute('aria-invalid')).toBe('true');
    expect(document.activeElement).toBe(q('webhook-form-url'));
    expect(q('webhook-form-error')).toBeNull();

    refuse = new ApiError(400, 'invalid_field', 'events[0]: unknown event kind', { field: 'events[0]' });
    await type(q<HTMLInputElement>('webhook-form-url')!, 'https://crm.example.com/hook');
    await submit();
    expect(fieldNote('url')).toBeNull();
    expect(fieldNote('events')).toBe('Среди выбранных есть событие, которого сервер не знает, — обновите страницу.');
    // The focus goes to the events' first box.
    expect(document.activeElement).toBe(q('webhook-events-all'));

    refuse = new ApiError(409, 'too_many_endpoints', 'at most 10 endpoints', { limit: 10 });
    await submit();
    expect(fieldNote('events')).toBeNull();
    expect(q('webhook-form-error')?.textContent).toBe('Достигнут предел: не больше 10 адресов вебхуков. Удалите ненужный, чтобы добавить новый.');
    expect(q('webhook-dialog')).not.toBeNull();
  });

  it('says the same in English', async () => {
    await mount('en');
    expect(all('webhook-health').map((c) => c.textContent)).toEqual(['Enabled', 'Disabled: failing']);
    await click(q('webhook-add')!);
    await type(q<HTMLInputElement>('webhook-form-url')!, 'http://127.0.0.1/hook');
    await click(kind('note.created'));
    expect(q('webhook-internal-warning')?.textContent).toMatch(/^“Internal note” is chosen/);
    refuse = new ApiError(400, 'url_not_allowed', 'url: loopback', { field: 'url' });
    await submit();
    expect(fieldNote('url')).toMatch(/^This address points to the server itself or to a private network/);
  });

  it('asks before closing the dialog with unsaved edits', async () => {
    await mount();
    await click(q('webhook-add')!);
    await type(q<HTMLInputElement>('webhook-form-url')!, 'https://crm.example.com/x');
    await click(q('webhook-form-cancel')!);
    expect(q('webhook-dialog')).not.toBeNull();
    expect(state.team.unsaved.pending).not.toBeNull();
  });

  it('opens an endpoint: its events, its secret shown, copied and rotated', async () => {
    await mount();
    await openFirst();
    expect(q('webhook-detail-url')?.textContent).toBe('https://crm.example.com/hooks/w1');
    expect(document.activeElement).toBe(q('webhook-detail-url'));
    expect(q('webhook-subscribed')?.textContent).toBe('Новое сообщениеДиалог закрыт');

    const secret = q<HTMLInputElement>('webhook-secret')!;
    expect(secret.dataset.shown).toBe('false');
    expect(secret.value).not.toContain('whsec_current');
    await click(q('webhook-secret-reveal')!);
    expect(calls.at(-1)).toEqual({ method: 'GET', path: '/api/v1/webhooks/w1/secret', body: undefined });
    expect(q<HTMLInputElement>('webhook-secret')?.value).toBe('whsec_current');
    expect(q('webhook-secret-reveal')?.getAttribute('aria-pressed')).toBe('true');
    await click(q('webhook-secret-reveal')!);
    expect(q<HTMLInputElement>('webhook-secret')?.value).not.toContain('whsec_current');

    // Copying a hidden secret reads it first.
    const writeText = vi.fn().mockResolvedValue(undefined);
    Object.defineProperty(navigator, 'clipboard', { value: { writeText }, configurable: true });
    await click(q('webhook-secret-copy')!);
    expect(writeText).toHaveBeenCalledWith('whsec_current');
    expect(q('webhook-secret-copied')?.textContent).toBe('Скопировано');

    const ask = vi.spyOn(window, 'confirm').mockReturnValueOnce(false).mockReturnValueOnce(true);
    await click(q('webhook-secret-rotate')!);
    expect(calls.filter((c) => c.path.endsWith('/rotate'))).toEqual([]);
    await click(q('webhook-secret-rotate')!);
    expect(ask).toHaveBeenCalledTimes(2);
    expect(calls.filter((c) => c.path.endsWith('/rotate'))).toEqual([{ method: 'POST', path: '/api/v1/webhooks/w1/rotate', body: undefined }]);
    expect(q<HTMLInputElement>('webhook-secret')?.value).toBe('whsec_rotated');
    expect(q('webhook-secret-rotated')?.textContent).toBe(
      makeT('ru')('webhooks.rotated', { when: formatWhen('2026-03-03T12:00:00Z', 'ru') }),
    );
  });

  it('shows the delivery log with colour and words, and sends a test event that then heads it', async () => {
    await mount();
    await openFirst();
    const rows = all('delivery-row');
    expect(rows.map((r) => r.dataset.deliveryId)).toEqual(['d2', 'd1']);
    const cells = (row: HTMLElement) => [...row.querySelectorAll('td')].slice(1).map((c) => c.textContent);
    expect(cells(rows[0])).toEqual(['Новое сообщениеmessage.created', 'Не доставлено', '3', '500', '1200 мс']);
    expect(cells(rows[1])).toEqual(['Новое сообщениеmessage.created', 'Доставлено', '1', '200', '84 мс']);
    expect(all('delivery-status').map((s) => s.className)).toEqual(['delivery-status is-failed', 'delivery-status is-delivered']);

    await click(q('webhook-test')!);
    expect(calls.filter((c) => c.method === 'POST')).toEqual([{ method: 'POST', path: '/api/v1/webhooks/w1/test', body: undefined }]);
    expect(q('webhook-test-sent')?.textContent).toBe('Тестовое событие отправлено — результат смотрите в журнале ниже.');
    expect(calls.filter((c) => c.path.startsWith('/api/v1/webhooks/w1/deliveries?'))).toHaveLength(2);
    expect(all('delivery-row').map((r) => r.dataset.deliveryId)).toEqual(['t1', 'd2', 'd1']);
    expect(all('delivery-row')[0].textContent).toContain('Тестовое событие');
    expect(all('delivery-status')[0].textContent).toBe('Ожидает');
  });

  it('reads the log again by itself while the page is open, but not while a delivery is open', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    try {
      await mount();
      await openFirst();
      const reads = () => calls.filter((c) => c.path.startsWith('/api/v1/webhooks/w1/deliveries?')).length;
      const first = reads();
      await act(async () => {
        vi.advanceTimersByTime(14_000);
        await settle();
      });
      expect(reads()).toBe(first);
      await act(async () => {
        vi.advanceTimersByTime(1_000);
        await settle();
      });
      expect(reads()).toBe(first + 1);
      await click(all<HTMLButtonElement>('delivery-open')[0]);
      await act(async () => {
        vi.advanceTimersByTime(60_000);
        await settle();
      });
      expect(reads()).toBe(first + 1);
    } finally {
      vi.useRealTimers();
    }
  });

  it('opens a delivery: its request, every attempt\'s answer or error, and replays it', async () => {
    await mount();
    await openFirst();
    const opener = all<HTMLButtonElement>('delivery-open')[0];
    expect(opener.getAttribute('aria-label')).toMatch(/^Подробности доставки: Новое сообщение, /);
    opener.focus();
    await click(opener);
    await flush();
    const dialog = q('delivery-dialog')!;
    expect(dialog.getAttribute('aria-modal')).toBe('true');
    expect(document.activeElement).toBe(q('delivery-close'));
    expect(q('delivery-webhook-id')?.textContent).toBe('msg_d2');
    expect(q('delivery-body')?.textContent).toBe('{\n  "type": "message.created",\n  "data": {\n    "text": "Здравствуйте"\n  }\n}');
    const attempts = all('delivery-attempt');
    expect(attempts).toHaveLength(2);
    expect(q('delivery-attempt-error')?.textContent).toBe('Ошибка соединения: connection refused');
    expect(attempts[1].textContent).toContain('Internal Server Error');
    // An answer with a status is no connection error, and its code tells the rest.
    expect(all('delivery-attempt-error')).toHaveLength(1);
    expect(attempts[1].textContent).not.toContain('Ошибка соединения');
    expect(attempts[1].textContent).not.toContain('the endpoint answered');
    expect(attempts[1].textContent).toContain('310 мс');

    await click(q('delivery-replay')!);
    expect(calls.filter((c) => c.method === 'POST')).toEqual([{ method: 'POST', path: '/api/v1/webhooks/w1/deliveries/d2/replay', body: undefined }]);
    expect(q('delivery-replayed')?.textContent).toBe('Событие отправлено ещё раз — новая доставка появилась в журнале.');
    expect(all('delivery-row').map((r) => r.dataset.deliveryId)).toEqual(['r1', 'd2', 'd1']);

    await click(q('delivery-close')!);
    expect(q('delivery-dialog')).toBeNull();
    expect(document.activeElement).toBe(all('delivery-open')[1]);
  });

  it('edits an endpoint, sending only what changed', async () => {
    await mount();
    await openFirst();
    // A click focuses the button in a browser; jsdom's click() does not.
    q('webhook-edit')!.focus();
    await click(q('webhook-edit')!);
    expect(q<HTMLInputElement>('webhook-form-url')?.value).toBe('https://crm.example.com/hooks/w1');
    expect(kind('dialog.closed').checked).toBe(true);
    expect(q<HTMLButtonElement>('webhook-form-save')?.disabled).toBe(true);
    await type(q<HTMLInputElement>('webhook-form-description')!, 'CRM (прод)');
    await click(kind('rating.created'));
    await submit();
    expect(calls.filter((c) => c.method === 'PATCH')).toEqual([
      { method: 'PATCH', path: '/api/v1/webhooks/w1', body: { description: 'CRM (прод)', events: ['dialog.closed', 'message.created', 'rating.created'] } },
    ]);
    expect(q('webhook-dialog')).toBeNull();
    expect(document.activeElement).toBe(q('webhook-edit'));
    expect(q('webhook-subscribed')?.textContent).toContain('Посетитель оценил диалог');
  });

  it('switches an endpoint off and deletes it after asking', async () => {
    await mount();
    await openFirst();
    await click(q('webhook-toggle')!);
    expect(calls.filter((c) => c.method === 'PATCH')).toEqual([{ method: 'PATCH', path: '/api/v1/webhooks/w1', body: { enabled: false } }]);
    expect(q('webhook-toggle')?.textContent).toBe('Включить');
    const ask = vi.spyOn(window, 'confirm').mockReturnValueOnce(false).mockReturnValueOnce(true);
    await click(q('webhook-delete')!);
    expect(calls.filter((c) => c.method === 'DELETE')).toEqual([]);
    await click(q('webhook-delete')!);
    expect(ask.mock.calls[1][0]).toBe('Удалить адрес https://crm.example.com/hooks/w1? События перестанут на него отправляться.');
    expect(calls.filter((c) => c.method === 'DELETE')).toEqual([{ method: 'DELETE', path: '/api/v1/webhooks/w1', body: undefined }]);
    expect(q('webhook-detail')).toBeNull();
    expect(all('webhook-row').map((r) => r.dataset.webhookId)).toEqual(['w2']);
    // The focus is not lost with the page it was on.
    expect(document.activeElement).toBe(q('webhooks-title'));
  });

  it('sits beside the widget installation under Integrations, with a tab for admins alone', async () => {
    await mount();
    const nav = async () => {
      await act(async () => {
        render(
          <ConsoleContext.Provider value={state}>
            <AdminNav />
          </ConsoleContext.Provider>,
          host,
        );
        await settle();
      });
    };
    await nav();
    expect(q('nav-webhooks')).toBeNull();
    expect(q('nav-install')?.textContent).toBe('Интеграции');
    await mount();
    expect(q('integrations-tab-webhooks')?.getAttribute('aria-current')).toBe('page');
    expect(q('integrations-tab-install')?.getAttribute('href')).toBe('/console/admin/install');
  });
});
