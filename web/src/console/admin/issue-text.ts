/** A field problem in the console's words (the console's own check, or the server's refusal). */
import type { Translate } from '../../shared/i18n';
import type { Problem } from '../console-state';
import type { ConsoleKey } from '../i18n';
import type { FieldIssue } from './field-issues';
import { serverIssue } from './server-issues';

export function issueText(t: Translate<ConsoleKey>, issue: FieldIssue): string {
  switch (issue.reason) {
    case 'range':
      // SLA targets are seconds on the wire but typed in minutes or seconds: say it in time.
      if (/^sla\.\w+_seconds$/.test(issue.field)) return t('issue.sla_range');
      if (issue.max === undefined) return t('issue.range_min', { min: issue.min ?? 0 });
      return t('issue.range', { min: issue.min ?? 0, max: issue.max });
    case 'too_long':
      return issue.max === undefined ? t('issue.too_long_plain') : t('issue.too_long', { max: issue.max });
    case 'too_short':
      return issue.min === undefined ? t('issue.too_short_plain') : t('issue.too_short', { min: issue.min });
    case 'length':
      return t('issue.length', { min: issue.min ?? 1, max: issue.max ?? 0 });
    case 'too_many':
      return issue.max === undefined ? t('issue.too_many_plain') : t('issue.too_many', { max: issue.max });
    case 'too_few':
      return t('issue.too_few', { min: issue.min ?? 1 });
    case 'phrases_count':
      return t('issue.phrases_count', { min: issue.min ?? 1, max: issue.max ?? 50 });
    default:
      return t(`issue.${issue.reason}`);
  }
}

/**
 * What to show beside each field: the console's own issues (once the admin tried to save) and
 * the server's `validation_failed`, whose `details.field` names the field and whose reason is
 * worded in the console's language (server-issues.ts), never shown in the server's English.
 */
export function fieldMessages(
  t: Translate<ConsoleKey>,
  issues: readonly FieldIssue[],
  problem: Problem | null,
): Map<string, string> {
  const out = new Map<string, string>();
  for (const issue of issues) if (!out.has(issue.field)) out.set(issue.field, issueText(t, issue));
  const refused = serverIssue(problem);
  if (refused) out.set(refused.field, issueText(t, refused));
  return out;
}
