/**
 * What the dialog says about closing by itself (docs/api.md, "Automation"): when the server
 * will close it or ask its prompt if the visitor stays silent (`auto_close`), the hold phrase
 * that gave it longer, or that it will not close while the visitor waits for a reply.
 *
 * What stays true: a server that does not know auto-close (`auto_close` absent) shows nothing;
 * `null` means the server knows and nothing is planned.
 */
import { oneOf, type AutoCloseAction, type DialogView } from '../shared/api-types';
import type { Lang, Translate } from '../shared/i18n';
import type { ConsoleKey } from './i18n';
import { isSnoozed, snoozeTime } from './snooze';

export type AutoCloseNote =
  | { kind: 'close' | 'prompt'; at: string }
  | { kind: 'hold'; at: string; phrase: string; action: 'close' | 'prompt' }
  | { kind: 'waiting' };

const AUTO_CLOSE_ACTIONS: readonly AutoCloseAction[] = ['close', 'prompt'];

export function autoCloseNote(d: DialogView): AutoCloseNote | null {
  if (d.status !== 'open' || isSnoozed(d)) return null;
  const plan = d.auto_close;
  if (plan) {
    // A plan this console has no words for shows nothing.
    const action = oneOf(plan.action, AUTO_CLOSE_ACTIONS);
    if (!action) return null;
    if (plan.hold_phrase) return { kind: 'hold', at: plan.at, phrase: plan.hold_phrase, action };
    return { kind: action, at: plan.at };
  }
  if (plan === null && d.last_message?.author_kind === 'visitor') return { kind: 'waiting' };
  return null;
}

/** The note in words; the time as a clock today, with the date on another day. */
export function autoCloseText(note: AutoCloseNote, t: Translate<ConsoleKey>, lang: Lang, now = Date.now()): string {
  switch (note.kind) {
    case 'waiting':
      return t('autoclose.waiting');
    case 'close':
      return t('autoclose.close', { time: snoozeTime(note.at, lang, now) });
    case 'prompt':
      return t('autoclose.prompt', { time: snoozeTime(note.at, lang, now) });
    case 'hold':
      return t(note.action === 'prompt' ? 'autoclose.hold_prompt' : 'autoclose.hold_close', {
        phrase: note.phrase,
        time: snoozeTime(note.at, lang, now),
      });
  }
}
