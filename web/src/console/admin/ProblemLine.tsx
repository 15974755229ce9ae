/** A refusal under an admin form: the console's words for the code, then the server's own. */
import type { Problem } from '../console-state';
import { problemText, useConsole } from '../context';

export function ProblemLine({ problem, fieldLabel, testid }: { problem: Problem; fieldLabel?: (field: string) => string; testid?: string }) {
  const { t, lang } = useConsole();
  const text = problemText(t, lang, problem, fieldLabel);
  const extra = problem.code === 'validation_failed' && problem.message && problem.message !== text ? problem.message : null;
  return (
    <p class="form-error" role="alert" data-testid={testid} data-code={problem.code}>
      {text}
      {extra && <span class="form-error-detail"> {extra}</span>}
    </p>
  );
}
