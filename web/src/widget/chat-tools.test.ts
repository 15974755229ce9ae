/** The conversation tools of the visitor's chat: files, typing, read state, rating, contact details. */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ApiError } from '../shared/api';
import type { WidgetDialogView } from '../shared/api-types';
import { fakeApi, settle } from '../test/fake-api';
import { FakeSocket, message, operatorMessage } from '../test/fixtures';
import { WidgetChat } from './chat';

const params = { key: 'site-key', origin: 'https://shop.example', page: 'https://shop.example/', lang: 'ru' as const };
const limits = { max_bytes: 1000, max_files: 2, types: ['image/png', 'application/pdf'] };
const upload = (id: string, name = `${id}.png`) => ({ id, name, content_type: 'image/png', size: 10 });

function closedDialog(over: Partial<WidgetDialogView> = {}): WidgetDialogView {
  return { id: 'd1', number: 3, status: 'closed', last_seq: 2, close_reason: 'operator', rating: null, operator_read_seq: 0, ...over };
}

interface FetchCall {
  url: string;
  init: RequestInit;
}

function setup(
  opts: { history?: ReturnType<typeof message>[]; dialog?: WidgetDialogView | null; routes?: Parameters<typeof fakeApi>[0]; fetchAnswer?: (url: string) => Response } = {},
) {
  const api = fakeApi({
    'POST /widget/v1/session': () => ({
      token: 'tok-1',
      visitor: { id: 'v1', number: 42, name: null },
      dialog: opts.dialog ?? null,
      site: { name: 'Кухни' },
      upload_limits: limits,
    }),
    'GET /widget/v1/messages': (path) => (path.includes('cursor') ? { items: [], next_cursor: null } : { items: opts.history ?? [], next_cursor: null }),
    'POST /widget/v1/messages': (_p, o) => {
      const b = o.body as { client_id: string; body: string; attachments?: string[] };
      return message(9, { client_id: b.client_id, body: b.body, attachments: (b.attachments ?? []).map((id) => upload(id)) });
    },
    'POST /widget/v1/read': () => undefined,
    ...opts.routes,
  });
  const fetches: FetchCall[] = [];
  const fetchImpl = (async (url: string, init: RequestInit = {}) => {
    fetches.push({ url, init });
    if (opts.fetchAnswer) return opts.fetchAnswer(url);
    const name = new URL(url).searchParams.get('name') ?? 'file';
    return new Response(JSON.stringify(upload(`up-${fetches.length}`, name)), { status: 201 });
  }) as unknown as typeof fetch;
  const unread: number[] = [];
  const chat = new WidgetChat(params, (n) => unread.push(n), {
    api: api.request,
    WebSocketImpl: FakeSocket as unknown as typeof WebSocket,
    fetchImpl,
  });
  return { chat, api, fetches, unread };
}

const file = (name: string, size: number, type: string) => new File([new Uint8Array(size)], name, { type });

