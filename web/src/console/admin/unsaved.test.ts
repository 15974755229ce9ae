import { describe, expect, it } from 'vitest';
import { fakeApi } from '../../test/fake-api';
import { meView, operator } from '../../test/fixtures';
import { ConsoleState } from '../console-state';
import { UnsavedChanges } from './unsaved';

describe('unsaved edits', () => {
  it('asks only while a form is dirty, and takes the step on "leave"', () => {
    let changes = 0;
    const u = new UnsavedChanges(() => changes++);
    const taken: string[] = [];
    expect(u.mayLeave(() => taken.push('a'))).toBe(true);
    u.set('f1', true);
    expect(u.mayLeave(() => taken.push('b'))).toBe(false);
    expect(u.pending).not.toBeNull();
    u.stay();
    expect(taken).toEqual([]);
    expect(u.any()).toBe(true);
    expect(u.mayLeave(() => taken.push('c'))).toBe(false);
    u.leave();
    expect(taken).toEqual(['c']);
    expect(u.any()).toBe(false);
    expect(changes).toBeGreaterThan(0);
  });

  it('a form saved meanwhile drops the question', () => {
    const u = new UnsavedChanges(() => {});
    u.set('f1', true);
    u.mayLeave(() => {});
    u.set('f1', false);
    expect(u.pending).toBeNull();
  });

  it('back and forward away from dirty edits keep the page and its address until he answers', () => {
    history.replaceState(null, '', '/console/admin/channels');
    const state = new ConsoleState({ api: fakeApi({}).request, watching: () => true });
    state.session.me = meView({ operator: operator('me', { role: 'admin' }) });
    state.followPath('/console/admin/channels');
    state.team.unsaved.set('channel', true);
    history.pushState(null, '', '/console/admin/rules'); // what the browser did
    state.followPath('/console/admin/rules');
    expect(state.session.route).toEqual({ view: 'admin', section: 'channels' });
    expect(location.pathname).toBe('/console/admin/channels');
    state.team.unsaved.leave();
    expect(state.session.route).toEqual({ view: 'admin', section: 'rules' });
    expect(location.pathname).toBe('/console/admin/rules');
  });
});
