/**
 * The list's filters folded into one row: how many of those hidden behind "Filters" differ
 * from the default (assignee, channel, tag, segment, custom field, unanswered), shown as a count on the button so a
 * folded filter is never forgotten. The status switch and the order stay in sight.
 */
import { DEFAULT_FILTER, type ListFilter } from './filters';

/** The filters that live behind the "Filters" button. */
export const FOLDED: readonly (keyof ListFilter)[] = ['assignee', 'channel', 'tag', 'segment', 'field', 'unanswered'];

/** How many folded filters differ from the default. */
export function foldedActive(f: ListFilter): number {
  return FOLDED.filter((k) => f[k] !== DEFAULT_FILTER[k]).length;
}
