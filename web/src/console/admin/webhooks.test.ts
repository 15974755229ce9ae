import { describe, expect, it } from 'vitest';
import { ApiError } from '../../shared/api';
import { fakeApi, settle } from '../../test/fake-api';
import { webhookDelivery, webhookEndpoint } from '../../test/fixtures';
import type { Problem } from '../console-state';
import { problemText } from '../context';
import { makeT } from '../i18n';
import { isProblem } from './controllers';
import {
  deliveryStatus,
  draftChanged,
  endpointHealth,
  eventLabel,
  groupEvents,
  groupLabel,
  groupState,
  isSuccessCode,
  isWebhookUrl,
  orderEvents,
  prettyBody,
  previousSecretUntil,
  readRefusal,
  sendsInternal,
  setKinds,
  shownBesideField,
  webhookDraft,
  webhookFieldMessages,
  webhookPatch,
  webhookRequest,
  WebhooksState,
  type CatalogueEntry,
  type Delivery,
  type WebhookEndpoint,
} from './webhooks';

const ru = makeT('ru');
const en = makeT('en');

const KINDS = [
  'dialog.created',
  'dialog.closed',
  'message.created',
  'note.created',
  'visitor.updated',
  'rating.created',
  'sla.breached',
  'operator.updated',
  'webhook.test',
];
const catalogue: CatalogueEntry[] = KINDS.map((kind) => ({ kind, description: `${kind} (English)` }));

const endpoint = (id: string, over: Partial<WebhookEndpoint> = {}): WebhookEndpoint =>
  webhookEndpoint(id, { description: '', ...over });
const delivery = webhookDelivery;

const refusal = (code: string, details: Record<string, unknown>, message = ''): Problem => ({ code, details, message });

describe('webhook events', () => {
  it('groups the catalogue by prefix in the form\'s order, the rest as "other"', () => {
    const groups = groupEvents(catalogue);
    expect(groups.map((g) => g.name)).toEqual(['dialog', 'message', 'note', 'visitor', 'operator', 'rating', 'sla', 'other']);
    expect(groups[0].kinds).toEqual(['dialog.created', 'dialog.closed']);
    expect(groups.at(-1)?.kinds).toEqual(['webhook.test']);
  });

  it('offers a chosen kind the catalogue no longer lists, so it can be unticked; leaves empty groups out', () => {
    const groups = groupEvents([{ kind: 'message.created', description: '' }], ['message.created', 'message.deleted', 'billing.paid']);
    expect(groups).toEqual([
      { name: 'message', kinds: ['message.created', 'message.deleted'] },
      { name: 'other', kinds: ['billing.paid'] },
    ]);
  });

  it('ticks and unticks a group at once, and says whether all, some or none are ticked', () => {
    const dialog = ['dialog.created', 'dialog.closed'];
    expect(groupState(dialog, [])).toBe('none');
    expect(groupState(dialog, ['dialog.closed'])).toBe('some');
    expect(groupState(dialog, ['message.created', ...dialog])).toBe('all');
    expect(setKinds(['message.created', 'dialog.closed'], dialog, true)).toEqual(['message.created', 'dialog.closed', 'dialog.created']);
    expect(setKinds(['message.created', 'dialog.closed'], dialog, false)).toEqual(['message.created']);
  });

  it('names each kind in both languages and shows an unknown one as it is', () => {
    expect(eventLabel(ru, 'note.created')).toBe('Внутренняя заметка');
    expect(eventLabel(en, 'note.created')).toBe('Internal note');
    expect(eventLabel(ru, 'billing.paid')).toBe('billing.paid');
    expect(eventLabel(en, 'constructor')).toBe('constructor');
    expect(groupLabel(ru, 'dialog')).toBe('Диалоги');
    expect(groupLabel(en, 'other')).toBe('Other');
    // Every kind the server's catalogue has today has words in both languages.
    for (const kind of [...KINDS, 'dialog.assigned', 'dialog.unassigned', 'dialog.transferred', 'dialog.reopened', 'dialog.snoozed', 'dialog.unsnoozed', 'dialog.labels_changed', 'message.edited', 'operator.presence_changed', 'operator.membership_changed']) {
      expect(eventLabel(ru, kind), kind).not.toBe(kind);
      expect(eventLabel(en, kind), kind).not.toBe(kind);
    }
  });

  it('warns of internal notes only when note.created is chosen', () => {
    expect(sendsInternal(['message.created'])).toBe(false);
    expect(sendsInternal(['message.created', 'note.created'])).toBe(true);
  });

  it('orders the chosen kinds as the catalogue does, unknown ones after by name, once each', () => {
    expect(orderEvents(['webhook.test', 'zeta.x', 'dialog.created', 'alpha.y', 'dialog.created'], catalogue)).toEqual(['dialog.created', 'webhook.test', 'alpha.y', 'zeta.x']);
  });
});

