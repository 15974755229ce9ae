/**
 * The complaints and blocks page in jsdom: the open complaints first (visitor by name or «Посетитель
 * N», the reason in words, the comment, who filed it and when, a link to the dialog); the filters
 * (blocked, dismissed, all) asked of the server; an open complaint blocked with an address range
 * and a note (the range checked first, the block shown in the list below at once) or dismissed
 * (a note optional); a decided one with who decided, when and the note; one another admin decided
 * first (`409 complaint_decided`) told in words and shown as decided; the blocks live and lifted,
 * lifting after the browser asks; the tab beside the routing rules for admins alone; English.
 */
import { render } from 'preact';
import { act } from 'preact/test-utils';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ApiError } from '../../shared/api';
import type { BlockView, ComplaintView } from '../../shared/api-types';
import type { Lang } from '../../shared/i18n';
import { fakeApi, settle } from '../../test/fake-api';
import { meView, operator } from '../../test/fixtures';
import { ConsoleState } from '../console-state';
import { ConsoleContext } from '../context';
import { sectionsFor } from '../routes';
import { formatWhen } from './lifecycle';
import { ipRangeOk } from './moderation';
import { ModerationAdmin } from './ModerationAdmin';
import { RulesTabs } from './RulesTabs';

const FILED = '2026-03-05T14:30:00Z';
const DECIDED = '2026-03-05T15:10:00Z';
const DIALOG = '0193a6f2-1c2d-7e3f-8a9b-0c1d2e3f4a5b';

function complaint(id: string, over: Partial<ComplaintView> = {}): ComplaintView {
  return {
    id,
    dialog_id: DIALOG,
    visitor: { id: `v-${id}`, number: 7, name: null },
    reason: 'spam',
    comment: 'Ссылки на казино в каждом сообщении',
    filed_by: 'Анна Соколова',
    filed_at: FILED,
    status: 'open',
    decided_by: null,
    decided_at: null,
    note: null,
    ...over,
  };
}

function block(id: string, over: Partial<BlockView> = {}): BlockView {
  return {
    id,
    visitor: { id: 'v-old', number: 3, name: 'Пётр' },
    ip_range: null,
    reason: 'abuse',
    complaint_id: null,
    blocked_by: 'Ольга Админ',
    blocked_at: FILED,
    lifted_by: null,
    lifted_at: null,
    ...over,
  };
}

let host: HTMLDivElement;
let state: ConsoleState;
let api: ReturnType<typeof fakeApi>;
let complaints: ComplaintView[];
let blocks: BlockView[];
let conflict: boolean;

async function mount(opts: { lang?: Lang; role?: 'admin' | 'supervisor' } = {}) {
  localStorage.setItem('frontline.console.lang', opts.lang ?? 'ru');
  conflict = false;
  complaints = [
    complaint('c1'),
    complaint('c2', { visitor: { id: 'v-2', number: 12, name: 'Мария' }, reason: 'abuse', comment: null, dialog_id: 'd-2' }),
    complaint('c3', { status: 'dismissed', decided_by: 'Ольга Админ', decided_at: DECIDED, note: 'Посетитель извинился' }),
  ];
  blocks = [block('b1'), block('b0', { visitor: null, ip_range: '198.51.100.0/24', lifted_by: 'Ольга Админ', lifted_at: DECIDED, reason: 'spam' })];
  api = fakeApi({
    'GET /api/v1/complaints': (path) => {
      const status = new URLSearchParams(path.split('?')[1] ?? '').get('status') ?? 'open';
      return { items: status === 'all' ? complaints : complaints.filter((c) => c.status === status) };
    },
    'POST /api/v1/complaints/*': (path, o) => {
      const id = path.split('/')[4];
      const body = o.body as { action: string; note?: string; ip_range?: string };
      const c = complaints.find((x) => x.id === id)!;
      if (conflict) {
        // Another admin was first.
        Object.assign(c, { status: 'blocked', decided_by: 'Вера Иванова', decided_at: DECIDED, note: null });
        throw new ApiError(409, 'complaint_decided', 'The complaint is decided already');
      }
      Object.assign(c, { status: body.action === 'block' ? 'blocked' : 'dismissed', decided_by: 'Ольга Админ', decided_at: DECIDED, note: body.note ?? null });
      if (body.action === 'block') blocks = [block('b2', { visitor: c.visitor, reason: c.reason, ip_range: body.ip_range ?? null, complaint_id: c.id, blocked_at: DECIDED }), ...blocks];
      return { ...c };
    },
    'GET /api/v1/blocks': (path) => ({ items: path.includes('live=true') ? blocks.filter((b) => !b.lifted_at) : blocks }),
    'POST /api/v1/blocks/*': (path) => {
      const id = path.split('/')[4];
      blocks = blocks.map((b) => (b.id === id ? { ...b, lifted_by: 'Ольга Админ', lifted_at: DECIDED } : b));
      return blocks.find((b) => b.id === id);
    },
  });
  state = new ConsoleState({ api: api.request, watching: () => true });
  state.session.me = meView({ operator: operator('op1', { display_name: 'Ольга Админ', role: opts.role ?? 'admin' }) });
  state.session.route = { view: 'admin', section: 'moderation' };
  host = document.createElement('div');
  document.body.appendChild(host);
  await act(async () => {
    render(
      <ConsoleContext.Provider value={state}>
        <ModerationAdmin />
      </ConsoleContext.Provider>,
      host,
    );
    await settle();
  });
}

