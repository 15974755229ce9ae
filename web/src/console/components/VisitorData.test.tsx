/**
 * What the site told about a visitor, in the visitor card (jsdom, Russian and English): his id on
 * the site, visitor tags (added with Enter and removed with ×, each through the endpoint; the
 * card shows the tags the server answered; a bad tag refused in words, by the console or by the
 * server), attributes (dates in the operator's time, numbers and yes/no in the console's
 * language), events per name and the latest ones under "Show recent" with their properties; and a
 * visitor the site told nothing about, whose card is as before.
 */
import { render } from 'preact';
import { act } from 'preact/test-utils';
import { afterEach, describe, expect, it } from 'vitest';
import { ApiError } from '../../shared/api';
import type { Lang } from '../../shared/i18n';
import type { VisitorCardView } from '../../shared/api-types';
import { fakeApi, settle } from '../../test/fake-api';
import { dialog, meView, operator } from '../../test/fixtures';
import { ConsoleState } from '../console-state';
import { ConsoleContext } from '../context';
import { makeT } from '../i18n';
import { attributeText, formatEventTime, propertyLines, tagTrouble } from '../visitor-data';
import { VisitorCard } from './VisitorCard';

const PAID_AT = '2026-03-05T14:30:00Z';
const FIRST_AT = '2026-02-01T09:00:00Z';

/** A card as the server sent it before issue 16: none of the new fields. */
const plainCard = {
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
};

function richCard(): VisitorCardView {
  return {
    ...plainCard,
    user_id: 'crm-1042',
    tags: ['trial', 'vip'],
    segments: [
      { id: 'seg-1', name: 'Покупатели тарифа «Про»' },
      { id: 'seg-2', name: 'Давно не заходили' },
    ],
    attributes: [
      { name: 'plan', kind: 'text', value: 'pro' as never },
      { name: 'orders', kind: 'number', value: 1234.5 as never },
      { name: 'subscribed', kind: 'boolean', value: true as never },
      { name: 'churned', kind: 'boolean', value: false as never },
      { name: 'paid_at', kind: 'date', value: PAID_AT as never },
    ],
    events: [
      { name: 'order_paid', count: 3, first_at: FIRST_AT, last_at: PAID_AT },
      { name: 'visited_pricing', count: 1, first_at: FIRST_AT, last_at: FIRST_AT },
    ],
    recent_events: [
      { name: 'order_paid', properties: { amount: 990, currency: 'RUB', gift: false }, at: PAID_AT },
      { name: 'visited_pricing', properties: {}, at: FIRST_AT },
    ],
  };
}

let host: HTMLDivElement;
let state: ConsoleState;
let card: Record<string, unknown>;
let tagCalls: unknown[];
let refuseTags: ApiError | null;

