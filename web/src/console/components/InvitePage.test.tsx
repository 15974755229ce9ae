/**
 * The invitation's page in jsdom against a fake server: the secret is read from the address's
 * `#` and taken off the address bar, sent only to preview and accept; the page says who invites
 * him where, takes his name (filled in), a password of 8+ characters and its repeat, and signs
 * him in; a link used, revoked or run out, and an address without its secret, say so with the
 * way to the sign-in form.
 */
import { render } from 'preact';
import { act } from 'preact/test-utils';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ApiError } from '../../shared/api';
import type { MeView } from '../../shared/api-types';
import { fakeApi, settle, type Handler } from '../../test/fake-api';
import { meView, operator } from '../../test/fixtures';
import { ConsoleState } from '../console-state';
import { ConsoleContext } from '../context';
import { InvitePage } from './InvitePage';

const SECRET = 'Zk3_q9-secret';
const PREVIEW = { email: 'olga@example.com', display_name: 'Ольга', role: 'operator', workspace_name: 'Demo', expires_at: '2026-12-13T09:30:00Z' };
const OLGA: MeView = meView({ operator: operator('olga', { display_name: 'Ольга', email: 'olga@example.com' }) });

let host: HTMLDivElement;
let api: ReturnType<typeof fakeApi>;
let signedIn: ReturnType<typeof vi.fn<(me: MeView) => void>>;

async function mount(hash: string, routes: Record<string, Handler> = {}, lang: 'ru' | 'en' = 'ru') {
  localStorage.setItem('frontline.console.lang', lang);
  history.replaceState(null, '', `/console/invite${hash}`);
  api = fakeApi({
    'POST /api/v1/invitations/preview': () => PREVIEW,
    'POST /api/v1/invitations/accept': () => OLGA,
    ...routes,
  });
  signedIn = vi.fn<(me: MeView) => void>();
  const state = new ConsoleState({ api: api.request, watching: () => true });
  host = document.createElement('div');
  document.body.appendChild(host);
  await act(async () => {
    render(
      <ConsoleContext.Provider value={state}>
        <InvitePage api={api.request} onSignedIn={signedIn} />
      </ConsoleContext.Provider>,
      host,
    );
    await settle();
  });
  await act(settle);
}

afterEach(() => {
  act(() => render(null, host));
  host.remove();
  history.replaceState(null, '', '/');
});

const q = <T extends HTMLElement = HTMLElement>(testid: string) => host.querySelector<T>(`[data-testid="${testid}"]`);
const note = (field: string) => host.querySelector(`[data-testid="field-error"][data-field="${field}"]`)?.textContent ?? null;

async function type(testid: string, value: string) {
  await act(async () => {
    const el = q<HTMLInputElement>(testid)!;
    el.value = value;
    el.dispatchEvent(new Event('input', { bubbles: true }));
    await settle();
  });
}

async function submit() {
  await act(async () => {
    q('invite-accept-form')!.dispatchEvent(new Event('submit', { bubbles: true, cancelable: true }));
    await settle();
  });
}

