/**
 * The Web API keys page in jsdom: the list (scopes in words, the secret's end, who made a key and
 * when, last used or "never used", revoked ones with who and when), making a key (every scope
 * ticked at first, the form's own checks and the server's refusals beside their field, the limit
 * of keys), the secret shown this once with the warning, "Copy" and a first call against the
 * console's own origin, revoking after asking, and the tab under Integrations for admins alone.
 */
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
import { makeT } from '../i18n';
import type { Role } from '../../shared/api-types';
import { ApiKeysAdmin } from './ApiKeysAdmin';
import { keyFieldMessages, keyRequest, usageExample, type ApiKeyView } from './api-keys';
import { IntegrationsTabs } from './IntegrationsTabs';
import { formatWhen } from './lifecycle';

const SECRET = 'flk_3mQ9r8GKYqrTwjUPD8ILPZIo2LaLaSwXy7Zk1Wq0Vb4E';
const USED_AT = '2026-03-02T09:15:00Z';
const REVOKED_AT = '2026-03-03T16:40:00Z';

function apiKey(id: string, over: Partial<ApiKeyView> = {}): ApiKeyView {
  return {
    id,
    name: `Ключ ${id}`,
    hint: `${id}x9`.slice(-4),
    scopes: ['visitors:read', 'visitors:write', 'events:write'],
    created_at: '2026-03-01T10:00:00Z',
    created_by: 'Администратор',
    last_used_at: null,
    revoked_at: null,
    revoked_by: null,
    ...over,
  };
}

let host: HTMLDivElement;
let items: ApiKeyView[];
let calls: { method: string; path: string; body: unknown }[];
let refuse: ApiError | null;
let state: ConsoleState;

async function mount(lang: Lang = 'ru', role: Role = 'admin', node: preact.ComponentChild = <ApiKeysAdmin />) {
  localStorage.setItem('frontline.console.lang', lang);
  items = [
    apiKey('k2', { name: 'CRM', hint: 'ab12', scopes: ['events:write', 'visitors:read'], last_used_at: USED_AT }),
    apiKey('k1', { name: 'Старый сайт', hint: 'zz99', revoked_at: REVOKED_AT, revoked_by: 'Ольга', created_by: null }),
  ];
  calls = [];
  refuse = null;
  const api = fakeApi({
    'GET /api/v1/api-keys': () => ({ items }),
    'POST /api/v1/api-keys': (path, o) => {
      calls.push({ method: 'POST', path, body: o.body });
      if (refuse) throw refuse;
      const body = o.body as { name: string; scopes: string[] };
      const key = apiKey('k3', { name: body.name, scopes: body.scopes, hint: SECRET.slice(-4), created_at: '2026-03-04T08:00:00Z' });
      items = [key, ...items];
      return { key, secret: SECRET };
    },
    'DELETE /api/v1/api-keys/*': (path) => {
      calls.push({ method: 'DELETE', path, body: undefined });
      const id = path.split('/').pop()!;
      items = items.map((k) => (k.id === id ? { ...k, revoked_at: '2026-03-04T09:30:00Z', revoked_by: 'Администратор' } : k));
      return items.find((k) => k.id === id);
    },
  });
  state = new ConsoleState({ api: api.request, watching: () => true });
  state.session.me = meView({ operator: operator('op1', { role, display_name: 'Администратор' }) });
  host = document.createElement('div');
  document.body.appendChild(host);
  await act(async () => {
    render(<ConsoleContext.Provider value={state}>{node}</ConsoleContext.Provider>, host);
    await settle();
  });
}

