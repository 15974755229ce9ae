/**
 * The routing rules page in jsdom: a Telegram topic condition picked from the bots' topics by
 * title (or typed as a key), saved, and refused; a mail address condition saved trimmed.
 */
import { render } from 'preact';
import { act } from 'preact/test-utils';
import { afterEach, describe, expect, it } from 'vitest';
import { ApiError } from '../../shared/api';
import type { RoutingRuleView } from '../../shared/api-types';
import type { Lang } from '../../shared/i18n';
import { fakeApi, settle } from '../../test/fake-api';
import { channel } from '../../test/fixtures';
import { ConsoleState } from '../console-state';
import { ConsoleContext } from '../context';
import { RulesAdmin } from './RulesAdmin';
import type { SegmentView } from './segments';
import type { BotView } from './telegram';

const bot = (id: string, topics: unknown[]): BotView => ({
  id,
  username: `${id}_bot`,
  name: id,
  channel_id: 'c1',
  settings: { topics },
  mode: 'polling',
  enabled: true,
  created_at: '2026-03-01T10:00:00Z',
});
const KITCHEN_BOT = bot('b1', [
  { key: 'delivery', title: { ru: 'Доставка', en: 'Delivery' }, channel_id: null, questions: [] },
  { key: 'returns', title: { ru: 'Возврат и обмен', en: 'Returns and exchanges' }, channel_id: null, questions: [] },
]);

let host: HTMLDivElement;
let state: ConsoleState;
let rules: RoutingRuleView[];
let puts: unknown[];
let refuse: ApiError | null;

const DELIVERY_RULE: RoutingRuleView = { id: 'r1', name: 'Доставка в Telegram', channel_id: 'c2', conditions: [{ type: 'telegram_topic', value: 'delivery' }] };

async function mount({
  lang = 'ru',
  bots = () => [KITCHEN_BOT],
  stored = [DELIVERY_RULE],
  segments = [],
}: { lang?: Lang; bots?: () => BotView[]; stored?: RoutingRuleView[]; segments?: SegmentView[] } = {}) {
  localStorage.setItem('frontline.console.lang', lang);
  rules = stored;
  puts = [];
  refuse = null;
  const api = fakeApi({
    'GET /api/v1/routing-rules': () => ({ items: rules }),
    'PUT /api/v1/routing-rules': (_p, o) => {
      puts.push(o.body);
      if (refuse) throw refuse;
      rules = (o.body as { items: Omit<RoutingRuleView, 'id'>[] }).items.map((r, i) => ({ id: `r${i + 1}`, ...r }));
      return { items: rules };
    },
    'GET /api/v1/telegram/bots': () => ({ items: bots() }),
    'GET /api/v1/segments': () => ({ items: segments }),
  });
  state = new ConsoleState({ api: api.request, watching: () => true });
  state.team.channels = [channel('c1', { name: 'Москва', is_default: true }), channel('c2', { name: 'Доставка' })];
  host = document.createElement('div');
  document.body.appendChild(host);
  await act(async () => {
    render(
      <ConsoleContext.Provider value={state}>
        <RulesAdmin />
      </ConsoleContext.Provider>,
      host,
    );
    await settle();
  });
  // The rules, then the bots' topics, arrive; the drafts follow the loaded list.
  await act(settle);
}

const q = <T extends HTMLElement = HTMLElement>(testid: string, from: ParentNode = host) => from.querySelector<T>(`[data-testid="${testid}"]`);
const all = <T extends HTMLElement = HTMLElement>(testid: string, from: ParentNode = host) => [...from.querySelectorAll<T>(`[data-testid="${testid}"]`)];
const condition = (rule: number, i: number) => all('rule-condition', all('rule')[rule])[i];
const options = (select: HTMLSelectElement) => [...select.options].map((o) => [o.value, o.textContent]);

async function act1(f: () => void) {
  await act(async () => {
    f();
    await settle();
  });
}
const choose = (select: HTMLSelectElement, value: string) =>
  act1(() => {
    select.value = value;
    select.dispatchEvent(new Event('change', { bubbles: true }));
  });
const save = () => act1(() => q<HTMLFormElement>('rules-form')!.dispatchEvent(new Event('submit', { bubbles: true, cancelable: true })));

