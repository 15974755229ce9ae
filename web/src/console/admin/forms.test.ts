import { describe, expect, it } from 'vitest';
import { channel } from '../../test/fixtures';
import { channelDraft, channelPatch, parseCapacity, parseMinutes, parseSeconds, sameIds } from './forms';

describe('admin forms', () => {
  it('patch only the channel fields that changed', () => {
    const c = channel('c1', { name: 'Москва', wait_alert_seconds: 120 });
    expect(channelPatch(c, channelDraft(c))).toEqual({ ok: true, patch: {} });
    expect(channelPatch(c, { ...channelDraft(c), name: ' Москва-2 ', mode: 'auto', wait_alert: '90' })).toEqual({
      ok: true,
      patch: { name: 'Москва-2', mode: 'auto', wait_alert_seconds: 90 },
    });
    expect(channelPatch(c, { ...channelDraft(c), wait_alert: '' })).toEqual({ ok: false, field: 'wait_alert_seconds' });
    expect(channelPatch(c, { ...channelDraft(c), wait_alert: '5' })).toEqual({ ok: false, field: 'wait_alert_seconds' });
    expect(channelPatch(c, { ...channelDraft(c), greeting: 'Добрый день!', offline_policy: 'keep', wait_alert: '300' })).toEqual({
      ok: true,
      patch: { greeting: 'Добрый день!', offline_policy: 'keep', wait_alert_seconds: 300 },
    });
    expect(channelPatch(c, { ...channelDraft(c), wait_alert: '2 min' })).toEqual({ ok: false, field: 'wait_alert_seconds' });
  });

  it('read seconds and capacity from their inputs', () => {
    expect(parseSeconds(' 90 ')).toBe(90);
    expect(parseSeconds('')).toBeUndefined();
    expect(parseSeconds('9')).toBeUndefined();
    expect(parseSeconds('86401')).toBeUndefined();
    expect(parseSeconds('-1')).toBeUndefined();
    expect(parseSeconds('1.5')).toBeUndefined();
    expect(parseCapacity('1')).toBe(1);
    expect(parseCapacity('50')).toBe(50);
    expect(parseCapacity('0')).toBeNull();
    expect(parseCapacity('51')).toBeNull();
    expect(parseCapacity('3.5')).toBeNull();
    expect(parseCapacity('')).toBeNull();
  });

  it('patch the category requirement and the reopen window', () => {
    const c = channel('c1', { require_category: false, reopen_window_minutes: 60 });
    expect(channelPatch(c, { ...channelDraft(c), require_category: true, reopen_window: '0' })).toEqual({
      ok: true,
      patch: { require_category: true, reopen_window_minutes: 0 },
    });
    expect(channelPatch(c, { ...channelDraft(c), reopen_window: 'час' })).toEqual({ ok: false, field: 'reopen_window_minutes' });
    // A server that does not send them yet: the form starts from the documented defaults.
    const bare = channel('c2');
    expect(channelDraft(bare)).toMatchObject({ require_category: false, reopen_window: '60' });
    expect(channelPatch(bare, channelDraft(bare))).toEqual({ ok: true, patch: {} });
    expect(parseMinutes(' 1440 ')).toBe(1440);
    expect(parseMinutes('-5')).toBeUndefined();
  });

  it('compare member lists in any order', () => {
    expect(sameIds(['a', 'b'], ['b', 'a'])).toBe(true);
    expect(sameIds(['a'], ['a', 'b'])).toBe(false);
  });
});
