/**
 * Under a filled form's line: "Answers" opens what the visitor filled in (`GET
 * /api/v1/form-requests/{id}`), label and value for each field in the form's order; pressed
 * again it hides them. A refusal says why and offers to try again.
 */
import { useState } from 'preact/hooks';
import { useObservable } from '../../shared/store';
import { problemText, useConsole } from '../context';
import { answerPairs } from '../tickets';
import '../tickets.css';

export function FormAnswers({ request }: { request: string }) {
  const { state, t, lang } = useConsole();
  const tickets = state.tickets;
  useObservable(tickets);
  const [open, setOpen] = useState(false);
  const loaded = tickets.requests.get(request);
  const pairs = loaded?.value ? answerPairs(loaded.value) : [];
  const panel = `form-answers-${request}`;

  const toggle = () => {
    if (!open) void tickets.loadRequest(request, !!loaded?.problem);
    setOpen(!open);
  };

  return (
    <div class="form-answers">
      <button
        type="button"
        class="link form-answers-toggle"
        aria-expanded={open}
        aria-controls={panel}
        onClick={toggle}
        data-testid="form-answers"
      >
        {open ? t('forms.line.answers_hide') : t('forms.line.answers')}
      </button>
      {open && (
        <div id={panel} class="form-answers-panel">
          {loaded?.loading && !loaded.value && <span class="muted">{t('forms.line.answers_loading')}</span>}
          {loaded?.problem && (
            <p class="form-error" role="alert" data-testid="form-answers-error">
              {problemText(t, lang, loaded.problem)}{' '}
              <button type="button" class="link" onClick={() => void tickets.loadRequest(request, true)}>
                {t('app.retry')}
              </button>
            </p>
          )}
          {loaded?.value && pairs.length === 0 && <span class="muted">{t('forms.line.answers_none')}</span>}
          {pairs.length > 0 && (
            <dl class="form-answers-list" aria-label={t('forms.line.answers_title', { form: loaded?.value?.name ?? '' })} data-testid="form-answers-list">
              {pairs.map((p) => (
                <div key={p.key} class="form-answer" data-testid="form-answer" data-key={p.key}>
                  <dt>{p.label}</dt>
                  <dd>{p.value || t('forms.line.no_value')}</dd>
                </div>
              ))}
            </dl>
          )}
        </div>
      )}
    </div>
  );
}
