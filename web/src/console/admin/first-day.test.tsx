/**
 * The admin's first day in jsdom against a fake server: adding an operator (the password made
 * here and shown once, his channels and capacity after the account), renaming one, another
 * admin's additions arriving live, the profile (name, language, pinned replies) with the
 * server's refusals worded in Russian, mail while away («Письма о новом») saved at once,
 * pinning from the saved-replies page, the installation page, and unsaved edits asked about
 * before leaving (one Save on the channels page).
 */
import { render } from 'preact';
import { act } from 'preact/test-utils';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ApiError } from '../../shared/api';
import type { MeView, OperatorView, SavedReplyView, SiteView } from '../../shared/api-types';
import { fakeApi, settle, type Handler } from '../../test/fake-api';
import { channel, FakeSocket, meView, operator } from '../../test/fixtures';
import { App } from '../components/App';
import { ConsoleState } from '../console-state';
import { ConsoleContext } from '../context';

const anna = operator('me', { display_name: 'Анна', role: 'admin', capacity: 4 });
const boris = operator('b', { display_name: 'Борис', capacity: 4 });
const nine = (over: Record<number, string> = {}) => Array.from({ length: 9 }, (_, i) => over[i] ?? null);
const reply = (id: string, title: string, scope: SavedReplyView['scope'] = 'workspace'): SavedReplyView => ({
  id,
  scope,
  channel_id: null,
  owner_id: null,
  title,
  body: `${title}!`,
});
const site = (over: Partial<SiteView> = {}): SiteView => ({
  id: 's1',
  name: 'Кухни',
  key: 'site_key_1',
  allowed_origins: ['https://kitchens.example'],
  widget_seen_at: null,
  widget_seen_origin: null,
  ...over,
});

let host: HTMLDivElement;
let state: ConsoleState;
let api: ReturnType<typeof fakeApi>;
let me: MeView;
let members: Record<string, string[]>;
let sites: SiteView[];

function routes(extra: Record<string, Handler> = {}): Record<string, Handler> {
  return {
    'GET /api/v1/me': () => me,
    'GET /api/v1/dialogs/counts': () => ({ queue: 0, mine: 0, unanswered_mine: 0 }),
    'GET /api/v1/dialogs': () => ({ items: [], next_cursor: null }),
    'GET /api/v1/operators': () => ({ items: [anna, boris] }),
    'GET /api/v1/channels': () => ({ items: [channel('c1', { name: 'Продажи', is_default: true }), channel('c2', { name: 'Сервис' })] }),
    'GET /api/v1/channels/*': (path) => ({ items: (members[path.split('/')[4]] ?? []).map((id) => operator(id)) }),
    'PUT /api/v1/channels/*': (path, o) => {
      const id = path.split('/')[4];
      members[id] = (o.body as { operator_ids: string[] }).operator_ids;
      return { items: members[id].map((x) => operator(x)) };
    },
    'GET /api/v1/saved-replies': () => ({ items: [reply('r1', 'Приветствие'), reply('r2', 'Доставка')] }),
    'GET /api/v1/tags': () => ({ items: [] }),
    'GET /api/v1/categories': () => ({ items: [] }),
    'GET /api/v1/me/sessions': () => ({ items: [] }),
    'GET /api/v1/sites': () => ({ items: sites }),
    'PATCH /api/v1/me': (_p, o) => {
      const body = o.body as { display_name?: string; language?: 'ru' | 'en'; notify_by_mail?: boolean; shortcuts?: (string | null)[] };
      me = {
        ...me,
        operator: { ...me.operator, display_name: body.display_name ?? me.operator.display_name },
        profile: {
          language: body.language ?? me.profile!.language,
          notify_by_mail: body.notify_by_mail ?? me.profile!.notify_by_mail,
          shortcuts: body.shortcuts ?? me.profile!.shortcuts,
        },
      };
      return me;
    },
    ...extra,
  };
}

