import { describe, expect, it } from 'vitest';
import type { SystemEvent } from '../shared/api-types';
import { makeT } from './i18n';
import { systemLine } from './system-lines';

const anna = { id: 'anna', display_name: 'Анна' };
const ivan = { id: 'ivan', display_name: 'Иван' };
const line = (event: SystemEvent | null, lang: 'ru' | 'en', body = '') => systemLine({ body, event }, makeT(lang));

describe('system lines', () => {
  const cases: [SystemEvent, string, string][] = [
    [{ kind: 'assigned', operator: anna, by: null }, 'Диалог автоматически назначен оператору Анна', 'Automatically assigned to Анна'],
    [{ kind: 'assigned', operator: anna, by: anna }, 'Диалог принят оператором Анна', 'Анна accepted the dialog'],
    [{ kind: 'assigned', operator: anna, by: ivan }, 'Диалог назначен оператору Анна, инициатор: Иван', 'Assigned to Анна by Иван'],
    [{ kind: 'unassigned', operator: anna, by: anna }, 'Диалог снова в очереди (был у оператора Анна)', 'Back in the queue: Анна was taken off the dialog'],
    [{ kind: 'unassigned', operator: anna, by: ivan }, 'Диалог снова в очереди (был у оператора Анна), инициатор: Иван', 'Back in the queue: Анна was taken off the dialog by Иван'],
    [{ kind: 'transferred', operator: ivan, by: anna }, 'Диалог передан оператору Иван, инициатор: Анна', 'Transferred to Иван by Анна'],
    [{ kind: 'transferred', channel: { id: 'c2', name: 'Сервис' }, by: anna }, 'Диалог передан в канал «Сервис», инициатор: Анна', 'Transferred to the “Сервис” channel by Анна'],
    [{ kind: 'returned', operator: anna, reason: 'offline' }, 'Оператор Анна не в сети — диалог возвращён в очередь', 'Анна went offline; the dialog is back in the queue'],
    [{ kind: 'transfer_notice', operator: ivan }, 'Посетителю: «Вас переключили на Иван»', 'Told the visitor: “Your chat was passed to Иван”'],
    [{ kind: 'transfer_notice' }, 'Посетителю: «Вас переключили на коллегу»', 'Told the visitor: “Your chat was passed to a colleague”'],
  ];

  it.each(cases)('words %j in Russian and English', (event, ru, en) => {
    expect(line(event, 'ru').text).toBe(ru);
    expect(line(event, 'en').text).toBe(en);
  });

  it('carries the transfer comment apart from the text', () => {
    const event: SystemEvent = { kind: 'transferred', operator: ivan, by: anna, comment: '  Клиент про доставку ' };
    expect(line(event, 'ru')).toEqual({ text: 'Диалог передан оператору Иван, инициатор: Анна', comment: 'Клиент про доставку' });
    expect(line({ ...event, comment: '' }, 'en').comment).toBeNull();
  });

  it('words snooze and reopen lines, the time in the local clock', () => {
    const now = new Date(2026, 2, 10, 12, 0).getTime();
    const until = new Date(2026, 2, 10, 15, 30).toISOString();
    const at = (event: SystemEvent, lang: 'ru' | 'en') => systemLine({ body: '', event }, makeT(lang), lang, now).text;
    expect(at({ kind: 'snoozed', until, by: anna }, 'ru')).toBe('Диалог отложен до 15:30, инициатор: Анна');
    expect(at({ kind: 'snoozed', until, by: anna }, 'en')).toBe('Snoozed until 15:30 by Анна');
    expect(at({ kind: 'unsnoozed', reason: 'due' }, 'ru')).toBe('Отложенный диалог вернулся: время пришло');
    expect(at({ kind: 'unsnoozed', reason: 'operator', by: ivan }, 'en')).toBe('Back from snoozed by Иван');
    expect(at({ kind: 'reopened', by: ivan }, 'ru')).toBe('Диалог снова открыт, инициатор: Иван');
    expect(at({ kind: 'reopened' }, 'en')).toBe('The visitor wrote; the dialog is open again');
  });

  it('reads bare names as well as {id, display_name} and {id, name}', () => {
    expect(line({ kind: 'assigned', operator: 'Анна', by: 'Анна' }, 'en').text).toBe('Анна accepted the dialog');
    expect(line({ kind: 'transferred', channel: 'Сервис', by: null }, 'en').text).toBe('Transferred to the “Сервис” channel');
  });

  it('falls back to the body, then to a neutral text, for what it does not know', () => {
    expect(line({ kind: 'merged' } as unknown as SystemEvent, 'en', 'Merged with #12').text).toBe('Merged with #12');
    expect(line(null, 'ru').text).toBe('Системное событие');
    expect(line(null, 'en').text).toBe('System event');
  });
});
