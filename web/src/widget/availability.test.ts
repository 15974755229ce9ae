import { describe, expect, it } from 'vitest';
import type { WidgetAvailability } from '../shared/api-types';
import { availabilityNote, whenText } from './availability';
import { makeT } from './i18n';

const en = makeT('en');
const ru = makeT('ru');
const away = (over: Partial<WidgetAvailability> = {}): WidgetAvailability => ({
  online: false,
  reason: 'nobody_online',
  offline_form: false,
  message: 'Сейчас мы не на связи.',
  next_open_at: null,
  ...over,
});
// Local times: the browser's own time zone, whatever it is.
const local = (y: number, mo: number, d: number, h: number, mi = 0) => new Date(y, mo, d, h, mi).getTime();

describe('availabilityNote', () => {
  it('says nothing while someone is online or where the contact form shows', () => {
    expect(availabilityNote(null, false, en, 'en')).toBeNull();
    expect(availabilityNote({ ...away(), online: true, reason: null }, false, en, 'en')).toBeNull();
    expect(availabilityNote(away({ offline_form: true }), true, en, 'en')).toBeNull();
  });

  it('says nobody is online, or that it is outside the hours and when they begin', () => {
    expect(availabilityNote(away(), false, en, 'en')).toBe('Nobody is online right now. Write to us and we will answer as soon as we can.');
    expect(availabilityNote(away({ reason: 'outside_hours' }), false, ru, 'ru')).toBe('Сейчас нерабочее время. Напишите — ответим, когда начнём работу.');
    const now = local(2026, 0, 12, 20, 30);
    const nine = new Date(local(2026, 0, 13, 9)).toISOString();
    expect(availabilityNote(away({ reason: 'outside_hours', next_open_at: nine }), false, ru, 'ru', now)).toBe(
      'Сейчас нерабочее время. Напишите — ответим, когда начнём работу: завтра в 09:00.',
    );
  });
});

describe('whenText', () => {
  const now = local(2026, 0, 12, 7, 15);
  it('says today, tomorrow, or the date, with the local clock time', () => {
    expect(whenText(new Date(local(2026, 0, 12, 9)).toISOString(), now, en, 'en')).toBe('today at 09:00');
    expect(whenText(new Date(local(2026, 0, 13, 9)).toISOString(), now, ru, 'ru')).toBe('завтра в 09:00');
    expect(whenText(new Date(local(2026, 0, 15, 10, 30)).toISOString(), now, en, 'en')).toBe('on 15 January at 10:30');
    expect(whenText(new Date(local(2026, 0, 15, 10, 30)).toISOString(), now, ru, 'ru')).toBe('15 января в 10:30');
    expect(whenText(new Date(local(2027, 0, 4, 9)).toISOString(), now, en, 'en')).toBe('on 4 January 2027 at 09:00');
  });

  it('gives nothing for a time it cannot read', () => {
    expect(whenText('soon', now, en, 'en')).toBe('');
  });
});
