/** The chat window wired to a WidgetChat over a fake API and socket: what the visitor sees. */
import { render } from 'preact';
import { act } from 'preact/test-utils';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { WidgetDialogView } from '../../shared/api-types';
import { fakeApi, settle } from '../../test/fake-api';
import { FakeSocket, message, operatorMessage } from '../../test/fixtures';
import { WidgetChat } from '../chat';
import { ChatContext } from '../context';
import { makeT } from '../i18n';
import { ChatWindow } from './ChatWindow';

const params = { key: 'k', origin: '', page: '', lang: 'ru' as const };
const closed: WidgetDialogView = { id: 'd1', number: 1, status: 'closed', last_seq: 2, close_reason: 'operator', rating: null, operator_read_seq: 1 };

let host: HTMLDivElement | null = null;

async function mount(dialog: WidgetDialogView | null, history = [message(1), operatorMessage(2)]) {
  const api = fakeApi({
    'POST /widget/v1/session': () => ({
      token: 't',
      visitor: { id: 'v1', number: 42, name: null },
      dialog,
      site: { name: 'Кухни' },
      upload_limits: { max_bytes: 1024, max_files: 3, types: ['image/png'] },
    }),
    'GET /widget/v1/messages': (path) => ({ items: path.includes('cursor') ? [] : history, next_cursor: null }),
    'POST /widget/v1/rating': () => ({ ...closed, rating: { score: 5, comment: 'Спасибо' } }),
  });
  const chat = new WidgetChat(params, () => {}, { api: api.request, WebSocketImpl: FakeSocket as unknown as typeof WebSocket });
  await chat.start();
  host = document.createElement('div');
  document.body.appendChild(host);
  const el = host;
  await act(async () => {
    render(
      <ChatContext.Provider value={{ chat, t: makeT('ru'), lang: 'ru', close: () => {}, embedded: false }}>
        <ChatWindow />
      </ChatContext.Provider>,
      el,
    );
  });
  return { chat, api, el, q: (id: string) => el.querySelector<HTMLElement>(`[data-testid="${id}"]`) };
}

/** Lets the controller's change reach the components. */
const flush = () => act(async () => settle());

beforeEach(() => {
  FakeSocket.instances = [];
  localStorage.clear();
});
afterEach(() => {
  if (host) render(null, host);
  host?.remove();
  host = null;
  vi.useRealTimers();
});

describe('ChatWindow', () => {
  it('asks for a rating after the operator closed the dialog, then thanks', async () => {
    const { chat, api, el, q } = await mount(closed);
    expect(q('rating-form')?.textContent).toContain('Оцените, пожалуйста, разговор');
    const send = q('rating-send') as HTMLButtonElement;
    expect(send.disabled).toBe(true);
    await act(async () => el.querySelector<HTMLButtonElement>('[data-testid="rating-star"][data-score="5"]')!.click());
    const comment = q('rating-comment') as HTMLTextAreaElement;
    await act(async () => {
      comment.value = 'Спасибо';
      comment.dispatchEvent(new Event('input', { bubbles: true }));
    });
    await act(async () => (q('rating-send') as HTMLButtonElement).click());
    await flush();
    expect(api.callsTo('POST', '/widget/v1/rating')[0].options.body).toEqual({ dialog_id: 'd1', score: 5, comment: 'Спасибо' });
    expect(q('rating-form')).toBeNull();
    expect(q('rating-thanks')?.textContent).toContain('Спасибо за оценку!');
    chat.stop();
  });

  it('does not ask after the auto-close', async () => {
    const { chat, q } = await mount({ ...closed, close_reason: 'auto' });
    expect(q('dialog-closed-note')).not.toBeNull();
    expect(q('rating-form')).toBeNull();
    chat.stop();
  });

  it('marks the visitor\'s last read message and shows the operator typing', async () => {
    vi.useFakeTimers();
    const { chat, el, q } = await mount({ ...closed, status: 'open', close_reason: null, operator_read_seq: 0 }, [message(1), operatorMessage(2), message(3), message(4)]);
    expect(q('read-mark')).toBeNull();
    FakeSocket.last().open();
    FakeSocket.last().push({ type: 'dialog.read', dialog_id: 'd1', reader: 'operator', seq: 3 });
    await flush();
    const marked = el.querySelectorAll('[data-testid="read-mark"]');
    expect(marked).toHaveLength(1);
    expect(marked[0].closest('[data-testid="message"]')?.getAttribute('data-seq')).toBe('3');
    expect(marked[0].textContent).toBe('Прочитано');

    FakeSocket.last().push({ type: 'typing', dialog_id: 'd1', author: { kind: 'operator', id: 'op1', name: 'Анна' } });
    await flush();
    expect(q('typing-indicator')?.textContent).toBe('Анна печатает…');
    await act(async () => {
      vi.advanceTimersByTime(5_100);
    });
    await flush();
    expect(q('typing-indicator')).toBeNull();
    chat.stop();
  });

  it('shows images as previews and other files as download buttons with their size', async () => {
    const { chat, el } = await mount(null, [
      operatorMessage(1, {
        body: '',
        attachments: [
          { id: 'a1', name: 'plan.png', content_type: 'image/png', size: 100 },
          { id: 'a2', name: 'Договор.pdf', content_type: 'application/pdf', size: 2048 },
        ],
      }),
    ]);
    vi.spyOn(chat, 'fileUrl').mockResolvedValue('blob:x');
    expect(el.querySelector('[data-testid="message-body"]')).toBeNull(); // no empty bubble
    expect(el.querySelector('[data-testid="attachment-image"]')).not.toBeNull();
    expect(el.querySelector('[data-testid="attachment-file"]')?.textContent).toBe('Договор.pdf2\u00a0КБ');
    chat.stop();
  });

  it('shows why a picked file is refused before any upload', async () => {
    const { chat, el, q } = await mount(null, []);
    const input = q('widget-file') as HTMLInputElement;
    expect(input.type).toBe('file');
    expect(input.accept).toBe('image/png');
    await act(async () => chat.attach([new File([new Uint8Array(2048)], 'big.png', { type: 'image/png' })]));
    await flush();
    expect(el.querySelector('[data-testid="file-refusal"]')?.textContent).toBe('«big.png» не отправить: файл больше 1\u00a0КБ.');
    expect((q('composer-send') as HTMLButtonElement).disabled).toBe(true);
    // The limits are said beside the picked files too (not only in the paperclip's tooltip).
    expect(q('file-limits')?.textContent).toBe('Файлов в сообщении — до 3, каждый до 1\u00a0КБ. Можно: PNG.');
    chat.stop();
  });

  it('attaches a file dropped anywhere in the chat instead of opening it', async () => {
    const { chat } = await mount(null, []);
    const attach = vi.spyOn(chat, 'attach').mockImplementation(() => {});
    const dropped = new File([new Uint8Array(4)], 'plan.png', { type: 'image/png' });
    const drop = new Event('drop', { bubbles: true, cancelable: true }) as DragEvent;
    Object.defineProperty(drop, 'dataTransfer', { value: { types: ['Files'], files: [dropped] } });
    await act(async () => {
      document.body.dispatchEvent(drop);
    });
    expect(drop.defaultPrevented).toBe(true);
    expect(attach).toHaveBeenCalledWith([dropped]);
    chat.stop();
  });
});
