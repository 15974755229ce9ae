/**
 * The Security page in jsdom: the password form's own checks and the server's refusals beside
 * their fields, the sessions listed (this one marked and first), ending one and all others; and
 * the audit log's pages.
 */
import { render } from 'preact';
import { act } from 'preact/test-utils';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ApiError } from '../../shared/api';
import type { AuditView, SessionView } from '../../shared/api-types';
import { fakeApi, settle } from '../../test/fake-api';
import { meView, operator } from '../../test/fixtures';
import { ConsoleState } from '../console-state';
import { ConsoleContext } from '../context';
import { AuditLogAdmin } from './AuditLogAdmin';
import { SecurityPage } from './SecurityPage';

const CHROME = 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36';
const FIREFOX = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0';

function session(id: string, over: Partial<SessionView> = {}): SessionView {
  return {
    id,
    current: false,
    created_at: '2026-12-04T09:00:00Z',
    last_seen_at: '2026-12-04T10:00:00Z',
    expires_at: '2027-01-03T09:00:00Z',
    ip: '10.0.0.7',
    user_agent: CHROME,
    ...over,
  };
}

function entry(n: number): AuditView {
  return {
    id: `e${n}`,
    at: `2026-12-04T10:${String(59 - n).padStart(2, '0')}:00Z`,
    actor: { id: 'a', name: 'Анна' },
    action: 'operator.deactivated',
    target: { id: 'b', name: `Борис ${n}` },
    ip: '10.0.0.1',
    details: {},
  };
}

let host: HTMLDivElement;
let sessions: SessionView[];
let calls: { method: string; path: string; body: unknown }[];
let refuse: ApiError | null;
let audit: Record<string, { items: AuditView[]; next_cursor: string | null }>;

async function mount(page: 'security' | 'audit') {
  localStorage.setItem('frontline.console.lang', 'ru');
  calls = [];
  refuse = null;
  sessions = [session('s-old', { last_seen_at: '2026-12-03T10:00:00Z', user_agent: FIREFOX, ip: null }), session('s-me', { current: true })];
  audit = {
    '': { items: [entry(1), entry(2)], next_cursor: 'c2' },
    c2: { items: [entry(2), entry(3)], next_cursor: null },
  };
  const api = fakeApi({
    'GET /api/v1/me/sessions': () => ({ items: sessions }),
    'DELETE /api/v1/me/sessions/*': (path) => {
      calls.push({ method: 'DELETE', path, body: undefined });
      const id = path.split('/').pop()!;
      if (!sessions.some((s) => s.id === id)) throw new ApiError(404, 'not_found', 'no such session');
      sessions = sessions.filter((s) => s.id !== id);
      return undefined;
    },
    'POST /api/v1/me/sessions/end-others': (path) => {
      calls.push({ method: 'POST', path, body: undefined });
      const ended = sessions.filter((s) => !s.current).length;
      sessions = sessions.filter((s) => s.current);
      return { ended };
    },
    'PUT /api/v1/me/password': (path, o) => {
      calls.push({ method: 'PUT', path, body: o.body });
      if (refuse) throw refuse;
      sessions = sessions.filter((s) => s.current);
      return undefined;
    },
    'GET /api/v1/audit-log': (path) => {
      calls.push({ method: 'GET', path, body: undefined });
      const cursor = new URLSearchParams(path.split('?')[1]).get('cursor') ?? '';
      return audit[cursor];
    },
  });
  const state = new ConsoleState({ api: api.request, watching: () => true });
  state.session.me = meView({ operator: operator('me', { display_name: 'Анна', role: 'admin' }) });
  host = document.createElement('div');
  document.body.appendChild(host);
  await act(async () => {
    render(<ConsoleContext.Provider value={state}>{page === 'security' ? <SecurityPage /> : <AuditLogAdmin />}</ConsoleContext.Provider>, host);
    await settle();
  });
}

const q = <T extends HTMLElement = HTMLElement>(testid: string, root: ParentNode = host) => root.querySelector<T>(`[data-testid="${testid}"]`);
const all = (testid: string) => [...host.querySelectorAll<HTMLElement>(`[data-testid="${testid}"]`)];
const note = (field: string) => host.querySelector(`[data-testid="field-error"][data-field="${field}"]`)?.textContent ?? null;

async function click(el: HTMLElement) {
  await act(async () => {
    el.click();
    await settle();
  });
}
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
    q('password-form')!.dispatchEvent(new Event('submit', { bubbles: true, cancelable: true }));
    await settle();
  });
}

afterEach(() => {
  act(() => render(null, host));
  host.remove();
});