describe('the endpoint form', () => {
  it('starts a new one enabled with nothing chosen, and sends it trimmed in catalogue order', () => {
    const d = webhookDraft(null);
    expect(d).toEqual({ url: '', description: '', events: [], enabled: true });
    expect(webhookRequest({ ...d, url: '  https://crm.example.com/hooks  ', description: ' CRM ', events: ['sla.breached', 'dialog.created'] }, catalogue)).toEqual({
      ok: true,
      body: { url: 'https://crm.example.com/hooks', description: 'CRM', events: ['dialog.created', 'sla.breached'], enabled: true },
    });
  });

  it('refuses a missing or malformed address and no events, named as the server names them', () => {
    const issues = (url: string, events: string[] = ['message.created']) => {
      const r = webhookRequest({ ...webhookDraft(null), url, events });
      return r.ok ? [] : r.issues.map((i) => `${i.field}:${i.reason}`);
    };
    expect(issues(' ', [])).toEqual(['url:required', 'events:too_few']);
    expect(issues('crm.example.com/hooks')).toEqual(['url:invalid']);
    expect(issues('ftp://crm.example.com/hooks')).toEqual(['url:invalid']);
    expect(issues('https://crm.example.com/my hooks')).toEqual(['url:invalid']);
    expect(issues('http://10.0.0.5:8080/hook')).toEqual([]);
    expect(isWebhookUrl('https://crm.example.com/hooks?token=a')).toBe(true);
  });

  it('patches only what changed; the events compare as a set', () => {
    const e = endpoint('w1', { events: ['dialog.created', 'message.created'], description: 'CRM' });
    const same = webhookRequest({ ...webhookDraft(e), events: ['message.created', 'dialog.created'] }, catalogue);
    expect(same.ok && webhookPatch(e, same.body)).toEqual({});
    const changed = webhookRequest({ ...webhookDraft(e), description: 'CRM (prod)', events: ['message.created'], enabled: false }, catalogue);
    expect(changed.ok && webhookPatch(e, changed.body)).toEqual({ description: 'CRM (prod)', events: ['message.created'], enabled: false });
  });

  it('counts as changed only what would be sent differently', () => {
    const e = endpoint('w1', { events: ['dialog.created', 'message.created'] });
    const d = webhookDraft(e);
    expect(draftChanged(d, { ...d, url: ` ${e.url} `, events: ['message.created', 'dialog.created'] })).toBe(false);
    expect(draftChanged(d, { ...d, enabled: false })).toBe(true);
    expect(draftChanged(webhookDraft(null), { ...webhookDraft(null), events: ['note.created'] })).toBe(true);
  });
});

