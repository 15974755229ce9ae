import { describe, expect, it } from 'vitest';
import * as consoleTables from '../console/i18n';
import * as loaderTables from '../loader/i18n';
import * as widgetTables from '../widget/i18n';
import { errorKey, interpolate, pickLang } from './i18n';

const sets = {
  console: consoleTables,
  widget: widgetTables,
  loader: loaderTables,
};

describe.each(Object.entries(sets))('%s i18n tables', (_name, { ru, en }) => {
  it('have exactly the same keys', () => {
    expect(Object.keys(en).sort()).toEqual(Object.keys(ru).sort());
  });

  it('have no empty values', () => {
    for (const table of [ru, en] as Record<string, string>[]) {
      for (const [key, value] of Object.entries(table)) {
        expect(typeof value, key).toBe('string');
        expect(value.trim(), key).not.toBe('');
      }
    }
  });

  it('use the same placeholders in both languages', () => {
    const holes = (s: string) => (s.match(/\{\w+\}/g) ?? []).sort();
    for (const key of Object.keys(ru)) {
      expect(holes((en as Record<string, string>)[key]), key).toEqual(holes((ru as Record<string, string>)[key]));
    }
  });
});

describe('i18n helpers', () => {
  it('picks Russian for ru tags only', () => {
    expect(pickLang('ru-RU')).toBe('ru');
    expect(pickLang('RU')).toBe('ru');
    expect(pickLang('en-US')).toBe('en');
    expect(pickLang('uk')).toBe('en');
    expect(pickLang(undefined)).toBe('en');
  });

  it('fills placeholders and leaves unknown ones', () => {
    expect(interpolate('Посетитель {n}', { n: 42 })).toBe('Посетитель 42');
    expect(interpolate('{a} {b}', { a: 1 })).toBe('1 {b}');
  });

  it('maps server codes to table keys with a fallback', () => {
    expect(errorKey(consoleTables.ru, 'invalid_credentials', 'error.unknown')).toBe('error.invalid_credentials');
    expect(errorKey(consoleTables.ru, 'brand_new_code', 'error.unknown')).toBe('error.unknown');
  });

  it('has a text for every code the API and the protocol define', () => {
    const codes = [
      'validation_failed', 'empty_message', 'message_too_long', 'bad_json', 'unauthenticated',
      'invalid_credentials', 'workspace_required', 'forbidden', 'not_found', 'dialog_not_found',
      'dialog_closed', 'rate_limited', 'unavailable', 'internal', 'email_taken', 'channel_name_taken',
      'already_assigned', 'capacity_reached', 'operator_unavailable', 'not_channel_member', 'channel_unavailable',
    ];
    for (const code of codes) expect(consoleTables.ru, code).toHaveProperty(`error.${code}`);
    for (const code of ['empty_message', 'message_too_long', 'dialog_closed', 'rate_limited', 'unknown_site_key', 'origin_not_allowed']) {
      expect(widgetTables.ru, code).toHaveProperty(`error.${code}`);
    }
  });
});
