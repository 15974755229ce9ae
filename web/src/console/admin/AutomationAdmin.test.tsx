/** The automation page in jsdom: loads the channel's document, edits it, saves it whole, and shows a refused field beside its input. */
import { render } from 'preact';
import { act } from 'preact/test-utils';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ApiError } from '../../shared/api';
import type { AutomationView } from '../../shared/api-types';
import { fakeApi, settle } from '../../test/fake-api';
import { automation, channel } from '../../test/fixtures';
import { ConsoleState } from '../console-state';
import { ConsoleContext } from '../context';
import { AutomationAdmin } from './AutomationAdmin';

let host: HTMLDivElement;
let state: ConsoleState;
let stored: AutomationView;
let refuse: ApiError | null;
let puts: AutomationView[];

async function mount() {
  localStorage.setItem('frontline.console.lang', 'ru');
  stored = automation();
  refuse = null;
  puts = [];
  const api = fakeApi({
    'GET /api/v1/channels/*': () => stored,
    'PUT /api/v1/channels/*': (_p, o) => {
      puts.push(o.body as AutomationView);
      if (refuse) throw refuse;
      stored = o.body as AutomationView;
      return stored;
    },
  });
  state = new ConsoleState({ api: api.request, watching: () => true });
  state.team.channels = [channel('c1', { name: 'Москва', is_default: true }), channel('c2', { name: 'Сервис' })];
  host = document.createElement('div');
  document.body.appendChild(host);
  await act(async () => {
    render(
      <ConsoleContext.Provider value={state}>
        <AutomationAdmin channelId="c1" />
      </ConsoleContext.Provider>,
      host,
    );
    await settle();
  });
}

const q = <T extends HTMLElement = HTMLElement>(sel: string) => host.querySelector<T>(sel);
const all = <T extends HTMLElement = HTMLElement>(sel: string) => [...host.querySelectorAll<T>(sel)];
const id = (testid: string) => `[data-testid="${testid}"]`;

async function type(el: HTMLInputElement | HTMLTextAreaElement, value: string) {
  await act(async () => {
    el.value = value;
    el.dispatchEvent(new Event('input', { bubbles: true }));
    await settle();
  });
}
async function pick(el: HTMLSelectElement, value: string) {
  await act(async () => {
    el.value = value;
    el.dispatchEvent(new Event('change', { bubbles: true }));
    await settle();
  });
}
async function click(el: HTMLElement) {
  await act(async () => {
    el.click();
    await settle();
  });
}
async function save() {
  await act(async () => {
    q<HTMLFormElement>(id('automation-form'))!.dispatchEvent(new Event('submit', { bubbles: true, cancelable: true }));
    await settle();
  });
}

