import { describe, expect, it } from 'vitest';
import { makeT } from '../i18n';
import { fieldMessages, issueText } from './issue-text';
import { reasonFromText, serverIssue } from './server-issues';

const refusal = (field: string, message: string, more: Record<string, unknown> = {}) => ({
  code: 'validation_failed',
  details: { field, ...more },
  message,
});

describe('the server\'s refusal of a field, in the console\'s words', () => {
  it('reads the server\'s English reasons', () => {
    const cases: [string, ReturnType<typeof reasonFromText>][] = [
      ['1–80 characters', { reason: 'length', min: 1, max: 80 }],
      ['must be at most 200 characters', { reason: 'too_long', max: 200 }],
      ['must be at least 8 characters', { reason: 'too_short', min: 8 }],
      ['1–50 dialogs', { reason: 'range', min: 1, max: 50 }],
      ['must be 0 to 10080', { reason: 'range', min: 0, max: 10080 }],
      ['10–86400 seconds', { reason: 'range', min: 10, max: 86400 }],
      ['at most 10 conditions', { reason: 'too_many', max: 10 }],
      ['a rule needs at least one condition', { reason: 'too_few', min: 1 }],
      ['not an e-mail address', { reason: 'email' }],
      ['must look like https://shop.example.com', { reason: 'origin' }],
      ['not a valid regular expression', { reason: 'regex' }],
      ['must not be empty', { reason: 'required' }],
      ['queue or auto', { reason: 'choice' }],
      ['must be admin, supervisor or operator', { reason: 'choice' }],
      ['must not contain control characters', { reason: 'control_chars' }],
      ['a language code such as ru or en', { reason: 'language' }],
      ['must be after open', { reason: 'order' }],
      ['overlaps another interval of the day', { reason: 'overlap' }],
      ['a time HH:MM', { reason: 'time' }],
      ['not a known time zone (e.g. Europe/Moscow)', { reason: 'time_zone' }],
      ['at least one open interval', { reason: 'no_intervals' }],
      ['must be longer than silence_minutes', { reason: 'hold_longer' }],
      ['needs a letter or a digit', { reason: 'letter' }],
      ['something nobody foresaw', { reason: 'invalid' }],
    ];
    for (const [text, want] of cases) expect(reasonFromText('f', text), text).toEqual(want);
  });

  it('takes a stable reason code with its bounds, or the bounds from the message', () => {
    expect(serverIssue(refusal('display_name', 'display_name: 1–80 characters', { reason: 'length' }))).toEqual({
      field: 'display_name',
      reason: 'length',
      min: 1,
      max: 80,
    });
    expect(serverIssue(refusal('allowed_origins[1]', 'allowed_origins[1]: bad', { reason: 'invalid_origin' }))).toEqual({
      field: 'allowed_origins[1]',
      reason: 'origin',
    });
    expect(serverIssue(refusal('capacity', 'x', { reason: 'range', min: 1, max: 50 }))).toEqual({ field: 'capacity', reason: 'range', min: 1, max: 50 });
    // No reason at all: the message's tail after "field: ".
    expect(serverIssue(refusal('email', 'email: not an e-mail address'))).toEqual({ field: 'email', reason: 'email' });
  });

  it('names no field for other refusals', () => {
    expect(serverIssue({ code: 'email_taken', details: {}, message: 'taken' })).toBeNull();
    expect(serverIssue({ code: 'validation_failed', details: {}, message: 'bad' })).toBeNull();
    expect(serverIssue(null)).toBeNull();
  });

  it('never shows the server\'s English beside a field, in either language', () => {
    const problem = refusal('display_name', 'display_name: 1–80 characters');
    expect(fieldMessages(makeT('ru'), [], problem).get('display_name')).toBe('От 1 до 80 символов.');
    expect(fieldMessages(makeT('en'), [], problem).get('display_name')).toBe('1 to 80 characters.');
    const odd = refusal('shortcuts[3]', 'shortcuts[3]: a reply you cannot use');
    expect(fieldMessages(makeT('ru'), [], odd).get('shortcuts[3]')).toBe('Недопустимое значение.');
  });

  it('words every reason it may produce in both languages', () => {
    const reasons = [
      'required', 'too_long', 'too_short', 'length', 'range', 'whole_number', 'email', 'origin', 'regex', 'choice', 'control_chars',
      'too_many', 'too_few', 'duplicate', 'taken', 'language', 'slug', 'future', 'not_found', 'letter', 'invalid', 'order', 'overlap',
      'time', 'date', 'time_zone', 'no_intervals', 'hold_longer',
    ] as const;
    for (const lang of ['ru', 'en'] as const) {
      const t = makeT(lang);
      for (const reason of reasons) {
        const text = issueText(t, { field: 'f', reason, min: 1, max: 9 });
        expect(text, `${lang} ${reason}`).not.toMatch(/^issue\./);
        expect(text, `${lang} ${reason}`).not.toMatch(/\{\w+\}/);
      }
    }
  });
});