describe('WidgetChat files', () => {
  beforeEach(() => {
    FakeSocket.instances = [];
    localStorage.clear();
  });

  it('takes the limits from the session and refuses a file before upload, saying why', async () => {
    const { chat, fetches } = setup();
    await chat.start();
    expect(chat.uploadLimits).toEqual(limits);
    chat.attach([file('big.png', 2000, 'image/png'), file('notes.exe', 10, 'application/x-msdownload'), file('empty.png', 0, 'image/png')]);
    expect(chat.drafts.list().map((d) => [d.name, d.state, d.refusal?.code])).toEqual([
      ['big.png', 'refused', 'file_too_large'],
      ['notes.exe', 'refused', 'file_type_refused'],
      ['empty.png', 'refused', 'empty_file'],
    ]);
    expect(fetches).toHaveLength(0);
    // Refused files are never sent.
    expect(chat.send('')).toBe(false);
    chat.stop();
  });

  it('uploads with the bearer token and sends the ids with the message, text optional', async () => {
    const { chat, api, fetches } = setup();
    await chat.start();
    FakeSocket.last().open();
    chat.attach([file('photo 1.png', 10, 'image/png')]);
    expect(chat.drafts.uploading()).toBe(true);
    expect(chat.send('')).toBe(false); // still uploading
    await settle();
    expect(fetches[0].url).toBe(`${location.origin}/widget/v1/uploads?name=photo%201.png`);
    expect(fetches[0].init.method).toBe('POST');
    expect((fetches[0].init.headers as Record<string, string>).Authorization).toBe('Bearer tok-1');
    expect(chat.drafts.list()[0].state).toBe('ready');

    expect(chat.send('')).toBe(true);
    expect(chat.drafts.list()).toHaveLength(0);
    // A message with files goes over REST (the socket's send carries text only).
    expect(FakeSocket.last().sentOfType('send')).toEqual([]);
    const [post] = api.callsTo('POST', '/widget/v1/messages');
    expect(post.options.body).toMatchObject({ body: '', attachments: ['up-1'] });
    expect(post.options.token).toBe('tok-1');
    expect(chat.filesOf((post.options.body as { client_id: string }).client_id).map((f) => f.id)).toEqual(['up-1']);
    await settle();
    expect(chat.conversation.outbox.size).toBe(0);
    expect(chat.conversation.latest()?.messages[0].attachments.map((a) => a.id)).toEqual(['up-1']);
    chat.stop();
  });

  it('counts files against max_files', async () => {
    const { chat } = setup();
    await chat.start();
    chat.attach([file('a.png', 1, 'image/png'), file('b.png', 1, 'image/png'), file('c.png', 1, 'image/png')]);
    expect(chat.drafts.list().map((d) => d.refusal?.code ?? d.state)).toEqual(['uploading', 'uploading', 'too_many_files']);
    chat.stop();
  });

  it('shows the server\'s reason when it refuses an upload', async () => {
    const { chat } = setup({
      fetchAnswer: () =>
        new Response(JSON.stringify({ code: 'file_type_refused', message: 'no', details: { detected: 'text/plain', allowed: ['image/png'] } }), { status: 415 }),
    });
    await chat.start();
    chat.attach([file('fake.png', 10, 'image/png')]);
    await settle();
    expect(chat.drafts.list()[0]).toMatchObject({ state: 'refused', refusal: { code: 'file_type_refused', details: { detected: 'text/plain' } } });
    chat.stop();
  });

  it('puts the files of a refused send back when it is taken back to edit', async () => {
    const { chat, api } = setup({
      routes: {
        'POST /widget/v1/messages': () => {
          throw new ApiError(400, 'validation_failed', 'attachments', { field: 'attachments' });
        },
      },
    });
    await chat.start();
    chat.attach([file('a.png', 1, 'image/png')]);
    await settle();
    chat.send('смотрите');
    await settle();
    const [failed] = chat.conversation.outbox.list();
    expect(failed.state).toBe('failed');
    expect(api.callsTo('POST', '/widget/v1/messages')).toHaveLength(1);
    expect(chat.takeBack(failed.client_id)).toBe('смотрите');
    expect(chat.conversation.outbox.size).toBe(0);
    expect(chat.drafts.ready().map((u) => u.name)).toEqual(['a.png']);
    chat.stop();
  });

  it('fetches an attachment once, with the token in a header, never in the URL', async () => {
    const created = vi.fn(() => 'blob:frame/1');
    URL.createObjectURL = created;
    URL.revokeObjectURL = vi.fn();
    const { chat, fetches } = setup({ fetchAnswer: () => new Response(new Uint8Array(4), { status: 200 }) });
    await chat.start();
    await expect(chat.fileUrl('att-1')).resolves.toBe('blob:frame/1');
    await expect(chat.fileUrl('att-1')).resolves.toBe('blob:frame/1');
    expect(fetches).toHaveLength(1);
    expect(fetches[0].url).toBe(`${location.origin}/widget/v1/attachments/att-1`);
    expect(fetches[0].url).not.toContain('tok-1');
    expect((fetches[0].init.headers as Record<string, string>).Authorization).toBe('Bearer tok-1');
    chat.stop();
    expect(URL.revokeObjectURL).not.toHaveBeenCalledWith(expect.stringContaining('tok'));
  });

  it('asks again for an attachment that failed to load', async () => {
    const { chat, fetches } = setup({ fetchAnswer: () => new Response('', { status: 404 }) });
    await chat.start();
    await expect(chat.fileUrl('att-1')).rejects.toMatchObject({ code: 'not_found' });
    await expect(chat.fileUrl('att-1')).rejects.toBeTruthy();
    expect(fetches).toHaveLength(2);
    chat.stop();
  });
});