async function mount(path: string, extra: Record<string, Handler> = {}) {
  localStorage.setItem('frontline.console.lang', 'ru');
  history.replaceState(null, '', path);
  api = fakeApi(routes(extra));
  state = new ConsoleState({ api: api.request, WebSocketImpl: FakeSocket as unknown as typeof WebSocket, watching: () => true });
  host = document.createElement('div');
  document.body.appendChild(host);
  await act(async () => {
    render(
      <ConsoleContext.Provider value={state}>
        <App />
      </ConsoleContext.Provider>,
      host,
    );
    await state.start();
    await settle();
  });
  FakeSocket.last().open();
  await act(settle);
}

const q = <T extends HTMLElement = HTMLElement>(testid: string, root: ParentNode = host) => root.querySelector<T>(`[data-testid="${testid}"]`);
const all = (testid: string, root: ParentNode = host) => [...root.querySelectorAll<HTMLElement>(`[data-testid="${testid}"]`)];
const note = (field: string, root: ParentNode = host) => root.querySelector(`[data-testid="field-error"][data-field="${field}"]`)?.textContent ?? null;

/** Lets chains of calls (an account, then its channels, then its capacity) finish. */
async function flush() {
  for (let i = 0; i < 6; i++) await settle();
}

async function click(el: Element | null) {
  await act(async () => {
    (el as HTMLElement).click();
    await flush();
  });
}

async function type(el: Element | null, value: string) {
  await act(async () => {
    const input = el as HTMLInputElement;
    input.value = value;
    input.dispatchEvent(new Event('input', { bubbles: true }));
    await settle();
  });
}

async function choose(el: Element | null, value: string, checked?: boolean) {
  await act(async () => {
    const input = el as HTMLInputElement;
    if (checked === undefined) input.value = value;
    else input.checked = checked;
    input.dispatchEvent(new Event('change', { bubbles: true }));
    await settle();
  });
}

beforeEach(() => {
  FakeSocket.instances = [];
  localStorage.clear();
  me = meView({ operator: anna, profile: { language: null, notify_by_mail: true, shortcuts: nine() } });
  members = { c1: ['me'], c2: [] };
  sites = [site()];
});
afterEach(() => {
  act(() => render(null, host));
  host.remove();
});