async function mount(theCard: Record<string, unknown>, lang: Lang = 'ru') {
  localStorage.setItem('frontline.console.lang', lang);
  card = theCard;
  tagCalls = [];
  refuseTags = null;
  const api = fakeApi({
    'GET /api/v1/dialogs/d1/visitor': () => card,
    // Another dialog of the same visitor.
    'GET /api/v1/dialogs/d2/visitor': () => card,
    'POST /api/v1/dialogs/d1/visitor/tags': (_p, o) => {
      tagCalls.push(o.body);
      if (refuseTags) throw refuseTags;
      const body = o.body as { add?: string[]; remove?: string[] };
      const tags = new Set((card.tags as string[] | undefined) ?? []);
      for (const t of body.add ?? []) tags.add(t.trim().toLowerCase());
      for (const t of body.remove ?? []) tags.delete(t);
      card = { ...card, tags: [...tags].sort() };
      return { tags: card.tags };
    },
    'GET /api/v1/tickets': () => ({ items: [] }),
  });
  state = new ConsoleState({ api: api.request, watching: () => true });
  state.session.me = meView({ operator: operator('op1', { display_name: 'Анна' }) });
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
const all = (testid: string, from: ParentNode = host) => [...from.querySelectorAll<HTMLElement>(`[data-testid="${testid}"]`)];
const chips = () => all('card-vtag').map((c) => c.dataset.tag);
const attr = (name: string) => host.querySelector<HTMLElement>(`[data-testid="card-attribute"][data-name="${name}"] dd`)?.textContent ?? null;

async function click(el: HTMLElement) {
  await act(async () => {
    el.click();
    await settle();
  });
}
async function typeAndEnter(value: string) {
  const input = q<HTMLInputElement>('card-vtag-input')!;
  await act(async () => {
    input.value = value;
    input.dispatchEvent(new Event('input', { bubbles: true }));
    await settle();
  });
  await act(async () => {
    q<HTMLFormElement>('card-vtag-form')!.dispatchEvent(new Event('submit', { bubbles: true, cancelable: true }));
    await settle();
  });
}

afterEach(() => {
  act(() => render(null, host));
  host.remove();
});

describe('the visitor card: what the site told', () => {
  it('shows his id on the site and his visitor tags, apart from the dialog\'s', async () => {
    await mount(richCard());
    expect(q('card-user-id')?.textContent).toBe('ID на сайтеcrm-1042');
    const section = q('card-visitor-tags')!;
    expect(section.querySelector('h4')?.textContent).toBe('Метки посетителя');
    expect(chips()).toEqual(['trial', 'vip']);
    // Chips of their own, never the dialog's tag chips.
    expect(section.querySelector('.tag-chip')).toBeNull();
    expect(all('dialog-tag')).toEqual([]);
    expect(q('card-vtag-remove')?.getAttribute('aria-label')).toBe('Убрать метку посетителя «trial»');
  });

  it('shows the segments he is in as chips, under their own heading', async () => {
    await mount(richCard());
    const section = q('card-segments')!;
    expect(section.querySelector('h4')?.textContent).toBe('Сегменты');
    expect(all('card-segment').map((c) => c.textContent)).toEqual(['Покупатели тарифа «Про»', 'Давно не заходили']);
    expect(all('card-segment').map((c) => c.dataset.segmentId)).toEqual(['seg-1', 'seg-2']);
    // Not tags: nothing to remove.
    expect(section.querySelector('button')).toBeNull();
  });

  it('adds a tag on Enter and removes one with ×, through the endpoint; the card shows what the server answered', async () => {
    await mount(richCard());
    await typeAndEnter('  Постоянный Клиент ');
    expect(tagCalls).toEqual([{ add: ['Постоянный Клиент'] }]);
    expect(chips()).toEqual(['trial', 'vip', 'постоянный клиент']);
    expect(q<HTMLInputElement>('card-vtag-input')?.value).toBe('');
    expect(document.activeElement).toBe(q('card-vtag-input'));

    await click(all('card-vtag-remove')[0]);
    expect(tagCalls[1]).toEqual({ remove: ['trial'] });
    expect(chips()).toEqual(['vip', 'постоянный клиент']);
    expect(document.activeElement).toBe(q('card-vtag-input'));
    // The card as held by the console has the server's tags too.
    expect(state.dialog.cards.get('d1')?.card?.tags).toEqual(['vip', 'постоянный клиент']);

    // His other dialog's card, held by the console, learns them too.
    await act(async () => {
      await state.loadCard('d2');
    });
    await typeAndEnter('b2b');
    expect(state.dialog.cards.get('d2')?.card?.tags).toEqual(['b2b', 'vip', 'постоянный клиент']);
    expect(chips()).toEqual(['b2b', 'vip', 'постоянный клиент']);

    // A tag he has already: nothing is sent.
    await typeAndEnter('VIP');
    expect(tagCalls).toHaveLength(3);
  });

  it('refuses a bad tag in words: its own checks before sending, the server\'s refusal after', async () => {
    await mount(richCard());
    await typeAndEnter('vip, trial');
    expect(tagCalls).toEqual([]);
    expect(q('card-vtag-error')?.textContent).toBe('Без запятых: одна метка за раз.');
    expect(q('card-vtag-input')?.getAttribute('aria-invalid')).toBe('true');
    await typeAndEnter('x'.repeat(51));
    expect(q('card-vtag-error')?.textContent).toBe('Метка длиннее 50 символов.');
    await typeAndEnter('   ');
    expect(q('card-vtag-error')?.textContent).toBe('Введите метку.');
    expect(tagCalls).toEqual([]);

    refuseTags = new ApiError(400, 'validation_failed', 'add[0]: no commas: one tag per item', { field: 'add[0]' });
    await typeAndEnter('ok');
    expect(tagCalls).toEqual([{ add: ['ok'] }]);
    expect(q('card-vtag-error')?.textContent).toBe('Метка — от 1 до 50 символов, без запятых.');
    expect(chips()).toEqual(['trial', 'vip']);

    refuseTags = new ApiError(400, 'validation_failed', 'add: a visitor has at most 50 tags', { field: 'add' });
    await typeAndEnter('ещё одна');
    expect(q('card-vtag-error')?.textContent).toBe('У посетителя уже 50 меток — уберите ненужную.');
  });

  it('shows attributes by their kind: a date in the operator\'s time, a number and yes/no in the console\'s language', async () => {
    await mount(richCard());
    expect(q('card-attributes')?.querySelector('h4')?.textContent).toBe('Атрибуты');
    expect(all('card-attribute').map((a) => a.dataset.name)).toEqual(['plan', 'orders', 'subscribed', 'churned', 'paid_at']);
    expect(attr('plan')).toBe('pro');
    expect(attr('orders')).toBe(new Intl.NumberFormat('ru-RU').format(1234.5));
    expect(attr('orders')).toMatch(/^1\s234,5$/);
    expect(attr('subscribed')).toBe('да');
    expect(attr('churned')).toBe('нет');
    const local = new Intl.DateTimeFormat('ru-RU', { day: 'numeric', month: 'short', year: 'numeric', hour: '2-digit', minute: '2-digit' }).format(Date.parse(PAID_AT));
    expect(attr('paid_at')).toBe(local);
    expect(attr('paid_at')).toMatch(/^5 мар\. 2026 г\., \d\d:30$/);
  });

  it('reads in English too', async () => {
    await mount(richCard(), 'en');
    expect(q('card-user-id')?.querySelector('dt')?.textContent).toBe('Site user ID');
    expect(q('card-visitor-tags')?.querySelector('h4')?.textContent).toBe('Visitor tags');
    expect(attr('orders')).toBe('1,234.5');
    expect(attr('subscribed')).toBe('yes');
    expect(attr('churned')).toBe('no');
    expect(attr('paid_at')).toMatch(/^5 Mar 2026, \d\d:30$/);
    expect(q('card-events')?.querySelector('h4')?.textContent).toBe('Events');
    expect(q('card-segments')?.querySelector('h4')?.textContent).toBe('Segments');
    expect(q('card-recent-toggle')?.textContent).toBe('Show recent (2)');
  });

  it('shows events per name with how many times and when last; the latest ones fold under "Show recent"', async () => {
    await mount(richCard());
    const events = all('card-event');
    expect(events.map((e) => e.dataset.name)).toEqual(['order_paid', 'visited_pricing']);
    expect(events[0].querySelector('.card-event-name')?.textContent).toBe('order_paid');
    expect(events[0].querySelector('.card-event-count [aria-hidden]')?.textContent).toBe('×3');
    expect(events[0].querySelector('time')?.textContent).toBe(formatEventTime(PAID_AT, 'ru'));
    expect(events[0].querySelector('time')?.getAttribute('datetime')).toBe(PAID_AT);

    const toggle = q('card-recent-toggle')!;
    expect(toggle.textContent).toBe('Показать последние (2)');
    expect(toggle.getAttribute('aria-expanded')).toBe('false');
    expect(q('card-recent')).toBeNull();
    await click(toggle);
    expect(toggle.getAttribute('aria-expanded')).toBe('true');
    expect(toggle.textContent).toBe('Скрыть последние');
    const recent = all('card-recent-event');
    expect(recent.map((e) => e.dataset.name)).toEqual(['order_paid', 'visited_pricing']);
    expect([...recent[0].querySelectorAll('[data-testid="card-recent-props"] li')].map((li) => li.textContent)).toEqual(['amount: 990', 'currency: RUB', 'gift: нет']);
    // An event without properties has no lines under it.
    expect(q('card-recent-props', recent[1])).toBeNull();
    await click(toggle);
    expect(q('card-recent')).toBeNull();
  });

  it('a visitor the site told nothing about: no id, attributes or events, and only a small "+ Tag" for his tags', async () => {
    await mount(plainCard);
    expect(q('card-title')?.textContent).toBe('Мария');
    expect(q('card-user-id')).toBeNull();
    expect(q('card-attributes')).toBeNull();
    expect(q('card-events')).toBeNull();
    expect(q('card-segments')).toBeNull();
    expect(q('card-vtag-list')).toBeNull();
    expect(q('card-vtag-input')).toBeNull();
    expect(q('card-vtag-add')?.textContent).toBe('+ Метка');

    // The first tag: the button opens the input.
    await click(q('card-vtag-add')!);
    expect(document.activeElement).toBe(q('card-vtag-input'));
    await typeAndEnter('b2b');
    expect(tagCalls).toEqual([{ add: ['b2b'] }]);
    expect(chips()).toEqual(['b2b']);
  });
});

describe('visitor data rules', () => {
  const t = makeT('ru');
  it('formats what the site sent', () => {
    expect(attributeText(t, 'ru', { kind: 'number', value: '42' as never })).toBe('42');
    expect(attributeText(t, 'ru', { kind: 'date', value: 'not a date' as never })).toBe('not a date');
    expect(attributeText(t, 'en', { kind: 'date', value: 1772721000 as never })).toBe(
      new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'short', year: 'numeric', hour: '2-digit', minute: '2-digit' }).format(1772721000 * 1000),
    );
    expect(propertyLines(t, 'ru', { opened_at: PAID_AT, note: 'x' })).toEqual([`opened_at: ${attributeText(t, 'ru', { kind: 'date', value: PAID_AT as never })}`, 'note: x']);
    expect(propertyLines(makeT('en'), 'en', { ok: true, n: 1000 })).toEqual(['ok: yes', 'n: 1,000']);
    expect(formatEventTime(PAID_AT, 'ru', Date.parse('2025-12-31T12:00:00Z'))).toMatch(/2026/);
    expect(formatEventTime(PAID_AT, 'ru', Date.parse('2026-12-31T12:00:00Z'))).not.toMatch(/2026/);
  });

  it('checks a tag the way the server does', () => {
    expect(tagTrouble('')).toBe('empty');
    expect(tagTrouble('a,b')).toBe('comma');
    expect(tagTrouble('я'.repeat(50))).toBeNull();
    expect(tagTrouble('я'.repeat(51))).toBe('too_long');
    expect(tagTrouble(' vip ')).toBeNull();
  });
});
