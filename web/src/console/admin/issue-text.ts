/** A field problem in the console's words (the console's own check, or the server's message). */
import type { Translate } from '../../shared/i18n';
import type { Problem } from '../console-state';
import type { ConsoleKey } from '../i18n';
import type { FieldIssue } from './field-issues';

export function issueText(t: Translate<ConsoleKey>, issue: FieldIssue): string {
  switch (issue.reason) {
    case 'range':
      // SLA targets are seconds on the wire but typed in minutes or seconds: say it in time.
      if (/^sla\.\w+_seconds$/.test(issue.field)) return t('issue.sla_range');
      return t('issue.range', { min: issue.min ?? 0, max: issue.max ?? 0 });
    case 'too_long':
      return t('issue.too_long', { max: issue.max ?? 0 });
    case 'phrases_count':
      return t('issue.phrases_count', { min: issue.min ?? 1, max: issue.max ?? 50 });
    default:
      return t(`issue.${issue.reason}`);
  }
}

/**
 * What to show beside each field: the console's own issues (once the admin tried to save) and
 * the server's `validation_failed`, whose `details.field` names the field and whose message
 * says what is wrong.
 */
export function fieldMessages(
  t: Translate<ConsoleKey>,
  issues: readonly FieldIssue[],
  problem: Problem | null,
): Map<string, string> {
  const out = new Map<string, string>();
  for (const issue of issues) if (!out.has(issue.field)) out.set(issue.field, issueText(t, issue));
  const field = problem?.code === 'validation_failed' ? problem.details.field : undefined;
  if (typeof field === 'string' && field.trim()) out.set(field.trim(), problem?.message?.trim() || t('issue.invalid'));
  return out;
}