describe('refusals beside their field, in the console\'s words', () => {
  it('words the form\'s own checks', () => {
    const r = webhookRequest({ ...webhookDraft(null), url: 'crm.example.com' });
    const m = webhookFieldMessages(ru, r.ok ? [] : r.issues, null);
    expect(m.get('url')).toBe('Укажите полный адрес с http:// или https://, например https://example.com/hooks/frontline.');
    expect(m.get('events')).toBe('Выберите хотя бы одно событие.');
  });

  it('reads invalid_field like validation_failed: the address, an event of the list, the description', () => {
    const url = refusal('invalid_field', { field: 'url' }, 'url: not an absolute http(s) URL');
    expect(webhookFieldMessages(en, [], url).get('url')).toBe('Enter a full address with http:// or https://, e.g. https://example.com/hooks/frontline.');
    const event = refusal('invalid_field', { field: 'events[2]' }, 'events[2]: unknown event kind');
    expect(webhookFieldMessages(ru, [], event).get('events')).toBe('Среди выбранных есть событие, которого сервер не знает, — обновите страницу.');
    const none = refusal('invalid_field', { field: 'events', reason: 'too_few', min: 1 });
    expect(webhookFieldMessages(en, [], none).get('events')).toBe('Choose at least one event.');
    const long = refusal('invalid_field', { field: 'description', reason: 'too_long', max: 500 });
    expect(webhookFieldMessages(ru, [], long).get('description')).toBe('Не длиннее 500 символов.');
    const same = refusal('validation_failed', { field: 'description' }, 'description: at most 500 characters');
    expect(webhookFieldMessages(en, [], same).get('description')).toBe('At most 500 characters.');
    expect(readRefusal(url).code).toBe('validation_failed');
    expect(shownBesideField(url)).toBe(true);
  });

  it('says why a private address is refused, beside the address, in both languages', () => {
    const p = refusal('url_not_allowed', { field: 'url' }, 'url: resolves to a private address');
    expect(webhookFieldMessages(ru, [], p).get('url')).toMatch(/^Этот адрес ведёт на сам сервер или во внутреннюю сеть/);
    expect(webhookFieldMessages(en, [], p).get('url')).toMatch(/^This address points to the server itself or to a private network/);
    expect(shownBesideField(p)).toBe(true);
    expect(problemText(en, 'en', p)).toBe('This address is refused by the server’s settings: it points to the server itself or to a private network.');
  });

  it('puts the limit of endpoints under the form, with the number when the server gives it', () => {
    const p = refusal('too_many_endpoints', { limit: 20 }, 'at most 20 endpoints');
    expect(webhookFieldMessages(ru, [], p).size).toBe(0);
    expect(shownBesideField(p)).toBe(false);
    expect(problemText(ru, 'ru', p)).toBe('Достигнут предел: не больше 20 адресов вебхуков. Удалите ненужный, чтобы добавить новый.');
    expect(problemText(en, 'en', refusal('too_many_endpoints', {}))).toBe('The limit of webhook endpoints is reached. Delete one you no longer need to add another.');
  });

  it('names a field the form has no place for as it is, and never shows the server\'s English', () => {
    const p = refusal('invalid_field', { field: 'headers' }, 'headers: not supported');
    const m = webhookFieldMessages(ru, [], p);
    expect([...m]).toEqual([['headers', 'Недопустимое значение.']]);
    expect(shownBesideField(p)).toBe(false);
  });
});

describe('what the page shows', () => {
  it('tells working, switched off, failing, and switched off after failing apart', () => {
    expect(endpointHealth(endpoint('a'))).toBe('ok');
    expect(endpointHealth(endpoint('a', { enabled: false }))).toBe('off');
    expect(endpointHealth(endpoint('a', { failing_since: '2026-03-01T10:00:00Z' }))).toBe('failing');
    expect(endpointHealth(endpoint('a', { enabled: false, disabled_reason: 'failing', failing_since: '2026-03-01T10:00:00Z' }))).toBe('failing_off');
  });

  it('mentions the previous secret only while it still works', () => {
    const now = Date.parse('2026-03-02T12:00:00Z');
    expect(previousSecretUntil(endpoint('a', { previous_secret_until: '2026-03-03T12:00:00Z' }), now)).toBe('2026-03-03T12:00:00Z');
    expect(previousSecretUntil(endpoint('a', { previous_secret_until: '2026-03-01T12:00:00Z' }), now)).toBeNull();
    expect(previousSecretUntil(endpoint('a'), now)).toBeNull();
  });

  it('reads a status it does not know as pending, and only 2xx as success', () => {
    expect(deliveryStatus(delivery('d', { status: 'retrying' as Delivery['status'] }))).toBe('pending');
    expect(deliveryStatus(delivery('d', { status: 'failed' }))).toBe('failed');
    expect([199, 200, 204, 299, 300, 500].map(isSuccessCode)).toEqual([false, true, true, true, false, false]);
    expect(isSuccessCode(null)).toBe(false);
  });

  it('indents a JSON body and leaves anything else as it came', () => {
    expect(prettyBody('{"type":"message.created","data":{"id":"m1"}}')).toBe('{\n  "type": "message.created",\n  "data": {\n    "id": "m1"\n  }\n}');
    expect(prettyBody('not json')).toBe('not json');
  });
});

