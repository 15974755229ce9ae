/**
 * The installation page's "Site user verification" in jsdom: read when the page shows the site,
 * the secret masked (not in the page at all) until "Show", "Copy" putting the real secret on the
 * clipboard (and showing it to copy by hand when that fails), the switch sending `{required}` with
 * the plain warning while it is off, "Rotate secret" asking first (what breaks) and then sending
 * `{rotate: true}` and showing the new secret, the server's code for the hash and the page's call,
 * refusals in words, another site's own secret, and both languages.
 */
import { render } from 'preact';
import { act } from 'preact/test-utils';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ApiError } from '../../shared/api';
import type { SiteView } from '../../shared/api-types';
import type { Lang } from '../../shared/i18n';
import { fakeApi, settle } from '../../test/fake-api';
import { meView, operator } from '../../test/fixtures';
import { ConsoleState } from '../console-state';
import { ConsoleContext } from '../context';
import { makeT } from '../i18n';
import { identitySnippets, maskSecret, type IdentityView } from './IdentitySettings';
import { InstallAdmin } from './InstallAdmin';

const SECRET = 'fls_9f2c4e7a1b3d5f60718293a4b5c6d7e8f9a0b1c2';
const NEW_SECRET = 'fls_00aa11bb22cc33dd44ee55ff66778899aabbccdd';

const site = (id: string, name: string): SiteView => ({
  id,
  name,
  key: `key_${id}`,
  allowed_origins: ['https://kitchens.example'],
  widget_seen_at: null,
  widget_seen_origin: null,
});

let host: HTMLDivElement;
let api: ReturnType<typeof fakeApi>;
let identity: Record<string, IdentityView>;
let refuseGet: ApiError | null;
let refusePut: ApiError | null;
let sites: SiteView[];

async function mount(lang: Lang = 'ru', over: { required?: boolean; refuseGet?: ApiError } = {}) {
  localStorage.setItem('frontline.console.lang', lang);
  sites = [site('s1', 'Кухни')];
  identity = { s1: { secret: SECRET, required: over.required ?? true }, s2: { secret: 'fls_second_site_secret_0123456789', required: true } };
  refuseGet = over.refuseGet ?? null;
  refusePut = null;
  api = fakeApi({
    'GET /api/v1/sites': () => ({ items: sites }),
    'GET /api/v1/sites/*': (path) => {
      if (refuseGet) throw refuseGet;
      return identity[path.split('/')[4]];
    },
    'PUT /api/v1/sites/*': (path, o) => {
      if (refusePut) throw refusePut;
      const id = path.split('/')[4];
      const body = o.body as { required?: boolean; rotate?: boolean };
      identity[id] = { secret: body.rotate ? NEW_SECRET : identity[id].secret, required: body.required ?? identity[id].required };
      return identity[id];
    },
  });
  const state = new ConsoleState({ api: api.request, watching: () => true });
  state.session.me = meView({ operator: operator('op1', { role: 'admin', display_name: 'Администратор' }) });
  host = document.createElement('div');
  document.body.appendChild(host);
  await act(async () => {
    render(
      <ConsoleContext.Provider value={state}>
        <InstallAdmin />
      </ConsoleContext.Provider>,
      host,
    );
    await settle();
  });
  await act(settle);
}

const q = <T extends HTMLElement = HTMLElement>(testid: string, root: ParentNode = document) => root.querySelector<T>(`[data-testid="${testid}"]`);
const text = (el: Element | null | undefined) => el?.textContent?.replace(/\s+/g, ' ').trim() ?? null;
const secretField = () => q<HTMLInputElement>('identity-secret')!;
const toggle = () => q<HTMLInputElement>('identity-required')!;
const puts = () => api.callsTo('PUT', '/api/v1/sites/').map((c) => c.options.body);

async function click(el: Element | null) {
  await act(async () => {
    (el as HTMLElement).click();
    await settle();
  });
  await act(settle);
}

afterEach(() => {
  act(() => render(null, host));
  host.remove();
  vi.restoreAllMocks();
  Reflect.deleteProperty(navigator, 'clipboard');
});

