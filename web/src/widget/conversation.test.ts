import { describe, expect, it } from 'vitest';
import { message, operatorMessage } from '../test/fixtures';
import { Conversation, readMarkSeq } from './conversation';

const at = (minute: number) => new Date(Date.UTC(2026, 0, 1, 12, minute)).toISOString();

describe('Conversation', () => {
  it('ignores messages it already holds', () => {
    const c = new Conversation();
    expect(c.receive(message(1))).toBe(true);
    expect(c.receive(message(1))).toBe(false);
    expect(c.threads()[0].messages).toHaveLength(1);
  });

  it('resumes from the highest seq of the newest dialog', () => {
    const c = new Conversation();
    expect(c.resumeAfter()).toBe(0);
    c.receive(message(1, { created_at: at(1) }));
    c.receive(message(4, { created_at: at(4) }));
    c.receive(message(2, { created_at: at(2) }));
    expect(c.resumeAfter()).toBe(4);
    // A second dialog (after the first was closed) starts again at seq 1.
    c.receive(message(1, { dialog_id: 'd2', created_at: at(10) }));
    expect(c.resumeAfter()).toBe(1);
    expect(c.threads().map((t) => t.dialogId)).toEqual(['d1', 'd2']);
  });

  it('keeps seq 1 of a new dialog apart from seq 1 of the old one', () => {
    const c = new Conversation();
    c.receive(message(1, { created_at: at(1) }));
    expect(c.receive(message(1, { dialog_id: 'd2', created_at: at(5) }))).toBe(true);
    expect(c.threads()).toHaveLength(2);
  });

  it('moves a pending send to the dialog named in the ack', () => {
    const c = new Conversation();
    c.receive(message(1, { created_at: at(1) }));
    c.markClosed('d1');
    c.outbox.start('c-9', 'new question');
    c.ack('c-9', message(1, { dialog_id: 'd2', client_id: 'c-9', created_at: at(9) }));
    expect(c.outbox.size).toBe(0);
    expect(c.latest()?.dialogId).toBe('d2');
    expect(c.isClosed('d1')).toBe(true);
    expect(c.isClosed('d2')).toBe(false);
  });

  it('counts operator messages after the seen mark only', () => {
    const c = new Conversation();
    c.receive(message(1, { created_at: at(1) }));
    c.receive(operatorMessage(2, { created_at: at(2) }));
    c.receive(operatorMessage(3, { created_at: at(3) }));
    expect(c.unreadAfter(null)).toBe(2);
    expect(c.unreadAfter({ dialog_id: 'd1', seq: 2 })).toBe(1);
    expect(c.unreadAfter(c.newestMark())).toBe(0);
    // Seen in an older dialog that is not held any more: everything here is new.
    expect(c.unreadAfter({ dialog_id: 'old', seq: 99 })).toBe(2);
    c.receive(operatorMessage(1, { dialog_id: 'd2', created_at: at(20) }));
    expect(c.unreadAfter({ dialog_id: 'd1', seq: 3 })).toBe(1);
  });
});

describe('read state', () => {
  it('puts the read mark under the visitor\'s last message the operators have read', () => {
    const list = [message(1), operatorMessage(2), message(3), message(4)];
    expect(readMarkSeq(list, 0)).toBeNull();
    expect(readMarkSeq(list, 2)).toBe(1);
    expect(readMarkSeq(list, 3)).toBe(3);
    expect(readMarkSeq(list, 9)).toBe(4);
  });

  it('keeps the operators\' read seq per dialog and never moves it back', () => {
    const c = new Conversation();
    c.setDialog({ id: 'd1', number: 1, status: 'open', last_seq: 3, close_reason: null, rating: null, operator_read_seq: 2 });
    expect(c.operatorReadSeq('d1')).toBe(2);
    expect(c.operatorReadUpTo('d1', 1)).toBe(false);
    expect(c.operatorReadUpTo('d1', 3)).toBe(true);
    expect(c.operatorReadSeq('d1')).toBe(3);
    expect(c.operatorReadSeq('d2')).toBe(0);
  });

  it('remembers what the server said of a dialog, closed or not', () => {
    const c = new Conversation();
    c.setDialog({ id: 'd1', number: 1, status: 'closed', last_seq: 3, close_reason: 'operator', rating: null, operator_read_seq: 3 });
    expect(c.isClosed('d1')).toBe(true);
    expect(c.dialog('d1')?.close_reason).toBe('operator');
  });

  it('reports as read the newest seq of the newest dialog when someone else wrote since', () => {
    const c = new Conversation();
    expect(c.readToSend(null)).toBeNull();
    c.receive(message(1, { created_at: at(1) }));
    // Only his own message: nothing to report.
    expect(c.readToSend(null)).toBeNull();
    c.receive(operatorMessage(2, { created_at: at(2) }));
    c.receive(message(3, { created_at: at(3) }));
    expect(c.readToSend(null)).toEqual({ dialog_id: 'd1', seq: 3 });
    expect(c.readToSend({ dialog_id: 'd1', seq: 3 })).toBeNull();
    expect(c.readToSend({ dialog_id: 'd1', seq: 2 })).toBeNull();
    c.receive(operatorMessage(1, { dialog_id: 'd2', created_at: at(9) }));
    expect(c.readToSend({ dialog_id: 'd1', seq: 3 })).toEqual({ dialog_id: 'd2', seq: 1 });
  });
});
