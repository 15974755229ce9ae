/**
 * The quality guard page in jsdom: the saved rules loaded into a card per rule; modes, a
 * block's override, words as chips and expressions as inputs edited and saved whole; the
 * console's own check and the server's `validation_failed` (`forbidden.patterns[1]`) beside
 * their input; unsaved edits guarded; the "try it" box only with a dialog at hand; the tab
 * beside the routing rules; English.
 */
import { render } from 'preact';
import { act } from 'preact/test-utils';
import { afterEach, describe, expect, it } from 'vitest';
import { ApiError } from '../../shared/api';
import type { Lang } from '../../shared/i18n';
import { fakeApi, settle } from '../../test/fake-api';
import { dialog, meView, operator } from '../../test/fixtures';
import { ConsoleState } from '../console-state';
import { ConsoleContext } from '../context';
import type { GuardDoc, HitView } from '../quality';
import { DEFAULT_GUARD } from './quality';
import { QualityAdmin } from './QualityAdmin';

let host: HTMLDivElement;
let state: ConsoleState;
let stored: GuardDoc;
let puts: GuardDoc[];
let refuse: ApiError | null;
let tries: { path: string; body: string }[];

async function mount(lang: Lang = 'ru', opts: { saved?: GuardDoc; selected?: string | null } = {}) {
  localStorage.setItem('frontline.console.lang', lang);
  stored = structuredClone(opts.saved ?? DEFAULT_GUARD);
  puts = [];
  refuse = null;
  tries = [];
  const api = fakeApi({
    'GET /api/v1/quality': () => structuredClone(stored),
    'PUT /api/v1/quality': (_p, o) => {
      const body = o.body as GuardDoc;
      puts.push(structuredClone(body));
      if (refuse) throw refuse;
      stored = { ...body, forbidden: { ...body.forbidden, words: body.forbidden.words.map((w) => w.trim()) } };
      return structuredClone(stored);
    },
    'POST /api/v1/dialogs/*': (path, o) => {
      tries.push({ path, body: (o.body as { body: string }).body });
      const hits: HitView[] = [{ rule: 'polite', mode: 'warn', allow_override: false, start: 3, end: 6, found: 'вам' }];
      return { hits };
    },
  });
  state = new ConsoleState({ api: api.request, watching: () => true });
  state.session.me = meView({ operator: operator('op1', { role: 'admin' }) });
  state.session.route = { view: 'admin', section: 'quality' };
  if (opts.selected) {
    state.lists.dialogs.set(opts.selected, dialog(opts.selected, { number: 7 }));
    state.dialog.selectedId = opts.selected;
  }
  host = document.createElement('div');
  document.body.appendChild(host);
  await act(async () => {
    render(
      <ConsoleContext.Provider value={state}>
        <QualityAdmin />
      </ConsoleContext.Provider>,
      host,
    );
    await settle();
  });
}

const q = <T extends HTMLElement = HTMLElement>(testid: string, within: ParentNode = document) => within.querySelector<T>(`[data-testid="${testid}"]`);
const all = (testid: string) => [...document.querySelectorAll<HTMLElement>(`[data-testid="${testid}"]`)];
const fieldNote = (field: string) => document.querySelector(`[data-testid="field-error"][data-field="${field}"]`)?.textContent ?? null;

