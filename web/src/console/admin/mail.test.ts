/**
 * The mail form's logic: the defaults of a new setup, the body of `PUT /api/v1/mail/settings`
 * (a password left out when untouched, `""` when removed, sent as typed when new), the
 * console's own checks, the follow-up's minutes, the port following the encryption, what counts as unsaved, the server's
 * refusals (worded as crates/core/src/mail/settings.rs words them) placed at their fields in
 * both languages, the test's legs, and the controller's requests.
 */
import { describe, expect, it } from 'vitest';
import { ApiError } from '../../shared/api';
import { fakeApi } from '../../test/fake-api';
import type { Problem } from '../console-state';
import { makeT } from '../i18n';
import {
  draftChanged,
  followupMinutes,
  isHost,
  legError,
  legOutcome,
  looksLikeAddress,
  mailDraft,
  mailFieldMessages,
  mailRequest,
  MailState,
  notSetUp,
  passwordState,
  portNumber,
  roundTripText,
  shownBesideField,
  withSecurity,
  type MailDraft,
  type MailSettingsView,
} from './mail';

const ru = makeT('ru');
const en = makeT('en');

function view(over: Partial<MailSettingsView> = {}): MailSettingsView {
  return {
    address: 'support@kitchens.example',
    display_name: 'Кухни «Уют»',
    smtp: { host: 'smtp.kitchens.example', port: 587, security: 'starttls', username: 'support@kitchens.example', password_set: true },
    imap: { host: 'imap.kitchens.example', port: 993, security: 'tls', username: 'support@kitchens.example', password_set: true },
    mailbox: 'INBOX',
    channel_id: 'c2',
    enabled: true,
    followup_minutes: 2,
    ...over,
  };
}

/** A new setup filled in as an admin would. */
function filled(): MailDraft {
  const d = mailDraft(null);
  return {
    ...d,
    address: ' support@kitchens.example ',
    display_name: ' Кухни «Уют» ',
    smtp: { ...d.smtp, host: ' smtp.kitchens.example ', username: 'support@kitchens.example', password: 's3cret ' },
    imap: { ...d.imap, host: 'imap.kitchens.example', username: 'support@kitchens.example', password: 'imap-pw' },
  };
}

const refusal = (code: string, field: string, message: string): Problem => ({ code, message, details: { field } });

describe('a new setup', () => {
  it('starts at SMTP 587 with STARTTLS, IMAP 993 with TLS, the inbox, switched on, in the default channel, mailing unread replies after 2 minutes', () => {
    expect(mailDraft(null)).toEqual({
      address: '',
      display_name: '',
      smtp: { host: '', port: '587', security: 'starttls', username: '', password: '', removePassword: false },
      imap: { host: '', port: '993', security: 'tls', username: '', password: '', removePassword: false },
      mailbox: 'INBOX',
      channel_id: '',
      enabled: true,
      followup_minutes: '2',
    });
  });

  it('is sent trimmed, passwords exactly as typed, the channel left to the server', () => {
    const r = mailRequest(filled());
    expect(r).toEqual({
      ok: true,
      body: {
        address: 'support@kitchens.example',
        display_name: 'Кухни «Уют»',
        smtp: { host: 'smtp.kitchens.example', port: 587, security: 'starttls', username: 'support@kitchens.example', password: 's3cret ' },
        imap: { host: 'imap.kitchens.example', port: 993, security: 'tls', username: 'support@kitchens.example', password: 'imap-pw' },
        mailbox: 'INBOX',
        enabled: true,
        followup_minutes: 2,
      },
    });
    expect(r.ok && 'channel_id' in r.body).toBe(false);
  });

  it('leaves a password out when none was typed (a relay without login), and an empty folder is INBOX', () => {
    const d = filled();
    const r = mailRequest({ ...d, smtp: { ...d.smtp, username: '', password: '' }, mailbox: '  ', channel_id: 'c1' });
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.body.smtp).toEqual({ host: 'smtp.kitchens.example', port: 587, security: 'starttls', username: '' });
    expect('password' in r.body.smtp).toBe(false);
    expect(r.body.mailbox).toBe('INBOX');
    expect(r.body.channel_id).toBe('c1');
  });
});