describe('WidgetChat typing', () => {
  beforeEach(() => {
    vi.useFakeTimers();
    FakeSocket.instances = [];
    localStorage.clear();
  });
  afterEach(() => vi.useRealTimers());

  it('tells the operators the visitor types, at most every 2 s', async () => {
    const { chat } = setup({ history: [message(1)] });
    await chat.start();
    FakeSocket.last().open();
    chat.noteTyping('З');
    chat.noteTyping('Зд');
    vi.advanceTimersByTime(1500);
    chat.noteTyping('Здр');
    expect(FakeSocket.last().sentOfType('typing')).toEqual([{ type: 'typing' }]);
    vi.advanceTimersByTime(600);
    chat.noteTyping('Здра');
    expect(FakeSocket.last().sentOfType('typing')).toHaveLength(2);
    // Blank text is no typing.
    vi.advanceTimersByTime(3000);
    chat.noteTyping('  ');
    expect(FakeSocket.last().sentOfType('typing')).toHaveLength(2);
    chat.stop();
  });

  it('shows the operator typing for 5 s after his last frame, or until his message', async () => {
    const { chat } = setup({ history: [message(1)] });
    await chat.start();
    FakeSocket.last().open();
    const anna = { kind: 'operator' as const, id: 'op1', name: 'Анна' };
    FakeSocket.last().push({ type: 'typing', dialog_id: 'd1', author: anna });
    expect(chat.typists().map((a) => a.name)).toEqual(['Анна']);
    vi.advanceTimersByTime(4000);
    FakeSocket.last().push({ type: 'typing', dialog_id: 'd1', author: anna });
    vi.advanceTimersByTime(4000);
    expect(chat.typists()).toHaveLength(1);
    vi.advanceTimersByTime(1100);
    expect(chat.typists()).toHaveLength(0);

    FakeSocket.last().push({ type: 'typing', dialog_id: 'd1', author: anna });
    FakeSocket.last().push({ type: 'message.created', message: operatorMessage(2) });
    expect(chat.typists()).toHaveLength(0);
    // The visitor's own typing (another tab) is not shown to him.
    FakeSocket.last().push({ type: 'typing', dialog_id: 'd1', author: { kind: 'visitor', id: 'v1', name: null } });
    expect(chat.typists()).toHaveLength(0);
    chat.stop();
  });
});

