import { describe, expect, it } from 'vitest';
import { message } from '../test/fixtures';
import { DialogMessages, MessageLog, Outbox, canRetry } from './messages';

describe('MessageLog', () => {
  it('keeps each seq once and lists in seq order', () => {
    const log = new MessageLog('d1');
    expect(log.add(message(2))).toBe(true);
    expect(log.add(message(1))).toBe(true);
    expect(log.add(message(2, { body: 'repeated by a resume' }))).toBe(false);
    expect(log.list().map((m) => m.seq)).toEqual([1, 2]);
    expect(log.list()[1].body).toBe('message 2');
  });

  it('counts only new messages in addMany', () => {
    const log = new MessageLog('d1');
    log.addMany([message(1), message(2)]);
    expect(log.addMany([message(2), message(3), message(3)])).toBe(1);
    expect(log.size).toBe(3);
  });

  it('resumes after the highest seq held, 0 when empty', () => {
    const log = new MessageLog('d1');
    expect(log.lastSeq()).toBe(0);
    log.addMany([message(1), message(5), message(3)]);
    expect(log.lastSeq()).toBe(5);
  });

  it('replaces a held message by a newer edit of it, in place, and nothing else', () => {
    const log = new MessageLog('d1');
    log.addMany([message(1), message(2), message(3)]);
    const edited = message(2, { body: 'заказ 12346', edited_at: '2026-01-01T12:05:00Z' });
    expect(log.replace(edited)).toBe(true);
    expect(log.list().map((m) => m.body)).toEqual(['message 1', 'заказ 12346', 'message 3']);
    // The same version again, or an older one arriving late, changes nothing.
    expect(log.replace(edited)).toBe(false);
    expect(log.replace(message(2, { body: 'заказ 1234', edited_at: '2026-01-01T12:04:00Z' }))).toBe(false);
    expect(log.replace(message(2, { body: 'message 2' }))).toBe(false);
    expect(log.list()[1].body).toBe('заказ 12346');
    // A message not held is not added; another message's seq is not overwritten.
    expect(log.replace(message(4, { edited_at: '2026-01-01T12:05:00Z' }))).toBe(false);
    expect(log.replace(message(3, { id: 'other', edited_at: '2026-01-01T12:05:00Z' }))).toBe(false);
    expect(log.size).toBe(3);
    expect(log.list()[2].id).toBe('m-d1-3');
  });
});

describe('Outbox', () => {
  it('keeps sends in order until settled', () => {
    const box = new Outbox();
    box.start('a', 'first');
    box.start('b', 'second');
    expect(box.list().map((p) => p.client_id)).toEqual(['a', 'b']);
    expect(box.settle('a')).toBe(true);
    expect(box.settle('a')).toBe(false);
    expect(box.list().map((p) => p.body)).toEqual(['second']);
  });

  it('marks refusals failed, and retry puts them back to sending with the same id', () => {
    const box = new Outbox();
    box.start('a', 'text');
    box.fail('a', { code: 'message_too_long', details: { limit: 10 } });
    expect(box.get('a')?.state).toBe('failed');
    expect(box.get('a')?.error?.code).toBe('message_too_long');
    expect(box.sending()).toEqual([]);
    const again = box.retry('a');
    expect(again?.client_id).toBe('a');
    expect(again?.state).toBe('sending');
    expect(again?.error).toBeUndefined();
    expect(box.sending().map((p) => p.client_id)).toEqual(['a']);
  });

  it('keeps a note flag and attachments through a failure and a retry', () => {
    const box = new Outbox();
    const file = { id: 'u1', name: 'a.png', content_type: 'image/png', size: 10 };
    box.start('a', '', 5, { internal: true, attachments: [file] });
    box.fail('a', { code: 'internal', details: {} });
    const again = box.retry('a');
    expect(again).toMatchObject({ internal: true, attachments: [file], started_at: 5, state: 'sending' });
    expect(again && 'error' in again).toBe(false);
  });

  it('ignores failures for unknown ids', () => {
    const box = new Outbox();
    expect(box.fail('nope', { code: 'internal', details: {} })).toBe(false);
    expect(box.size).toBe(0);
  });
});

describe('DialogMessages', () => {
  it('turns a pending send into a message on ack', () => {
    const d = new DialogMessages('d1');
    d.outbox.start('c-1', 'hello');
    expect(d.ack('c-1', message(1, { client_id: 'c-1', body: 'hello' }))).toBe(true);
    expect(d.outbox.size).toBe(0);
    expect(d.log.list().map((m) => m.body)).toEqual(['hello']);
  });

  it('settles a pending send when message.created with its client_id comes before the ack', () => {
    const d = new DialogMessages('d1');
    d.outbox.start('c-1', 'hello');
    expect(d.receive(message(1, { client_id: 'c-1' }))).toBe(true);
    expect(d.outbox.size).toBe(0);
    // The ack that follows adds nothing.
    expect(d.ack('c-1', message(1, { client_id: 'c-1' }))).toBe(false);
    expect(d.log.size).toBe(1);
  });

  it('leaves other pending sends alone', () => {
    const d = new DialogMessages('d1');
    d.outbox.start('c-1', 'one');
    d.outbox.start('c-2', 'two');
    d.ack('c-2', message(1, { client_id: 'c-2' }));
    expect(d.outbox.list().map((p) => p.client_id)).toEqual(['c-1']);
  });

  it('a duplicate ack (same client_id sent twice) stores the message once', () => {
    const d = new DialogMessages('d1');
    d.outbox.start('c-1', 'hi');
    d.ack('c-1', message(7, { client_id: 'c-1' }));
    d.ack('c-1', message(7, { client_id: 'c-1' }));
    expect(d.log.size).toBe(1);
    expect(d.lastSeq()).toBe(7);
  });
});

describe('canRetry', () => {
  it('refuses to resend what the server refused for its content or a closed dialog', () => {
    for (const code of ['empty_message', 'message_too_long', 'dialog_closed']) {
      expect(canRetry({ code, details: {} })).toBe(false);
    }
  });
  it('offers a retry after network and server troubles', () => {
    for (const code of ['network', 'unavailable', 'internal']) {
      expect(canRetry({ code, details: {} })).toBe(true);
    }
    expect(canRetry(undefined)).toBe(true);
  });
});
