/**
 * The operators page's access controls in jsdom: roles (not one's own), deactivation after a
 * confirmation that says what happens, the deactivated greyed and last, a password reset shown
 * once, and a refusal beside the refused control with the server's field.
 */
import { render } from 'preact';
import { act } from 'preact/test-utils';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ApiError } from '../../shared/api';
import type { OperatorView } from '../../shared/api-types';
import { fakeApi, settle } from '../../test/fake-api';
import { meView, operator } from '../../test/fixtures';
import { ConsoleState } from '../console-state';
import { ConsoleContext } from '../context';
import { OperatorsAdmin } from './OperatorsAdmin';

let host: HTMLDivElement;
let state: ConsoleState;
let calls: { method: string; path: string; body: unknown }[];
let refuse: ApiError | null;

const admin = operator('me', { display_name: 'Анна', role: 'admin' });
const boris = operator('b', { display_name: 'Борис' });
const vera = operator('v', { display_name: 'Вера', deactivated: true });
const yana = operator('y', { display_name: 'Яна', role: 'supervisor' });

async function mount() {
  localStorage.setItem('frontline.console.lang', 'ru');
  calls = [];
  refuse = null;
  const answer = (path: string, change: Partial<OperatorView>) => {
    const id = path.split('/')[4];
    const o = state.team.operators.get(id)!;
    return { ...o, ...change };
  };
  const api = fakeApi({
    'PUT /api/v1/operators/*': (path, o) => {
      calls.push({ method: 'PUT', path, body: o.body });
      if (refuse) throw refuse;
      return answer(path, o.body as Partial<OperatorView>);
    },
    'POST /api/v1/operators/*': (path) => {
      calls.push({ method: 'POST', path, body: undefined });
      if (refuse) throw refuse;
      if (path.endsWith('/deactivate')) return answer(path, { deactivated: true, presence: 'offline' });
      if (path.endsWith('/reactivate')) return answer(path, { deactivated: false });
      return { operator: answer(path, {}), password: 'Kx7-pQ2m-Zr9w' };
    },
  });
  state = new ConsoleState({ api: api.request, watching: () => true });
  state.session.me = meView({ operator: admin });
  for (const o of [vera, yana, admin, boris]) state.team.operators.set(o.id, o);
  host = document.createElement('div');
  document.body.appendChild(host);
  await act(async () => {
    render(
      <ConsoleContext.Provider value={state}>
        <OperatorsAdmin />
      </ConsoleContext.Provider>,
      host,
    );
    await settle();
  });
}

const q = <T extends HTMLElement = HTMLElement>(testid: string, root: ParentNode = document) => root.querySelector<T>(`[data-testid="${testid}"]`);
const rows = () => [...host.querySelectorAll<HTMLElement>('[data-testid="operator-row"]')];
const row = (id: string) => host.querySelector<HTMLElement>(`[data-testid="operator-row"][data-operator-id="${id}"]`)!;

async function click(el: HTMLElement) {
  await act(async () => {
    el.click();
    await settle();
  });
}

