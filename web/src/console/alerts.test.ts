import { describe, expect, it } from 'vitest';
import type { ServerFrame } from '../shared/api-types';
import { dialog, message } from '../test/fixtures';
import { decideAlert, notificationText, type AlertContext } from './alerts';
import { makeT } from './i18n';

const me = { id: 'op1', display_name: 'Анна' };
const other = { id: 'op2', display_name: 'Иван' };
const ctx = (over: Partial<AlertContext> = {}): AlertContext => ({
  meId: 'op1',
  presence: 'online',
  selectedId: null,
  visible: true,
  held: undefined,
  acting: new Set(),
  ...over,
});

describe('alerts', () => {
  it('sound a new dialog in the queue or given to me, and notify when the tab is not watched', () => {
    const created: ServerFrame = { type: 'dialog.created', dialog: dialog('d1') };
    expect(decideAlert(created, ctx())).toEqual({ tone: 'dialog', notify: null });
    expect(decideAlert(created, ctx({ visible: false }))?.notify?.kind).toBe('new_dialog');
    expect(decideAlert({ type: 'dialog.created', dialog: dialog('d1', { assignee: me }) }, ctx())?.tone).toBe('dialog');
    expect(decideAlert({ type: 'dialog.created', dialog: dialog('d1', { assignee: other }) }, ctx())).toBeNull();
  });

  it('alert a long wait with sound and notification unless offline', () => {
    const waiting: ServerFrame = { type: 'dialog.waiting', dialog: dialog('d1', { waiting_alert: true }) };
    expect(decideAlert(waiting, ctx())).toMatchObject({ tone: 'dialog', notify: { kind: 'waiting' } });
    expect(decideAlert(waiting, ctx({ presence: 'away' }))?.tone).toBe('dialog');
    expect(decideAlert(waiting, ctx({ presence: 'offline' }))).toBeNull();
    // Taken in the meantime: nothing to wake anybody for.
    expect(decideAlert({ type: 'dialog.waiting', dialog: dialog('d1', { assignee: other }) }, ctx())).toBeNull();
  });

  it('sound a dialog handed to me by someone else, not my own accept', () => {
    const handed: ServerFrame = { type: 'dialog.updated', dialog: dialog('d1', { assignee: me }) };
    expect(decideAlert(handed, ctx({ held: dialog('d1') }))?.tone).toBe('dialog');
    expect(decideAlert(handed, ctx({ held: dialog('d1'), acting: new Set(['d1']) }))).toBeNull();
    expect(decideAlert(handed, ctx({ held: dialog('d1', { assignee: me }) }))).toBeNull();
  });

  it('sound a visitor message in my or a queued dialog that is not on screen', () => {
    const frame: ServerFrame = { type: 'message.created', message: message(3) };
    const mine = dialog('d1', { assignee: me });
    expect(decideAlert(frame, ctx({ held: mine }))).toEqual({ tone: 'message', notify: null });
    expect(decideAlert(frame, ctx({ held: mine, selectedId: 'd1' }))).toBeNull();
    expect(decideAlert(frame, ctx({ held: mine, selectedId: 'd1', visible: false }))?.notify?.kind).toBe('message');
    expect(decideAlert(frame, ctx({ held: dialog('d1') }))?.tone).toBe('message');
    expect(decideAlert(frame, ctx({ held: dialog('d1', { assignee: other }) }))).toBeNull();
    // The first message comes with dialog.created, which has sounded already.
    expect(decideAlert({ type: 'message.created', message: message(1) }, ctx({ held: mine }))).toBeNull();
    expect(decideAlert({ type: 'message.created', message: message(3, { author: { kind: 'operator', id: 'op2', name: 'Иван' } }) }, ctx({ held: mine }))).toBeNull();
  });

  it('word notifications in the console\'s language', () => {
    const d = dialog('d1', { visitor: { id: 'v', number: 42, name: null, city: null, page_url: null, source: 'widget' }, last_message: { author_kind: 'visitor', preview: 'Нужна кухня', created_at: '2026-01-01T10:00:00Z' } });
    expect(notificationText({ kind: 'new_dialog', dialog: d }, makeT('ru'))).toEqual({ title: 'Новый диалог', body: 'Посетитель 42: Нужна кухня' });
    expect(notificationText({ kind: 'waiting', dialog: d }, makeT('en'))).toEqual({ title: 'A dialog has waited too long', body: 'Visitor 42: Нужна кухня' });
    expect(notificationText({ kind: 'message', dialog: d, message: message(3, { body: 'Алло?' }) }, makeT('en'))).toEqual({ title: 'Visitor 42 writes', body: 'Алло?' });
  });

  it('sound an SLA breach and notify it when the tab is not watched, in words', () => {
    const d = dialog('d1', { number: 7, last_message: { author_kind: 'visitor', preview: 'Где заказ?', created_at: '2026-01-01T10:00:00Z' } });
    const frame: ServerFrame = { type: 'sla.breached', dialog: d, target: 'first_reply', due_at: '2026-01-01T10:01:00Z' };
    expect(decideAlert(frame, ctx())).toEqual({ tone: 'dialog', notify: null });
    const hidden = decideAlert(frame, ctx({ visible: false }));
    expect(hidden?.notify).toMatchObject({ kind: 'sla_breached', target: 'first_reply' });
    expect(decideAlert(frame, ctx({ presence: 'offline' }))).toBeNull();
    expect(notificationText(hidden!.notify!, makeT('ru'))).toEqual({ title: 'SLA: просрочен первый ответ', body: '№ 7 · Посетитель 42: Где заказ?' });
    expect(notificationText({ kind: 'sla_breached', dialog: dialog('d2', { number: 8 }), target: 'resolution' }, makeT('en'))).toEqual({
      title: 'SLA: resolution overdue',
      body: '#8 · Visitor 42',
    });
  });
});
