/** Builders of forms, tickets and their lines for the console's unit tests. */
import type { SystemEvent } from '../shared/api-types';
import type { FormView, TicketView } from './tickets';

/** The form and ticket events are not in `SystemEvent` (api-types.ts): the console reads `event` as any object. */
export const ev = (e: Record<string, unknown>) => e as unknown as SystemEvent;

export function form(id: string, over: Partial<FormView> = {}): FormView {
  return {
    id,
    name: `Форма ${id}`,
    subject: 'Вопрос по рекламации',
    answer: 'Спасибо! Заявка №{number}, ответ до {due}.',
    counting: 'weekdays',
    department_email: 'service@kitchen.example',
    due_hours: 24,
    enabled: true,
    fields: [],
    language: 'ru',
    updated_at: '2026-01-01T10:00:00Z',
    ...over,
  };
}

export function ticket(id: string, over: Partial<TicketView> = {}): TicketView {
  return {
    id,
    number: 1,
    dialog_id: 'd1',
    visitor_id: 'v-d1',
    request_id: 'r1',
    side: 'department',
    linked_id: 't2',
    linked_number: 2,
    status: 'open',
    subject: 'Вопрос по рекламации',
    address: 'service@kitchen.example',
    due_at: '2026-12-07T12:00:00Z',
    overdue: false,
    created_at: '2026-12-04T12:00:00Z',
    updated_at: '2026-12-04T12:00:00Z',
    ...over,
  };
}
