/** What console components share: the state controller and the translator of its language. */
import { createContext } from 'preact';
import { useContext } from 'preact/hooks';
import { errorKey, type Lang, type Translate } from '../shared/i18n';
import { refName } from '../shared/names';
import { useObservables, type Observable } from '../shared/store';
import type { ConsoleState, Problem } from './console-state';
import { fieldsRequiredText } from './field-values';
import { makeT, tables, type ConsoleKey } from './i18n';
import { blockedProblemText } from './quality';

export const ConsoleContext = createContext<ConsoleState | null>(null);

const translators = new Map<Lang, Translate<ConsoleKey>>();
function translatorFor(lang: Lang): Translate<ConsoleKey> {
  let t = translators.get(lang);
  if (!t) translators.set(lang, (t = makeT(lang)));
  return t;
}

/**
 * The slices a component may be redrawn by besides the session, which every one follows
 * (slices.ts). `typing` is the open dialog's typists alone: only the typing line needs them.
 */
export type SliceName = 'lists' | 'dialog' | 'typing' | 'tools' | 'alerts' | 'team';

function sliceOf(state: ConsoleState, name: SliceName): Observable {
  switch (name) {
    case 'lists':
      return state.lists;
    case 'dialog':
      return state.dialog;
    case 'typing':
      return state.dialog.typists;
    case 'tools':
      return state.tools;
    case 'alerts':
      return state.alerts;
    case 'team':
      return state.team;
  }
}

/**
 * The console controller with the current language's translator. The component is redrawn
 * when the session (the language, who is signed in, the page) or one of `slices` changes, and
 * on nothing else: name every slice whose fields it reads while rendering, directly or through
 * a `ConsoleState` method (`visible()` reads the lists and the session; `unreadTotal()` the
 * lists and the read marks of `dialog`). What only an event handler reads needs no slice: it
 * reads the state as it is at the click.
 */
export function useConsole(...slices: SliceName[]): { state: ConsoleState; t: Translate<ConsoleKey>; lang: Lang } {
  const state = useContext(ConsoleContext);
  if (!state) throw new Error('ConsoleContext is missing');
  useObservables([state.session, ...slices.map((name) => sliceOf(state, name))]);
  const lang = state.session.lang;
  return { state, t: translatorFor(lang), lang };
}

/**
 * The operator-facing text for a refusal: the console's own words for a code it knows (with
 * what `details` adds: who took the dialog, the capacity, a limit…), else the server's message.
 */
export function problemText(t: Translate<ConsoleKey>, lang: Lang, problem: Problem, fieldLabel?: (field: string) => string): string {
  if (problem.code === 'already_assigned') {
    const name = refName(problem.details.assignee);
    return name ? t('error.already_assigned_by', { name }) : t('error.already_assigned');
  }
  if (problem.code === 'capacity_reached') {
    const capacity = problem.details.capacity;
    return typeof capacity === 'number' || typeof capacity === 'string'
      ? t('error.capacity_reached_n', { capacity })
      : t('error.capacity_reached');
  }
  if (problem.code === 'message_too_long') {
    const limit = problem.details.limit;
    return typeof limit === 'number' || typeof limit === 'string'
      ? t('error.message_too_long', { limit })
      : t('error.message_too_long_nolimit');
  }
  if (problem.code === 'guard_blocked') return blockedProblemText(t, problem.details);
  if (problem.code === 'fields_required') return fieldsRequiredText(t, lang, problem);
  if (problem.code === 'webhook_disabled') {
    return t('webhooks.disabled_notice', { url: String(problem.details.url ?? '') });
  }
  if (problem.code === 'too_many_endpoints') {
    const limit = problem.details.limit;
    return typeof limit === 'number' || typeof limit === 'string' ? t('error.too_many_endpoints_n', { limit }) : t('error.too_many_endpoints');
  }
  if (problem.code === 'too_many_keys') {
    const limit = problem.details.limit;
    return typeof limit === 'number' || typeof limit === 'string' ? t('error.too_many_keys_n', { limit }) : t('error.too_many_keys');
  }
  if (problem.code === 'rate_limited' && String(problem.details.limit ?? '').startsWith('login')) {
    const minutes = Math.max(1, Math.ceil((Number(problem.details.retry_after) || 0) / 60));
    return t('error.rate_limited_login', { minutes });
  }
  if (problem.code === 'validation_failed' && typeof problem.details.field === 'string' && fieldLabel) {
    return t('error.validation_failed_field', { field: fieldLabel(problem.details.field) });
  }
  const key = errorKey(tables[lang], problem.code, 'error.unknown');
  if (key === 'error.unknown' && problem.message?.trim()) return problem.message.trim();
  return t(key);
}
