/**
 * The mail page in jsdom: empty at first with the defaults of a new setup; saved whole (the
 * channel left to the server, passwords as typed); a saved password never shown, kept when its
 * field is left empty and removed on request; refusals at their fields (the console's own and
 * the server's) in Russian and English; the minutes after which a reply a website visitor has
 * not read is mailed to him; the port following the encryption; unsaved edits; the test busy
 * while it runs, then ✓ per leg with the round trip, or the mail server's words; and
 * the tab under Integrations.
 */
import { render } from 'preact';
import { act } from 'preact/test-utils';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ApiError } from '../../shared/api';
import type { Lang } from '../../shared/i18n';
import { fakeApi, settle } from '../../test/fake-api';
import { channel, meView, operator } from '../../test/fixtures';
import { ConsoleState } from '../console-state';
import { ConsoleContext } from '../context';
import type { MailSettingsInput, MailSettingsView, MailTestView } from './mail';
import { MailAdmin } from './MailAdmin';

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

let host: HTMLDivElement;
let stored: MailSettingsView | null;
let puts: MailSettingsInput[];
let refuse: ApiError | null;
let testAnswer: () => Promise<MailTestView>;
let state: ConsoleState;

/** The server's view of a PUT: what it keeps (never a password). */
function keep(body: MailSettingsInput): MailSettingsView {
  const server = (leg: 'smtp' | 'imap') => {
    const s = body[leg];
    const before = stored?.[leg].password_set ?? false;
    return { host: s.host, port: s.port, security: s.security, username: s.username ?? '', password_set: s.password === undefined || s.password === null ? before : s.password !== '' };
  };
  return {
    address: body.address,
    display_name: body.display_name ?? '',
    smtp: server('smtp'),
    imap: server('imap'),
    mailbox: body.mailbox || 'INBOX',
    channel_id: body.channel_id ?? 'c1',
    enabled: body.enabled ?? true,
    followup_minutes: body.followup_minutes ?? 2,
  };
}

async function mount(lang: Lang = 'ru', start: MailSettingsView | null = null) {
  localStorage.setItem('frontline.console.lang', lang);
  stored = start;
  puts = [];
  refuse = null;
  testAnswer = async () => ({ smtp: { ok: true, error: null }, imap: { ok: true, error: null }, round_trip_ms: 1430 });
  const api = fakeApi({
    'GET /api/v1/mail/settings': () => ({ settings: stored }),
    'PUT /api/v1/mail/settings': (_path, o) => {
      const body = o.body as MailSettingsInput;
      puts.push(body);
      if (refuse) throw refuse;
      stored = keep(body);
      return stored;
    },
    'POST /api/v1/mail/test': () => {
      if (!stored) throw new ApiError(400, 'validation_failed', 'mail: mail is not set up yet', { field: 'mail' });
      return testAnswer();
    },
  });
  state = new ConsoleState({ api: api.request, watching: () => true });
  state.session.me = meView({ operator: operator('op1', { role: 'admin' }) });
  // The default channel is not the first one: the picker must show it by `is_default`.
  state.team.channels = [channel('c2', { name: 'Сервис' }), channel('c1', { name: 'Москва', is_default: true })];
  host = document.createElement('div');
  document.body.appendChild(host);
  await act(async () => {
    render(
      <ConsoleContext.Provider value={state}>
        <MailAdmin />
      </ConsoleContext.Provider>,
      host,
    );
    await settle();
  });
}

const q = <T extends HTMLElement = HTMLElement>(testid: string, within: ParentNode = document) => within.querySelector<T>(`[data-testid="${testid}"]`);
const input = (testid: string) => q<HTMLInputElement>(testid)!;
const select = (testid: string) => q<HTMLSelectElement>(testid)!;
const fieldNote = (field: string) => document.querySelector(`[data-testid="field-error"][data-field="${field}"]`)?.textContent ?? null;

async function type(el: HTMLInputElement, value: string) {
  await act(async () => {
    el.value = value;
    el.dispatchEvent(new Event('input', { bubbles: true }));
    await settle();
  });
}
async function pick(el: HTMLSelectElement | HTMLInputElement, value?: string) {
  await act(async () => {
    if (el instanceof HTMLSelectElement) el.value = value!;
    else el.checked = !el.checked;
    el.dispatchEvent(new Event('change', { bubbles: true }));
    await settle();
  });
}
async function click(el: HTMLElement) {
  await act(async () => {
    el.click();
    await settle();
  });
}
async function save() {
  await act(async () => {
    q<HTMLFormElement>('mail-form')!.dispatchEvent(new Event('submit', { bubbles: true, cancelable: true }));
    await settle();
  });
}