const q = <T extends HTMLElement = HTMLElement>(testid: string) => host.querySelector<T>(`[data-testid="${testid}"]`);
const all = <T extends HTMLElement = HTMLElement>(testid: string) => [...host.querySelectorAll<T>(`[data-testid="${testid}"]`)];
const row = (id: string) => host.querySelector<HTMLElement>(`[data-testid="api-key-row"][data-key-id="${id}"]`)!;
const inRow = (id: string, testid: string) => row(id).querySelector<HTMLElement>(`[data-testid="${testid}"]`);
const fieldNote = (field: string) => host.querySelector(`[data-testid="field-error"][data-field="${field}"]`)?.textContent ?? null;
const scopeBox = (s: string) => host.querySelector<HTMLInputElement>(`[data-testid="api-key-scope"][data-scope="${s}"]`)!;
const text = (el: Element | null | undefined) => el?.textContent?.replace(/\s+/g, ' ').trim() ?? null;
/** The revoked mark and the line under it (when, by whom). */
const revokedText = (id: string) => [...inRow(id, 'api-key-row-revoked')!.children].map((c) => c.textContent);

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
    q<HTMLFormElement>('api-key-form')!.dispatchEvent(new Event('submit', { bubbles: true, cancelable: true }));
    await settle();
  });
}

afterEach(() => {
  act(() => render(null, host));
  host.remove();
  vi.restoreAllMocks();
});

