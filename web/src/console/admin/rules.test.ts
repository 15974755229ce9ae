import { describe, expect, it } from 'vitest';
import { makeT } from '../i18n';
import { ruleFieldLabel, ruleIssueText } from './RulesAdmin';
import { draftsFrom, fieldPath, moveItem, newCondition, newRule, parseFieldPath, RULE_CONDITIONS, retype, rulesRequest, TRIGGER_CONDITIONS } from './rules';
import { topicChoices, type BotView } from './telegram';

const bot = (id: string, topics: unknown[]): BotView => ({
  id,
  username: `${id}_bot`,
  name: id,
  channel_id: 'c1',
  settings: { topics },
  mode: 'polling',
  enabled: true,
  created_at: '2026-03-01T10:00:00Z',
});
const topic = (key: string, ru: string, en: string) => ({ key, title: { ru, en }, channel_id: null, questions: [] });

describe('routing rules editor', () => {
  it('moves a rule up and down within the list', () => {
    expect(moveItem(['a', 'b', 'c'], 2, -1)).toEqual(['a', 'c', 'b']);
    expect(moveItem(['a', 'b', 'c'], 0, 1)).toEqual(['b', 'a', 'c']);
    expect(moveItem(['a', 'b', 'c'], 0, -1)).toEqual(['a', 'b', 'c']);
    expect(moveItem(['a', 'b', 'c'], 2, 1)).toEqual(['a', 'b', 'c']);
  });

  it('saves the drafts as the server wants them, in order and trimmed', () => {
    const drafts = draftsFrom([
      { id: 'r1', name: ' Кухни ', channel_id: 'c1', conditions: [{ type: 'url', pattern: ' https://shop.example/kitchens/* ', regex: false }] },
      { id: 'r2', name: 'Москва', channel_id: 'c2', conditions: [{ type: 'property', name: 'city', value: 'Москва' }, { type: 'language', value: 'ru' }] },
    ]);
    const added = { ...newRule('c3'), name: 'English', conditions: [{ ...newCondition('language'), value: 'en' }] };
    expect(rulesRequest(moveItem([...drafts, added], 2, -2))).toEqual({
      items: [
        { name: 'English', channel_id: 'c3', conditions: [{ type: 'language', value: 'en' }] },
        { name: 'Кухни', channel_id: 'c1', conditions: [{ type: 'url', pattern: 'https://shop.example/kitchens/*', regex: false }] },
        { name: 'Москва', channel_id: 'c2', conditions: [{ type: 'property', name: 'city', value: 'Москва' }, { type: 'language', value: 'ru' }] },
      ],
    });
  });

  it('changes a condition\'s type keeping its place', () => {
    const c = newCondition('url');
    const changed = retype(c, 'property');
    expect(changed).toMatchObject({ key: c.key, type: 'property', name: '', value: '' });
    expect(retype(c, 'url')).toBe(c);
  });

  it('reads the server\'s field paths back to a rule, a condition and a field', () => {
    expect(parseFieldPath('items[2].conditions[0].pattern')).toEqual({ rule: 2, condition: 0, field: 'pattern' });
    expect(parseFieldPath('items[0].name')).toEqual({ rule: 0, condition: null, field: 'name' });
    expect(parseFieldPath('items[1].conditions')).toEqual({ rule: 1, condition: null, field: 'conditions' });
    expect(parseFieldPath('items[3]')).toEqual({ rule: 3, condition: null, field: null });
    expect(parseFieldPath('email')).toBeNull();
    expect(fieldPath(2, 'pattern', 0)).toBe('items[2].conditions[0].pattern');
    expect(fieldPath(1, 'channel_id')).toBe('items[1].channel_id');
  });

  it('has a Telegram topic condition for rules, sent trimmed, and none for proactive messages', () => {
    expect(RULE_CONDITIONS).toContain('telegram_topic');
    // A proactive message shows in the widget, where no Telegram topic is ever chosen.
    expect(TRIGGER_CONDITIONS).not.toContain('telegram_topic');
    const c = newCondition('telegram_topic');
    expect(c).toMatchObject({ type: 'telegram_topic', value: '' });
    const rule = { ...newRule('c1'), name: 'Доставка', conditions: [{ ...c, value: ' delivery ' }] };
    expect(rulesRequest([rule])).toEqual({ items: [{ name: 'Доставка', channel_id: 'c1', conditions: [{ type: 'telegram_topic', value: 'delivery' }] }] });
    expect(retype(newCondition('url'), 'telegram_topic')).toMatchObject({ type: 'telegram_topic', value: '' });
    const [read] = draftsFrom([{ id: 'r1', name: 'Возвраты', channel_id: 'c2', conditions: [{ type: 'telegram_topic', value: 'returns' }] }]);
    expect(read.conditions[0]).toMatchObject({ type: 'telegram_topic', value: 'returns' });
  });

  it('has a mail address condition for rules, sent trimmed, and none for proactive messages', () => {
    expect(RULE_CONDITIONS).toEqual(['url', 'property', 'language', 'telegram_topic', 'mail_to', 'segment']);
    // A proactive message shows in the widget, where no mail arrives; the server refuses it there.
    expect(TRIGGER_CONDITIONS).not.toContain('mail_to');
    expect(retype(newCondition('url'), 'mail_to')).toMatchObject({ type: 'mail_to', value: '' });
    const rule = { ...newRule('c1'), name: 'Сервис', conditions: [{ ...newCondition('mail_to'), value: ' service@kitchens.example ' }] };
    expect(rulesRequest([rule])).toEqual({ items: [{ name: 'Сервис', channel_id: 'c1', conditions: [{ type: 'mail_to', value: 'service@kitchens.example' }] }] });
  });

  it('offers the bots\' topics once each, titled in the console\'s language', () => {
    const bots = [
      bot('b1', [topic('delivery', 'Доставка', 'Delivery'), topic('returns', 'Возврат', '')]),
      bot('b2', [topic('delivery', 'Доставка (второй бот)', 'Delivery 2'), topic('sales', 'Доставка', 'Sales'), { key: 'bare', title: {} }]),
      bot('b3', []),
    ];
    expect(topicChoices(bots, 'ru')).toEqual([
      { key: 'delivery', title: 'Доставка', sameTitle: true },
      { key: 'returns', title: 'Возврат', sameTitle: false },
      { key: 'sales', title: 'Доставка', sameTitle: true },
      { key: 'bare', title: 'bare', sameTitle: false },
    ]);
    // English, else the Russian title.
    expect(topicChoices(bots, 'en').map((c) => c.title)).toEqual(['Delivery', 'Возврат', 'Sales', 'bare']);
    expect(topicChoices([], 'ru')).toEqual([]);
    expect(topicChoices([bot('b1', [])], 'ru')).toEqual([]);
  });

  it('names a refused topic in the words of the form', () => {
    const ru = makeT('ru');
    const en = makeT('en');
    const drafts = [{ ...newRule('c1'), conditions: [newCondition('language'), { ...newCondition('telegram_topic'), value: 'Доставка' }, newCondition('telegram_topic')] }];
    const ref = (condition: number) => ({ rule: 0, condition, field: 'value' });
    expect(ruleFieldLabel(ru, ref(1), drafts)).toBe('Тема');
    expect(ruleFieldLabel(en, ref(1), drafts)).toBe('Topic');
    expect(ruleFieldLabel(ru, ref(0), drafts)).toBe('Язык (ru, en…)');
    const issue = { field: 'items[0].conditions[1].value', reason: 'slug' as const };
    expect(ruleIssueText(ru, issue, ref(1), drafts)).toBe('От 1 до 24 символов: строчные латинские буквы, цифры, _ и -.');
    expect(ruleIssueText(en, issue, ref(2), drafts)).toBe('Choose a topic or type its key.');
    expect(ruleIssueText(ru, { field: 'items[0].conditions[0].value', reason: 'language' }, ref(0), drafts)).toBe(ru('issue.language'));
  });

  it('has a segment condition for rules and proactive messages, read and sent by id', () => {
    expect(RULE_CONDITIONS).toContain('segment');
    expect(TRIGGER_CONDITIONS).toContain('segment');
    expect(retype(newCondition('url'), 'segment')).toMatchObject({ type: 'segment', segment_id: '' });
    const [read] = draftsFrom([{ id: 'r1', name: 'Покупатели', channel_id: 'c2', conditions: [{ type: 'segment', segment_id: 's-1' }] }]);
    expect(read.conditions[0]).toMatchObject({ type: 'segment', segment_id: 's-1' });
    expect(rulesRequest([read])).toEqual({ items: [{ name: 'Покупатели', channel_id: 'c2', conditions: [{ type: 'segment', segment_id: 's-1' }] }] });
  });
});
