import { describe, expect, it } from 'vitest';
import { NAV_PARENT, pathFor, routeFromPath, sectionsFor } from './routes';

describe('console routes', () => {
  it('read and write the console paths', () => {
    expect(routeFromPath('/console/')).toEqual({ view: 'dialogs', dialogId: null });
    expect(routeFromPath('/console/dialogs/0193%20x')).toEqual({ view: 'dialogs', dialogId: '0193 x' });
    expect(routeFromPath('/console/admin/rules')).toEqual({ view: 'admin', section: 'rules' });
    expect(routeFromPath('/console/admin')).toEqual({ view: 'admin', section: 'channels' });
    expect(routeFromPath('/console/admin/nonsense')).toEqual({ view: 'admin', section: 'channels' });
    expect(pathFor({ view: 'admin', section: 'operators' })).toBe('/console/admin/operators');
    expect(pathFor({ view: 'dialogs', dialogId: '0193 x' })).toBe('/console/dialogs/0193%20x');
    expect(pathFor({ view: 'dialogs', dialogId: null })).toBe('/console/');
  });

  it('name a channel\'s automation page', () => {
    expect(routeFromPath('/console/admin/automation/c%201')).toEqual({ view: 'admin', section: 'automation', channelId: 'c 1' });
    expect(routeFromPath('/console/admin/automation')).toEqual({ view: 'admin', section: 'automation', channelId: null });
    expect(routeFromPath('/console/admin/triggers')).toEqual({ view: 'admin', section: 'triggers' });
    expect(pathFor({ view: 'admin', section: 'automation', channelId: 'c 1' })).toBe('/console/admin/automation/c%201');
    expect(pathFor({ view: 'admin', section: 'automation', channelId: null })).toBe('/console/admin/automation');
    expect(pathFor({ view: 'admin', section: 'triggers' })).toBe('/console/admin/triggers');
  });

  it('lets each role open its pages', () => {
    expect(routeFromPath('/console/admin/replies')).toEqual({ view: 'admin', section: 'replies' });
    expect(sectionsFor('operator')).toEqual(['replies', 'account']);
    expect(sectionsFor('supervisor')).toEqual(['segments', 'tags', 'replies', 'account']);
    expect(sectionsFor('admin')).toEqual(['channels', 'automation', 'operators', 'install', 'rules', 'quality', 'moderation', 'segments', 'triggers', 'tags', 'fields', 'replies', 'forms', 'webhooks', 'api-keys', 'telegram', 'mail', 'audit', 'account']);
    expect(sectionsFor(null)).toEqual([]);
  });

  it('name the installation page', () => {
    expect(routeFromPath('/console/admin/install')).toEqual({ view: 'admin', section: 'install' });
    expect(pathFor({ view: 'admin', section: 'install' })).toBe('/console/admin/install');
    expect(sectionsFor('supervisor')).not.toContain('install');
  });

  it('name the audit log and everyone\'s Security page', () => {
    expect(routeFromPath('/console/admin/audit')).toEqual({ view: 'admin', section: 'audit' });
    expect(pathFor({ view: 'admin', section: 'audit' })).toBe('/console/admin/audit');
    expect(routeFromPath('/console/account')).toEqual({ view: 'admin', section: 'account' });
    expect(routeFromPath('/console/account/')).toEqual({ view: 'admin', section: 'account' });
    expect(routeFromPath('/console/accounting')).toEqual({ view: 'dialogs', dialogId: null });
    expect(pathFor({ view: 'admin', section: 'account' })).toBe('/console/account');
  });

  it('name the webhooks page, for admins alone', () => {
    expect(routeFromPath('/console/admin/webhooks')).toEqual({ view: 'admin', section: 'webhooks' });
    expect(routeFromPath('/console/admin/webhooks/')).toEqual({ view: 'admin', section: 'webhooks' });
    expect(pathFor({ view: 'admin', section: 'webhooks' })).toBe('/console/admin/webhooks');
    expect(sectionsFor('admin')).toContain('webhooks');
    expect(sectionsFor('supervisor')).not.toContain('webhooks');
    expect(sectionsFor('operator')).not.toContain('webhooks');
  });

  it('name the Web API keys page, for admins alone, under Integrations', () => {
    expect(routeFromPath('/console/admin/api-keys')).toEqual({ view: 'admin', section: 'api-keys' });
    expect(pathFor({ view: 'admin', section: 'api-keys' })).toBe('/console/admin/api-keys');
    expect(NAV_PARENT['api-keys']).toBe('install');
    expect(sectionsFor('admin')).toContain('api-keys');
    expect(sectionsFor('supervisor')).not.toContain('api-keys');
    expect(sectionsFor('operator')).not.toContain('api-keys');
  });

  it('name the mail page, for admins alone, under Integrations', () => {
    expect(routeFromPath('/console/admin/mail')).toEqual({ view: 'admin', section: 'mail' });
    expect(pathFor({ view: 'admin', section: 'mail' })).toBe('/console/admin/mail');
    expect(NAV_PARENT.mail).toBe('install');
    expect(sectionsFor('admin')).toContain('mail');
    expect(sectionsFor('supervisor')).not.toContain('mail');
    expect(sectionsFor('operator')).not.toContain('mail');
  });

  it('name the escalation forms page, for admins alone, in the navigation of its own', () => {
    expect(routeFromPath('/console/admin/forms')).toEqual({ view: 'admin', section: 'forms' });
    expect(pathFor({ view: 'admin', section: 'forms' })).toBe('/console/admin/forms');
    expect(NAV_PARENT.forms).toBeUndefined();
    expect(sectionsFor('admin')).toContain('forms');
    expect(sectionsFor('supervisor')).not.toContain('forms');
    expect(sectionsFor('operator')).not.toContain('forms');
  });

  it('name the complaints and blocks page, for admins alone, beside the routing rules', () => {
    expect(routeFromPath('/console/admin/moderation')).toEqual({ view: 'admin', section: 'moderation' });
    expect(routeFromPath('/console/admin/moderation/')).toEqual({ view: 'admin', section: 'moderation' });
    expect(pathFor({ view: 'admin', section: 'moderation' })).toBe('/console/admin/moderation');
    expect(NAV_PARENT.moderation).toBe('rules');
    expect(sectionsFor('admin')).toContain('moderation');
    expect(sectionsFor('supervisor')).not.toContain('moderation');
    expect(sectionsFor('operator')).not.toContain('moderation');
  });

  it('name the segments page, beside the routing rules: admins edit, supervisors look, operators have none', () => {
    expect(routeFromPath('/console/admin/segments')).toEqual({ view: 'admin', section: 'segments' });
    expect(pathFor({ view: 'admin', section: 'segments' })).toBe('/console/admin/segments');
    expect(NAV_PARENT.segments).toBe('rules');
    expect(sectionsFor('admin')).toContain('segments');
    expect(sectionsFor('supervisor')).toContain('segments');
    expect(sectionsFor('operator')).not.toContain('segments');
  });

  it('name the custom fields page, beside the tags and categories: admins alone', () => {
    expect(routeFromPath('/console/admin/fields')).toEqual({ view: 'admin', section: 'fields' });
    expect(pathFor({ view: 'admin', section: 'fields' })).toBe('/console/admin/fields');
    expect(NAV_PARENT.fields).toBe('tags');
    expect(sectionsFor('admin')).toContain('fields');
    expect(sectionsFor('supervisor')).not.toContain('fields');
    expect(sectionsFor('operator')).not.toContain('fields');
  });

  it('write the dialog a complaint links to', () => {
    expect(pathFor({ view: 'dialogs', dialogId: '0193a6f2-1c2d-7e3f-8a9b-0c1d2e3f4a5b' })).toBe('/console/dialogs/0193a6f2-1c2d-7e3f-8a9b-0c1d2e3f4a5b');
  });
});