describe('Security page: password', () => {
  beforeEach(() => mount('security'));

  it('checks the fields and the repeat before sending', async () => {
    await submit();
    expect(note('current_password')).toBe('Заполните это поле.');
    expect(note('new_password')).toBe('Заполните это поле.');
    await type('security-current-password', 'old password');
    await type('security-new-password', 'short');
    await type('security-new-password-repeat', 'shorT');
    await submit();
    expect(note('current_password')).toBeNull();
    expect(note('new_password')).toBe('Пароль — от 8 до 256 символов.');
    expect(note('new_password_repeat')).toBe('Пароли не совпадают.');
    expect(calls.filter((c) => c.method === 'PUT')).toEqual([]);
  });

  it('shows a wrong current password beside its field', async () => {
    refuse = new ApiError(400, 'validation_failed', 'current_password: is not your current password', { field: 'current_password' });
    await type('security-current-password', 'wrong one');
    await type('security-new-password', 'new password 1');
    await type('security-new-password-repeat', 'new password 1');
    await submit();
    expect(calls.filter((c) => c.method === 'PUT')).toEqual([
      { method: 'PUT', path: '/api/v1/me/password', body: { current_password: 'wrong one', new_password: 'new password 1' } },
    ]);
    expect(note('current_password')).toBe('Текущий пароль указан неверно.');
    expect(q('security-current-password')?.getAttribute('aria-invalid')).toBe('true');
    expect(q('password-error')).toBeNull();
    // Typing again takes the refusal away.
    await type('security-current-password', 'old password');
    expect(note('current_password')).toBeNull();
  });

  it('changes the password, empties the form and reads the sessions again', async () => {
    await type('security-current-password', 'old password');
    await type('security-new-password', 'new password 1');
    await type('security-new-password-repeat', 'new password 1');
    await submit();
    expect(q('password-changed')?.textContent).toBe('Пароль изменён. Другие сеансы завершены.');
    expect(q<HTMLInputElement>('security-new-password')?.value).toBe('');
    await act(settle);
    expect(all('session-row').map((r) => r.dataset.sessionId)).toEqual(['s-me']);
  });
});

describe('Security page: sessions', () => {
  beforeEach(() => mount('security'));

  it('lists this session first and marked, each browser in short', () => {
    const rows = all('session-row');
    expect(rows.map((r) => r.dataset.sessionId)).toEqual(['s-me', 's-old']);
    expect(q('session-current', rows[0])?.textContent).toBe('Этот сеанс');
    expect(q('session-end', rows[0])).toBeNull();
    expect(q('session-browser', rows[0])?.textContent).toBe('Chrome 131, Linux');
    expect(q('session-browser', rows[1])?.textContent).toBe('Firefox 133, Windows');
    expect(rows[1].textContent).toContain('неизвестен');
  });

  it('ends one session', async () => {
    await click(q('session-end')!);
    expect(calls).toEqual([{ method: 'DELETE', path: '/api/v1/me/sessions/s-old', body: undefined }]);
    await act(settle);
    expect(all('session-row').map((r) => r.dataset.sessionId)).toEqual(['s-me']);
    expect(q('sessions-none')?.textContent).toBe('Других сеансов нет.');
    expect(q<HTMLButtonElement>('sessions-end-others')?.disabled).toBe(true);
  });

  it('ends all other sessions and says how many', async () => {
    // A third one signed in after the page was read: the server ends it too, and says so.
    sessions = [...sessions, session('s-third')];
    await click(q('sessions-end-others')!);
    expect(calls).toEqual([{ method: 'POST', path: '/api/v1/me/sessions/end-others', body: undefined }]);
    expect(q('sessions-ended')?.textContent).toBe('Завершено сеансов: 2.');
    expect(all('session-row').map((r) => r.dataset.sessionId)).toEqual(['s-me']);
  });
});

describe('audit log page', () => {
  beforeEach(() => mount('audit'));

  it('lists the newest first in sentences and loads more by cursor', async () => {
    expect(calls[0].path).toBe('/api/v1/audit-log?limit=50');
    expect(all('audit-what').map((e) => e.textContent)).toEqual(['Деактивирован оператор Борис 1', 'Деактивирован оператор Борис 2']);
    expect(all('audit-row')[0].textContent).toContain('Анна');
    expect(all('audit-row')[0].textContent).toContain('10.0.0.1');
    await click(q('audit-more')!);
    expect(calls[1].path).toBe('/api/v1/audit-log?limit=50&cursor=c2');
    // The line both pages carried shows once; no cursor, no button.
    expect(all('audit-what').map((e) => e.textContent)).toEqual([
      'Деактивирован оператор Борис 1',
      'Деактивирован оператор Борис 2',
      'Деактивирован оператор Борис 3',
    ]);
    expect(q('audit-more')).toBeNull();
  });
});
