import { describe, expect, it } from 'vitest';
import { automation } from '../../test/fixtures';
import { makeT } from '../i18n';
import {
  addInterval,
  addPhrase,
  automationAnchors,
  automationDraft,
  automationRequest,
  durationDraft,
  isDate,
  normalizeTime,
  withDefaults,
  type AutomationDraft,
} from './automation';
import { parentPath, placeField } from './field-issues';
import { fieldMessages, issueText } from './issue-text';

const issuesOf = (d: AutomationDraft) => {
  const r = automationRequest(d);
  return r.ok ? [] : r.issues.map((i) => `${i.field}:${i.reason}`);
};

describe('automation form', () => {
  it('sends a document read and saved unchanged back equal', () => {
    const doc = automation({
      business_hours: {
        enabled: true,
        time_zone: 'Asia/Yekaterinburg',
        week: [
          { day: 'mon', open: '09:00', close: '13:00' },
          { day: 'mon', open: '14:00', close: '18:00' },
          { day: 'sat', open: '10:00', close: '24:00' },
        ],
        holidays: ['2026-01-01', '2026-01-07'],
      },
      sla: { enabled: true, first_reply_seconds: 30, next_reply_seconds: 300, resolution_seconds: 5400, business_hours: true },
    });
    expect(automationRequest(automationDraft(doc))).toEqual({ ok: true, body: doc });
    expect(automationRequest(automationDraft(automation()))).toEqual({ ok: true, body: automation() });
  });

  it('shows SLA targets in minutes when whole minutes, else seconds, and sends seconds', () => {
    expect(durationDraft(30)).toEqual({ value: '30', unit: 'seconds' });
    expect(durationDraft(60)).toEqual({ value: '1', unit: 'minutes' });
    expect(durationDraft(90)).toEqual({ value: '90', unit: 'seconds' });
    const d = automationDraft(automation());
    expect(d.first_reply).toEqual({ value: '1', unit: 'minutes' });
    const r = automationRequest({ ...d, first_reply: { value: '45', unit: 'seconds' }, resolution: { value: '2', unit: 'minutes' } });
    expect(r.ok && r.body.sla).toMatchObject({ first_reply_seconds: 45, resolution_seconds: 120 });
  });

  it('fills the parts a document leaves out with the server defaults', () => {
    const partial = withDefaults({ sla: { ...automation().sla, first_reply_seconds: 120 } });
    expect(partial.sla.first_reply_seconds).toBe(120);
    expect(partial.auto_close.hold_phrases).toEqual(['минуту', 'минуты', 'минут', 'оформляю']);
    expect(automationDraft(null).persona_name).toBe('Служба поддержки');
  });

  it('names each refused field as the server does', () => {
    const d = automationDraft(automation());
    expect(issuesOf({ ...d, week: d.week.map((w, i) => (i === 2 ? { ...w, close: '08:00' } : w)) })).toEqual(['business_hours.week[2].close:order']);
    expect(issuesOf({ ...d, week: d.week.map((w, i) => (i === 1 ? { ...w, open: '9' } : w)) })).toEqual(['business_hours.week[1].open:time']);
    expect(issuesOf({ ...d, week: [...d.week, { key: 'x', day: 'mon', open: '17:00', close: '20:00' }] })).toEqual(['business_hours.week[5].open:overlap']);
    expect(issuesOf({ ...d, hours_enabled: true, week: [] })).toEqual(['business_hours.week:no_intervals']);
    expect(issuesOf({ ...d, week: [] })).toEqual([]);
    expect(issuesOf({ ...d, time_zone: 'Mars/Olympus' })).toEqual(['business_hours.time_zone:time_zone']);
    expect(issuesOf({ ...d, holidays: [{ key: 'h', date: '2026-02-30' }] })).toEqual(['business_hours.holidays[0]:date']);
    expect(issuesOf({ ...d, first_reply: { value: '5', unit: 'seconds' }, next_reply: { value: 'пять', unit: 'minutes' } })).toEqual([
      'sla.first_reply_seconds:range',
      'sla.next_reply_seconds:whole_number',
    ]);
    expect(issuesOf({ ...d, hold_minutes: '10' })).toEqual(['auto_close.hold_minutes:hold_longer']);
    expect(issuesOf({ ...d, silence_minutes: '0' })).toEqual(['auto_close.silence_minutes:range']);
    expect(issuesOf({ ...d, hold_phrases: ['минуту', ' ', 'x'.repeat(101)] })).toEqual([
      'auto_close.hold_phrases[1]:required',
      'auto_close.hold_phrases[2]:too_long',
    ]);
    expect(issuesOf({ ...d, hold_phrases: [] })).toEqual(['auto_close.hold_phrases:phrases_count']);
    expect(issuesOf({ ...d, prompt_enabled: true, prompt_text: '  ' })).toEqual(['auto_close.prompt.text:required']);
    expect(issuesOf({ ...d, offline_enabled: true, offline_message: '' })).toEqual(['offline.message:required']);
    expect(issuesOf({ ...d, persona_name: '' })).toEqual(['persona.name:required']);
  });

  it('reads times and dates', () => {
    expect(normalizeTime('9:05')).toBe('09:05');
    expect(normalizeTime('24:00')).toBe('24:00');
    expect(normalizeTime('24:01')).toBeNull();
    expect(normalizeTime('12:60')).toBeNull();
    expect(normalizeTime('noon')).toBeNull();
    expect(isDate('2028-02-29')).toBe(true);
    expect(isDate('2027-02-29')).toBe(false);
    expect(isDate('29.02.2028')).toBe(false);
  });

  it('adds an interval after the day\'s last one, keeping the week in order', () => {
    const d = automationDraft(automation());
    const lunch = addInterval(d.week, 'mon');
    expect(lunch.map((w) => `${w.day} ${w.open}-${w.close}`).slice(0, 3)).toEqual(['mon 09:00-18:00', 'mon 18:00-24:00', 'tue 09:00-18:00']);
    const sat = addInterval(d.week, 'sat');
    expect(sat[sat.length - 1]).toMatchObject({ day: 'sat', open: '09:00', close: '18:00' });
    const wed = addInterval(d.week.filter((w) => w.day !== 'wed'), 'wed');
    expect(wed.map((w) => w.day)).toEqual(['mon', 'tue', 'wed', 'thu', 'fri']);
  });

  it('adds a hold phrase once, trimmed', () => {
    expect(addPhrase(['минуту'], '  уточняю ')).toEqual(['минуту', 'уточняю']);
    expect(addPhrase(['минуту'], 'Минуту')).toEqual(['минуту']);
    expect(addPhrase(['минуту'], ' ')).toEqual(['минуту']);
  });

  it('places a server field at its input, or the nearest part of the form around it', () => {
    const anchors = automationAnchors(automationDraft(automation()));
    expect(placeField('business_hours.week[2].close', anchors)).toBe('business_hours.week[2].close');
    expect(placeField('business_hours.week[2]', anchors)).toBe('business_hours.week[2]');
    expect(placeField('business_hours.week[9].open', anchors)).toBe('business_hours.week');
    expect(placeField('auto_close.hold_phrases[1]', anchors)).toBe('auto_close.hold_phrases[1]');
    expect(placeField('auto_close.prompt.enabled', anchors)).toBe('auto_close.prompt');
    expect(placeField('workspace', anchors)).toBeNull();
    expect(parentPath('a.b[2].c')).toBe('a.b[2]');
    expect(parentPath('a.b[2]')).toBe('a.b');
    expect(parentPath('a')).toBeNull();
  });

  it('words the console\'s checks and the server\'s refusal of its field in the console\'s language', () => {
    const t = makeT('ru');
    expect(issueText(t, { field: 'sla.first_reply_seconds', reason: 'range', min: 10, max: 604800 })).toBe('От 10 секунд до 7 дней.');
    expect(issueText(t, { field: 'auto_close.silence_minutes', reason: 'range', min: 1, max: 1440 })).toBe('Число от 1 до 1440.');
    expect(issueText(makeT('en'), { field: 'business_hours.week[2].close', reason: 'order' })).toBe('Closing must be later than opening.');
    const messages = fieldMessages(t, [{ field: 'persona.name', reason: 'required' }], {
      code: 'validation_failed',
      details: { field: 'business_hours.week[2].close' },
      message: 'close must be after open',
    });
    expect([...messages]).toEqual([
      ['persona.name', 'Заполните это поле.'],
      ['business_hours.week[2].close', 'Закрытие должно быть позже открытия.'],
    ]);
    expect([...fieldMessages(t, [], { code: 'validation_failed', details: { field: 'offline.message' } })]).toEqual([['offline.message', 'Недопустимое значение.']]);
  });
});
