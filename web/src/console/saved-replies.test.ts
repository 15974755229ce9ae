import { describe, expect, it } from 'vitest';
import type { SavedReplyView } from '../shared/api-types';
import { fillReply, orderedReplies, pinReply, searchReplies, shortcutNumber, shortcutOf, shortcutReply, shortcutSlots, slashQuery } from './saved-replies';

const reply = (id: string, scope: SavedReplyView['scope'], title: string, over: Partial<SavedReplyView> = {}): SavedReplyView => ({
  id,
  scope,
  channel_id: scope === 'channel' ? 'c1' : null,
  owner_id: scope === 'personal' ? 'op1' : null,
  title,
  body: `${title} text`,
  ...over,
});

describe('orderedReplies', () => {
  it('puts personal, then the dialog channel, then workspace replies, each by title', () => {
    const all = [
      reply('w1', 'workspace', 'Прощание'),
      reply('c2', 'channel', 'Другой канал', { channel_id: 'c2' }),
      reply('c1', 'channel', 'Доставка'),
      reply('p2', 'personal', 'Мой б'),
      reply('w0', 'workspace', 'Адрес'),
      reply('p1', 'personal', 'Мой а'),
    ];
    expect(orderedReplies(all, 'c1').map((r) => r.id)).toEqual(['p1', 'p2', 'c1', 'w0', 'w1']);
    expect(orderedReplies(all, 'c2').map((r) => r.id)).toEqual(['p1', 'p2', 'c2', 'w0', 'w1']);
  });
});

describe('searchReplies', () => {
  const list = [reply('a', 'personal', 'Оплата картой', { body: 'Можно оплатить на сайте' }), reply('b', 'workspace', 'Доставка', { body: 'Оплата при получении' })];
  it('finds every word in title or text, title matches first, ё as е', () => {
    expect(searchReplies(list, 'оплат').map((r) => r.id)).toEqual(['a', 'b']);
    expect(searchReplies(list, 'доставка оплата').map((r) => r.id)).toEqual(['b']);
    expect(searchReplies([reply('c', 'personal', 'Ещё')], 'еще').map((r) => r.id)).toEqual(['c']);
    expect(searchReplies(list, '  ')).toHaveLength(2);
    expect(searchReplies(list, 'возврат')).toEqual([]);
  });
});

describe('slashQuery and shortcuts', () => {
  it('reads "/" at the start of a one-line composer', () => {
    expect(slashQuery('/')).toBe('');
    expect(slashQuery('/дост')).toBe('дост');
    expect(slashQuery('a /x')).toBeNull();
    expect(slashQuery('/x\ny')).toBeNull();
  });
  it('takes Ctrl+1..9 only', () => {
    const key = (over: Partial<KeyboardEvent>) => ({ ctrlKey: true, altKey: false, shiftKey: false, metaKey: false, key: '1', code: 'Digit1', ...over });
    expect(shortcutNumber(key({}))).toBe(1);
    expect(shortcutNumber(key({ key: '9', code: 'Digit9' }))).toBe(9);
    expect(shortcutNumber(key({ key: '0', code: 'Digit0' }))).toBeNull();
    expect(shortcutNumber(key({ ctrlKey: false }))).toBeNull();
    expect(shortcutNumber(key({ shiftKey: true, key: '!' }))).toBeNull();
    // A layout where the digit key gives another character still counts by its code.
    expect(shortcutNumber(key({ key: '&', code: 'Digit1' }))).toBe(1);
  });
});

describe('fillReply', () => {
  const ctx = { visitorName: 'Ольга Петрова', operatorName: 'Анна Смирнова' };
  it('fills the four variables', () => {
    expect(fillReply('Здравствуйте, {visitor.first_name}! Меня зовут {operator.first_name}.', ctx)).toBe('Здравствуйте, Ольга! Меня зовут Анна.');
    expect(fillReply('{visitor.name} / {operator.name}', ctx)).toBe('Ольга Петрова / Анна Смирнова');
  });
  it('leaves unknown braces as written', () => {
    expect(fillReply('Код {order.id} для {visitor.first_name}', ctx)).toBe('Код {order.id} для Ольга');
  });
  it('tidies after a visitor without a name', () => {
    const none = { visitorName: null, operatorName: 'Анна' };
    expect(fillReply('Здравствуйте, {visitor.first_name}!', none)).toBe('Здравствуйте!');
    expect(fillReply('Спасибо, {visitor.name}.', none)).toBe('Спасибо.');
    expect(fillReply('Спасибо за ожидание, {visitor.name}', none)).toBe('Спасибо за ожидание');
    expect(fillReply('{visitor.first_name}, добрый день! Я {operator.first_name}.', none)).toBe('Добрый день! Я Анна.');
    expect(fillReply('Да, {visitor.name}, конечно.', none)).toBe('Да, конечно.');
    expect(fillReply('Рады видеть вас {visitor.name} снова', none)).toBe('Рады видеть вас снова');
    expect(fillReply('Привет {visitor.first_name} !', none)).toBe('Привет!');
    expect(fillReply('Готово. {visitor.first_name}, проверьте почту.', { visitorName: '  ', operatorName: '' })).toBe('Готово. Проверьте почту.');
  });
  it('keeps the author\'s own spacing where nothing was empty', () => {
    expect(fillReply('Строка 1\n\nСтрока  2 ,', ctx)).toBe('Строка 1\n\nСтрока  2 ,');
  });
});

describe('pinned shortcuts (Ctrl+1…9)', () => {
  const all = [reply('p1', 'personal', 'Мой'), reply('c1', 'channel', 'Канал 1'), reply('c2', 'channel', 'Канал 2', { channel_id: 'c2' }), reply('w1', 'workspace', 'Общий')];
  const slots = [null, 'c2', null, null, 'gone', null, null, null, 'w1'];

  it('inserts the pinned reply of a slot in any channel; an empty slot or a deleted reply inserts nothing', () => {
    const inC1 = orderedReplies(all, 'c1');
    expect(shortcutReply(all, slots, 2, inC1)?.id).toBe('c2');
    expect(shortcutReply(all, slots, 9, inC1)?.id).toBe('w1');
    expect(shortcutReply(all, slots, 1, inC1)).toBeNull();
    expect(shortcutReply(all, slots, 5, inC1)).toBeNull();
    // The numbers never shift: slot 9 stays 9 with slots 1, 3, 4 empty.
    expect(shortcutOf(slots, all[3])).toBe(9);
    expect(shortcutOf(slots, all[0])).toBeNull();
  });

  it('numbers the first nine of the list only for a server that keeps no pins', () => {
    const inC1 = orderedReplies(all, 'c1');
    expect(shortcutReply(all, undefined, 1, inC1)?.id).toBe('p1');
    expect(shortcutReply(all, undefined, 2, inC1)?.id).toBe('c1');
    expect(shortcutOf(undefined, inC1[2], inC1)).toBe(3);
    expect(shortcutReply(all, undefined, 0, inC1)).toBeNull();
  });

  it('pins a reply to one slot only, unpins it, and always keeps nine slots', () => {
    expect(shortcutSlots(['a', 7, null])).toEqual(['a', null, null, null, null, null, null, null, null]);
    expect(pinReply(slots, 'c2', 1)).toEqual(['c2', null, null, null, 'gone', null, null, null, 'w1']);
    expect(pinReply(slots, 'w1', null)).toEqual([null, 'c2', null, null, 'gone', null, null, null, null]);
    expect(pinReply(undefined, 'p1', 3)).toEqual([null, null, 'p1', null, null, null, null, null, null]);
  });
});
