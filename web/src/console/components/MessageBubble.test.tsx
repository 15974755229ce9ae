/**
 * The timeline in jsdom: an edited message's mark and its earlier texts, a visitor's mail with a
 * link to the mail as it came, and voice and video files played in place.
 */
import { render } from 'preact';
import { act } from 'preact/test-utils';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ApiError } from '../../shared/api';
import type { AttachmentView, MessageEditView, MessageView } from '../../shared/api-types';
import { formatClock } from '../../shared/time';
import { fakeApi, settle } from '../../test/fake-api';
import { dialog, FakeSocket, message, meView, operatorMessage } from '../../test/fixtures';
import { ConsoleState } from '../console-state';
import { ConsoleContext } from '../context';
import { DialogTimeline } from './DialogTimeline';

const EDITED = '2026-01-01T12:05:00Z';
const voice: AttachmentView = { id: 'a1', name: 'voice.ogg', content_type: 'audio/ogg', size: 1536 };
const video: AttachmentView = { id: 'a2', name: 'кухня.mp4', content_type: 'video/mp4', size: 2_500_000 };
const scan: AttachmentView = { id: 'a3', name: 'счёт.pdf', content_type: 'application/pdf', size: 2048 };

let host: HTMLDivElement;
let state: ConsoleState;
let messages: MessageView[];
let edits: () => MessageEditView[];

async function mount(lang: 'ru' | 'en' = 'ru') {
  localStorage.setItem('frontline.console.lang', lang);
  const api = fakeApi({
    'GET /api/v1/dialogs/d1/messages/*': () => edits(),
    'GET /api/v1/dialogs/d1/messages': () => ({ items: messages, next_cursor: null }),
    'GET /api/v1/dialogs/d1': () => dialog('d1', { last_seq: messages.length }),
    'POST /api/v1/dialogs/d1/read': () => undefined,
    'GET /api/v1/me': () => meView(),
    'GET /api/v1/dialogs': () => ({ items: [dialog('d1', { last_seq: messages.length })], next_cursor: null }),
  });
  state = new ConsoleState({ api: api.request, WebSocketImpl: FakeSocket as unknown as typeof WebSocket, watching: () => true });
  host = document.createElement('div');
  document.body.appendChild(host);
  await act(async () => {
    await state.open('d1');
    render(
      <ConsoleContext.Provider value={state}>
        <DialogTimeline dialogId="d1" />
      </ConsoleContext.Provider>,
      host,
    );
    await settle();
  });
}

const q = <T extends HTMLElement = HTMLElement>(sel: string, from: ParentNode = host) => from.querySelector<T>(sel);
const byId = <T extends HTMLElement = HTMLElement>(testid: string, from: ParentNode = host) => q<T>(`[data-testid="${testid}"]`, from);
const bubble = (seq: number) => q(`[data-testid="message"][data-seq="${seq}"]`)!;

async function click(el: HTMLElement) {
  await act(async () => {
    el.click();
    await settle();
  });
}

