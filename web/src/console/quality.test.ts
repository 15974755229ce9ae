/** The quality guard's pure parts: hit lines, marks, stale hits, the debounced checker; the tone; the admin document. */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { dialog } from '../test/fixtures';
import { DEFAULT_GUARD, guardChanged, guardDraft, guardFieldMessages, guardRequest, wordRefusal } from './admin/quality';
import { compareDialogs, filterQuery, parseFilter, DEFAULT_FILTER } from './filters';
import { makeT } from './i18n';
import { blockAllowsOverride, DraftChecker, hitLines, markRuns, refusalHits, standing, toneLevel, type HitView } from './quality';

const ru = makeT('ru');
const en = makeT('en');
const hit = (rule: string, mode: string, start: number, found: string, allow = false): HitView => ({ rule, mode, allow_override: allow, start, end: start + found.length, found });

describe('hit lines', () => {
  it('names each problem in plain words, blocks first, the same word once', () => {
    const text = 'ЗДРАВСТВУЙТЕ, вам звонили? Вам — по 8-800-555-35-35, вам';
    const hits = [hit('caps', 'warn', 0, 'ЗДРАВСТВУЙТЕ'), hit('polite', 'warn', 14, 'вам'), hit('phone_8800', 'block', 36, '8-800-555-35-35', true), hit('polite', 'warn', 53, 'вам')];
    expect(text.slice(36, 51)).toBe('8-800-555-35-35');
    expect(hitLines(ru, hits).map((l) => l.text)).toEqual([
      'Номер 8-800 называть нельзя: „8-800-555-35-35“',
      'Не пишите капслоком',
      '„вам“ — пишите „Вам“ с большой буквы',
    ]);
    expect(hitLines(en, [hit('forbidden', 'warn', 0, 'бесплатно'), hit('second_greeting', 'warn', 0, 'Здравствуйте'), hit('future_rule', 'warn', 0, 'x')]).map((l) => l.text)).toEqual([
      'Forbidden word: “бесплатно”',
      'A second greeting: the visitor has been greeted already',
      'Rule “future_rule”: “x”',
    ]);
  });

  it('a block allows a reason only when every block hit does', () => {
    expect(blockAllowsOverride([hit('phone_8800', 'block', 0, '8800', true), hit('polite', 'warn', 5, 'вы')])).toBe(true);
    expect(blockAllowsOverride([hit('phone_8800', 'block', 0, '8800', true), hit('forbidden', 'block', 5, 'дурак', false)])).toBe(false);
    expect(blockAllowsOverride([hit('polite', 'warn', 5, 'вы')])).toBe(false);
  });

  it('reads the hits of a refusal, leaving out what is not a hit', () => {
    expect(refusalHits({ hits: [hit('caps', 'block', 0, 'AAA'), { rule: 1 }, null] })).toEqual([hit('caps', 'block', 0, 'AAA')]);
    expect(refusalHits({})).toEqual([]);
  });
});

describe('marks', () => {
  it('cuts the text into runs, the stronger level where hits overlap, by UTF-16 index', () => {
    const text = '😀 вам 8800 ВАМ';
    const hits = [hit('polite', 'warn', 3, 'вам'), hit('phone_8800', 'block', 7, '8800'), hit('caps', 'warn', 7, '8800 ВАМ')];
    expect(markRuns(text, hits)).toEqual([
      { text: '😀 ', level: null },
      { text: 'вам', level: 'warn' },
      { text: ' ', level: null },
      { text: '8800', level: 'block' },
      { text: ' ВАМ', level: 'warn' },
    ]);
    expect(markRuns('abc', [])).toEqual([{ text: 'abc', level: null }]);
  });

  it('keeps a hit only while what was found is still at its place', () => {
    const h = hit('polite', 'warn', 3, 'вам');
    expect(standing([h], 'Мы вам позвоним')).toEqual([h]);
    expect(standing([h], 'Мы Вам позвоним')).toEqual([]);
    expect(standing([h], 'Мы')).toEqual([]);
  });
});

