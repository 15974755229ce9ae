/**
 * The card of a form an operator sent (a `form_sent` line, see forms.ts): its name, a short
 * intro, its fields (required ones marked), Send. It reads its state from the server when
 * drawn, so a reload shows what is true. Every slip shows at its field at once (the local
 * check's, or the field the server named); after the send, or when it went already (409, or
 * from another tab), it shows "Form sent" with the answers, read-only.
 *
 * data-status: `loading`, `failed`, `sent` (to fill; the server's word) or `submitted`.
 */
import { useEffect, useRef, useState } from 'preact/hooks';
import { ApiError } from '../../shared/api';
import type { MessageView } from '../../shared/api-types';
import { toProblem, type Problem } from '../chat';
import { problemText, useChatEnv } from '../context';
import {
  checkForm,
  digitsOnly,
  fieldKind,
  formAnswers,
  formErrorKey,
  isSubmitted,
  limitOf,
  refusedAnswer,
  startValues,
  submittedAnswer,
  type FormFieldView,
  type FormErrors,
  type FormRequestView,
  type FormSent,
} from '../forms';

type Control = HTMLInputElement | HTMLTextAreaElement;

export function FormCard({ message, sent }: { message: Pick<MessageView, 'dialog_id' | 'seq'>; sent: FormSent }) {
  const { chat, t, lang } = useChatEnv();
  const { request } = sent;
  const [view, setView] = useState<FormRequestView | null>(null);
  const [loadProblem, setLoadProblem] = useState<Problem | null>(null);
  const [values, setValues] = useState<Record<string, string>>({});
  const [errors, setErrors] = useState<FormErrors>({});
  const [problem, setProblem] = useState<Problem | null>(null);
  const [busy, setBusy] = useState(false);
  /** The form's answer from the 200, shown here until its `form_submitted` line is in the chat. */
  const [reply, setReply] = useState<string | null>(null);
  const alive = useRef(true);
  const controls = useRef<Record<string, Control | null>>({});
  const done = useRef<HTMLParagraphElement>(null);
  /** The card just turned to "sent" by his own hand: the focus goes to the words saying so. */
  const moveFocus = useRef(false);

  const thread = chat.conversation.threads().find((th) => th.dialogId === message.dialog_id);
  const line = submittedAnswer(thread?.messages ?? [], request);

  const load = async (): Promise<FormRequestView | null> => {
    setLoadProblem(null);
    try {
      const next = await chat.form(request);
      if (!alive.current) return next;
      setView(next);
      if (!isSubmitted(next)) setValues((typed) => startValues(next.fields, chat.contact, typed));
      return next;
    } catch (e) {
      if (alive.current) setLoadProblem(toProblem(e));
      return null;
    }
  };

  useEffect(() => {
    alive.current = true;
    void load();
    return () => {
      alive.current = false;
    };
  }, [request]);

  // Sent from another tab (or his send's answer was lost): its answer line came, so the card
  // reads its answers again; after his own send is done, if it still shows the fields.
  useEffect(() => {
    if (line !== null && view && !isSubmitted(view) && !busy) void load();
  }, [line !== null, busy]);

  const submitted = !!view && isSubmitted(view);
  useEffect(() => {
    if (submitted && moveFocus.current) {
      moveFocus.current = false;
      done.current?.focus();
    }
  }, [submitted]);

  const ids = (key: string) => ({ input: `form-${request}-${key}`, error: `form-${request}-${key}-error` });
  const titleId = `form-${request}-title`;
  const introId = `form-${request}-intro`;
  const title = view?.name?.trim() || sent.form;
  const generalText = (p: Problem) => (p.code === 'not_found' ? t('form.gone') : problemText(t, lang, p));

  if (!view) {
    const gone = loadProblem?.code === 'not_found';
    return (
      <div
        class="form-card"
        role="group"
        aria-labelledby={title ? titleId : undefined}
        aria-busy={!loadProblem}
        data-testid="form-card"
        data-request={request}
        data-status={loadProblem ? 'failed' : 'loading'}
      >
        {title && (
          <h2 class="form-title" id={titleId}>
            {title}
          </h2>
        )}
        {loadProblem ? (
          <p class="form-problem" role="alert" data-testid="form-error">
            {gone ? t('form.gone') : `${t('form.load_failed')} ${problemText(t, lang, loadProblem)}`}
            {!gone && (
              <>
                {' '}
                <button type="button" class="link" data-testid="form-retry" onClick={() => void load()}>
                  {t('form.retry')}
                </button>
              </>
            )}
          </p>
        ) : (
          <p class="form-intro" data-testid="form-loading">
            {t('form.loading')}
          </p>
        )}
      </div>
    );
  }

  const fields = view.fields;

  if (submitted) {
    const answers = view.answers ?? {};
    return (
      <div class="form-card form-card-done" role="group" aria-labelledby={titleId} data-testid="form-card" data-request={request} data-status="submitted">
        <h2 class="form-title" id={titleId}>
          {title}
        </h2>
        <p class="form-done" role="status" tabIndex={-1} ref={done} data-testid="form-sent">
          <svg viewBox="0 0 24 24" width="16" height="16" aria-hidden="true">
            <path d="M5 12.5l4.5 4.5L19 7.5" fill="none" stroke="currentColor" stroke-width="2.4" stroke-linecap="round" stroke-linejoin="round" />
          </svg>
          {t('form.sent')}
        </p>
        <dl class="form-answers">
          {fields.map((f) => (
            <div key={f.key} class="form-answer" data-testid={`form-answer-${f.key}`}>
              <dt>{f.label}</dt>
              <dd>{answers[f.key]?.trim() || '—'}</dd>
            </div>
          ))}
        </dl>
        {reply && line === null && (
          <p class="form-reply" data-testid="form-reply">
            {reply}
          </p>
        )}
      </div>
    );
  }

  const focusFirst = (slips: FormErrors) => {
    const first = fields.find((f) => slips[f.key]);
    if (first) controls.current[first.key]?.focus();
  };

  const submit = async (e: Event) => {
    e.preventDefault();
    if (busy) return;
    setProblem(null);
    const slips = checkForm(fields, values);
    setErrors(slips);
    if (Object.keys(slips).length > 0) {
      focusFirst(slips);
      return;
    }
    const answers = formAnswers(fields, values);
    setBusy(true);
    try {
      const answer = await chat.submitForm(request, answers);
      if (!alive.current) return;
      moveFocus.current = true;
      setView({ ...view, status: 'submitted', answers, submitted_at: new Date().toISOString() });
      setReply(answer?.answer?.trim() || null);
    } catch (err) {
      if (!alive.current) return;
      const refused = toProblem(err);
      if (refused.code === 'form_sent_already') {
        // It went already (another tab, a lost answer): the card shows what the server has.
        moveFocus.current = true;
        const now = await load();
        if (!now || !isSubmitted(now)) setProblem(refused);
      } else if (refused.code === 'validation_failed') {
        const at = refusedAnswer(fields, refused.details, err instanceof ApiError ? err.message : '', answers);
        if (at) {
          const next = { [at.key]: at.slip };
          setErrors(next);
          focusFirst(next);
        } else {
          setProblem(refused);
        }
      } else {
        setProblem(refused);
      }
    } finally {
      if (alive.current) setBusy(false);
    }
  };

  const change = (key: string, value: string) => {
    setValues({ ...values, [key]: value });
    if (errors[key]) {
      const next = { ...errors };
      delete next[key];
      setErrors(next);
    }
  };

  const control = (f: FormFieldView) => {
    const { input, error } = ids(f.key);
    const slip = errors[f.key];
    const props = {
      id: input,
      name: f.key,
      value: values[f.key] ?? '',
      readOnly: busy,
      'aria-required': f.required ? true : undefined,
      'aria-invalid': slip ? true : undefined,
      'aria-describedby': slip ? error : undefined,
      'data-testid': `form-field-${f.key}`,
      'data-kind': fieldKind(f),
      ref: (el: Control | null) => {
        controls.current[f.key] = el;
      },
      onInput: (e: Event) => change(f.key, (e.currentTarget as Control).value),
    };
    switch (fieldKind(f)) {
      case 'email':
        return <input {...props} type="email" inputMode="email" autoComplete="email" spellcheck={false} maxLength={254} />;
      case 'phone':
        return <input {...props} type="tel" inputMode="tel" autoComplete="tel" maxLength={32} />;
      case 'contract':
        return <input {...props} type="text" inputMode={digitsOnly(f.pattern) ? 'numeric' : 'text'} autoComplete="off" spellcheck={false} maxLength={200} />;
      case 'text':
        return <textarea {...props} rows={2} />;
    }
  };

  const anyRequired = fields.some((f) => f.required);
  return (
    <form
      class="form-card"
      aria-labelledby={titleId}
      aria-describedby={introId}
      noValidate
      data-testid="form-card"
      data-request={request}
      data-status="sent"
      onSubmit={submit}
    >
      <h2 class="form-title" id={titleId}>
        {title}
      </h2>
      <p class="form-intro" id={introId}>
        {t('form.intro')}
      </p>
      {fields.map((f) => {
        const slip = errors[f.key];
        return (
          <div class="form-field" key={f.key}>
            <label for={ids(f.key).input}>
              {f.label}
              {f.required && (
                <span class="form-req" aria-hidden="true" title={t('form.required_field')}>
                  {' *'}
                </span>
              )}
            </label>
            {control(f)}
            {slip && (
              <p class="field-error" id={ids(f.key).error} role="alert" data-testid={`form-error-${f.key}`}>
                {t(formErrorKey(slip), { limit: limitOf(f) })}
              </p>
            )}
          </div>
        );
      })}
      {anyRequired && (
        <p class="form-note" aria-hidden="true">
          {t('form.required_note')}
        </p>
      )}
      {problem && (
        <p class="field-error" role="alert" data-testid="form-error">
          {generalText(problem)}
        </p>
      )}
      <button type="submit" class="btn form-send" disabled={busy} data-testid="form-send">
        {busy ? t('form.sending') : t('form.send')}
      </button>
    </form>
  );
}
