/**
 * Segments' pure rules: the draft and the request it makes, the checks (named as the server
 * names fields), the plain-language summary in Russian and English, the plural forms, the
 * server's field paths read back to the input, and the live count's timing (asked 400 ms after
 * the last change, only of a complete draft, older answers dropped).
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { makeT } from '../i18n';
import {
  anchorOf,
  DATE_OPS,
  filterSummary,
  newRuleDraft,
  opsFor,
  parseNumber,
  parseSegmentField,
  pluralForm,
  previewFilter,
  previewVisitorName,
  retypeRule,
  ruleCheck,
  ruleDraftFrom,
  ruleSummary,
  sameDraft,
  segmentDraft,
  segmentMessages,
  segmentProblemText,
  segmentRequest,
  VALUE_OPS,
  visitorsText,
  withName,
  type RuleDraft,
  type SegmentFilter,
  type SegmentPreview,
  type SegmentRule,
} from './segments';
import { LivePreview } from './segments-state';

const ru = makeT('ru');
const en = makeT('en');
const attr = (over: Partial<RuleDraft> = {}): RuleDraft => ({ ...newRuleDraft('attribute'), ...over });

describe('segment drafts and requests', () => {
  it('a new segment: one empty attribute rule, all must hold; not complete, so no count is asked', () => {
    const d = segmentDraft(null);
    expect(d).toMatchObject({ name: '', match: 'all' });
    expect(d.rules.map((r) => r.type)).toEqual(['attribute']);
    expect(previewFilter(d)).toBeNull();
    const asked = segmentRequest(d);
    expect(asked.ok).toBe(false);
    if (!asked.ok) expect(asked.issues.map((i) => `${i.field}:${i.reason}`)).toEqual(['name:required', 'filter.rules[0].name:required', 'filter.rules[0].value:required']);
  });

  it('makes the body the server takes: plan is pro and did order_paid in the last 30 days', () => {
    const d = {
      name: '  Покупатели «Про» ',
      match: 'all' as const,
      rules: [attr({ name: ' plan ', value: ' pro ' }), { ...newRuleDraft('event'), name: 'order_paid', withinDays: '30' }],
    };
    const asked = segmentRequest(d);
    expect(asked).toEqual({
      ok: true,
      value: {
        name: 'Покупатели «Про»',
        filter: {
          match: 'all',
          rules: [
            { type: 'attribute', name: 'plan', op: 'is', value: 'pro' },
            { type: 'event', name: 'order_paid', did: true, within_days: 30 },
          ],
        },
      },
    });
    expect(previewFilter(d)).toEqual(asked.ok ? asked.value.filter : null);
  });

  it('sends each kind of value as the server compares it: text, a number, yes/no, days, none', () => {
    const rule = (d: RuleDraft) => {
      const c = ruleCheck(d, 0);
      return c.ok ? c.value : c.issues;
    };
    expect(rule(attr({ name: 'orders', kind: 'number', value: '1 234,5' }))).toEqual({ type: 'attribute', name: 'orders', op: 'is', value: 1234.5 });
    expect(rule(attr({ name: 'subscribed', kind: 'boolean', flag: false }))).toEqual({ type: 'attribute', name: 'subscribed', op: 'is', value: false });
    expect(rule(attr({ name: 'orders', op: 'gt', value: '3' }))).toEqual({ type: 'attribute', name: 'orders', op: 'gt', value: 3 });
    expect(rule(attr({ name: 'city', op: 'contains', value: 'Петер' }))).toEqual({ type: 'attribute', name: 'city', op: 'contains', value: 'Петер' });
    expect(rule(attr({ name: 'email', op: 'exists', value: 'left over' }))).toEqual({ type: 'attribute', name: 'email', op: 'exists' });
    expect(rule(attr({ name: 'paid_at', op: 'within_days', value: '30' }))).toEqual({ type: 'attribute', name: 'paid_at', op: 'within_days', value: 30 });
    expect(rule({ ...newRuleDraft('event'), name: 'order_paid', did: false, atLeast: '3' })).toEqual({ type: 'event', name: 'order_paid', did: false, at_least: 3 });
    expect(rule({ ...newRuleDraft('tag'), tag: ' vip ', has: false })).toEqual({ type: 'tag', tag: 'vip', has: false });
    expect(rule({ ...newRuleDraft('last_seen'), seen: 'older_than_days', days: '90' })).toEqual({ type: 'last_seen', op: 'older_than_days', days: 90 });
  });

  it('checks a rule as the server does and names the field as it would', () => {
    const issues = (d: RuleDraft, i = 2) => {
      const c = ruleCheck(d, i);
      return c.ok ? [] : c.issues.map((x) => `${x.field}:${x.reason}${x.max ? `<=${x.max}` : ''}`);
    };
    expect(issues(attr({ name: 'orders', op: 'gt', value: 'много' }))).toEqual(['filter.rules[2].value:invalid']);
    expect(issues(attr({ name: 'a"b', op: 'exists' }))).toEqual(['filter.rules[2].name:invalid']);
    expect(issues(attr({ name: 'paid_at', op: 'within_days', value: '0' }))).toEqual(['filter.rules[2].value:range<=3650']);
    expect(issues(attr({ name: 'paid_at', op: 'within_days', value: '1.5' }))).toEqual(['filter.rules[2].value:whole_number']);
    expect(issues({ ...newRuleDraft('event'), name: 'x', atLeast: '0', withinDays: '9999' })).toEqual(['filter.rules[2].at_least:range<=1000000', 'filter.rules[2].within_days:range<=3650']);
    expect(issues({ ...newRuleDraft('tag'), tag: 'a,b' })).toEqual(['filter.rules[2].tag:invalid']);
    expect(issues({ ...newRuleDraft('tag'), tag: 'я'.repeat(51) })).toEqual(['filter.rules[2].tag:too_long<=50']);
    expect(issues({ ...newRuleDraft('last_seen'), days: '' })).toEqual(['filter.rules[2].days:required']);
    expect(segmentRequest({ name: 'x', match: 'any', rules: [] })).toEqual({ ok: false, issues: [{ field: 'filter.rules', reason: 'too_few', min: 1 }] });
  });

  it('offers only the comparisons that make sense: a name ending in _at is a date, compared in days', () => {
    expect(opsFor('plan')).toBe(VALUE_OPS);
    expect(opsFor('paid_at')).toBe(DATE_OPS);
    expect(DATE_OPS).toEqual(['within_days', 'older_than_days', 'exists', 'missing']);
    expect(VALUE_OPS).not.toContain('within_days');
    // Typing a date's name moves the comparison to one for dates, and back.
    const date = withName(attr({ name: 'paid_a' }), 'paid_at');
    expect(date.op).toBe('within_days');
    expect(withName(date, 'paid_a').op).toBe('is');
    // One both kinds have stays.
    expect(withName(attr({ op: 'exists' }), 'paid_at').op).toBe('exists');
    // An event named like a date turned into an attribute gets a date's comparison.
    expect(retypeRule({ ...newRuleDraft('event'), name: 'signed_up_at', op: 'gt' }, 'attribute').op).toBe('within_days');
  });

  it('reads a saved segment back into the same draft and the same request', () => {
    const rules: SegmentRule[] = [
      { type: 'attribute', name: 'plan', op: 'is_not', value: 'free' },
      { type: 'attribute', name: 'orders', op: 'is', value: 3 },
      { type: 'attribute', name: 'vip', op: 'is', value: true },
      { type: 'attribute', name: 'paid_at', op: 'older_than_days', value: 90 },
      { type: 'event', name: 'order_paid', did: true, at_least: 2, within_days: 30 },
      { type: 'tag', tag: 'b2b', has: true },
      { type: 'last_seen', op: 'within_days', days: 7 },
    ];
    const view = { id: 's1', name: 'Все', filter: { match: 'any' as const, rules }, created_at: '', updated_at: '' };
    const d = segmentDraft(view);
    expect(d.rules.map((r) => r.kind)).toEqual(['text', 'number', 'boolean', 'number', 'text', 'text', 'text']);
    expect(segmentRequest(d)).toEqual({ ok: true, value: { name: 'Все', filter: { match: 'any', rules } } });
    expect(sameDraft(d, segmentDraft(view))).toBe(true);
    expect(sameDraft({ ...d, match: 'all' }, segmentDraft(view))).toBe(false);
    expect(ruleDraftFrom({ type: 'event', name: 'x' })).toMatchObject({ did: true, atLeast: '', withinDays: '' });
  });

  it('reads numbers as people type them', () => {
    expect(parseNumber('3')).toBe(3);
    expect(parseNumber(' -2 ')).toBe(-2);
    expect(parseNumber('2,5')).toBe(2.5);
    expect(parseNumber('1 234,5')).toBe(1234.5);
    expect(parseNumber('1\u00a0234')).toBe(1234);
    expect(parseNumber('3 шт')).toBeNull();
    expect(parseNumber('')).toBeNull();
  });
});

describe('segment words', () => {
  it('sums a filter up in plain words, in Russian and English', () => {
    const filter: SegmentFilter = {
      match: 'all',
      rules: [
        { type: 'attribute', name: 'plan', op: 'is', value: 'pro' },
        { type: 'event', name: 'order_paid', did: true, within_days: 30 },
      ],
    };
    expect(filterSummary(ru, 'ru', filter)).toBe('plan = pro · сделал order_paid за 30 дней');
    expect(filterSummary(en, 'en', filter)).toBe('plan = pro · did order_paid in the last 30 days');
    expect(filterSummary(ru, 'ru', { ...filter, match: 'any' })).toBe('plan = pro или сделал order_paid за 30 дней');
    expect(filterSummary(en, 'en', { ...filter, match: 'any' })).toBe('plan = pro or did order_paid in the last 30 days');
  });

  it('words every kind of rule', () => {
    const sum = (r: SegmentRule) => ruleSummary(ru, 'ru', r);
    expect(sum({ type: 'attribute', name: 'plan', op: 'is_not', value: 'free' })).toBe('plan ≠ free');
    expect(sum({ type: 'attribute', name: 'orders', op: 'gt', value: 1234.5 })).toMatch(/^orders > 1\s234,5$/);
    expect(sum({ type: 'attribute', name: 'vip', op: 'is', value: true })).toBe('vip = да');
    expect(sum({ type: 'attribute', name: 'city', op: 'contains', value: 'Петер' })).toBe('city содержит «Петер»');
    expect(sum({ type: 'attribute', name: 'email', op: 'missing' })).toBe('email не задан');
    expect(sum({ type: 'attribute', name: 'paid_at', op: 'within_days', value: 1 })).toBe('paid_at за 1 день');
    expect(sum({ type: 'attribute', name: 'paid_at', op: 'older_than_days', value: 3 })).toBe('paid_at раньше, чем 3 дня назад');
    expect(sum({ type: 'event', name: 'order_paid', did: true, at_least: 3 })).toBe('сделал order_paid 3 раза и больше');
    expect(sum({ type: 'event', name: 'order_paid', did: false, at_least: 5, within_days: 21 })).toBe('не делал order_paid 5 раз и больше за 21 день');
    expect(sum({ type: 'tag', tag: 'vip' })).toBe('с меткой «vip»');
    expect(sum({ type: 'tag', tag: 'vip', has: false })).toBe('без метки «vip»');
    expect(sum({ type: 'last_seen', op: 'within_days', days: 7 })).toBe('заходил за 7 дней');
    expect(sum({ type: 'last_seen', op: 'older_than_days', days: 90 })).toBe('не заходил 90 дней');
    expect(ruleSummary(en, 'en', { type: 'event', name: 'order_paid', at_least: 1, within_days: 1 })).toBe('did order_paid in the last 1 day');
    expect(ruleSummary(en, 'en', { type: 'last_seen', op: 'older_than_days', days: 90 })).toBe('not visited in 90 days');
  });

  it('counts visitors with the Russian plural forms', () => {
    const forms = [0, 1, 2, 4, 5, 11, 12, 14, 21, 22, 25, 101, 111, 112].map((n) => `${n}:${pluralForm('ru', n)}`);
    expect(forms).toEqual(['0:many', '1:one', '2:few', '4:few', '5:many', '11:many', '12:many', '14:many', '21:one', '22:few', '25:many', '101:one', '111:many', '112:many']);
    expect(visitorsText(ru, 'ru', 1)).toBe('1 посетитель');
    expect(visitorsText(ru, 'ru', 2)).toBe('2 посетителя');
    expect(visitorsText(ru, 'ru', 5)).toBe('5 посетителей');
    expect(visitorsText(ru, 'ru', 21)).toBe('21 посетитель');
    expect(visitorsText(ru, 'ru', 0)).toBe('0 посетителей');
    expect(visitorsText(ru, 'ru', 1234)).toMatch(/^1\s234 посетителя$/);
    expect(visitorsText(en, 'en', 1)).toBe('1 visitor');
    expect(visitorsText(en, 'en', 0)).toBe('0 visitors');
    expect(visitorsText(en, 'en', 1234)).toBe('1,234 visitors');
  });

  it('names a visitor of the preview by his name, else by his number', () => {
    expect(previewVisitorName(ru, { name: ' Анна ', number: 7 })).toBe('Анна');
    expect(previewVisitorName(ru, { name: null, number: 7 })).toBe('Посетитель №7');
    expect(previewVisitorName(en, { name: '', number: 7 })).toBe('Visitor #7');
  });

  it('tells where a segment is used, the limit and the rate in words', () => {
    const inUse = (by: unknown) => ({ code: 'segment_in_use', details: { used_by: by } });
    expect(segmentProblemText(ru, inUse('routing rule «Покупатели»'))).toBe('Сегмент нельзя удалить: его использует правило маршрутизации «Покупатели». Сначала уберите его оттуда.');
    expect(segmentProblemText(ru, inUse('proactive message «Отзыв»'))).toBe('Сегмент нельзя удалить: его использует проактивное сообщение «Отзыв». Сначала уберите его оттуда.');
    expect(segmentProblemText(en, inUse('routing rule «Покупатели»'))).toBe('The segment cannot be deleted: the routing rule “Покупатели” uses it. Take it out of there first.');
    expect(segmentProblemText(ru, inUse('something new'))).toBe('Сегмент нельзя удалить: его использует something new. Сначала уберите его оттуда.');
    expect(segmentProblemText(ru, inUse(null))).toBe(ru('segments.in_use'));
    expect(segmentProblemText(ru, { code: 'too_many_segments', details: { limit: 100 } })).toBe('Достигнут предел: не больше 100 сегментов. Удалите ненужный, чтобы создать новый.');
    expect(segmentProblemText(ru, { code: 'rate_limited', details: {} })).toBe(ru('segments.rate_limited'));
    expect(segmentProblemText(ru, { code: 'internal', details: {} })).toBeNull();
  });
});

describe('the server\'s field paths', () => {
  it('read a path back to the rule and input it names', () => {
    expect(parseSegmentField('filter.rules[2].value')).toEqual({ rule: 2, field: 'value' });
    expect(parseSegmentField('filter.rules[0]')).toEqual({ rule: 0, field: 'type' });
    expect(parseSegmentField('name')).toEqual({ rule: null, field: 'name' });
    expect(parseSegmentField('filter.rules')).toEqual({ rule: null, field: 'rules' });
    expect(parseSegmentField('filter')).toEqual({ rule: null, field: 'rules' });
    expect(parseSegmentField('items[0].name')).toBeNull();
    expect(anchorOf('filter.rules[2].value')).toBe('filter.rules[2].value');
    expect(anchorOf('filter')).toBe('filter.rules');
    expect(anchorOf('name')).toBe('name');
    expect(anchorOf('whatever')).toBeNull();
  });

  it('words the server\'s refusal of a field at that input, with the rule\'s own sense', () => {
    const draft = { rules: [attr({ name: 'plan', value: 'pro' }), attr({ name: 'orders', op: 'gt', value: '3' }), { ...newRuleDraft('last_seen') }] };
    const refused = (field: string, message: string) => ({ code: 'validation_failed', details: { field }, message: `${field}: ${message}` });
    expect([...segmentMessages(ru, [], refused('filter.rules[1].value', 'a number'), draft)]).toEqual([['filter.rules[1].value', 'Введите число, например 3 или 2,5.']]);
    expect([...segmentMessages(ru, [], refused('filter.rules[2].days', 'whole days, 1–3650'), draft)]).toEqual([['filter.rules[2].days', 'Число от 1 до 3650.']]);
    expect([...segmentMessages(ru, [], refused('filter.rules[0].op', 'a date is compared with within_days'), draft)]).toEqual([['filter.rules[0].op', ru('segments.issue_date_ops')]]);
    expect([...segmentMessages(ru, [], refused('name', '1–100 characters'), draft)]).toEqual([['name', 'От 1 до 100 символов.']]);
    expect([...segmentMessages(ru, [], { code: 'name_taken', details: { field: 'name' } }, draft)]).toEqual([['name', 'Сегмент с таким названием уже есть.']]);
    // The console's own issues land at the same inputs.
    expect([...segmentMessages(en, [{ field: 'filter.rules[0].tag', reason: 'invalid' }], null, { rules: [newRuleDraft('tag')] })]).toEqual([['filter.rules[0].tag', 'No commas: one tag per condition.']]);
  });
});

describe('the live count', () => {
  const filter = (value: string): SegmentFilter => ({ match: 'all', rules: [{ type: 'attribute', name: 'plan', op: 'is', value }] });
  const answer = (count: number): SegmentPreview => ({ count, visitors: [] });
  let asked: { filter: SegmentFilter; resolve: (p: SegmentPreview) => void }[];
  let live: LivePreview;

  beforeEach(() => {
    vi.useFakeTimers();
    asked = [];
    live = new LivePreview(
      (f) => new Promise<SegmentPreview>((resolve) => asked.push({ filter: f, resolve })),
      () => ({ code: 'internal', details: {} }),
    );
  });
  afterEach(() => {
    live.stop();
    vi.useRealTimers();
  });

  it('asks about 400 ms after the last change, once, of the newest draft', async () => {
    live.set(filter('p'));
    await vi.advanceTimersByTimeAsync(300);
    live.set(filter('pr'));
    await vi.advanceTimersByTimeAsync(300);
    live.set(filter('pro'));
    expect(live.phase).toBe('waiting');
    await vi.advanceTimersByTimeAsync(399);
    expect(asked).toEqual([]);
    await vi.advanceTimersByTimeAsync(1);
    expect(asked.map((a) => a.filter)).toEqual([filter('pro')]);
    expect(live.phase).toBe('loading');
    asked[0].resolve(answer(5));
    await vi.advanceTimersByTimeAsync(0);
    expect(live.phase).toBe('done');
    expect(live.preview?.count).toBe(5);
    // The same draft again: nothing is asked.
    live.set(filter('pro'));
    await vi.advanceTimersByTimeAsync(1000);
    expect(asked).toHaveLength(1);
  });

  it('drops an answer to an older draft', async () => {
    live.set(filter('a'));
    await vi.advanceTimersByTimeAsync(400);
    live.set(filter('b'));
    await vi.advanceTimersByTimeAsync(400);
    expect(asked).toHaveLength(2);
    asked[1].resolve(answer(2));
    await vi.advanceTimersByTimeAsync(0);
    asked[0].resolve(answer(99));
    await vi.advanceTimersByTimeAsync(0);
    expect(live.preview?.count).toBe(2);
  });

  it('asks nothing while a rule is incomplete, and keeps no count for it', async () => {
    live.set(null);
    await vi.advanceTimersByTimeAsync(2000);
    expect(asked).toEqual([]);
    expect(live.phase).toBe('incomplete');
    live.set(filter('x'));
    live.set(null);
    await vi.advanceTimersByTimeAsync(2000);
    expect(asked).toEqual([]);
  });
});