describe('API keys page', () => {
  it('lists the keys: scopes in words, the secret\'s end, who made it, last use, and the revoked one', async () => {
    await mount();
    expect(q('api-keys-title')?.textContent).toBe('API-ключи');
    expect(all('api-key-row').map((r) => r.dataset.keyId)).toEqual(['k2', 'k1']);
    expect(text(inRow('k2', 'api-key-row-name'))).toBe('CRM');
    expect(text(inRow('k2', 'api-key-row-hint'))).toBe('…ab12');
    // In the page's order, in words.
    expect([...inRow('k2', 'api-key-row-scopes')!.querySelectorAll('li')].map((li) => li.textContent)).toEqual(['Чтение посетителей', 'События']);
    expect([...inRow('k1', 'api-key-row-scopes')!.querySelectorAll('li')].map((li) => li.textContent)).toEqual(['Чтение посетителей', 'Запись посетителей', 'События']);
    expect([...inRow('k2', 'api-key-row-created')!.children].map((c) => c.textContent)).toEqual([formatWhen('2026-03-01T10:00:00Z', 'ru'), 'Администратор']);
    // Made by someone the server no longer names: the date alone.
    expect(inRow('k1', 'api-key-row-created')!.children.length).toBe(1);
    expect(text(inRow('k2', 'api-key-row-used'))).toBe(formatWhen(USED_AT, 'ru'));
    expect(text(inRow('k1', 'api-key-row-used'))).toBe('не использовался');
    // Revoked: stays on the list, with who and when, and no "Revoke".
    expect(row('k1').dataset.revoked).toBe('true');
    expect(revokedText('k1')).toEqual(['Отозван', `${formatWhen(REVOKED_AT, 'ru')}, Ольга`]);
    expect(inRow('k1', 'api-key-revoke')).toBeNull();
    expect(inRow('k2', 'api-key-revoke')?.getAttribute('aria-label')).toBe('Отозвать ключ «CRM»');
    expect(q('api-keys-live')?.textContent).toBe('Действуют: 1 из 20');
  });

  it('reads in English too', async () => {
    await mount('en');
    expect(q('api-keys-title')?.textContent).toBe('API keys');
    expect([...inRow('k2', 'api-key-row-scopes')!.querySelectorAll('li')].map((li) => li.textContent)).toEqual(['Read visitors', 'Events']);
    expect(text(inRow('k1', 'api-key-row-used'))).toBe('never used');
    expect(revokedText('k1')).toEqual(['Revoked', `${formatWhen(REVOKED_AT, 'en')}, Ольга`]);
    await click(q('api-key-new')!);
    expect(all('api-key-scope').map((b) => b.closest('label')!.querySelector('strong')!.textContent)).toEqual(['Read visitors', 'Write visitors', 'Events']);
  });

  it('makes a key with every scope ticked at first; its secret shows once, with the warning, Copy and an example', async () => {
    await mount();
    const writeText = vi.fn().mockResolvedValue(undefined);
    Object.defineProperty(navigator, 'clipboard', { value: { writeText }, configurable: true });
    // The list comes first; the form opens by "New key", the name taking the focus.
    expect(q('api-key-form')).toBeNull();
    await click(q('api-key-new')!);
    expect(document.activeElement).toBe(q('api-key-name'));
    expect(q('api-key-new')).toBeNull();
    expect(all<HTMLInputElement>('api-key-scope').map((b) => [b.dataset.scope, b.checked])).toEqual([
      ['visitors:read', true],
      ['visitors:write', true],
      ['events:write', true],
    ]);
    await type(q<HTMLInputElement>('api-key-name')!, '  Бэкенд сайта ');
    await submit();
    expect(calls).toEqual([{ method: 'POST', path: '/api/v1/api-keys', body: { name: 'Бэкенд сайта', scopes: ['visitors:read', 'visitors:write', 'events:write'] } }]);

    // The secret, whole, in its box; the form is gone until "Done".
    expect(q('api-key-form')).toBeNull();
    expect(q('api-key-created')?.querySelector('h2')?.textContent).toBe('Ключ «Бэкенд сайта» создан');
    expect(document.activeElement).toBe(q('api-key-created')?.querySelector('h2'));
    expect(q<HTMLInputElement>('api-key-secret')?.value).toBe(SECRET);
    expect(q('api-key-once')?.textContent).toBe(
      'Скопируйте ключ сейчас. Frontline хранит только его отпечаток и показать ключ ещё раз не сможет. Если ключ потеряется, создайте новый, а этот отзовите.',
    );
    const example = q<HTMLTextAreaElement>('api-key-example')!.value;
    expect(example).toBe(
      [
        `curl -X PUT ${location.origin}/api/v1/web/users/42 \\`,
        `  -H "Authorization: Bearer ${SECRET}" \\`,
        '  -H "Content-Type: application/json" \\',
        `  -d '{"name":"Анна","attributes":{"plan":"pro"}}'`,
      ].join('\n'),
    );
    await click(q('api-key-copy')!);
    expect(writeText).toHaveBeenCalledWith(SECRET);
    expect(q('api-key-copied')?.textContent).toBe('Скопировано');

    // The new key heads the list.
    expect(all('api-key-row').map((r) => r.dataset.keyId)).toEqual(['k3', 'k2', 'k1']);
    expect(text(inRow('k3', 'api-key-row-hint'))).toBe(`…${SECRET.slice(-4)}`);

    // "Done": the secret is gone for good; "New key" is back with the focus, and opens an empty form.
    await click(q('api-key-done')!);
    expect(q('api-key-created')).toBeNull();
    expect(host.innerHTML).not.toContain(SECRET);
    expect(q('api-key-form')).toBeNull();
    await act(async () => {
      await new Promise((r) => setTimeout(r, 0));
    });
    expect(document.activeElement).toBe(q('api-key-new'));
    await click(q('api-key-new')!);
    expect(q<HTMLInputElement>('api-key-name')?.value).toBe('');
    expect(all<HTMLInputElement>('api-key-scope').every((b) => b.checked)).toBe(true);
    expect(state.team.unsaved.any()).toBe(false);
  });

  it('refuses a key without a name or a scope beside the field, and the server\'s refusals too', async () => {
    await mount();
    await click(q('api-key-new')!);
    for (const s of ['visitors:read', 'visitors:write', 'events:write']) await click(scopeBox(s));
    await submit();
    expect(calls).toEqual([]);
    expect(fieldNote('name')).toBe(makeT('ru')('issue.required'));
    expect(fieldNote('scopes')).toBe('Отметьте хотя бы одно право.');
    expect(q('api-key-name')?.getAttribute('aria-invalid')).toBe('true');
    expect(document.activeElement).toBe(q('api-key-name'));

    await type(q<HTMLInputElement>('api-key-name')!, 'CRM');
    await click(scopeBox('events:write'));
    expect(fieldNote('name')).toBeNull();
    expect(fieldNote('scopes')).toBeNull();

    // The server names `scopes[0]`: the message stands beside the scopes, in words.
    refuse = new ApiError(400, 'validation_failed', 'scopes[0]: one of visitors:read, visitors:write, events:write', { field: 'scopes[0]' });
    await submit();
    expect(calls.map((c) => c.body)).toEqual([{ name: 'CRM', scopes: ['events:write'] }]);
    expect(fieldNote('scopes')).toBe('Сервер не знает такого права — обновите страницу.');
    expect(q('api-key-form-error')).toBeNull();
    expect(document.activeElement).toBe(scopeBox('visitors:read'));

    // A name too long for the server.
    refuse = new ApiError(400, 'validation_failed', 'name: must be at most 80 characters', { field: 'name' });
    await type(q<HTMLInputElement>('api-key-name')!, 'CRM 2');
    await submit();
    expect(fieldNote('name')).toBe(makeT('ru')('issue.too_long', { max: 80 }));
    expect(q('api-key-created')).toBeNull();

    // The limit of keys: a line under the form.
    refuse = new ApiError(409, 'too_many_keys', 'A workspace has at most 20 live API keys; revoke one first.', { limit: 20 });
    await type(q<HTMLInputElement>('api-key-name')!, 'CRM 3');
    await submit();
    expect(q('api-key-form-error')?.textContent).toBe('Достигнут предел: не больше 20 действующих ключей. Отзовите ненужный, чтобы создать новый.');
    expect(fieldNote('name')).toBeNull();
  });

  it('with no key yet the form is open by itself; with keys, "Cancel" folds it away', async () => {
    await mount();
    await click(q('api-key-new')!);
    await type(q<HTMLInputElement>('api-key-name')!, 'черновик');
    expect(state.team.unsaved.any()).toBe(true);
    await click(q('api-key-cancel')!);
    // Unsaved: asked first.
    expect(state.team.unsaved.pending).not.toBeNull();
    expect(q('api-key-form')).not.toBeNull();
    await act(async () => {
      state.team.unsaved.leave();
      await settle();
    });
    expect(q('api-key-form')).toBeNull();
    act(() => render(null, host));
    host.remove();

    const empty = fakeApi({ 'GET /api/v1/api-keys': () => ({ items: [] }) });
    state = new ConsoleState({ api: empty.request, watching: () => true });
    state.session.me = meView({ operator: operator('op1', { role: 'admin' }) });
    host = document.createElement('div');
    document.body.appendChild(host);
    await act(async () => {
      render(
        <ConsoleContext.Provider value={state}>
          <ApiKeysAdmin />
        </ConsoleContext.Provider>,
        host,
      );
      await settle();
    });
    // What the page's effect asked for arrives and shows.
    await act(async () => {
      await settle();
    });
    expect(q('api-keys-empty')?.textContent).toBe('Ключей пока нет. Создайте первый — и бэкенд сайта сможет передавать данные о пользователях.');
    expect(q('api-key-form')).not.toBeNull();
    expect(q('api-key-new')).toBeNull();
    expect(q('api-key-cancel')).toBeNull();
    // Opening the page does not take the focus.
    expect(document.activeElement).not.toBe(q('api-key-name'));
  });

  it('revokes a key only after asking; it stays on the list, revoked', async () => {
    await mount();
    const ask = vi.spyOn(window, 'confirm').mockReturnValueOnce(false).mockReturnValueOnce(true);
    await click(inRow('k2', 'api-key-revoke')!);
    expect(ask.mock.calls[0][0]).toBe('Отозвать ключ «CRM»? Запросы бэкенда сайта с этим ключом сразу перестанут работать. Вернуть ключ нельзя — только создать новый.');
    expect(calls).toEqual([]);
    expect(row('k2').dataset.revoked).toBe('false');
    await click(inRow('k2', 'api-key-revoke')!);
    expect(calls).toEqual([{ method: 'DELETE', path: '/api/v1/api-keys/k2', body: undefined }]);
    expect(all('api-key-row').map((r) => r.dataset.keyId)).toEqual(['k2', 'k1']);
    expect(row('k2').dataset.revoked).toBe('true');
    expect(revokedText('k2')).toEqual(['Отозван', `${formatWhen('2026-03-04T09:30:00Z', 'ru')}, Администратор`]);
    expect(inRow('k2', 'api-key-revoke')).toBeNull();
    expect(q('api-keys-live')?.textContent).toBe('Действуют: 0 из 20');
  });

  it('sits under Integrations with a tab for admins; operators and supervisors have neither', async () => {
    await mount();
    expect(q('integrations-tab-api-keys')?.getAttribute('aria-current')).toBe('page');
    expect(q('integrations-tab-api-keys')?.textContent).toBe('API-ключи');
    expect(q('integrations-tab-api-keys')?.getAttribute('href')).toBe('/console/admin/api-keys');
    act(() => render(null, host));
    host.remove();

    await mount('ru', 'admin', <IntegrationsTabs current="webhooks" />);
    expect(all('integrations-tab-api-keys').length).toBe(1);
    expect(q('integrations-tab-api-keys')?.getAttribute('aria-current')).toBeNull();
    act(() => render(null, host));
    host.remove();

    for (const role of ['operator', 'supervisor'] as const) {
      await mount('ru', role, <AdminNav />);
      expect(q('nav-install')).toBeNull();
      expect(q('nav-api-keys')).toBeNull();
      expect(state.adminSections()).not.toContain('api-keys');
      act(() => render(null, host));
      host.remove();
      await mount('ru', role, <IntegrationsTabs current="install" />);
      expect(q('integrations-tab-api-keys')).toBeNull();
      act(() => render(null, host));
      host.remove();
    }
    // An admin's navigation: no entry of its own, it is under Integrations.
    await mount('ru', 'admin', <AdminNav />);
    expect(q('nav-api-keys')).toBeNull();
    expect(q('nav-install')?.textContent).toBe('Интеграции');
  });
});