describe('site user verification on the installation page', () => {
  it('reads the site\'s identity when the page shows it; the secret is masked until "Show"', async () => {
    await mount();
    expect(api.callsTo('GET', '/api/v1/sites/s1/identity')).toHaveLength(1);
    const section = q('identity-section')!;
    expect(section.dataset.siteId).toBe('s1');
    expect(text(section.querySelector('h2'))).toBe('Проверка пользователей сайта');

    expect(secretField().value).toBe(maskSecret(SECRET));
    expect(secretField().value).toMatch(/^•+$/);
    expect(secretField().dataset.masked).toBe('true');
    expect(host.innerHTML).not.toContain(SECRET);
    expect(text(q('identity-show'))).toBe('Показать');
    expect(q('identity-show')?.getAttribute('aria-pressed')).toBe('false');
    expect(text(q('identity-secret-hint'))).toBe('Храните секрет только на сервере сайта: не вставляйте его в код страницы и не передавайте в браузер.');

    await click(q('identity-show'));
    expect(secretField().value).toBe(SECRET);
    expect(secretField().dataset.masked).toBe('false');
    expect(text(q('identity-show'))).toBe('Скрыть');
    expect(q('identity-show')?.getAttribute('aria-pressed')).toBe('true');

    await click(q('identity-show'));
    expect(secretField().value).toBe(maskSecret(SECRET));
    expect(host.innerHTML).not.toContain(SECRET);
  });

  it('"Copy" puts the real secret on the clipboard, masked or not', async () => {
    await mount();
    const writeText = vi.fn(async (_s: string) => {});
    Object.defineProperty(navigator, 'clipboard', { value: { writeText }, configurable: true });
    await click(q('identity-copy'));
    expect(writeText).toHaveBeenCalledWith(SECRET);
    expect(text(q('identity-copy'))).toBe('Скопировано');
    // Still masked: copying does not show it.
    expect(secretField().dataset.masked).toBe('true');
    expect(q('identity-copy-failed')).toBeNull();
  });

  it('when the browser will not copy, the secret is shown to copy by hand, with words why', async () => {
    await mount();
    Object.defineProperty(navigator, 'clipboard', { value: { writeText: async () => Promise.reject(new Error('denied')) }, configurable: true });
    await click(q('identity-copy'));
    expect(text(q('identity-copy-failed'))).toBe('Не удалось скопировать — выделите текст и скопируйте вручную.');
    expect(secretField().value).toBe(SECRET);
    expect(text(q('identity-copy'))).toBe('Копировать');
  });

  it('the switch sends {required}; while off, the warning says plainly what anyone could do', async () => {
    await mount();
    expect(toggle().checked).toBe(true);
    expect(toggle().getAttribute('role')).toBe('switch');
    expect(text(toggle().closest('label')?.querySelector('.identity-switch-label'))).toBe('Требовать подпись (hash)');
    expect(text(q('identity-required-state'))).toBe('Включено');
    expect(q('identity-warning')).toBeNull();

    await click(toggle());
    expect(puts()).toEqual([{ required: false }]);
    expect(toggle().checked).toBe(false);
    expect(text(toggle().closest('label')?.querySelector('.identity-switch-label'))).toBe('Требовать подпись (hash)');
    expect(text(q('identity-required-state'))).toBe('Выключено');
    expect(text(q('identity-saved'))).toBe('Сохранено');
    expect(text(q('identity-warning'))).toContain(
      'Подпись не требуется: любой, кто знает ID пользователя вашего сайта, может назваться им в виджете и прочитать его переписку.',
    );

    await click(toggle());
    expect(puts()).toEqual([{ required: false }, { required: true }]);
    expect(toggle().checked).toBe(true);
    expect(q('identity-warning')).toBeNull();
  });

  it('a site whose requirement is off shows the warning at once', async () => {
    await mount('ru', { required: false });
    expect(toggle().checked).toBe(false);
    expect(q('identity-warning')).not.toBeNull();
    expect(puts()).toEqual([]);
  });

  it('a refused change keeps the switch as the server has it and says why in words', async () => {
    await mount();
    refusePut = new ApiError(403, 'forbidden', 'admins only');
    await click(toggle());
    expect(puts()).toEqual([{ required: false }]);
    expect(toggle().checked).toBe(true);
    expect(q('identity-warning')).toBeNull();
    expect(text(q('identity-save-error'))).toBe('Недостаточно прав для этого действия.');
    expect(q('identity-saved')).toBeNull();
  });

  it('"Rotate secret" asks first, saying what breaks; cancel sends nothing', async () => {
    await mount();
    await click(q('identity-rotate'));
    const dialog = q('identity-rotate-dialog')!;
    expect(dialog.getAttribute('role')).toBe('dialog');
    expect(text(dialog.querySelector('h2'))).toBe('Сменить секрет сайта «Кухни»?');
    expect([...dialog.querySelectorAll('li')].map(text)).toEqual([
      'Подписи, посчитанные со старым секретом, сразу перестанут приниматься.',
      'Пока сервер сайта не начнёт подписывать новым секретом, виджет будет отказывать вошедшим пользователям: они не увидят свою переписку.',
      'Сразу после смены скопируйте новый секрет в настройки сервера сайта.',
    ]);
    // Cancel is the safe default.
    expect(document.activeElement).toBe(q('identity-rotate-cancel'));
    await click(q('identity-rotate-cancel'));
    expect(q('identity-rotate-dialog')).toBeNull();
    expect(puts()).toEqual([]);

    // Escape closes it too.
    await click(q('identity-rotate'));
    await act(async () => {
      dispatchEvent(new KeyboardEvent('keydown', { key: 'Escape' }));
      await settle();
    });
    expect(q('identity-rotate-dialog')).toBeNull();
    expect(puts()).toEqual([]);
  });

  it('confirmed, it sends {rotate: true} and shows the new secret', async () => {
    await mount();
    await click(q('identity-rotate'));
    await click(q('identity-rotate-confirm'));
    expect(puts()).toEqual([{ rotate: true }]);
    expect(q('identity-rotate-dialog')).toBeNull();
    expect(secretField().value).toBe(NEW_SECRET);
    expect(secretField().dataset.masked).toBe('false');
    await act(() => new Promise((done) => setTimeout(done)));
    expect(document.activeElement).toBe(secretField());
    expect(text(q('identity-rotated'))).toBe('Секрет сменён. Подписи со старым секретом уже не принимаются — скопируйте новый в настройки сервера сайта.');
    expect(host.innerHTML).not.toContain(SECRET);
  });

  it('a refused rotation keeps the dialog and the old secret, and says why', async () => {
    await mount();
    await click(q('identity-rotate'));
    refusePut = new ApiError(503, 'unavailable', 'down');
    await click(q('identity-rotate-confirm'));
    expect(q('identity-rotate-dialog')).not.toBeNull();
    expect(text(q('identity-rotate-error'))).toBe('Сервер временно недоступен. Повторите позже.');
    await click(q('identity-show'));
    expect(secretField().value).toBe(SECRET);
  });

  it('the code for the site\'s developers: the hash on their server (Node) and the page\'s call', async () => {
    await mount();
    const server = q<HTMLTextAreaElement>('identity-code-server')!.value;
    expect(server).toContain("crypto.createHmac('sha256', SECRET).update(String(userId)).digest('hex')");
    expect(server).toContain('// Секрет хранится только на сервере и никогда не попадает в браузер.');
    // The code names the secret; it never carries it.
    expect(server).not.toContain(SECRET);
    expect(q<HTMLTextAreaElement>('identity-code-page')!.value).toContain('Frontline.identify(userId, { hash });');
    expect(text(q('identity-more'))).toBe('Примеры на Python и PHP и полное описание — в docs/widget.md.');

    const writeText = vi.fn(async (_s: string) => {});
    Object.defineProperty(navigator, 'clipboard', { value: { writeText }, configurable: true });
    await click(q('identity-code-server-copy'));
    expect(writeText).toHaveBeenCalledWith(server);
    expect(text(q('identity-code-server-copy'))).toBe('Скопировано');
  });

  it('a failed read is said in words, with "Retry"', async () => {
    await mount('ru', { refuseGet: new ApiError(0, 'network', 'offline') });
    expect(text(q('identity-load-error'))).toBe('Нет связи с сервером.');
    expect(q('identity-secret')).toBeNull();
    refuseGet = null;
    await click(q('identity-retry'));
    expect(q('identity-load-error')).toBeNull();
    expect(secretField().value).toBe(maskSecret(SECRET));
  });

  it('each site has its own secret: another site tab reads its own', async () => {
    await mount();
    sites = [site('s1', 'Кухни'), site('s2', 'Гостиные')];
    await act(async () => {
      q<HTMLButtonElement>('install-check-button')!.click();
      await settle();
    });
    await act(settle);
    const tabs = [...document.querySelectorAll<HTMLElement>('[data-testid="install-site-tab"]')];
    expect(tabs.map(text)).toEqual(['Кухни', 'Гостиные']);
    await click(tabs[1]);
    expect(q('identity-section')?.dataset.siteId).toBe('s2');
    expect(api.callsTo('GET', '/api/v1/sites/s2/identity')).toHaveLength(1);
    await click(q('identity-show'));
    expect(secretField().value).toBe('fls_second_site_secret_0123456789');
  });

  it('in English', async () => {
    await mount('en', { required: false });
    expect(text(q('identity-section')?.querySelector('h2'))).toBe('Site user verification');
    expect(text(q('identity-show'))).toBe('Show');
    expect(text(q('identity-copy'))).toBe('Copy');
    expect(text(toggle().closest('label')?.querySelector('.identity-switch-label'))).toBe('Require the hash');
    expect(text(q('identity-required-state'))).toBe('Off');
    expect(text(q('identity-warning'))).toContain('anyone who knows a user ID of your site can claim to be that user in the widget and read their chats');
    expect(text(q('identity-rotate'))).toBe('Rotate secret');
    expect(q<HTMLTextAreaElement>('identity-code-server')!.value).toContain('// The secret stays on the server and never reaches the browser.');
    expect(text(q('identity-more'))).toBe('Python and PHP examples and the full guide are in docs/widget.md.');
    await click(q('identity-rotate'));
    expect(text(q('identity-rotate-dialog')?.querySelector('h2'))).toBe('Rotate the secret of “Кухни”?');
  });

  it('the snippets in both languages name the same calls', () => {
    for (const lang of ['ru', 'en'] as const) {
      const code = identitySnippets(makeT(lang));
      expect(code.server.split('\n').at(-1)).toBe("const hash = crypto.createHmac('sha256', SECRET).update(String(userId)).digest('hex');");
      expect(code.page.split('\n').at(-1)).toBe('Frontline.identify(userId, { hash });');
    }
  });
});
