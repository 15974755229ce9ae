/** Which visitor token goes with which session: anonymous, or the site's user the page named. */
import { beforeEach, describe, expect, it } from 'vitest';
import { ApiError } from '../shared/api';
import { identityRefused, TokenStore } from './identity';

const ANON = 'frontline.visitor.k';
const USER = 'frontline.user.k';

describe('TokenStore', () => {
  beforeEach(() => {
    // The storage wrapper keeps a copy in memory too: forget through it.
    new TokenStore('k').forgetAll();
    localStorage.clear();
  });

  it('opens an anonymous session with the anonymous token only, never a user\'s', () => {
    const tokens = new TokenStore('k');
    expect(tokens.tokenFor(null)).toBeUndefined();
    localStorage.setItem(USER, JSON.stringify({ user_id: '42', token: 'tok-42' }));
    // The page did not say who is signed in: 42's chat must not open.
    expect(tokens.tokenFor(null)).toBeUndefined();
    localStorage.setItem(ANON, 'tok-anon');
    expect(tokens.tokenFor(null)).toBe('tok-anon');
  });

  it('identifies with the user\'s own token when this browser has it, else with the anonymous one', () => {
    const tokens = new TokenStore('k');
    localStorage.setItem(ANON, 'tok-anon');
    expect(tokens.tokenFor('42')).toBe('tok-anon');
    localStorage.setItem(USER, JSON.stringify({ user_id: '42', token: 'tok-42' }));
    expect(tokens.tokenFor('42')).toBe('tok-42');
    // Another user is not given 42's token.
    expect(tokens.tokenFor('77')).toBe('tok-anon');
    // Something unreadable is no token.
    localStorage.setItem(USER, '{not json');
    expect(tokens.tokenFor('42')).toBe('tok-anon');
  });

  it('keeps a user\'s token apart; the anonymous token is forgotten when that visitor became the user', () => {
    const tokens = new TokenStore('k');
    tokens.keep(null, 'tok-anon');
    expect(localStorage.getItem(ANON)).toBe('tok-anon');
    // The server answered another token (the user's own visitor): the anonymous one stays anonymous.
    tokens.keep('42', 'tok-42');
    expect(JSON.parse(localStorage.getItem(USER)!)).toEqual({ user_id: '42', token: 'tok-42' });
    expect(localStorage.getItem(ANON)).toBe('tok-anon');
    // The anonymous visitor became 77 (same token back): it never opens an anonymous chat again.
    tokens.keep('77', 'tok-anon');
    expect(JSON.parse(localStorage.getItem(USER)!)).toEqual({ user_id: '77', token: 'tok-anon' });
    expect(localStorage.getItem(ANON)).toBeNull();
    expect(tokens.tokenFor(null)).toBeUndefined();
  });

  it('forgets the user on a refusal, and everything on reset', () => {
    const tokens = new TokenStore('k');
    localStorage.setItem(ANON, 'tok-anon');
    localStorage.setItem(USER, JSON.stringify({ user_id: '42', token: 'tok-42' }));
    localStorage.setItem('frontline.seen.k', '{"dialog_id":"d1","seq":3}');
    localStorage.setItem('frontline.contact.k', '{"visitor_id":"v42","email":"a@b.c"}');
    localStorage.setItem('frontline.visitor.other', 'tok-other-site');
    tokens.forgetUser();
    expect(localStorage.getItem(USER)).toBeNull();
    expect(localStorage.getItem(ANON)).toBe('tok-anon');
    tokens.forgetAll();
    for (const k of [ANON, USER, 'frontline.seen.k', 'frontline.contact.k']) expect(localStorage.getItem(k)).toBeNull();
    // Another site's widget is not this one's to forget.
    expect(localStorage.getItem('frontline.visitor.other')).toBe('tok-other-site');
  });
});

describe('identityRefused', () => {
  it('is the server\'s refusal of the identify, or a bad user id or hash', () => {
    expect(identityRefused(new ApiError(403, 'identity_refused', 'no', { field: 'user_hash' }))).toBe(true);
    expect(identityRefused(new ApiError(400, 'validation_failed', 'user_id: required', { field: 'user_id' }))).toBe(true);
    expect(identityRefused(new ApiError(400, 'validation_failed', 'page_url', { field: 'page_url' }))).toBe(false);
    expect(identityRefused(new ApiError(403, 'unknown_site_key', 'no'))).toBe(false);
    expect(identityRefused(new Error('x'))).toBe(false);
  });
});
