/**
 * Complaints and blocks on the visitor card (jsdom, Russian and English): every operator reports
 * the visitor — a reason is required (told at its field, nothing sent), the comment is sent, a
 * line says the report went and the dialog is left as it was; a server refusal of the comment is
 * told beside it. An operator has no "Block" and no "Unblock". An admin blocks (a line on what a
 * block does, an address range checked as the server checks it, the server's refusal at the
 * field) and the card shows the red banner with who and when, the reason and the range; lifting
 * asks first and brings "Block" back.
 */
import { render } from 'preact';
import { act } from 'preact/test-utils';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ApiError } from '../../shared/api';
import type { BlockView, VisitorCardView } from '../../shared/api-types';
import type { Lang } from '../../shared/i18n';
import { fakeApi, settle } from '../../test/fake-api';
import { dialog, meView, operator } from '../../test/fixtures';
import { formatWhen } from '../admin/lifecycle';
import { ConsoleState } from '../console-state';
import { ConsoleContext } from '../context';
import { VisitorCard } from './VisitorCard';

const BLOCKED_AT = '2026-03-05T14:30:00Z';

function card(over: Partial<VisitorCardView> = {}): VisitorCardView {
  return {
    id: 'v-d1',
    number: 42,
    name: 'Мария',
    email: null,
    phone: null,
    city: null,
    language: null,
    source: 'widget',
    first_seen_at: '2026-01-01T10:00:00Z',
    visit_started_at: null,
    page_url: null,
    properties: {},
    pages: [],
    dialogs: [],
    telegram: [],
    tags: [],
    attributes: [],
    events: [],
    recent_events: [],
    segments: [],
    block: null,
    ...over,
  };
}

function block(over: Partial<BlockView> = {}): BlockView {
  return {
    id: 'b1',
    visitor: { id: 'v-d1', number: 42, name: 'Мария' },
    ip_range: null,
    reason: 'spam',
    complaint_id: null,
    blocked_by: 'Ольга Админ',
    blocked_at: BLOCKED_AT,
    lifted_by: null,
    lifted_at: null,
    ...over,
  };
}

let host: HTMLDivElement;
let state: ConsoleState;
let api: ReturnType<typeof fakeApi>;
let stored: VisitorCardView;
let refuse: ApiError | null;

async function mount(opts: { role?: 'admin' | 'operator'; lang?: Lang; card?: VisitorCardView } = {}) {
  localStorage.setItem('frontline.console.lang', opts.lang ?? 'ru');
  stored = opts.card ?? card();
  refuse = null;
  api = fakeApi({
    'GET /api/v1/dialogs/d1/visitor': () => stored,
    'GET /api/v1/tickets': () => ({ items: [] }),
    'POST /api/v1/dialogs/d1/complaints': (_p, o) => {
      if (refuse) throw refuse;
      const body = o.body as { reason: string; comment?: string };
      return { id: 'c1', dialog_id: 'd1', visitor: { id: 'v-d1', number: 42, name: 'Мария' }, reason: body.reason, comment: body.comment ?? null, filed_by: 'Анна', filed_at: BLOCKED_AT, status: 'open' };
    },
    'POST /api/v1/dialogs/d1/block': (_p, o) => {
      if (refuse) throw refuse;
      const body = o.body as { reason: string; ip_range?: string };
      const made = block({ reason: body.reason, ip_range: body.ip_range ?? null });
      stored = { ...stored, block: made };
      return made;
    },
    'POST /api/v1/blocks/b1/lift': () => {
      stored = { ...stored, block: null };
      return block({ lifted_by: 'Ольга Админ', lifted_at: BLOCKED_AT });
    },
  });
  state = new ConsoleState({ api: api.request, watching: () => true });
  state.session.me = meView({ operator: operator('op1', { display_name: 'Анна', role: opts.role ?? 'operator' }) });
  host = document.createElement('div');
  document.body.appendChild(host);
  await act(async () => {
    render(
      <ConsoleContext.Provider value={state}>
        <VisitorCard dialog={dialog('d1')} />
      </ConsoleContext.Provider>,
      host,
    );
    await settle();
  });
}