describe('routing rules: the Telegram topic condition', () => {
  afterEach(() => {
    act(() => render(null, host));
    host.remove();
    localStorage.clear();
  });

  it('is offered by the type picker and picks a topic by its title; the key is saved', async () => {
    await mount();
    const type = q<HTMLSelectElement>('condition-type', condition(0, 0))!;
    expect(options(type)).toEqual([
      ['url', 'Адрес страницы'],
      ['property', 'Свойство посетителя'],
      ['language', 'Язык посетителя'],
      ['telegram_topic', 'Тема в Telegram'],
      ['mail_to', 'Письмо на адрес'],
    ]);
    expect(type.value).toBe('telegram_topic');
    const topic = q<HTMLSelectElement>('condition-topic', condition(0, 0))!;
    expect(topic.getAttribute('aria-label')).toBe('Тема');
    expect(options(topic)).toEqual([
      ['delivery', 'Доставка'],
      ['returns', 'Возврат и обмен'],
    ]);
    expect(topic.value).toBe('delivery');

    await choose(topic, 'returns');
    await save();
    expect(puts).toEqual([{ items: [{ name: 'Доставка в Telegram', channel_id: 'c2', conditions: [{ type: 'telegram_topic', value: 'returns' }] }] }]);
    expect(q('rules-saved')?.textContent).toBe('Сохранено');
  });

  it('asks to choose a topic in a new condition; the server\'s refusal of it is named and marked', async () => {
    await mount();
    await act1(() => q('rule-add')!.click());
    await act1(() => q('condition-add', all('rule')[1])!.click());
    await choose(q<HTMLSelectElement>('condition-type', condition(1, 1))!, 'telegram_topic');
    const topic = q<HTMLSelectElement>('condition-topic', condition(1, 1))!;
    expect(options(topic)).toEqual([
      ['', 'Выберите тему…'],
      ['delivery', 'Доставка'],
      ['returns', 'Возврат и обмен'],
    ]);
    expect(topic.value).toBe('');
    expect(topic.options[0].disabled).toBe(true);

    refuse = new ApiError(400, 'validation_failed', 'items[1].conditions[1].value: a topic key: 1–24 of a-z, 0-9, _ and -', {
      field: 'items[1].conditions[1].value',
      reason: 'a topic key: 1–24 of a-z, 0-9, _ and -',
    });
    await save();
    expect(q('rules-error')?.textContent).toBe('Правило 2, условие 2, поле «Тема»: Выберите тему или введите её ключ. items[1].conditions[1].value');
    expect(q('condition-topic', condition(1, 1))?.getAttribute('aria-invalid')).toBe('true');
    expect(q('condition-topic', condition(0, 0))?.getAttribute('aria-invalid')).toBe('false');
  });

  it('keeps a key no bot has now, and says so', async () => {
    await mount({ stored: [{ id: 'r1', name: 'Старая тема', channel_id: 'c2', conditions: [{ type: 'telegram_topic', value: 'old_topic' }] }] });
    const topic = q<HTMLSelectElement>('condition-topic')!;
    expect(topic.value).toBe('old_topic');
    expect(options(topic)).toEqual([
      ['old_topic', 'old_topic — такой темы сейчас нет ни у одного бота'],
      ['delivery', 'Доставка'],
      ['returns', 'Возврат и обмен'],
    ]);
  });

  it('takes the key typed when no bot has topics, or the bots cannot be read; a wrong key is named', async () => {
    await mount({ bots: () => [bot('b1', [])] });
    expect(q('condition-topic')).toBeNull();
    const key = q<HTMLInputElement>('condition-value', condition(0, 0))!;
    expect(key.value).toBe('delivery');
    expect(key.getAttribute('aria-label')).toBe('Ключ темы');
    await act1(() => {
      key.value = 'Доставка';
      key.dispatchEvent(new Event('input', { bubbles: true }));
    });
    refuse = new ApiError(400, 'validation_failed', 'items[0].conditions[0].value: a topic key: 1–24 of a-z, 0-9, _ and -', {
      field: 'items[0].conditions[0].value',
      reason: 'a topic key: 1–24 of a-z, 0-9, _ and -',
    });
    await save();
    expect(q('rules-error')?.textContent).toBe(
      'Правило 1, условие 1, поле «Тема»: От 1 до 24 символов: строчные латинские буквы, цифры, _ и -. items[0].conditions[0].value',
    );
    expect(q('condition-value', condition(0, 0))?.getAttribute('aria-invalid')).toBe('true');
    act(() => render(null, host));
    host.remove();

    await mount({
      bots: () => {
        throw new ApiError(503, 'unavailable', 'unavailable');
      },
    });
    expect(q('condition-topic')).toBeNull();
    expect(q<HTMLInputElement>('condition-value')?.value).toBe('delivery');
  });

  it('shows the titles in English', async () => {
    await mount({ lang: 'en' });
    expect(options(q<HTMLSelectElement>('condition-type')!)[3]).toEqual(['telegram_topic', 'Telegram topic']);
    expect(options(q<HTMLSelectElement>('condition-topic')!)).toEqual([
      ['delivery', 'Delivery'],
      ['returns', 'Returns and exchanges'],
    ]);
  });
});