const q = <T extends HTMLElement = HTMLElement>(testid: string, from: ParentNode = host) => from.querySelector<T>(`[data-testid="${testid}"]`);
const row = (id: string) => host.querySelector<HTMLElement>(`[data-testid="complaint"][data-complaint-id="${id}"]`)!;
const blockRow = (id: string) => host.querySelector<HTMLElement>(`[data-testid="block-row"][data-block-id="${id}"]`)!;
const rows = () => [...host.querySelectorAll<HTMLElement>('[data-testid="complaint"]')].map((r) => r.dataset.complaintId);
const note = (field: string, from: ParentNode = host) => from.querySelector(`[data-testid="field-error"][data-field="${field}"]`)?.textContent ?? null;
const text = (testid: string, from: ParentNode) => q(testid, from)?.textContent ?? null;
const writes = () => api.calls.filter((c) => c.method !== 'GET').map((c) => ({ path: c.path, body: c.options.body }));

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
async function submit(form: HTMLElement | null) {
  await act(async () => {
    form!.dispatchEvent(new Event('submit', { bubbles: true, cancelable: true }));
    await settle();
  });
}

afterEach(() => {
  vi.restoreAllMocks();
  act(() => render(null, host));
  host.remove();
});

describe('Complaints and blocks page', () => {
  it('shows the open complaints: the visitor, the reason in words, the comment, who filed it, the dialog\'s link', async () => {
    await mount();
    expect(q('moderation-title')!.textContent).toBe('Жалобы и блокировки');
    expect(api.callsTo('GET', '/api/v1/complaints')[0].path).toBe('/api/v1/complaints?status=open');
    expect(rows()).toEqual(['c1', 'c2']);
    expect(q('complaints-filter-open')!.getAttribute('aria-pressed')).toBe('true');

    const first = row('c1');
    expect(text('complaint-visitor', first)).toBe('Посетитель 7');
    expect(text('complaint-reason', first)).toBe('Спам');
    expect(text('complaint-status', first)).toBe('Ждёт решения');
    expect(text('complaint-comment', first)).toBe('Ссылки на казино в каждом сообщении');
    expect(text('complaint-filed', first)).toBe(`Жалоба: Анна Соколова, ${formatWhen(FILED, 'ru')}`);
    const link = q<HTMLAnchorElement>('complaint-open-dialog', first)!;
    expect(link.textContent).toBe('Открыть диалог →');
    expect(link.getAttribute('href')).toBe(`/console/dialogs/${DIALOG}`);
    expect(link.getAttribute('aria-label')).toBe('Открыть диалог с посетителем «Посетитель 7»');
    expect(q('complaint-block', first)).not.toBeNull();
    expect(q('complaint-dismiss', first)).not.toBeNull();

    const second = row('c2');
    expect(text('complaint-visitor', second)).toBe('Мария');
    expect(text('complaint-reason', second)).toBe('Оскорбления');
    expect(text('complaint-comment', second)).toBe('Без комментария');
    expect(q<HTMLAnchorElement>('complaint-open-dialog', second)!.getAttribute('href')).toBe('/console/dialogs/d-2');
  });

  it('the link opens the dialog in the console', async () => {
    await mount();
    await click(q('complaint-open-dialog', row('c2')));
    expect(state.session.route).toEqual({ view: 'dialogs', dialogId: 'd-2' });
  });

  it('filters by state, asking the server; a decided one shows who decided, when and the note, and no buttons', async () => {
    await mount();
    await click(q('complaints-filter-dismissed'));
    expect(api.callsTo('GET', '/api/v1/complaints').at(-1)!.path).toBe('/api/v1/complaints?status=dismissed');
    expect(rows()).toEqual(['c3']);
    expect(q('complaints-filter-dismissed')!.getAttribute('aria-pressed')).toBe('true');
    expect(q('complaints-filter-open')!.getAttribute('aria-pressed')).toBe('false');
    const decided = row('c3');
    expect(text('complaint-status', decided)).toBe('Отклонена');
    expect(q('complaint-decided', decided)!.textContent).toBe(`Решение: Ольга Админ, ${formatWhen(DECIDED, 'ru')}Примечание: Посетитель извинился`);
    expect(q('complaint-block', decided)).toBeNull();
    expect(q('complaint-dismiss', decided)).toBeNull();

    await click(q('complaints-filter-blocked'));
    expect(api.callsTo('GET', '/api/v1/complaints').at(-1)!.path).toBe('/api/v1/complaints?status=blocked');
    expect(q('complaints-empty')!.textContent).toBe('Жалоб, по которым посетителя заблокировали, нет.');

    await click(q('complaints-filter-all'));
    expect(rows()).toEqual(['c1', 'c2', 'c3']);
  });

  it('blocks with an address range and a note: the range checked first, the block listed below at once', async () => {
    await mount();
    const item = row('c1');
    await click(q('complaint-block', item));
    const form = q('decision-form', item)!;
    expect(form.dataset.action).toBe('block');
    expect(form.textContent).toContain('Виджет у него не откроется');
    expect(document.activeElement).toBe(q('decision-range', form));

    await type(q<HTMLInputElement>('decision-range', form), 'casino.example');
    await submit(form);
    expect(note('ip_range', form)).toBe('Нужен адрес или диапазон, например 203.0.113.7 или 203.0.113.0/24 (маска от /8 до /32, для IPv6 — от /16 до /128).');
    expect(writes()).toEqual([]);

    await type(q<HTMLInputElement>('decision-range', form), ' 203.0.113.0/24 ');
    await type(q<HTMLTextAreaElement>('decision-note', form), 'Спам-рассылка, третий раз');
    await submit(form);
    expect(writes()).toEqual([{ path: '/api/v1/complaints/c1/decision', body: { action: 'block', ip_range: '203.0.113.0/24', note: 'Спам-рассылка, третий раз' } }]);

    // The complaint stays where it is, decided; the blocks are read again and show the new one.
    expect(row('c1').dataset.status).toBe('blocked');
    expect(text('complaint-status', row('c1'))).toBe('Заблокирован');
    expect(q('complaint-decided', row('c1'))!.textContent).toBe(`Решение: Ольга Админ, ${formatWhen(DECIDED, 'ru')}Примечание: Спам-рассылка, третий раз`);
    expect(q('decision-form', row('c1'))).toBeNull();
    expect(q('complaint-block', row('c1'))).toBeNull();
    const made = blockRow('b2');
    expect(text('block-visitor', made)).toBe('Посетитель 7по жалобе');
    expect(text('block-range', made)).toBe('203.0.113.0/24');
    expect(text('block-reason', made)).toBe('Спам');
    expect(made.dataset.live).toBe('true');
  });

  it('dismisses, the note optional; "Cancel" sends nothing and gives the focus back', async () => {
    await mount();
    const item = row('c2');
    await click(q('complaint-dismiss', item));
    expect(q('decision-form', item)!.textContent).toContain('Посетитель ничего не заметит');
    await click(q('decision-cancel', item));
    expect(q('decision-form', item)).toBeNull();
    expect(document.activeElement).toBe(q('complaint-dismiss', item));
    expect(writes()).toEqual([]);

    await click(q('complaint-dismiss', item));
    await submit(q('decision-form', item));
    expect(writes()).toEqual([{ path: '/api/v1/complaints/c2/decision', body: { action: 'dismiss', note: undefined } }]);
    expect(text('complaint-status', row('c2'))).toBe('Отклонена');
    expect(q('complaint-note', row('c2'))).toBeNull();
    // Nothing was blocked: the blocks were not read again.
    expect(api.callsTo('GET', '/api/v1/blocks')).toHaveLength(1);
  });

  it('a complaint another admin decided first is told in words and shown as decided', async () => {
    await mount();
    conflict = true;
    const item = row('c1');
    await click(q('complaint-dismiss', item));
    await submit(q('decision-form', item));
    await act(async () => {
      await settle();
    });
    expect(text('complaint-error', row('c1'))).toBe('Жалоба уже рассмотрена.');
    expect(q('complaint-error', row('c1'))!.getAttribute('role')).toBe('alert');
    expect(row('c1').dataset.status).toBe('blocked');
    expect(q('complaint-decided', row('c1'))!.textContent).toBe(`Решение: Вера Иванова, ${formatWhen(DECIDED, 'ru')}`);
    expect(q('complaint-dismiss', row('c1'))).toBeNull();
  });

  it('a refused note is told beside it, in words, and the form stays', async () => {
    await mount();
    const item = row('c1');
    await click(q('complaint-dismiss', item));
    await type(q<HTMLTextAreaElement>('decision-note', item), 'я'.repeat(1001));
    await submit(q('decision-form', item));
    expect(note('note', item)).toBe('Не длиннее 1000 символов.');
    expect(writes()).toEqual([]);
  });

  it('lists the blocks live and lifted, who placed and lifted each; lifting asks first', async () => {
    await mount();
    const live = blockRow('b1');
    expect(live.dataset.live).toBe('true');
    expect(text('block-visitor', live)).toBe('Пётр');
    expect(text('block-reason', live)).toBe('Оскорбления');
    expect(text('block-range', live)).toBe('нет');
    expect(text('block-placed', live)).toBe(`Ольга Админ, ${formatWhen(FILED, 'ru')}`);
    expect(q('block-state', live)!.textContent).toContain('Действует');

    const lifted = blockRow('b0');
    expect(lifted.dataset.live).toBe('false');
    expect(text('block-visitor', lifted)).toBe('Только адреса');
    expect(text('block-range', lifted)).toBe('198.51.100.0/24');
    expect(text('block-lifted', lifted)).toBe(`СнятаОльга Админ, ${formatWhen(DECIDED, 'ru')}`);
    expect(q('block-lift', lifted)).toBeNull();

    const ask = vi.spyOn(window, 'confirm').mockReturnValueOnce(false).mockReturnValueOnce(true);
    await click(q('block-lift', live));
    expect(ask).toHaveBeenCalledWith('Разблокировать посетителя «Пётр»? Он сразу снова сможет писать — в виджете, в Telegram и на почту.');
    expect(writes()).toEqual([]);
    await click(q('block-lift', live));
    expect(writes()).toEqual([{ path: '/api/v1/blocks/b1/lift', body: undefined }]);
    expect(blockRow('b1').dataset.live).toBe('false');
    expect(text('block-lifted', blockRow('b1'))).toBe(`СнятаОльга Админ, ${formatWhen(DECIDED, 'ru')}`);

    // Only the live ones, asked of the server.
    await click(q('blocks-live-only'));
    expect(api.callsTo('GET', '/api/v1/blocks').at(-1)!.path).toBe('/api/v1/blocks?live=true');
    expect(q('blocks-empty')!.textContent).toBe('Действующих блокировок нет.');
  });

  it('is a tab beside the routing rules, for admins alone', async () => {
    await mount();
    expect(q('rules-tab-rules')!.textContent).toBe('Правила маршрутизации');
    expect(q('rules-tab-quality')!.textContent).toBe('Контроль качества');
    expect(q('rules-tab-moderation')!.textContent).toBe('Жалобы и блокировки');
    expect(q('rules-tab-moderation')!.getAttribute('aria-current')).toBe('page');
    expect(q('rules-tab-moderation')!.getAttribute('href')).toBe('/console/admin/moderation');

    expect(sectionsFor('supervisor')).not.toContain('moderation');
    expect(sectionsFor('operator')).not.toContain('moderation');
    act(() => render(null, host));
    state.session.me = meView({ operator: operator('op2', { role: 'supervisor' }) });
    await act(async () => {
      render(
        <ConsoleContext.Provider value={state}>
          <RulesTabs current="quality" />
        </ConsoleContext.Provider>,
        host,
      );
      await settle();
    });
    expect(q('rules-tab-moderation')).toBeNull();
  });

  it('speaks English', async () => {
    await mount({ lang: 'en' });
    expect(q('moderation-title')!.textContent).toBe('Complaints and blocks');
    expect(text('complaint-visitor', row('c1'))).toBe('Visitor 7');
    expect(text('complaint-reason', row('c1'))).toBe('Spam');
    expect(text('complaint-filed', row('c1'))).toBe(`Reported by Анна Соколова, ${formatWhen(FILED, 'en')}`);
    expect(text('complaint-open-dialog', row('c1'))).toBe('Open dialog →');
    expect(q('complaints-filter-open')!.textContent).toBe('Open');
    expect(text('block-lifted', blockRow('b0'))).toBe(`LiftedОльга Админ, ${formatWhen(DECIDED, 'en')}`);
    conflict = true;
    await click(q('complaint-block', row('c1')));
    await submit(q('decision-form', row('c1')));
    expect(text('complaint-error', row('c1'))).toBe('The complaint has already been decided.');
  });
});

describe('an address range as the server takes it', () => {
  it('an address or a CIDR block of /8–/32 (IPv4) or /16–/128 (IPv6); blank is none', () => {
    for (const ok of ['', '  ', '203.0.113.7', '203.0.113.0/24', '10.0.0.0/8', '203.0.113.7/32', '2001:db8::/32', '2001:db8::1', '::1/128']) expect(ipRangeOk(ok), ok).toBe(true);
    for (const bad of ['casino.example', '203.0.113.0/7', '203.0.113.0/33', '256.1.1.1', '203.0.113', '2001:db8::/8', '2001:db8::/129', '203.0.113.0/']) expect(ipRangeOk(bad), bad).toBe(false);
  });
});
