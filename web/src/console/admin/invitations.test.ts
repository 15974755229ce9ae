/**
 * The pure parts of inviting operators: the invite form's checks and body, the states in words
 * (a pending one that ran out is expired), the secret read from a link's `#`, the invitation
 * page's checks and body, the audit log's line, and the controller against a fake server.
 */
import { describe, expect, it } from 'vitest';
import { ApiError } from '../../shared/api';
import type { AuditView } from '../../shared/api-types';
import { fakeApi } from '../../test/fake-api';
import { toProblem } from '../console-state';
import { makeT } from '../i18n';
import { isInvitePath } from '../routes';
import {
  acceptIssues,
  acceptMessages,
  acceptRequest,
  deadLink,
  inviteDraft,
  inviteMessages,
  inviteRequest,
  InvitationsState,
  inviteToken,
  renewable,
  revocable,
  shownBesideField,
  stateLabel,
  stateOf,
  type InvitationView,
} from './invitations';
import { auditSentence } from './lifecycle';

const ru = makeT('ru');
const en = makeT('en');
const NOW = new Date('2026-12-06T12:00:00Z');

function invitation(id: string, over: Partial<InvitationView> = {}): InvitationView {
  return {
    id,
    email: `${id}@example.com`,
    display_name: 'Ольга',
    role: 'operator',
    state: 'pending',
    created_at: '2026-12-05T12:00:00Z',
    expires_at: '2026-12-12T12:00:00Z',
    accepted_at: null,
    ...over,
  };
}

describe('the invite form', () => {
  it('starts empty, as an operator; or from an earlier invitation', () => {
    expect(inviteDraft()).toEqual({ email: '', display_name: '', role: 'operator' });
    expect(inviteDraft(invitation('o', { role: 'supervisor' }))).toEqual({ email: 'o@example.com', display_name: 'Ольга', role: 'supervisor' });
    expect(inviteDraft(invitation('o', { role: 'owner' })).role).toBe('operator');
  });

  it('refuses a missing or odd e-mail and a missing or long name before sending', () => {
    expect(inviteRequest({ email: '', display_name: '', role: 'operator' })).toEqual({
      ok: false,
      issues: [
        { field: 'email', reason: 'required' },
        { field: 'display_name', reason: 'required' },
      ],
    });
    const odd = inviteRequest({ email: 'olga@', display_name: 'x'.repeat(81), role: 'operator' });
    expect(odd.ok || odd.issues).toEqual([
      { field: 'email', reason: 'email' },
      { field: 'display_name', reason: 'too_long', max: 80 },
    ]);
  });

  it('sends the fields trimmed', () => {
    expect(inviteRequest({ email: ' olga@example.com ', display_name: ' Ольга ', role: 'admin' })).toEqual({
      ok: true,
      body: { email: 'olga@example.com', display_name: 'Ольга', role: 'admin' },
    });
  });

  it('words the server\'s refusals beside their fields, e-mail taken too', () => {
    const taken = toProblem(new ApiError(409, 'email_taken', 'taken'));
    expect(inviteMessages(ru, [], taken).get('email')).toBe('Оператор с таким e-mail уже есть.');
    expect(shownBesideField(taken)).toBe(true);
    const role = toProblem(new ApiError(400, 'validation_failed', 'role: must be admin, supervisor or operator', { field: 'role' }));
    expect(inviteMessages(ru, [], role).get('role')).toBe('Выберите одно из предложенных значений.');
    expect(shownBesideField(role)).toBe(true);
    expect(shownBesideField(toProblem(new ApiError(403, 'forbidden', 'no')))).toBe(false);
    expect(inviteMessages(en, [{ field: 'email', reason: 'email' }], null).get('email')).toMatch(/e-mail/);
  });
});

describe('the states', () => {
  it('are words in both languages; an unknown one is shown as it came', () => {
    expect(['pending', 'accepted', 'revoked', 'expired'].map((s) => stateLabel(ru, s))).toEqual(['Ожидает', 'Принято', 'Отозвано', 'Истекло']);
    expect(['pending', 'accepted', 'revoked', 'expired'].map((s) => stateLabel(en, s))).toEqual(['Waiting', 'Accepted', 'Revoked', 'Expired']);
    expect(stateLabel(ru, 'paused')).toBe('paused');
  });

  it('a pending one whose time ran out since the list was read is expired: no revoke, invite again', () => {
    const live = invitation('a');
    const ran = invitation('b', { expires_at: '2026-12-06T11:59:59Z' });
    expect(stateOf(live, NOW)).toBe('pending');
    expect(stateOf(ran, NOW)).toBe('expired');
    expect([revocable(live, NOW), renewable(live, NOW)]).toEqual([true, false]);
    expect([revocable(ran, NOW), renewable(ran, NOW)]).toEqual([false, true]);
    const accepted = invitation('c', { state: 'accepted', accepted_at: '2026-12-06T10:00:00Z' });
    expect([revocable(accepted, NOW), renewable(accepted, NOW)]).toEqual([false, false]);
    expect(renewable(invitation('d', { state: 'revoked' }), NOW)).toBe(true);
  });
});

describe('the link', () => {
  it('is /console/invite with the secret after #', () => {
    expect(isInvitePath('/console/invite')).toBe(true);
    expect(isInvitePath('/console/invite/')).toBe(true);
    expect(isInvitePath('/console/invites')).toBe(false);
    expect(isInvitePath('/console/')).toBe(false);
    expect(inviteToken('#k3Y_abc-123')).toBe('k3Y_abc-123');
    expect(inviteToken('k3Y')).toBe('k3Y');
    expect(inviteToken('#a%2Bb')).toBe('a+b');
    expect(inviteToken('#%E0%A4%A')).toBe('%E0%A4%A');
  });

  it('has no secret when the # is empty, blank or too long', () => {
    expect(inviteToken('')).toBeNull();
    expect(inviteToken('#')).toBeNull();
    expect(inviteToken('#   ')).toBeNull();
    expect(inviteToken('#a b')).toBeNull();
    expect(inviteToken(`#${'x'.repeat(201)}`)).toBeNull();
  });
});