describe('operators: add, rename, live', () => {
  it('adds an operator: the account with a strong password, then his channels and capacity; the password shows once', async () => {
    let created: OperatorView | null = null;
    await mount('/console/admin/operators', {
      'POST /api/v1/operators': (_p, o) => {
        const body = o.body as { email: string; display_name: string; role: OperatorView['role'] };
        created = operator('olga', { email: body.email, display_name: body.display_name, role: body.role, capacity: 4 });
        return created;
      },
      'PATCH /api/v1/operators/*': (_p, o) => ({ ...created!, ...(o.body as object) }),
    });
    await click(q('operator-add'));
    const dialog = q('operator-dialog')!;
    // The default channel is ticked for a new operator.
    expect(all('operator-form-channel', dialog).filter((c) => (c as HTMLInputElement).checked).map((c) => c.dataset.channelId)).toEqual(['c1']);

    // The form's own checks, in Russian, beside their fields.
    await type(q('operator-form-email', dialog), 'olga');
    await click(q('operator-form-save', dialog));
    expect(note('display_name', dialog)).toBe('Заполните это поле.');
    expect(note('email', dialog)).toBe('Укажите e-mail, например anna@example.com.');
    expect(api.callsTo('POST', '/api/v1/operators')).toHaveLength(0);

    await type(q('operator-form-name', dialog), 'Ольга Петрова');
    await type(q('operator-form-email', dialog), 'olga@example.com');
    await choose(q('operator-form-role', dialog), 'supervisor');
    await choose(dialog.querySelector('[data-channel-id="c2"]'), '', true);
    await type(q('operator-form-capacity', dialog), '6');
    await click(q('operator-form-save', dialog));

    const post = api.callsTo('POST', '/api/v1/operators')[0].options.body as { password: string };
    expect(post).toEqual({ email: 'olga@example.com', display_name: 'Ольга Петрова', password: expect.any(String), role: 'supervisor' });
    expect(post.password).toMatch(/^[a-km-zA-HJ-NP-Z2-9]{4}(?:-[a-km-zA-HJ-NP-Z2-9]{4}){3}$/);
    expect(members).toEqual({ c1: ['me', 'olga'], c2: ['olga'] });
    expect(api.callsTo('PATCH', '/api/v1/operators/olga')[0].options.body).toEqual({ capacity: 6 });

    const shown = q('operator-added-dialog')!;
    expect(q<HTMLInputElement>('operator-added-password', shown)?.value).toBe(post.password);
    expect(q('operator-added-once', shown)?.textContent).toContain('Пароль показан только сейчас');
    expect(q('operator-added-followup', shown)).toBeNull();
    // Escape does not close it: only its button does, and then the password is gone.
    await act(async () => {
      dispatchEvent(new KeyboardEvent('keydown', { key: 'Escape' }));
      await settle();
    });
    expect(q('operator-added-dialog')).not.toBeNull();
    await click(q('operator-added-done'));
    expect(host.textContent).not.toContain(post.password);
    expect(q('operator-row', host.querySelector('[data-operator-id="olga"]')!.parentElement!)).not.toBeNull();
  });

  it('says "e-mail taken" beside the e-mail, in Russian', async () => {
    await mount('/console/admin/operators', {
      'POST /api/v1/operators': () => {
        throw new ApiError(409, 'email_taken', 'An operator with this e-mail exists.');
      },
    });
    await click(q('operator-add'));
    await type(q('operator-form-name'), 'Борис');
    await type(q('operator-form-email'), 'b@example.com');
    await click(q('operator-form-save'));
    expect(note('email')).toBe('Оператор с таким e-mail уже есть.');
    expect(host.textContent).not.toContain('An operator with this e-mail exists.');
  });

  it('renames an operator with PATCH display_name; a refusal of the name is worded in Russian', async () => {
    let refuse = true;
    await mount('/console/admin/operators', {
      'PATCH /api/v1/operators/*': (_p, o) => {
        if (refuse) throw new ApiError(400, 'validation_failed', 'display_name: 1–80 characters', { field: 'display_name' });
        return { ...boris, ...(o.body as object) };
      },
    });
    const row = host.querySelector('[data-testid="operator-row"][data-operator-id="b"]')!;
    await click(q('operator-edit', row));
    await type(q('operator-form-name'), 'Борис Смирнов');
    await click(q('operator-form-save'));
    expect(api.callsTo('PATCH', '/api/v1/operators/b')[0].options.body).toEqual({ display_name: 'Борис Смирнов' });
    expect(note('display_name')).toBe('От 1 до 80 символов.');
    refuse = false;
    await click(q('operator-form-save'));
    expect(q('operator-dialog')).toBeNull();
    expect(q('operator-row-name', host.querySelector('[data-operator-id="b"]')!)?.textContent).toBe('Борис Смирнов');
  });

  it('shows another admin\'s new or renamed operator at once (operator.updated)', async () => {
    await mount('/console/admin/operators');
    await act(async () => {
      FakeSocket.last().push({ type: 'operator.updated', operator: operator('v', { display_name: 'Вера' }) });
      FakeSocket.last().push({ type: 'operator.updated', operator: { ...boris, display_name: 'Борис С.' } });
      await settle();
    });
    const names = all('operator-row-name').map((n) => n.textContent);
    expect(names).toEqual(['Анна', 'Борис С.', 'Вера']);
  });
});

