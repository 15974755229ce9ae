/**
 * Offline mode's contact form, in the composer's place while nobody can answer: the channel's
 * offline text, then name, e-mail and/or phone, the question. Each slip shows under its field
 * (the local check's, or the field the server named); after the send the question is his
 * first message and `OfflineThanks` says how we will answer.
 */
import { useRef, useState } from 'preact/hooks';
import type { OfflineProblem } from '../chat';
import { problemText, useChatEnv } from '../context';
import { offlineErrorKey, type OfflineErrors, type OfflineField, type OfflineFields } from '../offline';

type Input = keyof OfflineFields;

/** `alone`: nothing else in the chat, so the form takes all the room. */
export function OfflineForm({ alone }: { alone: boolean }) {
  const { chat, t, lang } = useChatEnv();
  const [form, setForm] = useState<OfflineFields>(() => ({
    name: chat.visitor?.name ?? '',
    email: chat.contact.email,
    phone: chat.contact.phone,
    question: '',
  }));
  const [errors, setErrors] = useState<OfflineErrors>({});
  const [problem, setProblem] = useState<OfflineProblem | null>(null);
  const [busy, setBusy] = useState(false);
  const nameInput = useRef<HTMLInputElement>(null);
  const emailInput = useRef<HTMLInputElement>(null);
  const phoneInput = useRef<HTMLInputElement>(null);
  const questionInput = useRef<HTMLTextAreaElement>(null);
  const inputs: Record<Input, { current: HTMLElement | null }> = { name: nameInput, email: emailInput, phone: phoneInput, question: questionInput };

  const submit = async (e: Event) => {
    e.preventDefault();
    if (busy) return;
    setBusy(true);
    const refused = await chat.sendOffline(form);
    setBusy(false);
    if (!refused) return;
    setErrors(refused.fields);
    setProblem(Object.keys(refused.fields).length ? null : refused);
    // The first field to fix gets the caret (a missing contact: the e-mail).
    const order: [OfflineField, Input][] = [['name', 'name'], ['contact', 'email'], ['email', 'email'], ['phone', 'phone'], ['question', 'question']];
    const first = order.find(([field]) => refused.fields[field]);
    if (first) inputs[first[1]].current?.focus();
  };

  const change = (field: Input, value: string) => {
    setForm((f) => ({ ...f, [field]: value }));
    const next = { ...errors };
    delete next[field];
    if (field === 'email' || field === 'phone') delete next.contact;
    setErrors(next);
  };

  const error = (field: OfflineField) => {
    const slip = errors[field];
    return slip ? (
      <p class="field-error" id={`offline-${field}-error`} role="alert" data-testid="offline-field-error" data-field={field}>
        {t(offlineErrorKey(field, slip))}
      </p>
    ) : null;
  };
  const invalid = (field: Input) => !!errors[field] || ((field === 'email' || field === 'phone') && !!errors.contact);
  const describedBy = (field: Input) =>
    [errors[field] ? `offline-${field}-error` : '', (field === 'email' || field === 'phone') && errors.contact ? 'offline-contact-error' : ''].filter(Boolean).join(' ') || undefined;
  const props = (field: Input) => ({
    id: `offline-${field}`,
    value: form[field],
    'aria-invalid': invalid(field),
    'aria-describedby': describedBy(field),
    'data-testid': `offline-${field}`,
    onInput: (e: Event) => change(field, (e.currentTarget as HTMLInputElement).value),
  });

  return (
    <form class={`offline-form${alone ? ' offline-alone' : ''}`} data-testid="offline-form" aria-label={t('offline.form')} noValidate onSubmit={submit}>
      <p class="offline-intro" data-testid="offline-message">
        {chat.availability?.message?.trim() || t('offline.intro')}
      </p>
      <label for="offline-name">{t('offline.name_label')}</label>
      <input {...props('name')} ref={nameInput} maxLength={200} autoComplete="name" placeholder={t('offline.name_placeholder')} />
      {error('name')}
      <p class="offline-hint">{t('offline.contact_hint')}</p>
      <div class="offline-pair">
        <div>
          <label for="offline-email">{t('offline.email_label')}</label>
          <input {...props('email')} ref={emailInput} type="email" maxLength={200} autoComplete="email" placeholder={t('visitor.email_placeholder')} />
        </div>
        <div>
          <label for="offline-phone">{t('offline.phone_label')}</label>
          <input {...props('phone')} ref={phoneInput} type="tel" maxLength={40} autoComplete="tel" placeholder={t('visitor.phone_placeholder')} />
        </div>
      </div>
      {error('contact')}
      {error('email')}
      {error('phone')}
      <label for="offline-question">{t('offline.question_label')}</label>
      <textarea {...props('question')} ref={questionInput} rows={3} placeholder={t('offline.question_placeholder')} />
      {error('question')}
      {problem && (
        <p class="field-error" role="alert" data-testid="offline-error">
          {problemText(t, lang, problem)}
        </p>
      )}
      <button type="submit" class="btn offline-send" disabled={busy} data-testid="offline-send">
        {busy ? t('offline.sending') : t('offline.send')}
      </button>
    </form>
  );
}

/** After the contact form: we have the question, and how we will answer. */
export function OfflineThanks({ contact }: { contact: string }) {
  const { t } = useChatEnv();
  return (
    <div class="offline-thanks" role="status" data-testid="offline-thanks">
      <strong>{t('offline.thanks_title')}</strong>
      <span>{t('offline.thanks_to', { contact })}</span>
    </div>
  );
}
