import { describe, expect, it } from 'vitest';
import { message, operatorMessage } from '../test/fixtures';
import { Conversation } from './conversation';

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