describe('a saved setup', () => {
  it('is read back without passwords, the channel as saved', () => {
    const d = mailDraft(view());
    expect(d.smtp).toEqual({ host: 'smtp.kitchens.example', port: '587', security: 'starttls', username: 'support@kitchens.example', password: '', removePassword: false });
    expect(d.channel_id).toBe('c2');
    expect(mailDraft(view({ followup_minutes: 0 })).followup_minutes).toBe('0');
    expect(passwordState(true, d.smtp)).toBe('saved');
    expect(draftChanged(view(), d)).toBe(false);
  });

  it('sends no password while the fields are untouched: the stored ones stay', () => {
    const d = mailDraft(view());
    const r = mailRequest({ ...d, smtp: { ...d.smtp, host: 'mail.kitchens.example' } });
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.body.smtp).toEqual({ host: 'mail.kitchens.example', port: 587, security: 'starttls', username: 'support@kitchens.example' });
    expect('password' in r.body.smtp).toBe(false);
    expect('password' in r.body.imap).toBe(false);
    expect(r.body.channel_id).toBe('c2');
  });

  it('sends "" for a password the admin removed, and the new one for a password typed', () => {
    const d = mailDraft(view());
    const removed = { ...d, imap: { ...d.imap, password: 'typed before', removePassword: true } };
    expect(passwordState(true, removed.imap)).toBe('remove');
    const r = mailRequest({ ...removed, smtp: { ...d.smtp, password: 'new-smtp' } });
    expect(r.ok && r.body.imap.password).toBe('');
    expect(r.ok && r.body.smtp.password).toBe('new-smtp');
    expect(passwordState(true, { ...d.smtp, password: 'x' })).toBe('new');
    expect(passwordState(false, { ...d.smtp, password: '' })).toBe('none');
  });

  it('is changed by a field as it would be sent, a password typed or one removed; not by spaces around a value', () => {
    const saved = view();
    const d = mailDraft(saved);
    expect(draftChanged(saved, { ...d, address: ' support@kitchens.example ' })).toBe(false);
    expect(draftChanged(saved, { ...d, mailbox: '' })).toBe(false);
    expect(draftChanged(saved, { ...d, enabled: false })).toBe(true);
    expect(draftChanged(saved, { ...d, followup_minutes: ' 2 ' })).toBe(false);
    expect(draftChanged(saved, { ...d, followup_minutes: '15' })).toBe(true);
    expect(draftChanged(saved, { ...d, imap: { ...d.imap, port: '143' } })).toBe(true);
    expect(draftChanged(saved, { ...d, smtp: { ...d.smtp, password: 'x' } })).toBe(true);
    expect(draftChanged(saved, { ...d, smtp: { ...d.smtp, removePassword: true } })).toBe(true);
    // Nothing stored to remove: no change.
    const none = view({ smtp: { ...saved.smtp, password_set: false } });
    expect(draftChanged(none, { ...mailDraft(none), smtp: { ...mailDraft(none).smtp, removePassword: true } })).toBe(false);
    // A new setup is unchanged until something is typed.
    expect(draftChanged(null, mailDraft(null))).toBe(false);
    expect(draftChanged(null, { ...mailDraft(null), address: 'a@b.c' })).toBe(true);
  });
});