async function type(el: HTMLInputElement | HTMLTextAreaElement, value: string) {
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
async function key(el: HTMLElement, k: string) {
  await act(async () => {
    el.dispatchEvent(new KeyboardEvent('keydown', { key: k, bubbles: true, cancelable: true }));
    await settle();
  });
}
async function save() {
  await act(async () => {
    q<HTMLFormElement>('quality-form')!.dispatchEvent(new Event('submit', { bubbles: true, cancelable: true }));
    await settle();
  });
}

afterEach(() => {
  act(() => render(null, host));
  host.remove();
});

describe('Quality guard page', () => {
  it('shows each rule with its mode, a line on what it finds and an example; off, warn and block in words', async () => {
    await mount();
    expect(q('quality-title')?.textContent).toBe('Контроль качества');
    const cards = all('quality-rule-polite').concat(all('quality-rule-phone_8800'), all('quality-rule-forbidden'), all('quality-rule-second_greeting'), all('quality-rule-caps'));
    expect(cards).toHaveLength(5);
    expect(q('quality-rule-polite')!.textContent).toContain('«вы», «вас», «ваш»… клиенту — с большой буквы');
    expect(q('quality-rule-polite')!.textContent).toContain('Пример: «Мы вам перезвоним» → «Мы Вам перезвоним»');
    const mode = q<HTMLSelectElement>('quality-mode-phone_8800')!;
    expect(mode.value).toBe('off');
    expect([...mode.options].map((o) => o.textContent)).toEqual(['Выключено', 'Предупреждать', 'Блокировать']);
    expect(mode.getAttribute('aria-label')).toBe('Что делать: Номера 8-800');
    // The override is a block's setting only.
    expect(q('quality-override-phone_8800')).toBeNull();
    expect(q('quality-words')!.textContent).toContain('Слов пока нет.');
    // Beside the routing rules, under "Rules".
    expect(q('rules-tab-rules')?.textContent).toBe('Правила маршрутизации');
    expect(q('rules-tab-quality')?.getAttribute('aria-current')).toBe('page');
    // Without a dialog at hand there is nothing honest to try a text on.
    expect(q('quality-try')).toBeNull();
    expect(q<HTMLButtonElement>('quality-save')!.disabled).toBe(true);
  });

  it('saves the whole document: a block with its override, words as chips, an expression; unsaved edits are guarded', async () => {
    await mount();
    await pick(q<HTMLSelectElement>('quality-mode-phone_8800')!, 'block');
    expect(q<HTMLInputElement>('quality-override-phone_8800')!.checked).toBe(true);
    await pick(q<HTMLSelectElement>('quality-mode-polite')!, 'block');
    expect(q<HTMLInputElement>('quality-override-polite')!.checked).toBe(false);
    await pick(q<HTMLInputElement>('quality-override-polite')!);
    await pick(q<HTMLSelectElement>('quality-mode-caps')!, 'off');
    const word = q<HTMLInputElement>('quality-word-input')!;
    await type(word, '  бесплатно ');
    await key(word, 'Enter');
    await type(word, 'Ещё раз');
    await click(q('quality-word-add')!);
    // Twice (ignoring case and ё/е) and without a letter: refused at once, with why.
    await type(word, 'ЕЩЕ РАЗ');
    await key(word, 'Enter');
    expect(q('quality-word-refusal')?.textContent).toBe('«ЕЩЕ РАЗ» уже в списке.');
    await type(word, '!!!');
    await key(word, 'Enter');
    expect(q('quality-word-refusal')?.textContent).toBe('Нужна хотя бы одна буква или цифра.');
    expect(all('quality-word').map((c) => c.textContent)).toEqual(['бесплатно×', 'Ещё раз×']);
    await click(q('quality-pattern-add')!);
    expect(document.activeElement).toBe(all('quality-pattern-input')[0]);
    await type(all('quality-pattern-input')[0] as HTMLInputElement, 'скидк[аиу]');
    expect(state.team.unsaved.any()).toBe(true);
    expect(document.body.textContent).toContain('Есть несохранённые изменения');

    // Going away while unsaved is asked about.
    state.navigate({ view: 'dialogs', dialogId: null });
    expect(state.team.unsaved.pending).not.toBeNull();
    state.team.unsaved.stay();

    await save();
    expect(puts).toEqual([
      {
        polite: { mode: 'block', allow_override: true },
        phone_8800: { mode: 'block', allow_override: true },
        forbidden: { mode: 'warn', allow_override: true, words: ['бесплатно', 'Ещё раз'], patterns: ['скидк[аиу]'] },
        second_greeting: { mode: 'warn', allow_override: false },
        caps: { mode: 'off', allow_override: false },
      },
    ]);
    expect(q('quality-saved')?.textContent).toBe('Сохранено');
    expect(state.team.unsaved.any()).toBe(false);
    expect(q<HTMLButtonElement>('quality-save')!.disabled).toBe(true);
  });

  it("puts the server's refusal of forbidden.patterns[1] beside that input, and an empty one is the console's own", async () => {
    await mount('ru', { saved: { ...DEFAULT_GUARD, forbidden: { ...DEFAULT_GUARD.forbidden, patterns: ['скидк[аи]'] } } });
    expect(all('quality-pattern-input').map((i) => (i as HTMLInputElement).value)).toEqual(['скидк[аи]']);
    await click(q('quality-pattern-add')!);
    await save();
    // The console's own check: an empty expression is not sent.
    expect(puts).toEqual([]);
    expect(fieldNote('forbidden.patterns[1]')).toBe('Заполните это поле.');
    expect(q('quality-error')?.textContent).toBe('Правила не сохранены: исправьте отмеченные поля.');
    expect(document.activeElement).toBe(all('quality-pattern-input')[1]);

    await type(all('quality-pattern-input')[1] as HTMLInputElement, 'скидк(а');
    refuse = new ApiError(400, 'validation_failed', 'forbidden.patterns[1]: not a regular expression: regex parse error: unclosed group', { field: 'forbidden.patterns[1]' });
    await save();
    expect(puts).toHaveLength(1);
    expect(fieldNote('forbidden.patterns[1]')).toBe('Это не регулярное выражение — проверьте скобки и спецсимволы.');
    expect(all('quality-pattern-input')[1].getAttribute('aria-invalid')).toBe('true');
    expect(all('quality-pattern-input')[0].getAttribute('aria-invalid')).toBeNull();
    expect(document.activeElement).toBe(all('quality-pattern-input')[1]);
    expect(state.team.unsaved.any()).toBe(true);

    // Removing it: the message goes with the edit; "Revert" brings the saved rules back.
    await click(all('quality-pattern-remove')[1]);
    expect(fieldNote('forbidden.patterns[1]')).toBeNull();
    await click(all('quality-pattern-remove')[0]);
    await click(q('quality-revert')!);
    expect(all('quality-pattern-input').map((i) => (i as HTMLInputElement).value)).toEqual(['скидк[аи]']);
    expect(state.team.unsaved.any()).toBe(false);
  });

  it('tries a sample text with the saved rules in the dialog at hand', async () => {
    await mount('ru', { selected: 'd9' });
    const box = q('quality-try')!;
    expect(box.textContent).toContain('как в диалоге №7');
    await type(q<HTMLTextAreaElement>('quality-try-input')!, 'Мы вам перезвоним');
    await click(q('quality-try-check')!);
    expect(tries).toEqual([{ path: '/api/v1/dialogs/d9/guard', body: 'Мы вам перезвоним' }]);
    expect(all('guard-hit').map((h) => h.textContent)).toEqual(['Предупреждение: „вам“ — пишите „Вам“ с большой буквы']);
    // Edits not saved yet: the box says which rules it uses.
    await pick(q<HTMLSelectElement>('quality-mode-polite')!, 'off');
    expect(q('quality-try')!.textContent).toContain('сохраните изменения');
  });

  it('speaks English', async () => {
    await mount('en', { saved: { ...DEFAULT_GUARD, phone_8800: { mode: 'block', allow_override: false } } });
    expect(q('quality-title')?.textContent).toBe('Quality guard');
    expect([...q<HTMLSelectElement>('quality-mode-caps')!.options].map((o) => o.textContent)).toEqual(['Off', 'Warn', 'Block']);
    expect(q('quality-override-phone_8800')!.closest('label')!.textContent).toContain('May be sent with a reason');
    expect(q('rules-tab-quality')?.textContent).toBe('Quality guard');
  });
});