describe('the profile page', () => {
  it('saves the name, the language and the pins in one PATCH /me; the console switches language', async () => {
    await mount('/console/account');
    expect(q('admin-account')?.querySelector('h1')?.textContent).toBe('Профиль');
    await type(q('profile-name'), 'Анна Смирнова');
    await choose(q('profile-language'), 'en');
    const slots = all('shortcut-select');
    expect(slots).toHaveLength(9);
    await choose(slots[2], 'r2');
    await click(q('profile-save'));
    expect(api.callsTo('PATCH', '/api/v1/me')[0].options.body).toEqual({
      display_name: 'Анна Смирнова',
      language: 'en',
      shortcuts: nine({ 2: 'r2' }),
    });
    expect(state.session.lang).toBe('en');
    expect(q('admin-account')?.querySelector('h1')?.textContent).toBe('Profile');
    expect(q('operator-name')?.textContent).toBe('Анна Смирнова');
    expect(q('profile-saved')?.textContent).toBe('Saved');
    // The header switch keeps working and is stored in the profile too.
    await click(q('lang-ru'));
    expect(state.session.lang).toBe('ru');
    expect(api.callsTo('PATCH', '/api/v1/me')[1].options.body).toEqual({ language: 'ru' });
  });

  it('words a refused slot in Russian beside it', async () => {
    await mount('/console/account', {
      'PATCH /api/v1/me': () => {
        throw new ApiError(400, 'validation_failed', 'shortcuts[4]: not a saved reply id', { field: 'shortcuts[4]' });
      },
    });
    await choose(all('shortcut-select')[4], 'r1');
    await click(q('profile-save'));
    expect(note('shortcuts[4]')).toBe('Такого больше нет — обновите страницу.');
  });

  it('takes the profile\'s language at sign-in, and keeps sound and notifications per browser', async () => {
    me = { ...me, profile: { ...me.profile!, language: 'en' } };
    await mount('/console/account');
    expect(state.session.lang).toBe('en');
    expect((q<HTMLInputElement>('profile-sound'))!.checked).toBe(true);
    await choose(q('profile-sound'), '', false);
    expect(localStorage.getItem('frontline.console.sound')).toBe('off');
    expect(api.callsTo('PATCH', '/api/v1/me')).toHaveLength(0);
  });
});