describe('the console\'s own checks', () => {
  it('names each refused field as the server does', () => {
    const d = filled();
    const r = mailRequest({
      ...d,
      address: 'support',
      display_name: 'x'.repeat(101),
      smtp: { ...d.smtp, host: 'smtp.example.com/path', port: '0' },
      imap: { ...d.imap, host: '  ', port: '70000', username: 'u'.repeat(201), password: 'p'.repeat(501) },
      mailbox: 'm'.repeat(101),
    });
    expect(r).toEqual({
      ok: false,
      issues: [
        { field: 'address', reason: 'email' },
        { field: 'display_name', reason: 'too_long', max: 100 },
        { field: 'smtp.host', reason: 'invalid' },
        { field: 'smtp.port', reason: 'range', min: 1, max: 65535 },
        { field: 'imap.host', reason: 'required' },
        { field: 'imap.port', reason: 'range', min: 1, max: 65535 },
        { field: 'imap.username', reason: 'too_long', max: 200 },
        { field: 'imap.password', reason: 'too_long', max: 500 },
        { field: 'mailbox', reason: 'length', min: 1, max: 100 },
      ],
    });
    expect(mailRequest({ ...d, address: '' })).toMatchObject({ ok: false, issues: [{ field: 'address', reason: 'required' }] });
  });

  it('reads ports, hosts and addresses', () => {
    expect(['1', ' 25 ', '65535', '0', '65536', '', 'abc', '5.5', '-1'].map(portNumber)).toEqual([1, 25, 65535, null, null, null, null, null, null]);
    expect(['smtp.example.com', '127.0.0.1', '[::1]', 'a b', 'https://x/y', '', 'x'.repeat(254)].map(isHost)).toEqual([true, true, true, false, false, false, false]);
    // A quick look only: the server's stricter rules (a dotted domain) come back at the same field.
    expect(['a@b.c', 'support@mail', 'support', '@mail.test', 'a b@c.d', 'a@b@c'].map(looksLikeAddress)).toEqual([true, true, false, false, false, false]);
  });
});

describe('the follow-up by mail', () => {
  it('is sent as typed, a whole number of minutes 0–1440 (0: never)', () => {
    const send = (followup_minutes: string) => {
      const r = mailRequest({ ...filled(), followup_minutes });
      return r.ok ? r.body.followup_minutes : r.issues;
    };
    expect(send('15')).toBe(15);
    expect(send(' 0 ')).toBe(0);
    expect(send('1440')).toBe(1440);
    const refused = [{ field: 'followup_minutes', reason: 'range', min: 0, max: 1440 }];
    for (const bad of ['1441', '-1', '2.5', '', 'abc']) expect(send(bad)).toEqual(refused);
    expect(['0', ' 2 ', '1440', '1441', '-1', '1e2', ''].map(followupMinutes)).toEqual([0, 2, 1440, null, null, null, null]);
  });

  it('is refused at its field in the console\'s words, its own check and the server\'s alike', () => {
    const own = mailFieldMessages(ru, [{ field: 'followup_minutes', reason: 'range', min: 0, max: 1440 }], null);
    expect(Object.fromEntries(own)).toEqual({ followup_minutes: 'Целое число минут от 0 до 1440.' });
    const server = mailFieldMessages(en, [], refusal('validation_failed', 'followup_minutes', 'followup_minutes: 0–1440 minutes'));
    expect(Object.fromEntries(server)).toEqual({ followup_minutes: 'A whole number of minutes from 0 to 1440.' });
    expect(shownBesideField(refusal('validation_failed', 'followup_minutes', 'followup_minutes: 0–1440 minutes'))).toBe(true);
  });
});

describe('the port follows the encryption', () => {
  it('when it was the usual one (or empty); a port the admin typed stays', () => {
    const d = mailDraft(null);
    expect(withSecurity('smtp', d.smtp, 'tls').port).toBe('465');
    expect(withSecurity('smtp', d.smtp, 'none')).toMatchObject({ security: 'none', port: '25' });
    expect(withSecurity('imap', d.imap, 'none')).toMatchObject({ security: 'none', port: '143' });
    expect(withSecurity('smtp', { ...d.smtp, port: '14025' }, 'none')).toMatchObject({ security: 'none', port: '14025' });
    expect(withSecurity('imap', { ...d.imap, port: '' }, 'tls').port).toBe('993');
  });
});