describe('DraftChecker', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('asks once typing pauses for 300 ms, and a newer draft wins over an older answer', async () => {
    const answers: ((hits: HitView[]) => void)[] = [];
    const asked: string[] = [];
    let changes = 0;
    const checker = new DraftChecker(
      (_id, text) => {
        asked.push(text);
        return new Promise((resolve) => answers.push(resolve));
      },
      () => changes++,
    );
    checker.request('d1', 'Мы в');
    vi.advanceTimersByTime(150);
    checker.request('d1', 'Мы вам');
    vi.advanceTimersByTime(299);
    expect(asked).toEqual([]);
    vi.advanceTimersByTime(1);
    expect(asked).toEqual(['Мы вам']);
    checker.request('d1', 'Мы Вам');
    vi.advanceTimersByTime(300);
    expect(asked).toEqual(['Мы вам', 'Мы Вам']);
    answers[1]([]);
    await Promise.resolve();
    answers[0]([hit('polite', 'warn', 3, 'вам')]);
    await Promise.resolve();
    expect(checker.result).toEqual({ dialogId: 'd1', text: 'Мы Вам', hits: [] });
    expect(checker.answered('d1', 'Мы Вам')).toBe(true);
    expect(changes).toBe(1);
  });

  it('an empty draft has no hits at once; another dialog sees none', async () => {
    const checker = new DraftChecker(async () => [hit('caps', 'warn', 0, 'ААА')], () => {});
    checker.request('d1', 'ААА');
    vi.advanceTimersByTime(300);
    await Promise.resolve();
    await Promise.resolve();
    expect(checker.hitsFor('d1', 'ААА')).toHaveLength(1);
    expect(checker.hitsFor('d2', 'ААА')).toEqual([]);
    checker.request('d1', '   ');
    expect(checker.hitsFor('d1', '   ')).toEqual([]);
  });
});

describe('tone', () => {
  it('reads 0 as calm, 1 as tense, 2–3 as upset', () => {
    expect([0, 1, 2, 3, undefined].map(toneLevel)).toEqual([null, 'tense', 'upset', 'upset', null]);
  });

  it('sorts the most upset first, then the waiting order, and keeps the choice', () => {
    const calm = dialog('a', { tone: 0, waiting_since: '2026-01-01T09:00:00Z' });
    const tense = dialog('b', { tone: 1, waiting_since: '2026-01-01T10:00:00Z' });
    const upset = dialog('c', { tone: 3, waiting_since: null });
    const upsetWaiting = dialog('d', { tone: 3, waiting_since: '2026-01-01T11:00:00Z' });
    expect([calm, tense, upset, upsetWaiting].sort(compareDialogs('tone')).map((d) => d.id)).toEqual(['d', 'c', 'b', 'a']);
    expect(filterQuery({ ...DEFAULT_FILTER, sort: 'tone' }, { limit: 50 })).toContain('sort=tone');
    expect(parseFilter(JSON.stringify({ sort: 'tone' })).sort).toBe('tone');
  });
});

describe('the admin document', () => {
  it('fills what a saved document leaves out and tells a change', () => {
    const d = guardDraft({ ...DEFAULT_GUARD, phone_8800: { mode: 'block', allow_override: true } });
    expect(d.phone_8800).toEqual({ mode: 'block', allow_override: true });
    expect(guardChanged(DEFAULT_GUARD, guardDraft(DEFAULT_GUARD))).toBe(false);
    expect(guardChanged(DEFAULT_GUARD, d)).toBe(true);
  });

  it('refuses a word without a letter, twice (ignoring case and ё), and checks the patterns before a save', () => {
    expect(wordRefusal(['Ещё'], '!!!')).toBe('letter');
    expect(wordRefusal(['Ещё'], 'еще')).toBe('twice');
    expect(wordRefusal(['Ещё'], 'бесплатно')).toBeNull();
    const draft = guardDraft(DEFAULT_GUARD);
    draft.forbidden.patterns = ['скидк[аи]', '', 'x'.repeat(301)];
    const result = guardRequest(draft);
    expect(result.ok).toBe(false);
    expect(!result.ok && result.issues.map((i) => `${i.field}:${i.reason}`)).toEqual(['forbidden.patterns[1]:required', 'forbidden.patterns[2]:too_long']);
  });

  it("words the server's refusals in the console's language", () => {
    const refused = (field: string, message: string) => guardFieldMessages(ru, [], { code: 'validation_failed', details: { field }, message: `${field}: ${message}` });
    expect(refused('forbidden.patterns[1]', 'not a regular expression: regex parse error').get('forbidden.patterns[1]')).toBe('Это не регулярное выражение — проверьте скобки и спецсимволы.');
    expect(refused('forbidden.patterns[0]', 'matches an empty text').get('forbidden.patterns[0]')).toContain('пустой текст');
    expect(refused('forbidden.words[2]', '1 to 100 characters').get('forbidden.words[2]')).toBe('От 1 до 100 символов.');
    expect(refused('forbidden.words[0]', 'needs a letter or a digit').get('forbidden.words[0]')).toBe('Нужна хотя бы одна буква или цифра.');
    expect(refused('caps.mode', 'off, warn or block').get('caps.mode')).toBe('Выберите одно из предложенных значений.');
  });
});
