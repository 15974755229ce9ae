/**
 * The quality guard in the composer (jsdom): the reply checked 300 ms after the last key and
 * never per key, its hits named under the box and marked in place, an older answer dropped, no
 * check for notes; a block held back on send with a reason asked for (sent as `guard_override`,
 * over the socket or REST) or a word that it cannot go; the server's refusal (REST 422 or the
 * socket's error frame) bringing the text back with the same block, even before the check
 * answered; a refusal that finds a new draft leaves the message in the timeline.
 */
import { render } from 'preact';
import { act } from 'preact/test-utils';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ApiError } from '../../shared/api';
import { canRetry } from '../../shared/messages';
import { fakeApi, settle } from '../../test/fake-api';
import { channel, dialog, FakeSocket, operator } from '../../test/fixtures';
import { ConsoleState } from '../console-state';
import { ConsoleContext, problemText } from '../context';
import { makeT } from '../i18n';
import type { HitView } from '../quality';
import { Composer } from './Composer';

const anna = operator('op1', { display_name: 'Анна Смирнова' });

interface Deferred {
  body: string;
  resolve: (hits: HitView[]) => void;
  reject: (e: unknown) => void;
}

let host: HTMLDivElement;
let state: ConsoleState;
let checks: Deferred[];
let sends: Record<string, unknown>[];
let refuseSend: ((body: Record<string, unknown>) => unknown) | null;
let next = 0;
let dialogId = 'd1';

const polite = (start: number, found = 'вам'): HitView => ({ rule: 'polite', mode: 'warn', allow_override: false, start, end: start + found.length, found });
const phone = (start: number, found: string, allow = true): HitView => ({ rule: 'phone_8800', mode: 'block', allow_override: allow, start, end: start + found.length, found });

async function mount(lang: 'ru' | 'en' = 'ru') {
  checks = [];
  sends = [];
  refuseSend = null;
  dialogId = `g${++next}`; // drafts outlive a composer: each test its own dialog
  localStorage.setItem('frontline.console.lang', lang);
  const api = fakeApi({
    'GET /api/v1/me': () => ({ operator: anna, workspace: { id: 'w', name: 'W', slug: 'w' }, upload_limits: { max_bytes: 100, max_files: 2, types: ['image/png'] } }),
    'GET /api/v1/dialogs/counts': () => ({ queue: 0, mine: 0, unanswered_mine: 0 }),
    'GET /api/v1/dialogs': () => ({ items: [dialog(dialogId)], next_cursor: null }),
    'GET /api/v1/operators': () => ({ items: [anna] }),
    'GET /api/v1/channels': () => ({ items: [channel('c1')] }),
    'GET /api/v1/saved-replies': () => ({ items: [] }),
    'GET /api/v1/tags': () => ({ items: [] }),
    'GET /api/v1/categories': () => ({ items: [] }),
    [`POST /api/v1/dialogs/${dialogId}/guard`]: (_p, o) =>
      new Promise<{ hits: HitView[] }>((resolve, reject) => {
        checks.push({ body: (o.body as { body: string }).body, resolve: (hits) => resolve({ hits }), reject });
      }),
    [`POST /api/v1/dialogs/${dialogId}/messages`]: (_p, o) => {
      const body = o.body as Record<string, unknown>;
      sends.push(body);
      const refusal = refuseSend?.(body);
      if (refusal instanceof Promise) return refusal;
      if (refusal) return Promise.reject(refusal);
      return new Promise(() => {});
    },
  });
  state = new ConsoleState({ api: api.request, WebSocketImpl: FakeSocket as unknown as typeof WebSocket, watching: () => true });
  await state.start();
  await settle();
  host = document.createElement('div');
  document.body.appendChild(host);
  act(() =>
    render(
      <ConsoleContext.Provider value={state}>
        <Composer dialogId={dialogId} />
      </ConsoleContext.Provider>,
      host,
    ),
  );
  await settle();
}

const textarea = () => host.querySelector<HTMLTextAreaElement>('[data-testid="composer-input"]')!;
const byTestId = <E extends HTMLElement = HTMLElement>(id: string) => host.querySelector<E>(`[data-testid="${id}"]`);
const hitTexts = () => [...host.querySelectorAll('[data-testid="guard-hit"]')].map((li) => li.textContent);
const marks = () => [...host.querySelectorAll('[data-testid="guard-mirror"] mark')].map((m) => `${m.getAttribute('data-level')}:${m.textContent}`);

async function type(value: string) {
  const el = textarea();
  el.value = value;
  el.setSelectionRange(value.length, value.length);
  await act(async () => {
    el.dispatchEvent(new Event('input', { bubbles: true }));
    await settle();
  });
}

