import { describe, expect, it } from 'vitest';
import { dialog } from '../test/fixtures';
import { autoCloseNote, autoCloseText } from './auto-close';
import { makeT } from './i18n';

// A local time today, so the wording shows the clock alone.
const today = (h: number, m: number) => {
  const d = new Date();
  d.setHours(h, m, 0, 0);
  return d.toISOString();
};
const fromVisitor = { author_kind: 'visitor' as const, preview: 'Алло?', created_at: '2026-01-01T10:00:00Z' };
const fromOperator = { author_kind: 'operator' as const, preview: 'Минуту, уточняю', created_at: '2026-01-01T10:00:00Z' };

describe('auto-close wording', () => {
  const ru = makeT('ru');
  const en = makeT('en');

  it('says when the dialog closes by itself, or asks its prompt', () => {
    const close = autoCloseNote(dialog('d1', { auto_close: { at: today(12, 40), action: 'close', hold_phrase: null }, last_message: fromOperator }))!;
    expect(close).toEqual({ kind: 'close', at: today(12, 40) });
    expect(autoCloseText(close, ru, 'ru')).toBe('Закроется сам в 12:40, если посетитель будет молчать');
    expect(autoCloseText(close, en, 'en')).toBe('Closes by itself at 12:40 if the visitor stays silent');
    const prompt = autoCloseNote(dialog('d1', { auto_close: { at: today(9, 5), action: 'prompt', hold_phrase: null } }))!;
    expect(autoCloseText(prompt, en, 'en')).toBe('Will ask whether the question is still relevant at 09:05');
    expect(autoCloseText(prompt, ru, 'ru')).toBe('В 09:05 спросит посетителя, актуален ли ещё вопрос');
  });

  it('names the hold phrase that kept it open longer', () => {
    const hold = autoCloseNote(dialog('d1', { auto_close: { at: today(13, 10), action: 'close', hold_phrase: 'минуту' } }))!;
    expect(hold).toEqual({ kind: 'hold', at: today(13, 10), phrase: 'минуту', action: 'close' });
    expect(autoCloseText(hold, ru, 'ru')).toBe('Дольше остаётся открытым: «минуту» — закроется в 13:10');
    expect(autoCloseText(hold, en, 'en')).toBe('Kept open longer: “минуту” — closes at 13:10');
    const holdPrompt = autoCloseNote(dialog('d1', { auto_close: { at: today(13, 10), action: 'prompt', hold_phrase: 'оформляю' } }))!;
    expect(autoCloseText(holdPrompt, ru, 'ru')).toBe('Дольше остаётся открытым: «оформляю» — в 13:10 спросит, актуален ли ещё вопрос');
  });

  it('adds the date when the time is not today', () => {
    const later = new Date(Date.now() + 3 * 86_400_000);
    later.setHours(10, 0, 0, 0);
    const text = autoCloseText({ kind: 'close', at: later.toISOString() }, en, 'en');
    expect(text).toMatch(/^Closes by itself at \d{1,2} \w{3}, 10:00 if the visitor stays silent$/);
  });

  it('says it will not close while the visitor waits; nothing when the server does not know auto-close', () => {
    const waiting = autoCloseNote(dialog('d1', { auto_close: null, last_message: fromVisitor }))!;
    expect(autoCloseText(waiting, ru, 'ru')).toBe('Сам не закроется: посетитель ждёт ответа');
    expect(autoCloseText(waiting, en, 'en')).toBe('Will not close by itself: the visitor is waiting for a reply');
    // The operator wrote last and nothing is planned (auto-close off): nothing to say.
    expect(autoCloseNote(dialog('d1', { auto_close: null, last_message: fromOperator }))).toBeNull();
    // An older server without the field.
    expect(autoCloseNote(dialog('d1', { last_message: fromVisitor }))).toBeNull();
    // Closed or snoozed dialogs do not close by themselves.
    expect(autoCloseNote(dialog('d1', { status: 'closed', auto_close: { at: today(12, 0), action: 'close', hold_phrase: null } }))).toBeNull();
    expect(autoCloseNote(dialog('d1', { snoozed_until: today(23, 0), auto_close: null, last_message: fromVisitor }))).toBeNull();
  });
});
