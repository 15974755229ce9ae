import { describe, expect, it } from 'vitest';
import { earlierTexts } from './edits';

describe('earlier texts of an edited message', () => {
  it('gives each text the time it was written: the message\'s own, then when the one before was replaced', () => {
    const m = { created_at: '2026-01-01T12:00:00Z' };
    const edits = [
      { version: 2, body: 'Заказ 12354', replaced_at: '2026-01-01T12:07:00Z' },
      { version: 1, body: 'Заказ 1234', replaced_at: '2026-01-01T12:03:00Z' },
    ];
    expect(earlierTexts(m, edits)).toEqual([
      { version: 1, body: 'Заказ 1234', written_at: '2026-01-01T12:00:00Z' },
      { version: 2, body: 'Заказ 12354', written_at: '2026-01-01T12:03:00Z' },
    ]);
    expect(earlierTexts(m, [])).toEqual([]);
  });
});
