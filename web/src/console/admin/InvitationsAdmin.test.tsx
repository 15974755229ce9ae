/**
 * Invitations on the operators page in jsdom against a fake server: «Пригласить» beside «Добавить
 * оператора» (which stays), the form's checks and the server's refusals beside their fields, the
 * link shown once with «Копировать» when no mail went, «Приглашение отправлено на …» when it did,
 * and the list under the operators: states in words, dates, «Отозвать» after asking, «Пригласить
 * снова» for one run out, read again when someone joins the team.
 */
import { render } from 'preact';
import { act } from 'preact/test-utils';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ApiError } from '../../shared/api';
import { fakeApi, settle } from '../../test/fake-api';
import { channel, meView, operator } from '../../test/fixtures';
import { ConsoleState } from '../console-state';
import { ConsoleContext } from '../context';
import type { CreatedInvitation, InvitationView } from './invitations';
import { OperatorsAdmin } from './OperatorsAdmin';

const NOW = new Date('2026-12-06T12:00:00Z');
const LINK = 'https://help.example.com/console/invite#s3cr3t-Tok3n';
const admin = operator('me', { display_name: 'Анна', role: 'admin' });

function invitation(id: string, over: Partial<InvitationView> = {}): InvitationView {
  return {
    id,
    email: `${id}@example.com`,
    display_name: id,
    role: 'operator',
    state: 'pending',
    created_at: '2026-12-05T09:30:00Z',
    expires_at: '2026-12-12T09:30:00Z',
    accepted_at: null,
    ...over,
  };
}

let host: HTMLDivElement;
let state: ConsoleState;
let api: ReturnType<typeof fakeApi>;
let listed: InvitationView[];
let team = [admin];
let answer: (body: { email: string; display_name: string; role: string }) => CreatedInvitation;

async function mount() {
  const a = fakeApi({
    'GET /api/v1/invitations': () => ({ items: listed }),
    'GET /api/v1/operators': () => ({ items: team }),
    'GET /api/v1/channels/*': () => ({ items: team }),
    'POST /api/v1/invitations': (_p, o) => answer(o.body as { email: string; display_name: string; role: string }),
    'POST /api/v1/invitations/*': (path) => ({ ...listed.find((i) => i.id === path.split('/')[4])!, state: 'revoked' }),
  });
  api = a;
  state = new ConsoleState({ api: a.request, watching: () => true });
  state.session.me = meView({ operator: admin });
  state.team.operators.set(admin.id, admin);
  host = document.createElement('div');
  document.body.appendChild(host);
  await act(async () => {
    render(
      <ConsoleContext.Provider value={state}>
        <OperatorsAdmin />
      </ConsoleContext.Provider>,
      host,
    );
    await settle();
  });
}

const q = <T extends HTMLElement = HTMLElement>(testid: string, root: ParentNode = document) => root.querySelector<T>(`[data-testid="${testid}"]`);
const all = (testid: string, root: ParentNode = document) => [...root.querySelectorAll<HTMLElement>(`[data-testid="${testid}"]`)];
const row = (id: string) => host.querySelector<HTMLElement>(`[data-testid="invitation-row"][data-invitation-id="${id}"]`)!;

async function click(el: HTMLElement | null) {
  await act(async () => {
    el!.click();
    await settle();
  });
}

async function type(testid: string, value: string) {
  await act(async () => {
    const el = q<HTMLInputElement>(testid)!;
    el.value = value;
    el.dispatchEvent(new Event('input', { bubbles: true }));
    await settle();
  });
}

async function choose(testid: string, value: string) {
  await act(async () => {
    const el = q<HTMLSelectElement>(testid)!;
    el.value = value;
    el.dispatchEvent(new Event('change', { bubbles: true }));
    await settle();
  });
}

async function submit() {
  await act(async () => {
    q('invite-form')!.dispatchEvent(new Event('submit', { bubbles: true, cancelable: true }));
    await settle();
  });
}

const note = (field: string) => document.querySelector(`[data-testid="field-error"][data-field="${field}"]`)?.textContent ?? null;

