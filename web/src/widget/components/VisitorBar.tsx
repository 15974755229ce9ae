/**
 * "You are Visitor 42 · Introduce yourself", and the small form to give a name and, if he
 * likes, an e-mail and a phone; a refusal shows under the field the server named.
 */
import { useEffect, useRef, useState } from 'preact/hooks';
import { visitorName } from '../../shared/names';
import type { ContactProblem } from '../chat';
import type { Contact, ContactField } from '../contact';
import { problemText, useChatEnv } from '../context';

export function VisitorBar() {
  const { chat, t, lang } = useChatEnv();
  const [editing, setEditing] = useState(false);
  const [form, setForm] = useState<Contact>({ name: '', email: '', phone: '' });
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<ContactProblem | null>(null);
  const nameInput = useRef<HTMLInputElement>(null);
  useEffect(() => {
    if (editing) nameInput.current?.focus();
  }, [editing]);
  const current = visitorName(chat.visitor, t('visitor.numbered'));
  const known = !!chat.visitor?.name?.trim() || !!chat.contact.email || !!chat.contact.phone;

  if (!editing) {
    return (
      <div class="visitor-bar" data-testid="visitor-identity">
        <span>{t('visitor.you_are', { name: current })}</span>
        <button
          type="button"
          class="link"
          data-testid="set-name"
          onClick={() => {
            setForm({ name: chat.visitor?.name ?? '', ...chat.contact });
            setProblem(null);
            setEditing(true);
          }}
        >
          {known ? t('visitor.change_details') : t('visitor.set_name')}
        </button>
      </div>
    );
  }

  const save = async (e: Event) => {
    e.preventDefault();
    if (busy) return;
    setBusy(true);
    const refused = await chat.saveContact(form);
    setBusy(false);
    setProblem(refused);
    if (!refused) setEditing(false);
  };

  const fieldError = (field: ContactField) =>
    problem?.field === field ? (
      <p class="field-error" role="alert" data-testid="field-error" data-field={field}>
        {problem.code === 'validation_failed' ? t(`field.${field}`) : problemText(t, lang, problem)}
      </p>
    ) : null;

  const input = (field: ContactField, props: Record<string, unknown>) => (
    <input
      id={`visitor-${field}`}
      value={form[field]}
      aria-invalid={problem?.field === field}
      onInput={(e) => {
        const value = e.currentTarget.value;
        setForm((f) => ({ ...f, [field]: value }));
        if (problem?.field === field) setProblem(null);
      }}
      {...props}
    />
  );

  return (
    <form class="name-form" onSubmit={save} data-testid="name-form" noValidate>
      <label for="visitor-name">{t('visitor.name_label')}</label>
      <div class="name-row">
        {input('name', {
          'data-testid': 'name-input',
          maxLength: 80,
          autoComplete: 'name',
          placeholder: t('visitor.name_placeholder'),
          ref: nameInput,
        })}
      </div>
      {fieldError('name')}
      <p class="contact-hint">{t('visitor.details_hint')}</p>
      <div class="contact-grid">
        <label for="visitor-email">
          {t('visitor.email_label')} <span class="optional">({t('visitor.optional')})</span>
        </label>
        {input('email', { 'data-testid': 'contact-email', type: 'email', maxLength: 200, autoComplete: 'email', placeholder: t('visitor.email_placeholder') })}
        {fieldError('email')}
        <label for="visitor-phone">
          {t('visitor.phone_label')} <span class="optional">({t('visitor.optional')})</span>
        </label>
        {input('phone', { 'data-testid': 'contact-phone', type: 'tel', maxLength: 40, autoComplete: 'tel', placeholder: t('visitor.phone_placeholder') })}
        {fieldError('phone')}
      </div>
      {problem && !problem.field && (
        <p class="field-error" role="alert">
          {problemText(t, lang, problem)}
        </p>
      )}
      <div class="form-actions">
        <button type="submit" class="btn" disabled={busy} data-testid="name-save">
          {t('visitor.save_name')}
        </button>
        <button type="button" class="link" onClick={() => setEditing(false)}>
          {t('visitor.cancel')}
        </button>
      </div>
    </form>
  );
}