describe('an edited message in the timeline', () => {
  beforeEach(() => {
    FakeSocket.instances = [];
    history.replaceState(null, '', '/console/');
    messages = [
      message(1, { body: 'Заказ 12345', edited_at: EDITED }),
      // Her next line, a minute later: no head over it, so its time shows under it with the mark.
      message(2, { body: 'Квартира 7', created_at: '2026-01-01T12:01:00Z', edited_at: '2026-01-01T12:06:00Z' }),
      operatorMessage(3, { body: 'Спасибо, проверяю' }),
    ];
    edits = () => [{ version: 1, body: 'Заказ 1234', replaced_at: EDITED }];
  });
  afterEach(() => {
    act(() => render(null, host));
    host.remove();
    localStorage.clear();
  });

  it('marks it "изменено" beside the time, with the edit time in its title; others have no mark', async () => {
    await mount();
    const mark = byId('message-edited', bubble(1))!;
    expect(mark.tagName).toBe('BUTTON');
    expect(mark.getAttribute('type')).toBe('button');
    expect(mark.textContent).toBe('изменено');
    expect(mark.title).toBe(`Изменено 1 января 2026 г., ${formatClock(EDITED, 'ru')}`);
    expect(mark.getAttribute('aria-expanded')).toBe('false');
    // Beside the time in the message's head.
    expect(mark.parentElement?.classList.contains('msg-head')).toBe(true);
    expect(mark.previousElementSibling?.tagName).toBe('TIME');
    // A message without a head shows its time under it, with the mark.
    const second = byId('message-edited', bubble(2))!;
    expect(second.parentElement?.classList.contains('msg-edited-line')).toBe(true);
    expect(second.parentElement?.querySelector('time')?.textContent).toBe(formatClock('2026-01-01T12:01:00Z', 'ru'));
    expect(byId('message-edited', bubble(3))).toBeNull();
    expect(byId('message-body', bubble(1))?.textContent).toBe('Заказ 12345');
  });

  it('shows the earlier texts under it on a click, each with its time, and hides them on the next', async () => {
    await mount();
    const mark = byId('message-edited', bubble(1))!;
    expect(byId('message-edits')).toBeNull();
    await click(mark);
    const list = byId('message-edits', bubble(1))!;
    expect(list.tagName).toBe('OL');
    expect(list.getAttribute('aria-label')).toBe('Прежний текст сообщения');
    expect(mark.getAttribute('aria-expanded')).toBe('true');
    expect(mark.getAttribute('aria-controls')).toBe(list.id);
    const items = [...list.querySelectorAll('[data-testid="message-edit"]')].map((li) => li.textContent);
    // The first text was written with the message.
    expect(items).toEqual([`Ранее (${formatClock(messages[0].created_at, 'ru')}): Заказ 1234`]);
    // Under the bubble, not in it.
    expect(byId('message-body', bubble(1))?.textContent).toBe('Заказ 12345');

    await click(mark);
    expect(byId('message-edits')).toBeNull();
    expect(mark.getAttribute('aria-expanded')).toBe('false');
  });

  it('says in place when they cannot be loaded, and loads them on "Повторить"', async () => {
    edits = () => {
      throw new ApiError(503, 'unavailable', 'unavailable');
    };
    await mount();
    await click(byId('message-edited', bubble(1))!);
    const error = byId('message-edits-error', bubble(1))!;
    expect(error.getAttribute('role')).toBe('alert');
    expect(error.textContent).toBe('Не удалось загрузить прежний текст. Повторить');
    expect(byId('message-edits')).toBeNull();

    edits = () => [{ version: 1, body: 'Заказ 1234', replaced_at: EDITED }];
    await click(byId('message-edits-retry')!);
    expect(byId('message-edits-error')).toBeNull();
    expect(byId('message-edit-body', bubble(1))?.textContent).toBe('Заказ 1234');
  });

  it('speaks English too', async () => {
    await mount('en');
    const mark = byId('message-edited', bubble(1))!;
    expect(mark.textContent).toBe('edited');
    expect(mark.title).toBe(`Edited 1 January 2026 at ${formatClock(EDITED, 'en')}`);
    await click(mark);
    expect(byId('message-edit', bubble(1))?.textContent).toBe(`Before (${formatClock(messages[0].created_at, 'en')}): Заказ 1234`);
  });

  it('shows the new text when the socket says it was edited again', async () => {
    await mount();
    await act(async () => {
      await state.start();
      FakeSocket.last().open();
      await settle();
      FakeSocket.last().push({ type: 'message.updated', message: { ...messages[0], body: 'Заказ 12345, подъезд 2', edited_at: '2026-01-01T12:09:00Z' } });
      await settle();
    });
    expect(byId('message-body', bubble(1))?.textContent).toBe('Заказ 12345, подъезд 2');
    expect(host.querySelectorAll('[data-testid="message"]')).toHaveLength(3);
  });
});