describe('the webhooks controller', () => {
  function setup() {
    let items = [endpoint('w1'), endpoint('w2', { enabled: false, disabled_reason: 'failing', failing_since: '2026-02-20T00:00:00Z' })];
    let pages: Record<string, { items: Delivery[]; next_cursor: string | null }> = {
      '': { items: [delivery('d3'), delivery('d2')], next_cursor: 'c1' },
      c1: { items: [delivery('d2'), delivery('d1', { status: 'failed' })], next_cursor: null },
    };
    let refuse: ApiError | null = null;
    const api = fakeApi({
      'GET /api/v1/webhooks': () => ({ items }),
      'GET /api/v1/webhooks/catalogue': () => ({ items: catalogue }),
      'POST /api/v1/webhooks': (_path, o) => {
        if (refuse) throw refuse;
        const made = endpoint('w3', o.body as Partial<WebhookEndpoint>);
        items = [...items, made];
        return { endpoint: made, secret: 'whsec_new' };
      },
      'PATCH /api/v1/webhooks/*': (path, o) => {
        if (refuse) throw refuse;
        const id = path.split('/').pop()!;
        // Enabled again: the failing streak starts over.
        const reset = (o.body as Partial<WebhookEndpoint>).enabled ? { disabled_reason: null, failing_since: null } : {};
        items = items.map((x) => (x.id === id ? { ...x, ...(o.body as Partial<WebhookEndpoint>), ...reset } : x));
        return { endpoint: items.find((x) => x.id === id) };
      },
      'DELETE /api/v1/webhooks/*': (path) => {
        items = items.filter((x) => x.id !== path.split('/').pop());
        return undefined;
      },
      'GET /api/v1/webhooks/*': (path) => {
        if (path.endsWith('/secret')) return { secret: 'whsec_current' };
        const detail = /\/deliveries\/([^/?]+)$/.exec(path);
        if (detail) return { delivery: delivery(detail[1]), request_body: '{}', attempts: [] };
        const cursor = new URLSearchParams(path.split('?')[1] ?? '').get('cursor') ?? '';
        return pages[cursor];
      },
      'POST /api/v1/webhooks/*': (path) => {
        if (refuse) throw refuse;
        if (path.endsWith('/rotate')) return { secret: 'whsec_rotated', previous_valid_until: '2026-03-03T00:00:00Z' };
        if (path.endsWith('/test')) return { delivery: delivery('t1', { event_kind: 'webhook.test', status: 'pending', attempts: 0, last_attempt: null }) };
        if (path.endsWith('/replay')) return { delivery: delivery('r1', { status: 'pending' }) };
        throw new ApiError(404, 'not_found', path);
      },
    });
    const hooks = new WebhooksState({ api: api.request, guard: (e) => (e instanceof ApiError ? { code: e.code, details: e.details, message: e.message } : { code: 'internal', details: {} }) });
    return {
      hooks,
      api,
      refuse: (e: ApiError | null) => (refuse = e),
      setPages: (p: typeof pages) => (pages = p),
    };
  }

  it('reads the endpoints and the catalogue when the page opens', async () => {
    const { hooks, api } = setup();
    await hooks.open();
    expect(hooks.loaded).toBe(true);
    expect(hooks.endpoints.map((e) => e.id)).toEqual(['w1', 'w2']);
    expect(hooks.catalogue).toHaveLength(KINDS.length);
    expect(api.calls.map((c) => `${c.method} ${c.path}`)).toEqual(['GET /api/v1/webhooks', 'GET /api/v1/webhooks/catalogue']);
  });

  it('adds an endpoint and hands back its secret without keeping it', async () => {
    const { hooks, api } = setup();
    await hooks.open();
    const made = await hooks.create({ url: 'https://crm.example.com/new', description: '', events: ['message.created'], enabled: true });
    expect(isProblem(made)).toBe(false);
    expect(!isProblem(made) && made.secret).toBe('whsec_new');
    expect(hooks.endpoints.map((e) => e.id)).toEqual(['w1', 'w2', 'w3']);
    expect(JSON.stringify(hooks)).not.toContain('whsec_');
    expect(api.callsTo('POST', '/api/v1/webhooks')[0].options.body).toEqual({ url: 'https://crm.example.com/new', description: '', events: ['message.created'], enabled: true });
  });

  it('reads the server\'s invalid_field as a field refusal', async () => {
    const { hooks, refuse } = setup();
    refuse(new ApiError(400, 'invalid_field', 'url: not a URL', { field: 'url' }));
    const made = await hooks.create({ url: 'x', description: '', events: ['message.created'], enabled: true });
    expect(made).toEqual({ code: 'validation_failed', details: { field: 'url' }, message: 'url: not a URL' });
  });

  it('enables an endpoint Frontline switched off, and deletes one', async () => {
    const { hooks, api } = setup();
    await hooks.open();
    expect(await hooks.update('w2', { enabled: true })).toBeNull();
    expect(api.callsTo('PATCH', '/api/v1/webhooks/w2')[0].options.body).toEqual({ enabled: true });
    expect(endpointHealth(hooks.endpoints[1])).toBe('ok');
    await hooks.loadDeliveries('w1');
    expect(await hooks.remove('w1')).toBeNull();
    expect(hooks.endpoints.map((e) => e.id)).toEqual(['w2']);
    expect(hooks.log).toBeNull();
  });

  it('reveals and rotates the secret; a rotation marks until when the old one works', async () => {
    const { hooks } = setup();
    await hooks.open();
    expect(await hooks.revealSecret('w1')).toEqual({ secret: 'whsec_current' });
    expect(await hooks.rotateSecret('w1')).toEqual({ secret: 'whsec_rotated', previous_valid_until: '2026-03-03T00:00:00Z' });
    expect(hooks.endpoints[0].previous_secret_until).toBe('2026-03-03T00:00:00Z');
  });

  it('pages the delivery log by cursor without repeating a delivery', async () => {
    const { hooks, api } = setup();
    await hooks.loadDeliveries('w1');
    expect(hooks.log).toMatchObject({ webhookId: 'w1', nextCursor: 'c1', loaded: true, loading: false });
    await hooks.loadDeliveries('w1', true);
    expect(hooks.log?.items.map((d) => d.id)).toEqual(['d3', 'd2', 'd1']);
    expect(hooks.log?.nextCursor).toBeNull();
    expect(api.calls.filter((c) => c.path.includes('/deliveries')).map((c) => c.path)).toEqual([
      '/api/v1/webhooks/w1/deliveries?limit=50',
      '/api/v1/webhooks/w1/deliveries?limit=50&cursor=c1',
    ]);
  });

  it('keeps the newest endpoint\'s log when an earlier request answers late', async () => {
    let answerW1: (page: unknown) => void = () => {};
    const api = fakeApi({
      'GET /api/v1/webhooks/w1/deliveries': () => new Promise((resolve) => (answerW1 = resolve)),
      'GET /api/v1/webhooks/w2/deliveries': () => ({ items: [delivery('x2')], next_cursor: null }),
    });
    const hooks = new WebhooksState({ api: api.request, guard: () => ({ code: 'internal', details: {} }) });
    const first = hooks.loadDeliveries('w1');
    await hooks.loadDeliveries('w2');
    answerW1({ items: [delivery('x1')], next_cursor: 'c9' });
    await first;
    expect(hooks.log).toMatchObject({ webhookId: 'w2', nextCursor: null, loading: false });
    expect(hooks.log?.items.map((d) => d.id)).toEqual(['x2']);
  });

  it('puts a test delivery at the head of the log, then reads the log again', async () => {
    const { hooks, api, setPages } = setup();
    await hooks.loadDeliveries('w1');
    setPages({ '': { items: [delivery('t1', { event_kind: 'webhook.test' }), delivery('d3')], next_cursor: null } });
    const sent = await hooks.sendTest('w1');
    expect(!isProblem(sent) && sent.id).toBe('t1');
    expect(hooks.log?.items[0].id).toBe('t1');
    await settle();
    expect(hooks.log?.items.map((d) => d.id)).toEqual(['t1', 'd3']);
    expect(api.callsTo('POST', '/api/v1/webhooks/w1/test')).toHaveLength(1);
  });

  it('replays a delivery and reads one with its attempts', async () => {
    const { hooks, api } = setup();
    await hooks.loadDeliveries('w1');
    const replayed = await hooks.replay('w1', 'd1');
    expect(!isProblem(replayed) && replayed.id).toBe('r1');
    expect(api.callsTo('POST', '/api/v1/webhooks/w1/deliveries/d1/replay')).toHaveLength(1);
    const detail = await hooks.loadDelivery('w1', 'd1');
    expect(!isProblem(detail) && detail.delivery.id).toBe('d1');
  });
});