describe('mail about new things, on the profile page', () => {
  const box = () => q<HTMLInputElement>('profile-mail')!;
  const card = () => q('mail-notify-settings')!;

  it('shows the profile\'s choice with his own address', async () => {
    me = { ...me, profile: { ...me.profile!, notify_by_mail: false } };
    await mount('/console/account');
    expect(card().querySelector('h2')?.textContent).toBe('Письма о новом');
    expect(card().querySelector('label')?.textContent).toBe('Присылать письмо, когда меня нет в сети');
    expect(box().checked).toBe(false);
    expect(q('profile-mail-hint')?.textContent).toBe(
      'Когда вы не в сети или отошли: посетитель пишет в вашем диалоге, вам передают диалог или упоминают в заметке. Всё за 3 минуты — одним письмом на me@example.com.',
    );
    expect(q('profile-mail-saved')).toBeNull();
  });

  it('saves a change at once with only notify_by_mail, and says so', async () => {
    await mount('/console/account');
    expect(box().checked).toBe(true);
    await choose(box(), '', false);
    expect(api.callsTo('PATCH', '/api/v1/me').map((c) => c.options.body)).toEqual([{ notify_by_mail: false }]);
    expect(box().checked).toBe(false);
    expect(box().disabled).toBe(false);
    expect(state.session.me?.profile?.notify_by_mail).toBe(false);
    expect(q('profile-mail-saved')?.textContent).toBe('Сохранено');
    expect(q('profile-mail-error')).toBeNull();
    // The profile form beside it has nothing unsaved and saved nothing of its own.
    expect(q<HTMLButtonElement>('profile-save')?.disabled).toBe(true);
    expect(q('profile-saved')).toBeNull();

    await choose(box(), '', true);
    expect(api.callsTo('PATCH', '/api/v1/me')[1].options.body).toEqual({ notify_by_mail: true });
    expect(box().checked).toBe(true);
    expect(state.session.me?.profile?.notify_by_mail).toBe(true);
  });

  it('shows a refusal in the console\'s words and puts the box back', async () => {
    await mount('/console/account', {
      'PATCH /api/v1/me': () => {
        throw new ApiError(503, 'unavailable', 'try later');
      },
    });
    await choose(box(), '', false);
    expect(api.callsTo('PATCH', '/api/v1/me').map((c) => c.options.body)).toEqual([{ notify_by_mail: false }]);
    expect(q('profile-mail-error')?.textContent).toBe('Сервер временно недоступен. Повторите позже.');
    expect(box().checked).toBe(true);
    expect(box().disabled).toBe(false);
    expect(state.session.me?.profile?.notify_by_mail).toBe(true);
    expect(q('profile-mail-saved')).toBeNull();
    expect(host.textContent).not.toContain('try later');
  });

  it('is worded in English in an English console', async () => {
    me = { ...me, profile: { ...me.profile!, language: 'en' } };
    await mount('/console/account');
    expect(card().querySelector('h2')?.textContent).toBe('Mail about new things');
    expect(card().querySelector('label')?.textContent).toBe('Mail me while I am offline or away');
    expect(q('profile-mail-hint')?.textContent).toBe(
      'While you are offline or away: a visitor writes in your dialog, a dialog is given to you, or a note mentions you. Everything within 3 minutes comes as one mail to me@example.com.',
    );
    await choose(box(), '', false);
    expect(q('profile-mail-saved')?.textContent).toBe('Saved');
  });
});

describe('pins on the saved-replies page', () => {
  it('shows a reply\'s Ctrl+N and pins it from the reply, saved at once', async () => {
    me = { ...me, profile: { ...me.profile!, shortcuts: nine({ 8: 'r2' }) } };
    await mount('/console/admin/replies');
    const item = (id: string) => host.querySelector(`[data-testid="reply-item"][data-reply-id="${id}"]`)!;
    expect(q('reply-pin', item('r2'))?.textContent).toBe('Ctrl+9');
    expect(q('reply-pin', item('r1'))).toBeNull();
    await click(item('r1'));
    await choose(q('reply-pin-select'), '1');
    expect(api.callsTo('PATCH', '/api/v1/me')[0].options.body).toEqual({ shortcuts: nine({ 0: 'r1', 8: 'r2' }) });
    expect(q('reply-pin', item('r1'))?.textContent).toBe('Ctrl+1');
  });
});

