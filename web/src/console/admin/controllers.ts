/**
 * What the controllers of the admin pages with a save of their own (forms, mail, Telegram,
 * webhooks) share: an answer told from a refusal, and a saved item put in its place in a list.
 */
import type { Problem } from '../console-state';

/** Whether a controller's answer is a refusal (a `Problem`) rather than what was asked for. */
export function isProblem(x: unknown): x is Problem {
  return !!x && typeof x === 'object' && 'code' in x && 'details' in x;
}

/** The list with `item` in the place of the one with its id, or added at the end when it is new. */
export function withSaved<X extends { id: string }>(list: readonly X[], item: X): X[] {
  const at = list.findIndex((x) => x.id === item.id);
  return at < 0 ? [...list, item] : list.map((x) => (x.id === item.id ? item : x));
}