const q = <T extends HTMLElement = HTMLElement>(testid: string, from: ParentNode = host) => from.querySelector<T>(`[data-testid="${testid}"]`);
const note = (field: string) => host.querySelector(`[data-testid="field-error"][data-field="${field}"]`)?.textContent ?? null;
/** What was sent besides reading: the dialog itself is never touched by a report. */
const writes = () => api.calls.filter((c) => c.method !== 'GET').map((c) => `${c.method} ${c.path}`);

async function click(el: HTMLElement | null) {
  expect(el).not.toBeNull();
  await act(async () => {
    el!.click();
    await settle();
  });
}
async function type(el: HTMLInputElement | HTMLTextAreaElement | null, value: string) {
  expect(el).not.toBeNull();
  await act(async () => {
    el!.value = value;
    el!.dispatchEvent(new Event('input', { bubbles: true }));
    await settle();
  });
}
async function choose(testid: string) {
  const radio = q<HTMLInputElement>(testid)!;
  await act(async () => {
    radio.checked = true;
    radio.dispatchEvent(new Event('change', { bubbles: true }));
    radio.dispatchEvent(new Event('click', { bubbles: true }));
    await settle();
  });
}
async function submit(testid: string) {
  await act(async () => {
    q<HTMLFormElement>(testid)!.dispatchEvent(new Event('submit', { bubbles: true, cancelable: true }));
    await settle();
  });
}

afterEach(() => {
  vi.restoreAllMocks();
  act(() => render(null, host));
  host.remove();
});

describe('the visitor card: reporting a visitor', () => {
  it('an operator reports him: a reason is required, the comment is sent, the dialog stays as it was', async () => {
    await mount();
    expect(q('card-moderation')!.querySelector('h4')!.textContent).toBe('Жалоба');
    expect(q('card-report')!.textContent).toBe('Пожаловаться');
    // An operator does not block.
    expect(q('card-block')).toBeNull();

    await click(q('card-report'));
    const form = q('card-report-form')!;
    expect(form.querySelector('h5')!.textContent).toBe('Жалоба на посетителя');
    expect(form.textContent).toContain('Диалог останется открытым.');
    expect([...form.querySelectorAll('[data-testid^="card-report-reason-"]')].map((r) => r.parentElement!.textContent)).toEqual(['Спам', 'Оскорбления', 'Другое']);
    // The first reason has the focus: the keyboard goes on from there.
    expect(document.activeElement).toBe(q('card-report-reason-spam'));

    // No reason: told at its field, nothing sent.
    await submit('card-report-form');
    expect(note('reason')).toBe('Выберите причину.');
    expect(q<HTMLInputElement>('card-report-reason-spam')!.getAttribute('aria-invalid')).toBe('true');
    expect(writes()).toEqual([]);

    await choose('card-report-reason-abuse');
    await type(q<HTMLTextAreaElement>('card-report-comment'), '  Пишет оскорбления в каждом сообщении  ');
    await submit('card-report-form');
    expect(writes()).toEqual(['POST /api/v1/dialogs/d1/complaints']);
    expect(api.callsTo('POST', '/api/v1/dialogs/d1/complaints')[0].options.body).toEqual({ reason: 'abuse', comment: 'Пишет оскорбления в каждом сообщении' });

    // The form is gone; a line says it went; the dialog is untouched (no close, no other call).
    expect(q('card-report-form')).toBeNull();
    expect(q('card-reported')!.textContent).toBe('Жалоба отправлена администраторам');
    expect(q('card-reported')!.getAttribute('role')).toBe('status');
    expect(document.activeElement).toBe(q('card-report'));
    expect(q('card-blocked')).toBeNull();
  });

  it('a blank comment is not sent; the server\'s refusal of the comment is told beside it, in words', async () => {
    await mount();
    await click(q('card-report'));
    await choose('card-report-reason-spam');
    refuse = new ApiError(400, 'validation_failed', 'comment: at most 1000 characters', { field: 'comment', reason: 'at most 1000 characters' });
    await type(q<HTMLTextAreaElement>('card-report-comment'), 'Реклама казино');
    await submit('card-report-form');
    expect(note('comment')).toBe('Не длиннее 1000 символов.');
    expect(q('card-report-form')).not.toBeNull();
    expect(q('card-reported')).toBeNull();

    refuse = null;
    await type(q<HTMLTextAreaElement>('card-report-comment'), '   ');
    await submit('card-report-form');
    expect(api.callsTo('POST', '/api/v1/dialogs/d1/complaints').at(-1)!.options.body).toEqual({ reason: 'spam', comment: undefined });
    expect(q('card-reported')).not.toBeNull();
  });

  it('a comment longer than the server keeps is refused before it is sent', async () => {
    await mount();
    await click(q('card-report'));
    await choose('card-report-reason-other');
    await type(q<HTMLTextAreaElement>('card-report-comment'), 'а'.repeat(1001));
    await submit('card-report-form');
    expect(note('comment')).toBe('Не длиннее 1000 символов.');
    expect(writes()).toEqual([]);
  });

  it('Esc and "Cancel" close the form without sending, the focus back on the button', async () => {
    await mount();
    await click(q('card-report'));
    await click(q('card-report-cancel'));
    expect(q('card-report-form')).toBeNull();
    expect(document.activeElement).toBe(q('card-report'));
    await click(q('card-report'));
    await act(async () => {
      q('card-report-form')!.dispatchEvent(new KeyboardEvent('keydown', { key: 'Escape', bubbles: true }));
      await settle();
    });
    expect(q('card-report-form')).toBeNull();
    expect(writes()).toEqual([]);
  });
});