describe('routing rules: the mail address condition', () => {
  afterEach(() => {
    act(() => render(null, host));
    host.remove();
    localStorage.clear();
  });

  it('takes the address in an e-mail field and saves it trimmed; the server\'s refusal is named and marked', async () => {
    await mount({ stored: [] });
    await act1(() => q('rule-add')!.click());
    await act1(() => {
      const name = q<HTMLInputElement>('rule-name', all('rule')[0])!;
      name.value = 'Сервис';
      name.dispatchEvent(new Event('input', { bubbles: true }));
    });
    await choose(q<HTMLSelectElement>('condition-type', condition(0, 0))!, 'mail_to');
    const address = q<HTMLInputElement>('condition-value', condition(0, 0))!;
    expect([address.type, address.placeholder, address.getAttribute('aria-label')]).toEqual(['email', 'service@company.ru', 'Адрес, на который пришло письмо']);
    await act1(() => {
      address.value = '  service@kitchens.example ';
      address.dispatchEvent(new Event('input', { bubbles: true }));
    });
    await save();
    expect(puts).toEqual([{ items: [{ name: 'Сервис', channel_id: 'c1', conditions: [{ type: 'mail_to', value: 'service@kitchens.example' }] }] }]);
    expect(q('rules-saved')?.textContent).toBe('Сохранено');
    expect(q<HTMLInputElement>('condition-value', condition(0, 0))?.value).toBe('service@kitchens.example');

    await act1(() => {
      const typed = q<HTMLInputElement>('condition-value', condition(0, 0))!;
      typed.value = 'service';
      typed.dispatchEvent(new Event('input', { bubbles: true }));
    });
    refuse = new ApiError(400, 'validation_failed', 'items[0].conditions[0].value: an e-mail address', { field: 'items[0].conditions[0].value' });
    await save();
    expect(q('rules-error')?.textContent).toBe(
      'Правило 1, условие 1, поле «Адрес, на который пришло письмо»: Укажите e-mail, например anna@example.com. items[0].conditions[0].value',
    );
    expect(q('condition-value', condition(0, 0))?.getAttribute('aria-invalid')).toBe('true');
  });

  it('is named in English too', async () => {
    await mount({ lang: 'en', stored: [{ id: 'r1', name: 'Service', channel_id: 'c2', conditions: [{ type: 'mail_to', value: 'service@kitchens.example' }] }] });
    expect(options(q<HTMLSelectElement>('condition-type')!)[4]).toEqual(['mail_to', 'Mail sent to']);
    const address = q<HTMLInputElement>('condition-value')!;
    expect(address.value).toBe('service@kitchens.example');
    expect(address.getAttribute('aria-label')).toBe('Address the mail was sent to');
  });
});

describe('routing rules: the segment condition', () => {
  const seg = (id: string, name: string): SegmentView => ({ id, name, filter: { match: 'all', rules: [{ type: 'tag', tag: 'vip' }] }, created_at: '', updated_at: '' });
  const SEGMENTS = [seg('s1', 'Покупатели'), seg('s2', 'Давно не заходили')];

  afterEach(() => {
    act(() => render(null, host));
    host.remove();
    localStorage.clear();
  });

  it('is offered once the workspace has segments, names the first at once, and is saved by id', async () => {
    await mount({ stored: [{ id: 'r1', name: 'Покупатели', channel_id: 'c2', conditions: [{ type: 'url', pattern: '*', regex: false }] }] });
    // No segments: not offered.
    expect(options(q<HTMLSelectElement>('condition-type')!).map(([v]) => v)).not.toContain('segment');
    act(() => render(null, host));
    host.remove();

    await mount({ segments: SEGMENTS, stored: [{ id: 'r1', name: 'Покупатели', channel_id: 'c2', conditions: [{ type: 'url', pattern: '*', regex: false }] }] });
    const type = q<HTMLSelectElement>('condition-type')!;
    expect(options(type).at(-1)).toEqual(['segment', 'Сегмент']);
    await choose(type, 'segment');
    const pick = q<HTMLSelectElement>('condition-segment')!;
    expect(pick.getAttribute('aria-label')).toBe('Какой сегмент');
    // By name, as the segments page sorts them.
    expect(options(pick)).toEqual([
      ['s2', 'Давно не заходили'],
      ['s1', 'Покупатели'],
    ]);
    expect(pick.value).toBe('s2');
    await choose(pick, 's1');
    await save();
    expect(puts).toEqual([{ items: [{ name: 'Покупатели', channel_id: 'c2', conditions: [{ type: 'segment', segment_id: 's1' }] }] }]);
  });

  it('keeps a deleted segment said so; the server\'s refusal of it is told and marked at its select', async () => {
    await mount({ segments: SEGMENTS, stored: [{ id: 'r1', name: 'Старый', channel_id: 'c2', conditions: [{ type: 'segment', segment_id: 'gone' }] }] });
    const pick = q<HTMLSelectElement>('condition-segment')!;
    expect(pick.value).toBe('gone');
    expect(options(pick)[0]).toEqual(['gone', '(удалённый сегмент)']);
    await act1(() => {
      const name = q<HTMLInputElement>('rule-name')!;
      name.value = 'Старый сегмент';
      name.dispatchEvent(new Event('input', { bubbles: true }));
    });
    refuse = new ApiError(404, 'not_found', 'No such segment.', { field: 'items[0].conditions[0].segment_id' });
    await save();
    expect(q('rules-error')?.textContent).toBe('Правило 1, условие 1, поле «Какой сегмент»: Такого сегмента больше нет — выберите другой. items[0].conditions[0].segment_id');
    expect(q('condition-segment')?.getAttribute('aria-invalid')).toBe('true');
  });
});
