import { describe, expect, it } from 'vitest';
import { trigger } from '../../test/fixtures';
import { newCondition } from './rules';
import { parseTriggerField, triggerDraft, triggerRequest } from './triggers';

describe('proactive message form', () => {
  it('starts a new one from the defaults: 25 s on the site, once in 24 h, enabled, no conditions', () => {
    const d = triggerDraft(null);
    expect(d).toMatchObject({ name: '', message: '', enabled: true, time_on_site: '25', period: '24', conditions: [] });
    expect(triggerRequest({ ...d, name: ' Кухни ', message: ' Подобрать кухню? ' })).toEqual({
      ok: true,
      body: { name: 'Кухни', message: 'Подобрать кухню?', enabled: true, time_on_site_seconds: 25, conditions: [], period_hours: 24 },
    });
  });

  it('round-trips a trigger with its conditions, trimmed, without the editor\'s keys', () => {
    const t = trigger('t1', {
      name: 'Диваны',
      message: 'Помочь с выбором дивана?',
      enabled: false,
      time_on_site_seconds: 60,
      period_hours: 168,
      conditions: [
        { type: 'url', pattern: 'https://shop.example/sofas/*', regex: false },
        { type: 'property', name: 'city', value: 'Москва' },
        { type: 'language', value: 'ru' },
      ],
    });
    const d = triggerDraft(t);
    expect(d.conditions.every((c) => typeof c.key === 'string')).toBe(true);
    const { id: _id, created_at: _at, ...input } = t;
    expect(triggerRequest(d)).toEqual({ ok: true, body: input });
    const added = { ...d, conditions: [...d.conditions, { ...newCondition('url'), pattern: '  /cart ' }] };
    const r = triggerRequest(added);
    expect(r.ok && r.body.conditions?.[3]).toEqual({ type: 'url', pattern: '/cart', regex: false });
  });

  it('refuses empty text and numbers out of range, named as the server names them', () => {
    const issues = (over: Partial<ReturnType<typeof triggerDraft>>) => {
      const r = triggerRequest({ ...triggerDraft(trigger('t1')), ...over });
      return r.ok ? [] : r.issues.map((i) => `${i.field}:${i.reason}`);
    };
    expect(issues({ name: ' ', message: '' })).toEqual(['name:required', 'message:required']);
    expect(issues({ name: 'x'.repeat(101) })).toEqual(['name:too_long']);
    expect(issues({ time_on_site: '86401', period: '0' })).toEqual(['time_on_site_seconds:range', 'period_hours:range']);
    expect(issues({ time_on_site: '2.5', period: 'день' })).toEqual(['time_on_site_seconds:whole_number', 'period_hours:whole_number']);
    expect(issues({ time_on_site: '0', period: '8760' })).toEqual([]);
  });

  it('reads the server\'s field names back', () => {
    expect(parseTriggerField('conditions[1].pattern')).toEqual({ condition: 1, field: 'pattern' });
    expect(parseTriggerField('conditions[0]')).toEqual({ condition: 0, field: null });
    expect(parseTriggerField('conditions')).toEqual({ condition: null, field: 'conditions' });
    expect(parseTriggerField('period_hours')).toEqual({ condition: null, field: 'period_hours' });
    expect(parseTriggerField('items[0].name')).toBeNull();
  });
});
