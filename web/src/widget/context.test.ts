import { describe, expect, it } from 'vitest';
import { translator } from '../shared/i18n';
import { problemText } from './context';
import { tables } from './i18n';

const text = (lang: 'ru' | 'en', details: Record<string, unknown>) =>
  problemText(translator(tables[lang]), lang, { code: 'rate_limited', details });

describe('a limit, in words the visitor understands', () => {
  it('names the limit and the wait', () => {
    expect(text('ru', { limit: 'widget_messages', retry_after: 2 })).toBe('Вы пишете слишком часто. Следующее сообщение можно отправить через 2 с.');
    expect(text('en', { limit: 'widget_messages', retry_after: 2 })).toBe('You are writing too often. You can send the next message in 2 s.');
    expect(text('ru', { limit: 'widget_uploads', retry_after: 600 })).toBe('Слишком много файлов за час. Следующий можно отправить через 10 мин.');
    expect(text('en', { limit: 'widget_sockets_per_visitor', retry_after: 0 })).toBe('The chat is open in too many tabs. Close some and reload the page.');
  });

  it('falls back to the general sentence for a limit it does not know', () => {
    expect(text('en', { limit: 'something_new', retry_after: 5 })).toBe('Too many messages in a row. Please wait a moment.');
  });
});
