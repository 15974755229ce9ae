import { describe, expect, it } from 'vitest';
import { problemText } from './context';
import { makeT } from './i18n';

const text = (lang: 'ru' | 'en', code: string, details: Record<string, unknown> = {}, message?: string) =>
  problemText(makeT(lang), lang, { code, details, message });

describe('refusal texts', () => {
  it('name who took the dialog', () => {
    expect(text('ru', 'already_assigned', { assignee: 'Анна' })).toBe('Уже взял Анна');
    expect(text('en', 'already_assigned', { assignee: { id: 'a', display_name: 'Анна' } })).toBe('Already taken by Анна');
    expect(text('en', 'already_assigned')).toBe('Another operator has already taken this dialog.');
  });

  it('say the capacity', () => {
    expect(text('ru', 'capacity_reached', { capacity: 5 })).toBe('Достигнут предел: не больше 5 диалогов одновременно.');
    expect(text('en', 'capacity_reached', { capacity: 5 })).toBe('Capacity reached: at most 5 dialogs at once.');
  });

  it('word transfer refusals by code', () => {
    expect(text('ru', 'channel_unavailable')).toBe('В этом канале нет операторов в сети.');
    expect(text('en', 'operator_unavailable')).toBe('The operator is offline — pick another one.');
    expect(text('en', 'not_channel_member')).toBe('The operator is not a member of this dialog’s channel.');
  });

  it('say how long a limited sign-in waits', () => {
    expect(text('ru', 'rate_limited', { limit: 'login_failures_per_account', retry_after: 170 })).toBe('Слишком много попыток входа. Попробуйте через 3 мин.');
    expect(text('en', 'rate_limited', { limit: 'login_per_ip', retry_after: 20 })).toBe('Too many sign-in attempts. Try again in 1 min.');
  });

  it('fall back to the server\'s message for a code the console does not know', () => {
    expect(text('en', 'brand_new_code', {}, 'Something specific')).toBe('Something specific');
    expect(text('en', 'brand_new_code')).toBe('Something went wrong.');
  });
});