describe('operators page: invitations', () => {
  beforeEach(async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(NOW);
    localStorage.setItem('frontline.console.lang', 'ru');
    listed = [];
    team = [admin];
    answer = (body) => ({ invitation: invitation('olga', { email: body.email, display_name: body.display_name, role: body.role }), link: LINK, mailed: false });
    await mount();
  });

  afterEach(() => {
    act(() => render(null, host));
    host.remove();
    vi.useRealTimers();
    vi.restoreAllMocks();
  });

  it('keeps «Добавить оператора» and offers «Пригласить»; an empty list says what an invitation does', () => {
    expect(q('operator-add')?.textContent).toBe('Добавить оператора');
    expect(q('operator-invite')?.textContent).toBe('Пригласить');
    expect(q('invitations')?.querySelector('h2')?.textContent).toBe('Приглашения');
    expect(q('invitations-empty')?.textContent).toContain('сам задаст пароль');
  });

  it('checks the form before sending, then invites; with no mail the link shows once, to copy', async () => {
    await click(q('operator-invite'));
    const dialog = q('invite-dialog')!;
    expect(dialog.querySelector('h2')?.textContent).toBe('Пригласить оператора');
    expect(q<HTMLSelectElement>('invite-role')!.value).toBe('operator');
    await submit();
    expect(note('email')).toBe('Заполните это поле.');
    expect(note('display_name')).toBe('Заполните это поле.');
    await type('invite-email', 'olga@');
    await submit();
    expect(note('email')).toBe('Укажите e-mail, например anna@example.com.');
    expect(api.callsTo('POST', '/api/v1/invitations')).toHaveLength(0);

    await type('invite-email', ' olga@example.com ');
    await type('invite-name', 'Ольга');
    await choose('invite-role', 'supervisor');
    await submit();
    expect(api.callsTo('POST', '/api/v1/invitations')[0].options.body).toEqual({ email: 'olga@example.com', display_name: 'Ольга', role: 'supervisor' });

    const made = q('invite-made-dialog')!;
    expect(made.querySelector('h2')?.textContent).toBe('Приглашение создано');
    expect(q('modal-person', made)?.textContent).toBe('Ольгаolga@example.com');
    expect(q<HTMLInputElement>('invite-link', made)!.value).toBe(LINK);
    expect(q<HTMLInputElement>('invite-link', made)!.readOnly).toBe(true);
    expect(q('invite-not-mailed', made)?.textContent).toContain('Передайте ссылку сами');
    expect(q('invite-once', made)?.textContent).toBe(
      'Ссылка показана только сейчас и больше не появится. Она сработает один раз в течение 7 дней; если потеряется — отзовите приглашение и пригласите снова.',
    );
    const writeText = vi.fn(async () => {});
    Object.defineProperty(navigator, 'clipboard', { value: { writeText }, configurable: true });
    await click(q('invite-copy', made));
    expect(writeText).toHaveBeenCalledWith(LINK);
    expect(q('invite-copied', made)?.textContent).toBe('Скопировано');
    // Escape does not lose the link: only «Готово» closes.
    await act(async () => {
      dispatchEvent(new KeyboardEvent('keydown', { key: 'Escape' }));
      await settle();
    });
    expect(q('invite-made-dialog')).not.toBeNull();

    // Listed at once, waiting; the link is nowhere on the page once closed.
    expect(q('invitation-state', row('olga'))?.textContent).toBe('Ожидает');
    expect(q('invitation-role', row('olga'))?.textContent).toBe('Старший оператор');
    await click(q('invite-done'));
    expect(q('invite-made-dialog')).toBeNull();
    expect(host.innerHTML).not.toContain('s3cr3t');
  });

  it('says where the mail went when the workspace mails it, and shows no link', async () => {
    answer = (body) => ({ invitation: invitation('olga', { email: body.email, display_name: body.display_name }), link: LINK, mailed: true });
    await click(q('operator-invite'));
    await type('invite-email', 'olga@example.com');
    await type('invite-name', 'Ольга');
    await submit();
    const made = q('invite-made-dialog')!;
    expect(made.querySelector('h2')?.textContent).toBe('Приглашение отправлено');
    expect(q('invite-mailed', made)?.textContent).toBe('Приглашение отправлено на olga@example.com. Ссылка в письме работает один раз, 7 дней.');
    expect(q('invite-link', made)).toBeNull();
    expect(made.innerHTML).not.toContain('s3cr3t');
  });

  it('shows the server\'s refusals beside the fields: an e-mail already an operator\'s', async () => {
    answer = () => {
      throw new ApiError(409, 'email_taken', 'an operator has this e-mail');
    };
    await click(q('operator-invite'));
    await type('invite-email', 'anna@example.com');
    await type('invite-name', 'Анна');
    await submit();
    expect(note('email')).toBe('Оператор с таким e-mail уже есть.');
    expect(q('invite-error')).toBeNull();
    expect(q('invite-made-dialog')).toBeNull();
    expect(document.activeElement).toBe(q('invite-email'));
  });

  it('lists the states in words with their dates; «Отозвать» only for one waiting, after asking', async () => {
    listed = [
      invitation('p'),
      invitation('a', { state: 'accepted', accepted_at: '2026-12-05T10:00:00Z' }),
      invitation('r', { state: 'revoked' }),
      invitation('e', { state: 'expired', expires_at: '2026-12-01T09:30:00Z' }),
      // Waiting when read, run out since.
      invitation('late', { expires_at: '2026-12-06T11:00:00Z' }),
    ];
    await act(async () => {
      await state.admin.invitations.load();
      await settle();
    });
    expect(all('invitation-state').map((s) => s.textContent)).toEqual(['Ожидает', 'Принято', 'Отозвано', 'Истекло', 'Истекло']);
    expect(q('invitation-when', row('p'))?.textContent).toMatch(/^Создано 5 дек\. 2026 г\., \d\d:30действует до 12 дек\. 2026 г\., \d\d:30$/);
    expect(q('invitation-when', row('a'))?.textContent).toMatch(/принято 5 дек\. 2026 г\./);
    expect(q('invitation-when', row('e'))?.textContent).toMatch(/истекло 1 дек\. 2026 г\./);
    expect(all('invitation-revoke').map((b) => b.closest('tr')!.dataset.invitationId)).toEqual(['p']);
    expect(all('invitation-again').map((b) => b.closest('tr')!.dataset.invitationId)).toEqual(['r', 'e', 'late']);

    const ask = vi.spyOn(window, 'confirm').mockReturnValueOnce(false).mockReturnValueOnce(true);
    await click(q('invitation-revoke', row('p')));
    expect(api.callsTo('POST', '/api/v1/invitations/p/revoke')).toHaveLength(0);
    await click(q('invitation-revoke', row('p')));
    expect(ask).toHaveBeenLastCalledWith('Отозвать приглашение для p (p@example.com)? Ссылка сразу перестанет работать.');
    expect(api.callsTo('POST', '/api/v1/invitations/p/revoke')).toHaveLength(1);
    expect(q('invitation-state', row('p'))?.textContent).toBe('Отозвано');
    expect(q('invitation-revoke', row('p'))).toBeNull();
  });

  it('«Пригласить снова» opens the form with the person and role of the run-out one', async () => {
    listed = [invitation('e', { state: 'expired', role: 'admin', display_name: 'Елена' })];
    await act(async () => {
      await state.admin.invitations.load();
      await settle();
    });
    await click(q('invitation-again', row('e')));
    expect(q<HTMLInputElement>('invite-email')!.value).toBe('e@example.com');
    expect(q<HTMLInputElement>('invite-name')!.value).toBe('Елена');
    expect(q<HTMLSelectElement>('invite-role')!.value).toBe('admin');
  });

  it('reads the list again when someone joins the team (an invitation accepted)', async () => {
    const before = api.callsTo('GET', '/api/v1/invitations').length;
    listed = [invitation('olga', { state: 'accepted', accepted_at: '2026-12-06T11:50:00Z' })];
    await act(async () => {
      state.team.operators.set('olga', operator('olga', { display_name: 'Ольга' }));
      state.team.changed();
      await settle();
    });
    // The effect runs as the redraw ends; its answer comes after.
    await act(settle);
    expect(api.callsTo('GET', '/api/v1/invitations').length).toBe(before + 1);
    expect(q('invitation-state', row('olga'))?.textContent).toBe('Принято');
  });

  it('the admin back at the window: an invitation accepted meanwhile shows, and its operator joins the list above, in his channel', async () => {
    await act(async () => {
      state.team.channels = [channel('c1', { name: 'Общий', is_default: true })];
      state.team.changed();
      await settle();
    });
    await act(settle);
    const members = () => api.callsTo('GET', '/api/v1/channels/c1/members').length;
    const before = members();
    listed = [invitation('olga', { email: 'olga@example.com', state: 'accepted', accepted_at: '2026-12-06T11:50:00Z' })];
    team = [admin, operator('olga', { display_name: 'Ольга', email: 'olga@example.com' })];
    await act(async () => {
      dispatchEvent(new Event('focus'));
      await settle();
    });
    await act(settle);
    expect(q('invitation-state', row('olga'))?.textContent).toBe('Принято');
    expect(api.callsTo('GET', '/api/v1/operators')).toHaveLength(1);
    const her = host.querySelector<HTMLElement>('[data-testid="operator-row"][data-operator-id="olga"]')!;
    expect(members()).toBe(before + 1);
    expect(q('operator-channels', her)?.textContent).toBe('Общий');
    // Asked once: the list read again (she joined) asks no more.
    await act(settle);
    expect(api.callsTo('GET', '/api/v1/operators')).toHaveLength(1);
  });

  it('speaks English', async () => {
    listed = [invitation('p')];
    await act(async () => {
      state.setLang('en');
      await state.admin.invitations.load();
      await settle();
    });
    expect(q('operator-invite')?.textContent).toBe('Invite');
    expect(q('invitations')?.querySelector('h2')?.textContent).toBe('Invitations');
    expect(q('invitation-state', row('p'))?.textContent).toBe('Waiting');
    expect(q('invitation-revoke', row('p'))?.textContent).toBe('Revoke');
  });
});