describe('WidgetChat read state', () => {
  beforeEach(() => {
    FakeSocket.instances = [];
    localStorage.clear();
  });

  it('reports what the visitor has read while he looks, on the socket', async () => {
    const { chat, unread } = setup({ history: [message(1), operatorMessage(2)] });
    await chat.start();
    FakeSocket.last().open();
    expect(FakeSocket.last().sentOfType('read')).toEqual([]); // panel closed
    expect(unread[unread.length - 1]).toBe(1);
    chat.setWatching(true);
    expect(FakeSocket.last().sentOfType('read')).toEqual([{ type: 'read', seq: 2 }]);
    expect(unread[unread.length - 1]).toBe(0);
    chat.setWatching(false);
    chat.setWatching(true);
    expect(FakeSocket.last().sentOfType('read')).toHaveLength(1); // nothing new
    FakeSocket.last().push({ type: 'message.created', message: operatorMessage(3) });
    expect(FakeSocket.last().sentOfType('read')).toEqual([{ type: 'read', seq: 2 }, { type: 'read', seq: 3 }]);
    chat.stop();
  });

  it('reports over REST when the socket is not open', async () => {
    const { chat, api } = setup({ history: [operatorMessage(1)] });
    await chat.start();
    chat.setWatching(true);
    expect(api.callsTo('POST', '/widget/v1/read').map((c) => c.options.body)).toEqual([{ seq: 1 }]);
    chat.stop();
  });

  it('keeps the operators\' read seq from the session and dialog.read frames', async () => {
    const { chat } = setup({ history: [message(1), message(2)], dialog: { ...closedDialog(), status: 'open', close_reason: null, operator_read_seq: 1 } });
    await chat.start();
    expect(chat.conversation.operatorReadSeq('d1')).toBe(1);
    FakeSocket.last().open();
    FakeSocket.last().push({ type: 'dialog.read', dialog_id: 'd1', reader: 'operator', seq: 2 });
    expect(chat.conversation.operatorReadSeq('d1')).toBe(2);
    FakeSocket.last().push({ type: 'dialog.read', dialog_id: 'd1', reader: 'visitor', seq: 5 });
    expect(chat.conversation.operatorReadSeq('d1')).toBe(2);
    chat.stop();
  });
});

describe('WidgetChat rating', () => {
  beforeEach(() => {
    FakeSocket.instances = [];
    localStorage.clear();
  });

  it('asks after the operator closes the dialog, sends the rating, then thanks', async () => {
    const { chat, api } = setup({
      history: [message(1), operatorMessage(2)],
      routes: { 'POST /widget/v1/rating': (_p, o) => closedDialog({ rating: { score: 5, comment: (o.body as { comment?: string }).comment ?? null } }) },
    });
    await chat.start();
    FakeSocket.last().open();
    expect(chat.ratingPrompt('d1')).toBe('none');
    FakeSocket.last().push({ type: 'dialog.closed', dialog: closedDialog() });
    expect(chat.conversation.isClosed('d1')).toBe(true);
    expect(chat.ratingPrompt('d1')).toBe('ask');
    expect(await chat.rate('d1', 5, ' Спасибо, всё понятно ')).toBeNull();
    expect(api.callsTo('POST', '/widget/v1/rating')[0].options.body).toEqual({ dialog_id: 'd1', score: 5, comment: 'Спасибо, всё понятно' });
    expect(chat.ratingPrompt('d1')).toBe('rated');
    chat.stop();
  });

  it('never asks after the auto-close', async () => {
    const { chat } = setup({ history: [message(1)], dialog: closedDialog({ close_reason: 'auto' }) });
    await chat.start();
    expect(chat.ratingPrompt('d1')).toBe('none');
    chat.stop();
  });

  it('asks on load of a dialog the operator closed and nobody rated', async () => {
    const { chat } = setup({ history: [message(1)], dialog: closedDialog() });
    await chat.start();
    expect(chat.ratingPrompt('d1')).toBe('ask');
    chat.stop();
  });

  it('takes already_rated as done and rating_not_requested as nothing to ask', async () => {
    let code = 'already_rated';
    const { chat } = setup({
      history: [message(1)],
      dialog: closedDialog(),
      routes: {
        'POST /widget/v1/rating': () => {
          throw new ApiError(409, code, code);
        },
      },
    });
    await chat.start();
    expect(await chat.rate('d1', 4, '')).toBeNull();
    expect(chat.ratingPrompt('d1')).toBe('rated');
    expect(chat.conversation.dialog('d1')?.rating).toEqual({ score: 4, comment: null });

    chat.conversation.setDialog(closedDialog({ id: 'd2' }));
    code = 'rating_not_requested';
    expect(await chat.rate('d2', 4, '')).toBeNull();
    expect(chat.ratingPrompt('d2')).toBe('none');
    chat.stop();
  });

  it('keeps the form open on other refusals and local slips', async () => {
    const { chat, api } = setup({
      history: [message(1)],
      dialog: closedDialog(),
      routes: {
        'POST /widget/v1/rating': () => {
          throw new ApiError(0, 'network', 'down');
        },
      },
    });
    await chat.start();
    expect(await chat.rate('d1', 0, '')).toMatchObject({ code: 'rating_score' });
    expect(await chat.rate('d1', 3, 'я'.repeat(1001))).toMatchObject({ code: 'rating_comment' });
    expect(api.callsTo('POST', '/widget/v1/rating')).toHaveLength(0);
    expect(await chat.rate('d1', 3, '')).toMatchObject({ code: 'network' });
    expect(chat.ratingPrompt('d1')).toBe('ask');
    chat.stop();
  });

  it('stops asking once the visitor writes into the dialog again (reopened)', async () => {
    const { chat } = setup({ history: [message(1, { created_at: '2026-01-01T12:00:00Z' })], dialog: closedDialog() });
    await chat.start();
    chat.send('ещё вопрос');
    await settle();
    expect(chat.conversation.isClosed('d1')).toBe(false);
    expect(chat.ratingPrompt('d1')).toBe('none');
    chat.stop();
  });
});