describe('the invitation page', () => {
  describe('a live link', () => {
    beforeEach(() => mount(`#${SECRET}`));

    it('takes the secret off the address bar and asks the server about it, and nothing else', () => {
      expect(location.pathname).toBe('/console/invite');
      expect(location.hash).toBe('');
      expect(location.href).not.toContain(SECRET);
      expect(api.calls.map((c) => [c.method, c.path, c.options.body])).toEqual([['POST', '/api/v1/invitations/preview', { token: SECRET }]]);
    });

    it('says who invites him where, with his e-mail and role, his name filled in', () => {
      expect(q('invite-title')?.textContent).toBe('Вас приглашают в «Demo»');
      expect(q('invite-page-email')?.textContent).toBe('olga@example.com');
      expect(q('invite-page-role')?.textContent).toBe('Оператор');
      expect(q('invite-until')?.textContent).toMatch(/^Ссылка действует до 13 дек\. 2026 г\., \d\d:30\.$/);
      expect(q<HTMLInputElement>('invite-page-name')!.value).toBe('Ольга');
      expect(q<HTMLInputElement>('invite-page-password')!.type).toBe('password');
      expect(host.textContent).toContain('Не короче 8 символов.');
      expect(q('invite-page-submit')?.textContent).toBe('Войти');
      expect(document.title).toBe('Приглашение · Frontline');
      expect(document.activeElement).toBe(q('invite-page-password'));
    });

    it('refuses a short password and a repeat that differs, without asking the server', async () => {
      await type('invite-page-password', 'short');
      await submit();
      expect(note('password')).toBe('Пароль — от 8 до 256 символов.');
      expect(note('password_repeat')).toBe('Заполните это поле.');
      await type('invite-page-password', 'olga-password');
      await type('invite-page-repeat', 'olga-passwort');
      await submit();
      expect(note('password')).toBeNull();
      expect(note('password_repeat')).toBe('Пароли не совпадают.');
      expect(api.callsTo('POST', '/api/v1/invitations/accept')).toHaveLength(0);
      expect(signedIn).not.toHaveBeenCalled();
    });

    it('accepts with the secret and the password, and the console opens signed in', async () => {
      await type('invite-page-password', 'olga-password');
      await type('invite-page-repeat', 'olga-password');
      await submit();
      expect(api.callsTo('POST', '/api/v1/invitations/accept').map((c) => c.options.body)).toEqual([{ token: SECRET, password: 'olga-password' }]);
      expect(signedIn).toHaveBeenCalledWith(OLGA);
    });

    it('sends the name he prefers', async () => {
      await type('invite-page-name', 'Ольга Петрова');
      await type('invite-page-password', 'olga-password');
      await type('invite-page-repeat', 'olga-password');
      await submit();
      expect(api.callsTo('POST', '/api/v1/invitations/accept')[0].options.body).toEqual({ token: SECRET, password: 'olga-password', display_name: 'Ольга Петрова' });
    });
  });

  it('a link used meanwhile: the accept\'s 404 shows the dead link', async () => {
    await mount(`#${SECRET}`, {
      'POST /api/v1/invitations/accept': () => {
        throw new ApiError(404, 'not_found', 'invitation (used, revoked or expired)');
      },
    });
    await type('invite-page-password', 'olga-password');
    await type('invite-page-repeat', 'olga-password');
    await submit();
    expect(q('invite-dead-title')?.textContent).toBe('Ссылка больше не действует');
    expect(signedIn).not.toHaveBeenCalled();
  });

  it('the server\'s refusal of the password shows beside it; too many tries under the form', async () => {
    let refusal = new ApiError(400, 'validation_failed', 'password: 8–256 characters', { field: 'password' });
    await mount(`#${SECRET}`, {
      'POST /api/v1/invitations/accept': () => {
        throw refusal;
      },
    });
    await type('invite-page-password', 'olga-password');
    await type('invite-page-repeat', 'olga-password');
    await submit();
    expect(note('password')).toBe('Пароль — от 8 до 256 символов.');
    expect(q('invite-page-error')).toBeNull();
    refusal = new ApiError(429, 'rate_limited', 'Too many requests.', { retry_after: 60 });
    await submit();
    expect(q('invite-page-error')?.textContent).toBe('Слишком много запросов. Подождите немного.');
  });

  it('a dead link says so, with the way to the sign-in form', async () => {
    await mount(`#${SECRET}`, {
      'POST /api/v1/invitations/preview': () => {
        throw new ApiError(404, 'not_found', 'invitation (used, revoked or expired)');
      },
    });
    expect(q('invite-page')?.dataset.phase).toBe('dead');
    expect(q('invite-dead-title')?.textContent).toBe('Ссылка больше не действует');
    expect(q('invite-dead')?.textContent).toContain('принято, отозвано или его срок истёк');
    expect(q<HTMLAnchorElement>('invite-to-signin')?.getAttribute('href')).toBe('/console/');
    expect(q('invite-accept-form')).toBeNull();
  });

  it('an address without its secret (a reload) asks nothing and says to open the link again', async () => {
    await mount('');
    expect(api.calls).toEqual([]);
    expect(q('invite-page')?.dataset.phase).toBe('no_link');
    expect(q('invite-dead-title')?.textContent).toBe('Ссылка неполная');
    expect(q<HTMLAnchorElement>('invite-to-signin')?.getAttribute('href')).toBe('/console/');
  });

  it('no answer from the server: says so and tries again', async () => {
    let fail = true;
    await mount(`#${SECRET}`, {
      'POST /api/v1/invitations/preview': () => {
        if (fail) throw new ApiError(0, 'network', 'TypeError: Failed to fetch');
        return PREVIEW;
      },
    });
    expect(q('invite-failed')?.textContent).toBe('Нет связи с сервером.');
    fail = false;
    await act(async () => {
      q('invite-retry')!.click();
      await settle();
    });
    expect(q('invite-title')?.textContent).toBe('Вас приглашают в «Demo»');
    expect(api.callsTo('POST', '/api/v1/invitations/preview').map((c) => c.options.body)).toEqual([{ token: SECRET }, { token: SECRET }]);
  });

  it('speaks English', async () => {
    await mount(`#${SECRET}`, {}, 'en');
    expect(q('invite-title')?.textContent).toBe('You are invited to “Demo”');
    expect(q('invite-page-role')?.textContent).toBe('Operator');
    expect(q('invite-page-submit')?.textContent).toBe('Sign in');
  });
});