async function wait(ms: number) {
  await act(async () => {
    vi.advanceTimersByTime(ms);
    await settle();
  });
}

async function answer(i: number, hits: HitView[]) {
  await act(async () => {
    checks[i].resolve(hits);
    await settle();
  });
}

async function enter() {
  await act(async () => {
    textarea().dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', bubbles: true, cancelable: true }));
    await settle();
  });
}

async function click(el: HTMLElement) {
  await act(async () => {
    el.click();
    await settle();
  });
}

async function typeReason(value: string) {
  const el = byTestId<HTMLInputElement>('guard-reason')!;
  el.value = value;
  await act(async () => {
    el.dispatchEvent(new Event('input', { bubbles: true }));
    await settle();
  });
}

beforeEach(() => {
  vi.useFakeTimers();
  FakeSocket.instances = [];
  localStorage.clear();
  history.replaceState(null, '', '/console/');
});
afterEach(() => {
  render(null, host);
  host.remove();
  vi.useRealTimers();
});

describe('Composer: the quality guard', () => {
  it('checks the reply 300 ms after the last key, names the hits under the box and marks them in place', async () => {
    await mount();
    await type('Мы в');
    await wait(200);
    await type('Мы вам перезвоним');
    await wait(299);
    expect(checks).toHaveLength(0);
    await wait(1);
    expect(checks.map((c) => c.body)).toEqual(['Мы вам перезвоним']);
    await answer(0, [polite(3)]);
    expect(hitTexts()).toEqual(['Предупреждение: „вам“ — пишите „Вам“ с большой буквы']);
    expect(byTestId('guard-hit')!.className).toContain('guard-hit-warn');
    expect(marks()).toEqual(['warn:вам']);
    expect(textarea().getAttribute('aria-describedby')).toBe(byTestId('guard-hits')!.id);

    // Fixed: the mark goes at once, before the next answer.
    await type('Мы Вам перезвоним');
    expect(hitTexts()).toEqual([]);
    expect(marks()).toEqual([]);
    expect(textarea().hasAttribute('aria-describedby')).toBe(false);
  });

  it('drops the answer to an older draft when a newer one was asked', async () => {
    await mount();
    await type('Мы вам перезвоним');
    await wait(300);
    await type('Мы Вам перезвоним');
    await wait(300);
    expect(checks.map((c) => c.body)).toEqual(['Мы вам перезвоним', 'Мы Вам перезвоним']);
    await answer(1, []);
    await answer(0, [polite(3)]);
    expect(hitTexts()).toEqual([]);
    expect(marks()).toEqual([]);
  });

  it('does not check notes', async () => {
    await mount();
    await click(byTestId('composer-mode-note')!);
    await type('позвоните вам по 8-800-555-35-35');
    await wait(1000);
    expect(checks).toHaveLength(0);
    expect(byTestId('guard-mirror')).toBeNull();
  });

  it('holds a blocked reply back, asks why, and sends it with guard_override over the socket', async () => {
    await mount();
    FakeSocket.last().open();
    const text = 'Позвоните нам по 8-800-555-35-35, вам ответят';
    await type(text);
    await wait(300);
    await answer(0, [phone(17, '8-800-555-35-35'), polite(34)]);
    expect(hitTexts()).toEqual(['Не отправится: Номер 8-800 называть нельзя: „8-800-555-35-35“', 'Предупреждение: „вам“ — пишите „Вам“ с большой буквы']);
    expect(marks()).toEqual(['block:8-800-555-35-35', 'warn:вам']);
    // The button stays on; pressing it shows the block instead of sending.
    expect(byTestId<HTMLButtonElement>('composer-send')!.disabled).toBe(false);
    await enter();
    expect(FakeSocket.last().sentOfType('send')).toHaveLength(0);
    expect(sends).toHaveLength(0);
    const block = byTestId('guard-block')!;
    expect(block.getAttribute('role')).toBe('alert');
    expect(block.textContent).toContain('Так отправить нельзя');
    expect(document.activeElement).toBe(byTestId('guard-reason'));
    expect(byTestId<HTMLButtonElement>('guard-send-reason')!.disabled).toBe(true);
    expect(textarea().value).toBe(text);

    await typeReason('Клиент сам попросил номер');
    await click(byTestId('guard-send-reason')!);
    const [frame] = FakeSocket.last().sentOfType('send');
    expect(frame).toMatchObject({ type: 'send', dialog_id: dialogId, body: text, guard_override: 'Клиент сам попросил номер' });
    expect(textarea().value).toBe('');
    expect(byTestId('guard-block')).toBeNull();
    expect(hitTexts()).toEqual([]);
  });

  it('a block without an override says it cannot go; "Edit the text" goes back to the box', async () => {
    await mount('en');
    await type('Звоните 8 800 555 35 35');
    await wait(300);
    await answer(0, [phone(8, '8 800 555 35 35', false)]);
    await enter();
    const block = byTestId('guard-block')!;
    expect(block.textContent).toContain("This can't be sent as written");
    expect(block.textContent).toContain('Change the text');
    expect(byTestId('guard-reason')).toBeNull();
    expect(sends).toHaveLength(0);
    await click(byTestId('guard-edit')!);
    expect(byTestId('guard-block')).toBeNull();
    expect(document.activeElement).toBe(textarea());
    expect(textarea().value).toBe('Звоните 8 800 555 35 35');
  });

  it('a send refused by the server (REST 422) before the check answered comes back with the block, and goes with a reason', async () => {
    await mount();
    const text = 'Позвоните нам по 8-800-555-35-35';
    const hits = [phone(17, '8-800-555-35-35')];
    refuseSend = (body) =>
      body.guard_override ? undefined : new ApiError(422, 'guard_blocked', 'The quality guard blocks this message', { rule: 'phone_8800', allow_override: true, hits });
    await type(text);
    await wait(300);
    expect(checks).toHaveLength(1);
    await enter(); // the check is not back yet: the server decides
    expect(sends).toEqual([expect.objectContaining({ body: text })]);
    expect(sends[0]).not.toHaveProperty('guard_override');
    await act(async () => {
      await settle();
    });
    expect(textarea().value).toBe(text);
    const block = byTestId('guard-block')!;
    expect(block.getAttribute('data-refused')).toBe('true');
    expect(block.textContent).toContain('Сервер не принял сообщение — текст вернулся в поле ввода.');
    expect(hitTexts()).toEqual(['Не отправится: Номер 8-800 называть нельзя: „8-800-555-35-35“']);
    expect(marks()).toEqual(['block:8-800-555-35-35']);
    expect(state.dialog.loaded.get(dialogId)?.messages.outbox.size).toBe(0);
    // The check that was under way answers late: the refusal's hits stay.
    await answer(0, []);
    expect(hitTexts()).toEqual(['Не отправится: Номер 8-800 называть нельзя: „8-800-555-35-35“']);

    refuseSend = null;
    await typeReason('Клиент просил');
    await act(async () => {
      byTestId('guard-reason')!.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', bubbles: true, cancelable: true }));
      await settle();
    });
    expect(sends[1]).toMatchObject({ body: text, guard_override: 'Клиент просил' });
    expect(textarea().value).toBe('');
  });

  it("the socket's guard_blocked error brings the text back too", async () => {
    await mount('en');
    FakeSocket.last().open();
    const text = 'ПОЗВОНИТЕ 8-800-555-35-35';
    await type(text);
    await enter();
    const [frame] = FakeSocket.last().sentOfType('send');
    await act(async () => {
      FakeSocket.last().push({
        type: 'error',
        code: 'guard_blocked',
        message: 'The quality guard blocks this message',
        client_id: frame.client_id,
        details: { rule: 'phone_8800', allow_override: false, hits: [phone(10, '8-800-555-35-35', false)] },
      });
      await settle();
    });
    expect(textarea().value).toBe(text);
    expect(byTestId('guard-block')!.textContent).toContain('Change the text');
    expect(hitTexts()).toEqual(['Will not send: No 8-800 numbers: “8-800-555-35-35”']);
  });

  it('a refusal that finds a new draft being written stays in the timeline, without "Retry"', async () => {
    await mount();
    const text = 'Звоните 8-800-555-35-35';
    let refuse: (e: unknown) => void = () => {};
    refuseSend = null;
    await type(text);
    // The send hangs until refused below.
    const held = new Promise((_, reject) => (refuse = reject));
    refuseSend = () => held;
    await enter();
    await type('А пока уточню');
    await act(async () => {
      refuse(new ApiError(422, 'guard_blocked', 'blocked', { rule: 'phone_8800', allow_override: true, hits: [phone(8, '8-800-555-35-35')] }));
      await settle();
    });
    expect(textarea().value).toBe('А пока уточню');
    const [failed] = state.dialog.loaded.get(dialogId)!.messages.outbox.list();
    expect(failed).toMatchObject({ state: 'failed', body: text, error: { code: 'guard_blocked' } });
    expect(canRetry(failed.error)).toBe(false);
    expect(problemText(makeT('ru'), 'ru', { code: 'guard_blocked', details: failed.error!.details })).toBe(
      'Не пропущено контролем качества: Номер 8-800 называть нельзя: „8-800-555-35-35“',
    );
  });
});
