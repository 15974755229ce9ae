/** The sign-in form in jsdom: a refusal for too many attempts says how long to wait. */
import { render } from 'preact';
import { act } from 'preact/test-utils';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ApiError } from '../../shared/api';
import { fakeApi, settle } from '../../test/fake-api';
import { ConsoleState } from '../console-state';
import { ConsoleContext } from '../context';
import { LoginForm } from './LoginForm';

let host: HTMLDivElement;

beforeEach(async () => {
  localStorage.setItem('frontline.console.lang', 'ru');
  const api = fakeApi({
    'POST /api/v1/auth/login': () => {
      throw new ApiError(429, 'rate_limited', 'Too many sign-in attempts.', { limit: 'login_failures_per_account', retry_after: 170 });
    },
  });
  const state = new ConsoleState({ api: api.request, watching: () => true });
  host = document.createElement('div');
  document.body.appendChild(host);
  await act(async () => {
    render(
      <ConsoleContext.Provider value={state}>
        <LoginForm />
      </ConsoleContext.Provider>,
      host,
    );
    await settle();
  });
});

afterEach(() => {
  act(() => render(null, host));
  host.remove();
});

async function type(testid: string, value: string) {
  await act(async () => {
    const el = host.querySelector<HTMLInputElement>(`[data-testid="${testid}"]`)!;
    el.value = value;
    el.dispatchEvent(new Event('input', { bubbles: true }));
    await settle();
  });
}

describe('sign-in form', () => {
  it('says how long to wait after too many attempts', async () => {
    await type('login-email', 'olga@example.com');
    await type('login-password', 'wrong password');
    await act(async () => {
      host.querySelector('form')!.dispatchEvent(new Event('submit', { bubbles: true, cancelable: true }));
      await settle();
    });
    expect(host.querySelector('[data-testid="login-error"]')?.textContent).toBe('Слишком много попыток входа. Попробуйте через 3 мин.');
  });
});
