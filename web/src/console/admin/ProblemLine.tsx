/**
 * A refusal under an admin form in the console's words: the code's text and, for a refused
 * field, what is wrong with it (server-issues.ts), never the server's English message.
 */
import type { Problem } from '../console-state';
import { problemText, useConsole } from '../context';
import { issueText } from './issue-text';
import { serverIssue } from './server-issues';

export function ProblemLine({ problem, fieldLabel, testid }: { problem: Problem; fieldLabel?: (field: string) => string; testid?: string }) {
  const { t, lang } = useConsole();
  const text = problemText(t, lang, problem, fieldLabel);
  // A problem the console made itself (`details.local`) carries its own words.
  const issue = problem.details.local ? null : serverIssue(problem);
  const extra = problem.details.local ? (problem.message ?? null) : issue ? issueText(t, issue) : null;
  return (
    <p class="form-error" role="alert" data-testid={testid} data-code={problem.code} data-field={issue?.field}>
      {text}
      {extra && <span class="form-error-detail"> {extra}</span>}
    </p>
  );
}