describe('the installation page', () => {
  it('gives the code with the site key, saves the allowed addresses and words a refused one beside it', async () => {
    let refuse = true;
    await mount('/console/admin/install', {
      'PATCH /api/v1/sites/*': (_p, o) => {
        if (refuse) throw new ApiError(400, 'validation_failed', 'allowed_origins[1]: must look like https://shop.example.com', { field: 'allowed_origins[1]' });
        sites = [site({ allowed_origins: (o.body as { allowed_origins: string[] }).allowed_origins })];
        return sites[0];
      },
    });
    expect(q<HTMLTextAreaElement>('install-code')?.value).toBe(`<script src="${location.origin}/widget.js"\n        data-key="site_key_1" async></script>`);
    expect(q<HTMLTextAreaElement>('install-settings-code')?.value).toContain('window.FrontlineSettings');
    expect(q('install-seen')?.textContent).toBe('Пока не видели: откройте свой сайт с этим кодом и проверьте снова.');

    // The console's own check: a bare host is refused beside its input.
    await click(q('origin-add'));
    await type(all('origin-input')[1], 'kitchens-shop.example');
    await click(q('install-origins-save'));
    expect(note('allowed_origins[1]')).toBe('Адрес сайта со схемой и без пути, например https://shop.example.com.');
    expect(api.callsTo('PATCH', '/api/v1/sites')).toHaveLength(0);

    // A blank input is dropped; the server's allowed_origins[1] is the third input.
    await type(all('origin-input')[1], '');
    await click(q('origin-add'));
    await type(all('origin-input')[2], 'https://Shop.example.com/');
    await click(q('install-origins-save'));
    expect(api.callsTo('PATCH', '/api/v1/sites/s1')[0].options.body).toEqual({ allowed_origins: ['https://kitchens.example', 'https://shop.example.com'] });
    expect(note('allowed_origins[2]')).toBe('Адрес сайта со схемой и без пути, например https://shop.example.com.');
    expect(host.textContent).not.toContain('must look like');

    refuse = false;
    await click(q('install-origins-save'));
    expect(q('install-origins-saved')?.textContent).toBe('Сохранено');

    sites = [site({ widget_seen_at: '2026-12-04T14:20:00Z', widget_seen_origin: 'https://kitchens.example' })];
    await click(q('install-check-button'));
    expect(q('install-seen')?.dataset.seen).toBe('true');
    expect(q('install-seen')?.textContent).toContain('Виджет последний раз видели на https://kitchens.example');
  });
});

describe('unsaved edits', () => {
  it('the channels page has one Save for the settings and the members', async () => {
    await mount('/console/admin/channels', { 'PATCH /api/v1/channels/*': (_p, o) => channel('c1', { name: 'Продажи', is_default: true, ...(o.body as object) }) });
    await act(settle);
    expect(all('channel-save')).toHaveLength(1);
    expect(q('channel-members-save')).toBeNull();
    await type(q('channel-greeting'), 'Добрый день!');
    await choose(host.querySelector('[data-testid="channel-member"][data-operator-id="b"]'), '', true);
    await click(q('channel-save'));
    expect(api.callsTo('PATCH', '/api/v1/channels/c1')[0].options.body).toEqual({ greeting: 'Добрый день!' });
    expect(members.c1).toEqual(['me', 'b']);
  });

  it('asks before leaving a page with unsaved edits: stay keeps them, leave drops them', async () => {
    await mount('/console/admin/channels');
    await act(settle);
    await type(q('channel-greeting'), 'Добрый день!');
    await click(q('nav-rules'));
    expect(q('leave-dialog')).not.toBeNull();
    expect(q('admin-channels')).not.toBeNull();
    await click(q('leave-stay'));
    expect(q('leave-dialog')).toBeNull();
    expect(q<HTMLTextAreaElement>('channel-greeting')?.value).toBe('Добрый день!');

    // Another channel's settings would replace them too.
    await click(host.querySelector('[data-testid="channel-item"][data-channel-id="c2"]'));
    expect(q('leave-dialog')).not.toBeNull();
    await click(q('leave-stay'));

    // Closing the tab is asked about by the browser.
    const unload = new Event('beforeunload', { cancelable: true });
    dispatchEvent(unload);
    expect(unload.defaultPrevented).toBe(true);

    await click(q('nav-dialogs'));
    await click(q('leave-discard'));
    expect(q('admin-channels')).toBeNull();
    expect(location.pathname).toBe('/console/');
    const calm = new Event('beforeunload', { cancelable: true });
    dispatchEvent(calm);
    expect(calm.defaultPrevented).toBe(false);
  });

  it('asks before closing the add-operator form with something typed', async () => {
    await mount('/console/admin/operators');
    await click(q('operator-add'));
    await type(q('operator-form-name'), 'Ольга');
    await click(q('operator-form-cancel'));
    expect(q('leave-dialog')).not.toBeNull();
    await click(q('leave-discard'));
    expect(q('operator-dialog')).toBeNull();
    expect(q('leave-dialog')).toBeNull();
  });
});

vi.setConfig({ testTimeout: 15_000 });