describe('a visitor\'s mail in the timeline', () => {
  beforeEach(() => {
    FakeSocket.instances = [];
    history.replaceState(null, '', '/console/');
    messages = [
      message(1, { id: 'm-mail-1', client_id: 'mail-3f2a9c', body: 'Здравствуйте! Когда привезут кухню?' }),
      // His next mail a minute later: no head over it, so the link shows under it, beside its time.
      message(2, { id: 'm-mail-2', client_id: 'mail-77b0e1', body: 'И ещё вопрос про сборку', created_at: '2026-01-01T12:01:00Z' }),
      operatorMessage(3, { body: 'Завтра с 10 до 14' }),
      // Written in the widget: nothing to open.
      message(4, { body: 'Спасибо', created_at: '2026-01-01T12:30:00Z' }),
    ];
    edits = () => [];
  });
  afterEach(() => {
    act(() => render(null, host));
    host.remove();
    localStorage.clear();
  });

  it('links "Письмо целиком" to the mail as it came, opened in a new tab; other messages have no link', async () => {
    await mount();
    const link = byId<HTMLAnchorElement>('message-original-mail', bubble(1))!;
    expect(link.tagName).toBe('A');
    expect(link.textContent).toBe('Письмо целиком');
    expect(link.getAttribute('href')).toBe('/api/v1/dialogs/d1/messages/m-mail-1/mail');
    expect(link.getAttribute('target')).toBe('_blank');
    expect(link.getAttribute('rel')).toContain('noopener');
    expect(link.title).toBe('Открыть письмо, из которого сделано это сообщение, со всеми заголовками (в новой вкладке)');
    // Beside the time in the message's head.
    expect(link.parentElement?.classList.contains('msg-head')).toBe(true);
    // A mail without a head shows its time under it, with the link.
    const second = byId<HTMLAnchorElement>('message-original-mail', bubble(2))!;
    expect(second.getAttribute('href')).toBe('/api/v1/dialogs/d1/messages/m-mail-2/mail');
    expect(second.parentElement?.classList.contains('msg-edited-line')).toBe(true);
    expect(second.parentElement?.querySelector('time')?.textContent).toBe(formatClock('2026-01-01T12:01:00Z', 'ru'));
    expect(byId('message-original-mail', bubble(3))).toBeNull();
    expect(byId('message-original-mail', bubble(4))).toBeNull();
    expect(host.querySelectorAll('[data-testid="message-original-mail"]')).toHaveLength(2);
  });

  it('shows no link on an operator\'s message, whatever its client id', async () => {
    messages = [operatorMessage(1, { client_id: 'mail-from-op', body: 'Ответ' })];
    await mount();
    expect(byId('message-original-mail')).toBeNull();
  });

  it('speaks English too', async () => {
    await mount('en');
    const link = byId('message-original-mail', bubble(1))!;
    expect(link.textContent).toBe('Original mail');
    expect(link.title).toBe('Open the mail this message was made of, headers and all (in a new tab)');
  });
});

describe('voice messages and videos in the timeline', () => {
  beforeEach(() => {
    FakeSocket.instances = [];
    history.replaceState(null, '', '/console/');
    messages = [message(1, { body: '', attachments: [voice, video, scan] })];
    edits = () => [];
  });
  afterEach(() => {
    act(() => render(null, host));
    host.remove();
    localStorage.clear();
  });

  it('plays them in place, fetching nothing before play, and keeps their download links', async () => {
    await mount();
    const audio = q<HTMLAudioElement>('[data-testid="attachment-audio"] audio')!;
    expect(audio.hasAttribute('controls')).toBe(true);
    expect(audio.getAttribute('preload')).toBe('none');
    expect(audio.getAttribute('src')).toBe('/api/v1/attachments/a1');
    expect(audio.getAttribute('aria-label')).toBe('Аудио «voice.ogg»');
    const audioLink = byId('attachment-file', byId('attachment-audio')!)!;
    expect(audioLink.getAttribute('href')).toBe('/api/v1/attachments/a1');
    expect(audioLink.getAttribute('download')).toBe('voice.ogg');
    expect(audioLink.textContent).toBe('voice.ogg1,5 КБ');

    const player = q<HTMLVideoElement>('[data-testid="attachment-video"] video')!;
    expect(player.hasAttribute('controls')).toBe(true);
    expect(player.getAttribute('preload')).toBe('none');
    expect(player.getAttribute('src')).toBe('/api/v1/attachments/a2');
    expect(player.getAttribute('aria-label')).toBe('Видео «кухня.mp4»');
    expect(byId('attachment-file', byId('attachment-video')!)?.getAttribute('download')).toBe('кухня.mp4');

    // Any other file is a download link alone, as before.
    const links = [...host.querySelectorAll<HTMLAnchorElement>('[data-testid="attachment-file"]')].map((a) => a.getAttribute('download'));
    expect(links).toEqual(['voice.ogg', 'кухня.mp4', 'счёт.pdf']);
    expect(host.querySelectorAll('audio, video')).toHaveLength(2);
  });
});