describe('the server\'s refusals at their fields', () => {
  const place = (p: Problem, t = ru) => Object.fromEntries(mailFieldMessages(t, [], p));

  it('words each field the server names in the console\'s language', () => {
    expect(place(refusal('validation_failed', 'address', 'address: an e-mail address'))).toEqual({ address: 'Укажите адрес почты, например support@example.com.' });
    expect(place(refusal('validation_failed', 'smtp.host', 'smtp.host: a host name or address'))).toEqual({
      'smtp.host': 'Имя сервера или IP-адрес без пробелов, схемы и пути, например smtp.example.com.',
    });
    expect(place(refusal('validation_failed', 'smtp.port', 'smtp.port: 1–65535'))).toEqual({ 'smtp.port': 'Номер порта от 1 до 65535.' });
    // A port that is no u16 at all: serde's refusal, in the extractor's words.
    expect(place(refusal('validation_failed', 'imap.port', 'imap.port: is not a valid value'))).toEqual({ 'imap.port': 'Номер порта от 1 до 65535.' });
    expect(place(refusal('validation_failed', 'imap.username', 'imap.username: at most 200 characters'))).toEqual({ 'imap.username': 'Не длиннее 200 символов.' });
    expect(place(refusal('validation_failed', 'smtp.password', 'smtp.password: at most 500 characters'))).toEqual({ 'smtp.password': 'Не длиннее 500 символов.' });
    expect(place(refusal('validation_failed', 'display_name', 'display_name: at most 100 characters'))).toEqual({ display_name: 'Не длиннее 100 символов.' });
    expect(place(refusal('validation_failed', 'mailbox', 'mailbox: 1–100 characters'))).toEqual({ mailbox: 'От 1 до 100 символов.' });
    expect(place(refusal('validation_failed', 'smtp.security', 'smtp.security: is not one of the accepted values'))).toEqual({ 'smtp.security': 'Выберите шифрование из списка.' });
    expect(place(refusal('validation_failed', 'imap.host', 'imap.host: required'))).toEqual({ 'imap.host': 'Заполните это поле.' });
    expect(place(refusal('not_found', 'channel_id', 'No such channel.'))).toEqual({ channel_id: 'Этого канала больше нет — выберите другой.' });
  });

  it('in English too', () => {
    expect(place(refusal('validation_failed', 'address', 'address: an e-mail address'), en)).toEqual({ address: 'Enter an e-mail address, e.g. support@example.com.' });
    expect(place(refusal('validation_failed', 'imap.port', 'imap.port: 1–65535'), en)).toEqual({ 'imap.port': 'A port number from 1 to 65535.' });
    expect(place(refusal('validation_failed', 'imap.username', 'imap.username: at most 200 characters'), en)).toEqual({ 'imap.username': 'At most 200 characters.' });
  });

  it('puts a field the form does not show at its server, and says what is shown beside a field', () => {
    expect(place(refusal('validation_failed', 'smtp.client_cert', 'smtp.client_cert: is not a valid value'))).toEqual({ smtp: 'Недопустимое значение.' });
    expect(shownBesideField(refusal('validation_failed', 'smtp.port', 'smtp.port: 1–65535'))).toBe(true);
    expect(shownBesideField(refusal('not_found', 'channel_id', 'No such channel.'))).toBe(true);
    expect(shownBesideField(refusal('validation_failed', 'body', 'body: has the wrong type'))).toBe(false);
    expect(shownBesideField({ code: 'unavailable', details: {}, message: 'this server has no sealing key' })).toBe(false);
    expect(shownBesideField(null)).toBe(false);
  });

  it('shows the console\'s own check until the server answers, then the server\'s', () => {
    const own = [{ field: 'smtp.port', reason: 'range' as const, min: 1, max: 65535 }, { field: 'address', reason: 'required' as const }];
    expect(Object.fromEntries(mailFieldMessages(ru, own, null))).toEqual({ 'smtp.port': 'Номер порта от 1 до 65535.', address: 'Заполните это поле.' });
    const both = mailFieldMessages(ru, own, refusal('validation_failed', 'address', 'address: an e-mail address'));
    expect(both.get('address')).toBe('Укажите адрес почты, например support@example.com.');
  });
});