describe('the invitation page', () => {
  const ok = { display_name: 'Ольга', password: 'olga-password', repeat: 'olga-password' };

  it('asks for a name, a password of 8–256 characters and the same again', () => {
    expect(acceptIssues(ok)).toEqual([]);
    expect(acceptIssues({ display_name: ' ', password: '', repeat: '' })).toEqual([
      { field: 'display_name', reason: 'required' },
      { field: 'password', reason: 'required' },
      { field: 'password_repeat', reason: 'required' },
    ]);
    expect(acceptIssues({ ...ok, password: 'short', repeat: 'short' })).toEqual([{ field: 'password', reason: 'length' }]);
    expect(acceptIssues({ ...ok, password: 'x'.repeat(257), repeat: 'x'.repeat(257) })).toEqual([{ field: 'password', reason: 'length' }]);
    expect(acceptIssues({ ...ok, repeat: 'olga-passwort' })).toEqual([{ field: 'password_repeat', reason: 'mismatch' }]);
    // Eight characters, whatever their bytes.
    expect(acceptIssues({ ...ok, password: 'пароль12', repeat: 'пароль12' })).toEqual([]);
  });

  it('words them, and the server\'s refusal of the password, in the page\'s language', () => {
    const m = acceptMessages(ru, acceptIssues({ display_name: '', password: 'short', repeat: 'x' }), null);
    expect([...m]).toEqual([
      ['display_name', 'Заполните это поле.'],
      ['password', 'Пароль — от 8 до 256 символов.'],
      ['password_repeat', 'Пароли не совпадают.'],
    ]);
    const refused = toProblem(new ApiError(400, 'validation_failed', 'password: 8–256 characters', { field: 'password' }));
    expect(acceptMessages(en, [], refused).get('password')).toBe('A password is 8 to 256 characters.');
  });

  it('sends the name only when he changed it', () => {
    expect(acceptRequest('tok', ok, { display_name: 'Ольга' })).toEqual({ token: 'tok', password: 'olga-password' });
    expect(acceptRequest('tok', { ...ok, display_name: ' Ольга Петрова ' }, { display_name: 'Ольга' })).toEqual({
      token: 'tok',
      password: 'olga-password',
      display_name: 'Ольга Петрова',
    });
  });

  it('a 404 means the link no longer works; a refusal for too many tries does not', () => {
    expect(deadLink(toProblem(new ApiError(404, 'not_found', 'invitation (used, revoked or expired)')))).toBe(true);
    expect(deadLink(toProblem(new ApiError(429, 'rate_limited', 'slow down')))).toBe(false);
    expect(deadLink(null)).toBe(false);
  });
});

describe('the audit log', () => {
  it('says who was invited and in which role', () => {
    const line = (details: Record<string, unknown>): AuditView => ({ id: 'a1', at: '2026-12-06T12:00:00Z', action: 'operator.invited', actor: null, target: null, ip: null, details });
    expect(auditSentence(ru, line({ email: 'olga@example.com', role: 'operator', mailed: false }))).toBe('Отправлено приглашение: olga@example.com («Оператор»)');
    expect(auditSentence(en, line({ email: 'olga@example.com', role: 'admin' }))).toBe('Invitation sent: olga@example.com (“Administrator”)');
    expect(auditSentence(ru, line({}))).toBe('Отправлено приглашение');
  });
});

describe('the controller', () => {
  it('lists, invites (newest first), and revokes keeping the revoked one', async () => {
    const made = invitation('new', { display_name: 'Ольга' });
    const api = fakeApi({
      'GET /api/v1/invitations': () => ({ items: [invitation('old', { state: 'accepted' })] }),
      'POST /api/v1/invitations': () => ({ invitation: made, link: 'http://x/console/invite#secret', mailed: false }),
      'POST /api/v1/invitations/*': (path) => ({ ...made, state: 'revoked', id: path.split('/')[4] }),
    });
    const s = new InvitationsState({ api: api.request, guard: toProblem });
    await s.load();
    expect(s.loaded).toBe(true);
    expect(s.items.map((i) => i.id)).toEqual(['old']);

    const done = await s.create({ email: 'new@example.com', display_name: 'Ольга', role: 'operator' });
    expect(done).toMatchObject({ link: 'http://x/console/invite#secret', mailed: false });
    expect(s.items.map((i) => i.id)).toEqual(['new', 'old']);
    // The link stays with the page, never in the controller.
    expect(JSON.stringify(s)).not.toContain('secret');

    expect(await s.revoke('new')).toBeNull();
    expect(api.callsTo('POST', '/api/v1/invitations/new/revoke')).toHaveLength(1);
    expect(s.items.map((i) => [i.id, i.state])).toEqual([
      ['new', 'revoked'],
      ['old', 'accepted'],
    ]);
  });

  it('hands a refusal back as a problem and keeps the list', async () => {
    const api = fakeApi({
      'GET /api/v1/invitations': () => ({ items: [] }),
      'POST /api/v1/invitations': () => {
        throw new ApiError(409, 'email_taken', 'taken');
      },
    });
    const s = new InvitationsState({ api: api.request, guard: toProblem });
    await s.load();
    expect(await s.create({ email: 'a@example.com', display_name: 'A', role: 'operator' })).toMatchObject({ code: 'email_taken' });
    expect(s.items).toEqual([]);
    expect(await s.revoke('gone')).toMatchObject({ code: 'not_found' });
  });
});