describe('API key rules', () => {
  it('checks the form the way the server does', () => {
    expect(keyRequest({ name: ' CRM ', scopes: ['events:write', 'visitors:read'] })).toEqual({ ok: true, body: { name: 'CRM', scopes: ['visitors:read', 'events:write'] } });
    expect(keyRequest({ name: 'x'.repeat(81), scopes: ['events:write'] })).toEqual({ ok: false, issues: [{ field: 'name', reason: 'too_long', max: 80 }] });
    const t = makeT('en');
    const refused = { code: 'validation_failed', message: 'scopes: at least one scope', details: { field: 'scopes' } };
    expect(keyFieldMessages(t, [], refused).get('scopes')).toBe('Tick at least one permission.');
  });

  it('gives an example the key may run: write a user, else track an event, else read one', () => {
    expect(usageExample('https://help.example.com/', 'flk_x', ['events:write'], 'en')).toBe(
      ['curl -X POST https://help.example.com/api/v1/web/users/42/events \\', '  -H "Authorization: Bearer flk_x" \\', '  -H "Content-Type: application/json" \\', `  -d '{"events":[{"name":"order_paid"}]}'`].join('\n'),
    );
    expect(usageExample('https://help.example.com', 'flk_x', ['visitors:read'], 'en')).toBe('curl https://help.example.com/api/v1/web/users/42 \\\n  -H "Authorization: Bearer flk_x"');
    expect(usageExample('https://help.example.com', 'flk_x', ['visitors:write'], 'en')).toContain(`'{"name":"Anna","attributes":{"plan":"pro"}}'`);
  });
});