describe('the visitor card: blocking', () => {
  it('an operator sees a blocked visitor\'s banner but neither "Block" nor "Unblock"', async () => {
    await mount({ card: card({ block: block() }) });
    const banner = q('card-blocked')!;
    expect(q('card-blocked-title')!.textContent).toBe(`Посетитель заблокирован: Ольга Админ, ${formatWhen(BLOCKED_AT, 'ru')}`);
    expect(q('card-blocked-reason')!.textContent).toBe('Причина: Спам');
    // Not colour alone: the words and a no-entry sign.
    expect(banner.querySelector('svg.mod-icon-block')).not.toBeNull();
    expect(q('card-unblock')).toBeNull();
    expect(q('card-block')).toBeNull();
    expect(q('card-moderation')).toBeNull();
  });

  it('an admin blocks: what a block does, the range checked, the banner with who and when', async () => {
    await mount({ role: 'admin' });
    expect(q('card-moderation')!.querySelector('h4')!.textContent).toBe('Жалоба и блокировка');
    expect(q('card-block')!.textContent).toBe('Заблокировать');
    await click(q('card-block'));
    expect(q('card-block-what')!.textContent).toBe(
      'Виджет у него не откроется, сообщения не будут приниматься, Telegram-бот и почта перестанут его слышать. Снять блокировку можно в любой момент.',
    );
    // Neither a reason nor a good range: both told at their fields, nothing sent.
    await type(q<HTMLInputElement>('card-block-range'), '203.0.113.0/33');
    await submit('card-block-form');
    expect(note('reason')).toBe('Выберите причину.');
    expect(note('ip_range')).toBe('Нужен адрес или диапазон, например 203.0.113.7 или 203.0.113.0/24 (маска от /8 до /32, для IPv6 — от /16 до /128).');
    expect(q<HTMLInputElement>('card-block-range')!.getAttribute('aria-invalid')).toBe('true');
    expect(writes()).toEqual([]);

    // The server's refusal of the range lands at the same field.
    await choose('card-block-reason-spam');
    await type(q<HTMLInputElement>('card-block-range'), '203.0.113.0/24');
    refuse = new ApiError(400, 'validation_failed', 'ip_range: an address or a CIDR block of /8–/32 (IPv4) or /16–/128 (IPv6)', {
      field: 'ip_range',
      reason: 'an address or a CIDR block of /8–/32 (IPv4) or /16–/128 (IPv6)',
    });
    await submit('card-block-form');
    expect(note('ip_range')).toContain('Нужен адрес или диапазон');
    expect(q('card-block-error')).toBeNull();

    refuse = null;
    await submit('card-block-form');
    expect(api.callsTo('POST', '/api/v1/dialogs/d1/block').at(-1)!.options.body).toEqual({ reason: 'spam', ip_range: '203.0.113.0/24' });
    expect(q('card-block-form')).toBeNull();
    expect(q('card-blocked-title')!.textContent).toBe(`Посетитель заблокирован: Ольга Админ, ${formatWhen(BLOCKED_AT, 'ru')}`);
    expect(q('card-blocked-range')!.textContent).toBe('Диапазон адресов: 203.0.113.0/24');
    expect(document.activeElement).toBe(q('card-blocked-title'));
    // Blocked: neither "Report" nor "Block" any more; "Unblock" in the banner.
    expect(q('card-moderation')).toBeNull();
    expect(q('card-unblock')!.textContent).toBe('Разблокировать');
    // The dialog itself is left alone.
    expect(writes()).toEqual(['POST /api/v1/dialogs/d1/block', 'POST /api/v1/dialogs/d1/block']);
  });

  it('an admin unblocks from the banner after the browser asks; "Block" is back', async () => {
    await mount({ role: 'admin', card: card({ block: block() }) });
    const ask = vi.spyOn(window, 'confirm').mockReturnValueOnce(false).mockReturnValueOnce(true);
    await click(q('card-unblock'));
    expect(ask).toHaveBeenCalledWith('Разблокировать посетителя «Мария»? Он сразу снова сможет писать — в виджете, в Telegram и на почту.');
    expect(writes()).toEqual([]);
    expect(q('card-blocked')).not.toBeNull();

    await click(q('card-unblock'));
    expect(writes()).toEqual(['POST /api/v1/blocks/b1/lift']);
    expect(q('card-blocked')).toBeNull();
    expect(q('card-block')).not.toBeNull();
    expect(document.activeElement).toBe(q('card-block'));
  });

  it('a refused lift is told in words and the banner stays', async () => {
    await mount({ role: 'admin', card: card({ block: block({ id: 'b-gone' }) }) });
    vi.spyOn(window, 'confirm').mockReturnValue(true);
    await click(q('card-unblock'));
    expect(q('card-unblock-error')!.textContent).toBe('Не найдено.');
    expect(q('card-blocked')).not.toBeNull();
  });

  it('speaks English', async () => {
    await mount({ role: 'admin', lang: 'en' });
    expect(q('card-report')!.textContent).toBe('Report visitor');
    expect(q('card-block')!.textContent).toBe('Block');
    await click(q('card-report'));
    await submit('card-report-form');
    expect(note('reason')).toBe('Choose a reason.');
    await choose('card-report-reason-spam');
    await submit('card-report-form');
    expect(q('card-reported')!.textContent).toBe('Report sent to the admins');
    await click(q('card-block'));
    await choose('card-block-reason-abuse');
    await submit('card-block-form');
    expect(q('card-blocked-title')!.textContent).toBe(`Visitor blocked by Ольга Админ, ${formatWhen(BLOCKED_AT, 'en')}`);
    expect(q('card-blocked-reason')!.textContent).toBe('Reason: Abuse');
    expect(q('card-unblock')!.textContent).toBe('Unblock');
  });
});
