/** The list row and the dialog in jsdom: the SLA countdown ticking into overdue, the auto-close line, origin marks, the auto close reason. */
import { render } from 'preact';
import { act } from 'preact/test-utils';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { DialogView } from '../../shared/api-types';
import { fakeApi } from '../../test/fake-api';
import { dialog, sla } from '../../test/fixtures';
import { ConsoleState } from '../console-state';
import { ConsoleContext } from '../context';
import { AutoCloseLine } from './AutoCloseLine';
import { DialogHeader } from './DialogHeader';
import { DialogRow } from './DialogRow';

const NOW = Date.parse('2026-01-01T12:00:00Z');
let host: HTMLDivElement;
let state: ConsoleState;

function mount(node: preact.ComponentChild) {
  act(() => render(<ConsoleContext.Provider value={state}>{node}</ConsoleContext.Provider>, host));
}
const byTestId = (id: string) => host.querySelector<HTMLElement>(`[data-testid="${id}"]`);
const shown = (id: string) => byTestId(id)?.querySelector('[aria-hidden="true"]:last-child')?.textContent ?? null;

describe('automation marks on the row and in the dialog', () => {
  beforeEach(() => {
    vi.useFakeTimers();
    vi.setSystemTime(NOW);
    localStorage.setItem('frontline.console.lang', 'ru');
    state = new ConsoleState({ api: fakeApi({}).request, watching: () => true });
    host = document.createElement('div');
    document.body.appendChild(host);
  });
  afterEach(() => {
    act(() => render(null, host));
    host.remove();
    vi.useRealTimers();
  });

  it('counts the reply down on the row and turns red "overdue" once due', () => {
    const d = dialog('d1', { sla: sla('2026-01-01T12:00:42Z'), waiting_since: '2026-01-01T11:59:50Z' });
    mount(<DialogRow dialog={d} now={NOW} />);
    expect(shown('dialog-row-sla')).toBe('0:42');
    expect(byTestId('dialog-row-sla')?.dataset.overdue).toBe('false');
    expect(byTestId('dialog-row-sla')?.textContent).toContain('До срока ответа: 0:42');
    mount(<DialogRow dialog={d} now={NOW + 41_500} />);
    expect(shown('dialog-row-sla')).toBe('0:01');
    mount(<DialogRow dialog={d} now={NOW + 42_000 + 190_000} />);
    expect(shown('dialog-row-sla')).toBe('просрочен 3:10');
    expect(byTestId('dialog-row-sla')?.classList.contains('overdue')).toBe(true);
    expect(byTestId('dialog-row-sla')?.dataset.overdue).toBe('true');
  });

  it('shows no countdown without an SLA or a reply due', () => {
    mount(<DialogRow dialog={dialog('d1')} now={NOW} />);
    expect(byTestId('dialog-row-sla')).toBeNull();
    mount(<DialogRow dialog={dialog('d1', { sla: sla(null, { reply_breached: true }) })} now={NOW} />);
    expect(byTestId('dialog-row-sla')).toBeNull();
  });

  it('ticks the header countdown every second by itself', () => {
    const d = dialog('d1', { sla: sla('2026-01-01T12:00:03Z', { reply_target: 'next_reply' }) });
    mount(<DialogHeader dialog={d} name="Посетитель 42" />);
    expect(shown('dialog-sla')).toBe('Ответить в течение 0:03');
    act(() => {
      vi.advanceTimersByTime(2_000);
    });
    expect(shown('dialog-sla')).toBe('Ответить в течение 0:01');
    act(() => {
      vi.advanceTimersByTime(5_000);
    });
    expect(shown('dialog-sla')).toBe('Ответ просрочен на 0:04');
    expect(byTestId('dialog-sla')?.getAttribute('title')).toMatch(/^Ответ нужен до \d{2}:\d{2}$/);
  });

  it('marks an offline request and a proactive start on the row and in the header', () => {
    const offline = dialog('d1', { origin: 'offline' });
    mount(<DialogRow dialog={offline} now={NOW} />);
    expect(byTestId('origin-offline')?.textContent).toBe('Офлайн-заявка');
    mount(<DialogHeader dialog={offline} name="Посетитель 42" />);
    expect(byTestId('origin-offline')?.textContent).toBe('Офлайн-заявка');
    const proactive: DialogView = dialog('d2', { origin: 'proactive', trigger: { id: 't1', name: 'Кухни: помощь' } });
    mount(<DialogRow dialog={proactive} now={NOW} />);
    expect(byTestId('origin-proactive')?.textContent).toBe('Проактивное');
    expect(byTestId('origin-proactive')?.getAttribute('title')).toBe('Начат проактивным сообщением «Кухни: помощь»');
    mount(<DialogHeader dialog={proactive} name="Посетитель 42" />);
    expect(byTestId('origin-proactive')?.textContent).toBe('Начат проактивным сообщением «Кухни: помощь»');
    mount(<DialogRow dialog={dialog('d3', { origin: 'visitor' })} now={NOW} />);
    expect(byTestId('origin-offline')).toBeNull();
    expect(byTestId('origin-proactive')).toBeNull();
  });

  it('says when and why the dialog closes by itself, and an automatic close', () => {
    const at = new Date(NOW);
    at.setHours(13, 10, 0, 0);
    mount(<AutoCloseLine dialog={dialog('d1', { auto_close: { at: at.toISOString(), action: 'close', hold_phrase: 'минуту' } })} />);
    expect(byTestId('auto-close-line')?.textContent).toBe('Дольше остаётся открытым: «минуту» — закроется в 13:10');
    expect(byTestId('auto-close-line')?.dataset.kind).toBe('hold');
    mount(<AutoCloseLine dialog={dialog('d1', { auto_close: null, last_message: { author_kind: 'visitor', preview: '?', created_at: '2026-01-01T11:00:00Z' } })} />);
    expect(byTestId('auto-close-line')?.textContent).toBe('Сам не закроется: посетитель ждёт ответа');
    mount(<AutoCloseLine dialog={dialog('d1')} />);
    expect(byTestId('auto-close-line')).toBeNull();
    mount(<DialogHeader dialog={dialog('d1', { status: 'closed', close_reason: 'auto' })} name="Посетитель 42" />);
    expect(byTestId('dialog-status')?.textContent).toBe('Закрыт автоматически');
    expect(byTestId('dialog-status')?.getAttribute('title')).toBe('Закрыт автоматически (посетитель молчал)');
  });
});