describe('WidgetChat contact details', () => {
  beforeEach(() => {
    FakeSocket.instances = [];
    localStorage.clear();
  });

  it('sends only what changed and remembers e-mail and phone for this visitor', async () => {
    const { chat, api } = setup({
      routes: { 'PATCH /widget/v1/visitor': (_p, o) => ({ id: 'v1', number: 42, name: (o.body as { name?: string }).name ?? null }) },
    });
    await chat.start();
    expect(await chat.saveContact({ name: 'Иван', email: ' ivan@example.com ', phone: '' })).toBeNull();
    expect(api.callsTo('PATCH', '/widget/v1/visitor')[0].options.body).toEqual({ name: 'Иван', email: 'ivan@example.com' });
    expect(chat.contact).toEqual({ email: 'ivan@example.com', phone: '' });
    chat.stop();

    // The next session of the same visitor fills the form again.
    const again = setup();
    await again.chat.start();
    expect(again.chat.contact.email).toBe('ivan@example.com');
    again.chat.stop();
  });

  it('names the field the server refused, and catches an obvious slip without asking', async () => {
    const { chat, api } = setup({
      routes: {
        'PATCH /widget/v1/visitor': () => {
          throw new ApiError(400, 'validation_failed', 'phone: not a phone number', { field: 'phone' });
        },
      },
    });
    await chat.start();
    expect(await chat.saveContact({ name: '', email: 'ivan@', phone: '' })).toMatchObject({ field: 'email', code: 'validation_failed' });
    expect(api.callsTo('PATCH', '/widget/v1/visitor')).toHaveLength(0);
    expect(await chat.saveContact({ name: '', email: '', phone: '+7 900 000-00-00' })).toMatchObject({ field: 'phone', code: 'validation_failed' });
    expect(chat.contact.phone).toBe('');
    chat.stop();
  });
});

describe('WidgetChat contact details from the server', () => {
  beforeEach(() => {
    FakeSocket.instances = [];
    localStorage.clear();
  });

  it('prefers what the server tells over what this browser saved', async () => {
    localStorage.setItem('frontline.contact.site-key', JSON.stringify({ visitor_id: 'v1', email: 'old@example.com', phone: '123456' }));
    const { chat } = setup({
      routes: {
        'POST /widget/v1/session': () => ({
          token: 't',
          visitor: { id: 'v1', number: 42, name: null, email: 'new@example.com', phone: null },
          dialog: null,
          site: { name: 'Кухни' },
        }),
      },
    });
    await chat.start();
    expect(chat.contact).toEqual({ email: 'new@example.com', phone: '' });
    expect(chat.uploadLimits).toBeNull();
    chat.stop();
  });

  it('forgets what was saved for another visitor', async () => {
    localStorage.setItem('frontline.contact.site-key', JSON.stringify({ visitor_id: 'someone-else', email: 'old@example.com' }));
    const { chat } = setup();
    await chat.start();
    expect(chat.contact).toEqual({ email: '', phone: '' });
    chat.stop();
  });
});