describe('the test', () => {
  it('tells a leg that worked, one that failed with the server\'s words, and a mailbox read without a mail to find', () => {
    const ok = { smtp: { ok: true, error: null }, imap: { ok: true, error: null }, round_trip_ms: 1430 };
    expect([legOutcome('smtp', ok), legOutcome('imap', ok)]).toEqual(['ok', 'ok']);
    const login = 'the mail server refused (permanently): login: [AUTHENTICATIONFAILED] Authentication failed.';
    const imapFailed = { smtp: { ok: true, error: null }, imap: { ok: false, error: login }, round_trip_ms: null };
    expect(legOutcome('imap', imapFailed)).toBe('failed');
    expect(legError(imapFailed.imap)).toBe(login);
    expect(legError(ok.imap)).toBeNull();
    const notSent = { smtp: { ok: false, error: 'could not reach the mail server' }, imap: { ok: true, error: 'read, but no test mail was sent to find' }, round_trip_ms: null };
    expect([legOutcome('smtp', notSent), legOutcome('imap', notSent)]).toEqual(['failed', 'not_looked']);
    expect(legError(notSent.imap)).toBeNull();
    expect(legError({ ok: false, error: '  ' })).toBeNull();
  });

  it('says the round trip in the console\'s language', () => {
    expect(roundTripText(ru, 'ru', 850)).toBe('850 мс');
    expect(roundTripText(ru, 'ru', 1430)).toBe('1,4 с');
    expect(roundTripText(en, 'en', 1430)).toBe('1.4 s');
    expect(roundTripText(en, 'en', 12_000)).toBe('12.0 s');
  });

  it('knows the refusal of a test before anything is saved', () => {
    expect(notSetUp(refusal('validation_failed', 'mail', 'mail: mail is not set up yet'))).toBe(true);
    expect(notSetUp(refusal('validation_failed', 'address', 'address: an e-mail address'))).toBe(false);
    expect(notSetUp(null)).toBe(false);
  });
});

describe('MailState', () => {
  it('reads the setup (none yet), writes it whole, runs the test, and hands refusals back', async () => {
    let stored: MailSettingsView | null = null;
    const api = fakeApi({
      'GET /api/v1/mail/settings': () => ({ settings: stored }),
      'PUT /api/v1/mail/settings': (_p, o) => {
        const body = o.body as { address: string };
        if (body.address === 'bad@mail') throw new ApiError(400, 'validation_failed', 'address: an e-mail address', { field: 'address' });
        stored = view({ address: body.address });
        return stored;
      },
      'POST /api/v1/mail/test': () => ({ smtp: { ok: true, error: null }, imap: { ok: true, error: null }, round_trip_ms: 900 }),
    });
    const state = new MailState({
      api: api.request,
      guard: (e) => (e instanceof ApiError ? { code: e.code, message: e.message, details: e.details } : { code: 'internal', details: {} }),
    });
    await state.open();
    expect([state.loaded, state.settings, state.problem]).toEqual([true, null, null]);

    const body = mailRequest(filled());
    if (!body.ok) throw new Error('filled form refused');
    const refused = await state.save({ ...body.body, address: 'bad@mail' });
    expect(refused).toMatchObject({ code: 'validation_failed', details: { field: 'address' } });
    expect(state.settings).toBeNull();

    const saved = await state.save(body.body);
    expect(saved).toMatchObject({ address: 'support@kitchens.example' });
    expect(state.settings).toEqual(saved);
    expect(api.callsTo('PUT', '/api/v1/mail/settings').at(-1)?.options.body).toEqual(body.body);

    await expect(state.test()).resolves.toEqual({ smtp: { ok: true, error: null }, imap: { ok: true, error: null }, round_trip_ms: 900 });
    expect(api.callsTo('POST', '/api/v1/mail/test')[0].options.body).toBeUndefined();
  });
});
