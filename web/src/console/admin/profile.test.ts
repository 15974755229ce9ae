import { describe, expect, it } from 'vitest';
import type { MeView } from '../../shared/api-types';
import { meView, operator } from '../../test/fixtures';
import { profileDraft, profileIssues, profilePatch, shortcutIndex } from './profile';

const me = (profile: Omit<MeView['profile'], 'notify_by_mail'>): MeView =>
  meView({ operator: operator('me', { display_name: 'Анна' }), profile: { notify_by_mail: true, ...profile } });
const nine = (over: Record<number, string> = {}) => Array.from({ length: 9 }, (_, i) => over[i] ?? null);

describe('the profile form', () => {
  it('starts from the profile, the console\'s language when he chose none', () => {
    expect(profileDraft(me({ language: null, shortcuts: nine() }), 'ru')).toEqual({ display_name: 'Анна', language: 'ru', shortcuts: nine() });
    expect(profileDraft(me({ language: 'en', shortcuts: nine({ 2: 'r' }) }), 'ru').language).toBe('en');
    // Fewer than nine places: the rest are empty slots.
    expect(profileDraft(me({ shortcuts: [] }), 'en').shortcuts).toEqual(nine());
  });

  it('sends only what changed, the shortcuts always as nine', () => {
    const m = me({ language: 'ru', shortcuts: nine() });
    const d = profileDraft(m, 'ru');
    expect(profilePatch(m, 'ru', d)).toBeNull();
    expect(profilePatch(m, 'ru', { ...d, display_name: ' Анна Смирнова ' })).toEqual({ display_name: 'Анна Смирнова' });
    expect(profilePatch(m, 'ru', { ...d, language: 'en' })).toEqual({ language: 'en' });
    expect(profilePatch(m, 'ru', { ...d, shortcuts: nine({ 0: 'r1' }) })).toEqual({ shortcuts: nine({ 0: 'r1' }) });
  });

  it('checks the name and reads the server\'s slot fields', () => {
    expect(profileIssues({ display_name: '', language: 'ru', shortcuts: nine() })).toEqual([{ field: 'display_name', reason: 'required' }]);
    expect(shortcutIndex('shortcuts[3]')).toBe(3);
    expect(shortcutIndex('shortcuts')).toBeNull();
  });
});