/** Fills a new setup as the e2e test does: a local relay without login, IMAP with one. */
async function fillNew() {
  await type(input('mail-address'), 'support@kitchens.example');
  await type(input('mail-display-name'), 'Кухни «Уют»');
  await type(input('mail-smtp-host'), '127.0.0.1');
  await pick(select('mail-smtp-security'), 'none');
  await type(input('mail-smtp-port'), '14025');
  await type(input('mail-imap-host'), '127.0.0.1');
  await pick(select('mail-imap-security'), 'none');
  await type(input('mail-imap-port'), '14143');
  await type(input('mail-imap-username'), 'support');
  await type(input('mail-imap-password'), 'pw-1');
}

afterEach(() => {
  act(() => render(null, host));
  host.remove();
  vi.restoreAllMocks();
  vi.useRealTimers();
});

describe('Mail page', () => {
  it('is empty at first, with the defaults of a new setup', async () => {
    await mount();
    expect(q('mail-title')?.textContent).toBe('Почта');
    expect(q('mail-empty')?.textContent).toMatch(/^Почта ещё не настроена/);
    expect(input('mail-address').value).toBe('');
    expect([input('mail-smtp-port').value, select('mail-smtp-security').value]).toEqual(['587', 'starttls']);
    expect([input('mail-imap-port').value, select('mail-imap-security').value]).toEqual(['993', 'tls']);
    expect(input('mail-mailbox').value).toBe('INBOX');
    expect(select('mail-channel').value).toBe('c1');
    expect(select('mail-channel').selectedOptions[0].textContent).toBe('Москва (основной)');
    expect(input('mail-enabled').checked).toBe(true);
    expect(input('mail-followup').value).toBe('2');
    expect([...select('mail-smtp-security').options].map((o) => o.textContent)).toEqual([
      'STARTTLS — обычно порт 587',
      'TLS — обычно порт 465',
      'Без шифрования — только для локального сервера',
    ]);
    expect([...select('mail-imap-security').options].map((o) => o.textContent)).toEqual(['TLS — обычно порт 993', 'Без шифрования — только для локального сервера']);
    expect(q('mail-smtp-password-field')?.dataset.state).toBe('none');
    expect(input('mail-smtp-password').placeholder).toBe('');
    expect(q('mail-smtp-password-remove')).toBeNull();
    // Nothing saved: nothing to test yet, and nothing unsaved either.
    expect(q<HTMLButtonElement>('mail-test')?.disabled).toBe(true);
    expect(q('mail-test-blocked')?.textContent).toBe('Сначала сохраните настройки: проверяются сохранённые.');
    expect(state.team.unsaved.any()).toBe(false);
    expect(q('field-error')).toBeNull();
  });

  it('saves a new setup whole: the channel left to the server, the password as typed; then it shows as saved', async () => {
    await mount();
    await fillNew();
    expect(state.team.unsaved.any()).toBe(true);
    expect(q('mail-smtp-plain-warning')?.textContent).toMatch(/^Пароль и письма пойдут по сети открытым текстом/);
    await save();
    expect(puts).toEqual([
      {
        address: 'support@kitchens.example',
        display_name: 'Кухни «Уют»',
        smtp: { host: '127.0.0.1', port: 14025, security: 'none', username: '' },
        imap: { host: '127.0.0.1', port: 14143, security: 'none', username: 'support', password: 'pw-1' },
        mailbox: 'INBOX',
        enabled: true,
        followup_minutes: 2,
      },
    ]);
    expect(q('mail-saved')?.textContent).toBe('Сохранено');
    expect(q('mail-empty')).toBeNull();
    expect(state.team.unsaved.any()).toBe(false);
    // The password is gone from the page; its field says it is kept.
    expect(input('mail-imap-password').value).toBe('');
    expect(input('mail-imap-password').placeholder).toBe('сохранён');
    expect(q('mail-imap-password-field')?.dataset.state).toBe('saved');
    expect(q('mail-imap-password-hint')?.textContent).toBe('Пароль сохранён и не показывается. Оставьте поле пустым, чтобы не менять его, или введите новый.');
    expect(document.body.innerHTML).not.toContain('pw-1');
    expect(q<HTMLButtonElement>('mail-save')?.disabled).toBe(true);
    expect(q<HTMLButtonElement>('mail-test')?.disabled).toBe(false);
  });

  it('keeps a saved password when its field is left empty, and removes it on request', async () => {
    await mount('ru', view());
    expect(input('mail-smtp-password').placeholder).toBe('сохранён');
    await type(input('mail-smtp-host'), 'mail.kitchens.example');
    await save();
    expect(puts[0].smtp).toEqual({ host: 'mail.kitchens.example', port: 587, security: 'starttls', username: 'support@kitchens.example' });
    expect('password' in puts[0].imap).toBe(false);
    expect(puts[0].channel_id).toBe('c2');

    // Remove, change one's mind, remove again.
    await click(q('mail-imap-password-remove')!);
    expect(q('mail-imap-password-field')?.dataset.state).toBe('remove');
    expect(input('mail-imap-password').disabled).toBe(true);
    expect(input('mail-imap-password').placeholder).toBe('');
    expect(q('mail-imap-password-hint')?.textContent).toBe('Пароль будет удалён, когда вы сохраните настройки.');
    expect(state.team.unsaved.any()).toBe(true);
    await click(q('mail-imap-password-keep')!);
    expect(q('mail-imap-password-field')?.dataset.state).toBe('saved');
    expect(document.activeElement).toBe(input('mail-imap-password'));
    expect(state.team.unsaved.any()).toBe(false);
    await click(q('mail-imap-password-remove')!);
    await save();
    expect(puts[1].imap.password).toBe('');
    expect('password' in puts[1].smtp).toBe(false);
    expect(q('mail-imap-password-field')?.dataset.state).toBe('none');
    expect(q('mail-imap-password-remove')).toBeNull();

    // A new one typed replaces the kept one.
    await type(input('mail-smtp-password'), 'new secret');
    expect(q('mail-smtp-password-hint')?.textContent).toBe('Новый пароль заменит сохранённый, когда вы сохраните настройки.');
    await save();
    expect(puts[2].smtp.password).toBe('new secret');
  });

  it('shows the console\'s own refusals at their fields, and sends nothing', async () => {
    await mount();
    await type(input('mail-address'), 'support');
    await type(input('mail-smtp-port'), '70000');
    await save();
    expect(puts).toEqual([]);
    expect(fieldNote('address')).toBe('Укажите адрес почты, например support@example.com.');
    expect(fieldNote('smtp.port')).toBe('Номер порта от 1 до 65535.');
    expect(fieldNote('smtp.host')).toBe('Заполните это поле.');
    expect(fieldNote('imap.host')).toBe('Заполните это поле.');
    expect(q('mail-error')?.textContent).toBe('Не сохранено: проверьте отмеченные поля.');
    expect(input('mail-address').getAttribute('aria-invalid')).toBe('true');
    expect(document.activeElement).toBe(input('mail-address'));
  });

  it('shows the server\'s refusal at its field, in the console\'s words, until the field is edited', async () => {
    await mount('ru', view());
    refuse = new ApiError(400, 'validation_failed', 'address: an e-mail address', { field: 'address' });
    await type(input('mail-address'), 'support@mail');
    await save();
    expect(puts).toHaveLength(1);
    expect(fieldNote('address')).toBe('Укажите адрес почты, например support@example.com.');
    expect(document.activeElement).toBe(input('mail-address'));
    expect(q('mail-error')?.textContent).toBe('Не сохранено: проверьте отмеченные поля.');

    refuse = new ApiError(400, 'validation_failed', 'imap.username: at most 200 characters', { field: 'imap.username' });
    await type(input('mail-address'), 'support@kitchens.example');
    expect(fieldNote('address')).toBeNull();
    await type(input('mail-display-name'), 'Кухни');
    await save();
    expect(fieldNote('imap.username')).toBe('Не длиннее 200 символов.');

    refuse = new ApiError(404, 'not_found', 'No such channel.', { field: 'channel_id' });
    await pick(select('mail-channel'), 'c1');
    await save();
    expect(fieldNote('channel_id')).toBe('Этого канала больше нет — выберите другой.');

    // Not a field: the line under the form, in the console's words.
    refuse = new ApiError(503, 'unavailable', 'this server has no sealing key');
    await type(input('mail-display-name'), 'Кухни «Уют»!');
    await save();
    expect(q('mail-error')?.textContent).toBe('Сервер временно недоступен. Повторите позже.');
  });

  it('says the same in English', async () => {
    await mount('en', view({ imap: { ...view().imap, password_set: true } }));
    expect(q('mail-title')?.textContent).toBe('Mail');
    expect(q('mail-smtp')?.querySelector('legend')?.textContent).toBe('Outgoing (SMTP)');
    expect(q('mail-imap')?.querySelector('legend')?.textContent).toBe('Incoming (IMAP)');
    expect(input('mail-imap-password').placeholder).toBe('saved');
    expect(q('mail-imap-password-hint')?.textContent).toBe('A password is saved and never shown. Leave the field empty to keep it, or type a new one.');
    expect(select('mail-channel').selectedOptions[0].textContent).toBe('Сервис');
    refuse = new ApiError(400, 'validation_failed', 'smtp.port: 1–65535', { field: 'smtp.port' });
    await type(input('mail-smtp-port'), '65535');
    await save();
    expect(fieldNote('smtp.port')).toBe('A port number from 1 to 65535.');
    expect(q('mail-error')?.textContent).toBe('Not saved: check the marked fields.');
    expect(q('mail-test-blocked')?.textContent).toBe('The test uses the saved setup: save your changes to test them.');
  });

  it('mails an unread reply after the minutes typed: 2 for a new setup, sent as typed, a refused value at the field', async () => {
    await mount();
    const field = input('mail-followup');
    expect([field.type, field.min, field.max, field.value]).toEqual(['number', '0', '1440', '2']);
    expect(field.closest('label')?.querySelector('span')?.textContent).toBe('Отправлять ответ посетителю на почту, если он не прочитал его в чате за, мин');
    expect(field.closest('label')?.querySelector('small')?.textContent).toBe('0 — не отправлять. Посетитель ответит на письмо — ответ придёт в тот же диалог.');

    // Out of range: the console's own check, nothing sent.
    await fillNew();
    await type(field, '1441');
    await save();
    expect(puts).toEqual([]);
    expect(fieldNote('followup_minutes')).toBe('Целое число минут от 0 до 1440.');
    expect(field.getAttribute('aria-invalid')).toBe('true');
    expect(document.activeElement).toBe(field);

    await type(field, '15');
    expect(fieldNote('followup_minutes')).toBeNull();
    await save();
    expect(puts[0].followup_minutes).toBe(15);
    expect(stored?.followup_minutes).toBe(15);
    expect(input('mail-followup').value).toBe('15');

    // 0 is "never", and the server's refusal lands at the same field.
    refuse = new ApiError(400, 'validation_failed', 'followup_minutes: 0–1440 minutes', { field: 'followup_minutes' });
    await type(field, '0');
    await save();
    expect(puts[1].followup_minutes).toBe(0);
    expect(fieldNote('followup_minutes')).toBe('Целое число минут от 0 до 1440.');
    expect(field.getAttribute('aria-invalid')).toBe('true');
    expect(q('mail-error')?.textContent).toBe('Не сохранено: проверьте отмеченные поля.');
  });

  it('reads a saved follow-up, in English too', async () => {
    await mount('en', view({ followup_minutes: 0 }));
    const field = input('mail-followup');
    expect(field.value).toBe('0');
    expect(q('mail-followup-card')?.querySelector('h2')?.textContent).toBe('Replies to website visitors');
    expect(field.closest('label')?.querySelector('span')?.textContent).toBe('Mail a reply the visitor has not read in the chat within, min');
    expect(field.closest('label')?.querySelector('small')?.textContent).toBe('0: never. His answer to the mail comes back into the same dialog.');
    await type(field, '30');
    expect(state.team.unsaved.any()).toBe(true);
    await save();
    expect(puts[0]).toMatchObject({ followup_minutes: 30, channel_id: 'c2' });
  });

  it('moves the port with the encryption when it was the usual one', async () => {
    await mount();
    await pick(select('mail-smtp-security'), 'tls');
    expect(input('mail-smtp-port').value).toBe('465');
    await type(input('mail-smtp-port'), '2525');
    await pick(select('mail-smtp-security'), 'starttls');
    expect(input('mail-smtp-port').value).toBe('2525');
    await pick(select('mail-imap-security'), 'none');
    expect(input('mail-imap-port').value).toBe('143');
  });

  it('marks a stored STARTTLS for IMAP, which the mail client refuses', async () => {
    await mount('ru', view({ imap: { ...view().imap, security: 'starttls', port: 143 } }));
    expect(select('mail-imap-security').value).toBe('starttls');
    expect(select('mail-imap-security').selectedOptions[0].textContent).toBe('STARTTLS — для IMAP не поддерживается');
    expect(fieldNote('imap.security')).toBe('Выберите шифрование из списка.');
    await pick(select('mail-imap-security'), 'tls');
    expect(input('mail-imap-port').value).toBe('993');
    expect(fieldNote('imap.security')).toBeNull();
  });

  it('asks before unsaved edits are lost, and "Discard changes" brings the saved setup back', async () => {
    await mount('ru', view());
    expect(q('mail-revert')).toBeNull();
    await pick(input('mail-enabled'));
    expect(input('mail-enabled').checked).toBe(false);
    expect(state.team.unsaved.any()).toBe(true);
    expect(q<HTMLButtonElement>('mail-test')?.disabled).toBe(true);
    expect(q('mail-test-blocked')?.textContent).toBe('Проверяются сохранённые настройки — сохраните изменения, чтобы проверить их.');
    await click(q('mail-revert')!);
    expect(input('mail-enabled').checked).toBe(true);
    expect(state.team.unsaved.any()).toBe(false);
  });

  it('runs the test: busy while it waits, then ✓ for each leg and the round trip', async () => {
    await mount('ru', view());
    let answer!: (v: MailTestView) => void;
    testAnswer = () => new Promise((done) => (answer = done));
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval', 'Date'] });
    await click(q('mail-test')!);
    const button = q<HTMLButtonElement>('mail-test')!;
    expect(button.disabled).toBe(true);
    expect(button.textContent).toBe('Проверяем…');
    expect(q('mail-test-card')?.getAttribute('aria-busy')).toBe('true');
    expect(q('mail-test-progress')?.textContent).toBe('Отправляем письмо и ждём его в ящике… 0 с');
    await act(async () => {
      vi.advanceTimersByTime(3000);
      await settle();
    });
    expect(q('mail-test-progress')?.textContent).toBe('Отправляем письмо и ждём его в ящике… 3 с');
    // A second press while it runs sends nothing more.
    await click(button);
    await act(async () => {
      answer({ smtp: { ok: true, error: null }, imap: { ok: true, error: null }, round_trip_ms: 1430 });
      await settle();
    });
    expect(button.disabled).toBe(false);
    expect(button.textContent).toBe('Проверить');
    expect(q('mail-test-progress')).toBeNull();
    expect(q('mail-test-smtp')?.dataset.outcome).toBe('ok');
    expect(q('mail-test-smtp')?.textContent).toBe('Отправка (SMTP)✓письмо отправлено');
    expect(q('mail-test-imap')?.textContent).toBe('Получение (IMAP)✓письмо пришло в ящик');
    expect(q('mail-test-time')?.textContent).toBe('Письмо дошло за1,4 с');
  });

  it('shows the mail server\'s own words for a leg that failed, and no time', async () => {
    await mount('en', view());
    const said = 'the mail server refused (permanently): login: [AUTHENTICATIONFAILED] Authentication failed.';
    testAnswer = async () => ({ smtp: { ok: true, error: null }, imap: { ok: false, error: said }, round_trip_ms: null });
    await click(q('mail-test')!);
    expect(q('mail-test-smtp')?.dataset.outcome).toBe('ok');
    expect(q('mail-test-imap')?.dataset.outcome).toBe('failed');
    expect(q('mail-test-imap-text')?.textContent).toBe('failed. The server said:');
    expect(q('mail-test-imap-error')?.textContent).toBe(said);
    expect(q('mail-test-time')).toBeNull();

    testAnswer = async () => ({ smtp: { ok: false, error: 'could not reach the mail server: connection refused' }, imap: { ok: true, error: 'read, but no test mail was sent to find' }, round_trip_ms: null });
    await click(q('mail-test')!);
    expect(q('mail-test-smtp-error')?.textContent).toBe('could not reach the mail server: connection refused');
    expect(q('mail-test-imap')?.dataset.outcome).toBe('not_looked');
    expect(q('mail-test-imap-text')?.textContent).toBe('the mailbox opens; no mail was looked for, as none was sent');
    expect(q('mail-test-imap-error')).toBeNull();
  });

  it('clears an earlier test\'s result once the setup is saved again', async () => {
    await mount('ru', view());
    await click(q('mail-test')!);
    expect(q('mail-test-result')).not.toBeNull();
    await type(input('mail-display-name'), 'Кухни');
    await save();
    expect(q('mail-test-result')).toBeNull();
  });

  it('is the last tab under Integrations', async () => {
    await mount();
    expect(q('integrations-tab-mail')?.getAttribute('aria-current')).toBe('page');
    expect(q('integrations-tab-mail')?.getAttribute('href')).toBe('/console/admin/mail');
    const tabs = [...document.querySelectorAll('.page-tabs a')].map((a) => a.textContent);
    expect(tabs).toEqual(['Установка виджета', 'Вебхуки', 'API-ключи', 'Telegram', 'Почта']);
  });
});