describe('operators page: access', () => {
  beforeEach(mount);
  afterEach(() => {
    act(() => render(null, host));
    host.remove();
  });

  it('lists active operators first and the deactivated last, greyed and marked', () => {
    expect(rows().map((r) => r.dataset.operatorId)).toEqual(['me', 'b', 'y', 'v']);
    expect(row('v').classList.contains('is-deactivated')).toBe(true);
    expect(q('operator-deactivated', row('v'))?.textContent).toBe('Деактивирован');
    expect(q('operator-reactivate', row('v'))?.textContent).toBe('Вернуть доступ');
    expect(q('operator-deactivate', row('v'))).toBeNull();
  });

  it('offers no role selector and no access buttons for oneself', () => {
    expect(q('operator-role-select', row('me'))).toBeNull();
    expect(q('operator-role', row('me'))?.textContent).toBe('Администратор');
    expect(q('operator-deactivate', row('me'))).toBeNull();
    expect(q('operator-reset-password', row('me'))).toBeNull();
    expect(q<HTMLSelectElement>('operator-role-select', row('y'))?.value).toBe('supervisor');
  });

  it('changes a role', async () => {
    const select = q<HTMLSelectElement>('operator-role-select', row('b'))!;
    await act(async () => {
      select.value = 'supervisor';
      select.dispatchEvent(new Event('change', { bubbles: true }));
      await settle();
    });
    expect(calls).toEqual([{ method: 'PUT', path: '/api/v1/operators/b/role', body: { role: 'supervisor' } }]);
    expect(state.team.operators.get('b')?.role).toBe('supervisor');
  });

  it('shows a refused role change beside the selector, with the server\'s field', async () => {
    refuse = new ApiError(400, 'validation_failed', 'id: you cannot change your own role', { field: 'id' });
    const select = q<HTMLSelectElement>('operator-role-select', row('b'))!;
    await act(async () => {
      select.value = 'admin';
      select.dispatchEvent(new Event('change', { bubbles: true }));
      await settle();
    });
    const error = q('operator-role-error', row('b'))!;
    expect(error.dataset.field).toBe('id');
    expect(error.textContent).toContain('Свою роль и свой доступ менять нельзя');
    expect(error.textContent).not.toContain('you cannot change your own role');
    expect(select.value).toBe('operator');
  });

  it('deactivates after a confirmation that says what happens', async () => {
    await click(q('operator-deactivate', row('b'))!);
    const dialog = q('deactivate-dialog')!;
    expect(dialog.textContent).toContain('Борис');
    expect(dialog.textContent).toContain('закроются сразу');
    expect(dialog.textContent).toContain('вернутся в очередь или останутся назначенными');
    expect(dialog.textContent).toContain('История сохранится');
    expect(calls).toEqual([]);
    await click(q('deactivate-confirm')!);
    expect(calls).toEqual([{ method: 'POST', path: '/api/v1/operators/b/deactivate', body: undefined }]);
    expect(q('deactivate-dialog')).toBeNull();
    expect(rows().map((r) => r.dataset.operatorId)).toEqual(['me', 'y', 'b', 'v']);
    expect(row('b').dataset.deactivated).toBe('true');
    await click(q('operator-reactivate', row('b'))!);
    expect(calls[1]).toEqual({ method: 'POST', path: '/api/v1/operators/b/reactivate', body: undefined });
    expect(row('b').dataset.deactivated).toBeUndefined();
  });

  it('shows a refused deactivation beside its button', async () => {
    refuse = new ApiError(403, 'forbidden', 'admins only');
    await click(q('operator-deactivate', row('b'))!);
    await click(q('deactivate-confirm')!);
    expect(q('operator-access-error', row('b'))?.textContent).toBe('Недостаточно прав для этого действия.');
  });

  it('resets a password and shows the new one once, with a copy button', async () => {
    let copied = '';
    Object.defineProperty(navigator, 'clipboard', { value: { writeText: async (s: string) => void (copied = s) }, configurable: true });
    await click(q('operator-reset-password', row('b'))!);
    expect(q('reset-password-dialog')?.textContent).toContain('сеансы оператора завершатся');
    expect(calls).toEqual([]);
    await click(q('reset-password-confirm')!);
    expect(calls).toEqual([{ method: 'POST', path: '/api/v1/operators/b/password-reset', body: undefined }]);
    expect(q<HTMLInputElement>('reset-password-value')?.value).toBe('Kx7-pQ2m-Zr9w');
    expect(q('reset-password-once')?.textContent).toContain('показан только сейчас');
    await click(q('reset-password-copy')!);
    expect(copied).toBe('Kx7-pQ2m-Zr9w');
    expect(q('reset-password-copied')?.textContent).toBe('Скопировано');
    // Escape does not lose a password shown once; only "Done" closes it.
    await act(async () => {
      dispatchEvent(new KeyboardEvent('keydown', { key: 'Escape' }));
      await settle();
    });
    expect(q('reset-password-dialog')).not.toBeNull();
    await click(q('reset-password-done')!);
    expect(q('reset-password-dialog')).toBeNull();
    expect(host.textContent).not.toContain('Kx7-pQ2m-Zr9w');
  });
});