describe('channel automation page', () => {
  beforeEach(mount);
  afterEach(() => {
    act(() => render(null, host));
    host.remove();
  });

  it('loads the document into the form', () => {
    expect(q(id('automation-title'))?.textContent).toBe('Автоматизация канала «Москва»');
    expect(q<HTMLInputElement>(id('time-zone'))?.value).toBe('Europe/Moscow');
    expect(all(`${id('week-day')}[data-day="mon"] ${id('interval')}`)).toHaveLength(1);
    expect(q(`${id('week-day')}[data-day="sat"]`)?.textContent).toContain('выходной');
    expect(q<HTMLInputElement>(id('sla-first_reply-value'))?.value).toBe('1');
    expect(q<HTMLSelectElement>(id('sla-first_reply-unit'))?.value).toBe('minutes');
    expect(all(id('phrase-chip')).map((c) => c.textContent?.replace('×', ''))).toEqual(['минуту', 'минуты', 'минут', 'оформляю']);
    expect(q<HTMLButtonElement>(id('automation-save'))?.disabled).toBe(true);
  });

  it('saves the whole document with what was edited', async () => {
    await click(q(id('hours-enabled'))!);
    await click(q(`${id('interval-add')}[data-day="mon"]`)!);
    const mon = all<HTMLInputElement>(`${id('week-day')}[data-day="mon"] ${id('interval-close')}`);
    await type(mon[0], '13:00');
    await type(all<HTMLInputElement>(`${id('week-day')}[data-day="mon"] ${id('interval-open')}`)[1], '14:00');
    await type(mon[1], '18:00');
    await click(q(`${id('week-day')}[data-day="fri"] ${id('interval-remove')}`)!);
    await click(q(id('holiday-add'))!);
    await type(q<HTMLInputElement>(id('holiday-date'))!, '2026-03-09');
    await type(q<HTMLInputElement>(id('sla-first_reply-value'))!, '30');
    await pick(q<HTMLSelectElement>(id('sla-first_reply-unit'))!, 'seconds');
    await click(q(id('sla-enabled'))!);
    await click(all(id('phrase-remove'))[3]);
    await type(q<HTMLInputElement>(id('phrase-input'))!, 'уточняю');
    await click(q(id('phrase-add'))!);
    await click(q(id('prompt-enabled'))!);
    await type(q<HTMLInputElement>(id('persona-name'))!, 'Анна из «Кухонь»');
    await save();

    expect(puts).toHaveLength(1);
    expect(puts[0]).toEqual({
      ...automation(),
      business_hours: {
        enabled: true,
        time_zone: 'Europe/Moscow',
        week: [
          { day: 'mon', open: '09:00', close: '13:00' },
          { day: 'mon', open: '14:00', close: '18:00' },
          { day: 'tue', open: '09:00', close: '18:00' },
          { day: 'wed', open: '09:00', close: '18:00' },
          { day: 'thu', open: '09:00', close: '18:00' },
        ],
        holidays: ['2026-03-09'],
      },
      sla: { enabled: true, first_reply_seconds: 30, next_reply_seconds: 300, resolution_seconds: 1800, business_hours: true },
      auto_close: { ...automation().auto_close, hold_phrases: ['минуту', 'минуты', 'минут', 'уточняю'], prompt: { ...automation().auto_close.prompt, enabled: true } },
      persona: { name: 'Анна из «Кухонь»' },
    });
    expect(q(id('automation-saved'))?.textContent).toBe('Сохранено');
    expect(q<HTMLButtonElement>(id('automation-save'))?.disabled).toBe(true);
  });

  it('shows the server\'s refusal beside the field it names', async () => {
    refuse = new ApiError(400, 'validation_failed', 'intervals of a day must not overlap', { field: 'business_hours.week[2].close' });
    await type(all<HTMLInputElement>(id('interval-close'))[2], '17:00');
    await save();
    expect(puts).toHaveLength(1);
    const note = q(`${id('field-error')}[data-field="business_hours.week[2].close"]`);
    // Worded by the console, not in the server's English.
    expect(note?.textContent).toBe('Пересекается с другим интервалом этого дня.');
    // Beside Wednesday's (the third interval's) closing time, which is marked.
    expect(q(`${id('week-day')}[data-day="wed"]`)?.contains(note!)).toBe(true);
    expect(all(id('interval-close'))[2].getAttribute('aria-invalid')).toBe('true');
    expect(q(id('automation-error'))?.textContent).toContain('Не сохранено: проверьте отмеченные поля.');
  });

  it('names a refused field the form does not show under the form', async () => {
    refuse = new ApiError(400, 'validation_failed', 'unknown field', { field: 'escalation.after' });
    await type(q<HTMLInputElement>(id('offline-message'))!, 'Мы на связи с 9 до 18.');
    await save();
    expect(q(id('automation-error-field'))?.textContent).toContain('Поле escalation.after: Недопустимое значение.');
  });

  it('checks the form before sending and marks what it refuses', async () => {
    await type(all<HTMLInputElement>(id('interval-close'))[0], '08:00');
    await type(q<HTMLInputElement>(id('close-hold'))!, '5');
    await type(q<HTMLInputElement>(id('sla-next_reply-value'))!, '5');
    await pick(q<HTMLSelectElement>(id('sla-next_reply-unit'))!, 'seconds');
    await save();
    expect(puts).toHaveLength(0);
    const notes = Object.fromEntries(all(id('field-error')).map((n) => [n.dataset.field, n.textContent]));
    expect(notes).toEqual({
      'business_hours.week[0].close': 'Закрытие должно быть позже открытия.',
      'sla.next_reply_seconds': 'От 10 секунд до 7 дней.',
      'auto_close.hold_minutes': 'Должно быть больше, чем время молчания.',
    });
    await click(q(id('automation-revert'))!);
    expect(all(id('field-error'))).toHaveLength(0);
  });
});
