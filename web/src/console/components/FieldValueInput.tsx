/**
 * One custom field's value as a compact input, in the dialog's fields (DialogFields.tsx) and on
 * the visitor card (VisitorFields.tsx): text, a number, a date, or a choice of the field's
 * options. Saved on Enter and when the focus leaves (a choice as soon as it is picked); Escape
 * puts back the kept value. The input then shows the value as the server kept it (trimmed, in
 * capitals for an upper-case field); a refusal is told under it in the field's own terms. A
 * field this dialog must have before it closes says so while empty.
 */
import { useEffect, useRef, useState } from 'preact/hooks';
import type { CustomFieldView } from '../../shared/api-types';
import type { Problem } from '../console-state';
import { problemText, useConsole } from '../context';
import { inputText, readValue, troubleText, unchanged, valueProblemText } from '../field-values';

interface Props {
  field: CustomFieldView;
  /** The value kept now (`DialogView.fields[key]`, the visitor's attribute). */
  value: unknown;
  /** Sends one value (`null` clears); resolves to the refusal or null. */
  save: (value: string | number | null) => Promise<Problem | null>;
  /** The input's id (its label points at it; a refused close focuses it). */
  id: string;
  /** This dialog must have it before it closes. */
  required?: boolean;
  /** A close was refused for want of it. */
  needed?: boolean;
  variant: 'dialog' | 'card';
}

export function FieldValueInput({ field, value, save, id, required = false, needed = false, variant }: Props) {
  const { t, lang } = useConsole();
  const kept = inputText(field, value);
  // The kept value as last drawn: a save's answer may redraw before or after it resolves.
  const keptNow = useRef(kept);
  keptNow.current = kept;
  const [text, setText] = useState(kept);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  // Enter and then the focus leaving must not send twice: the state above is a render late.
  const sending = useRef(false);
  const editing = useRef(false);
  // What the server refused last: the focus leaving does not send it again.
  const refusedText = useRef<string | null>(null);
  const input = useRef<HTMLInputElement & HTMLSelectElement>(null);

  // The kept value changed (saved here, or in another tab): shown unless the operator is typing.
  useEffect(() => {
    if (!editing.current || document.activeElement !== input.current) {
      editing.current = false;
      setText(kept);
    }
  }, [kept]);

  const commit = async (typed: string) => {
    if (sending.current || typed === refusedText.current) return;
    editing.current = false;
    if (unchanged(field, value, typed)) {
      setText(kept);
      setError(null);
      return;
    }
    const read = readValue(field, typed);
    if (!read.ok) {
      setError(troubleText(t, read.trouble));
      return;
    }
    sending.current = true;
    setBusy(true);
    setError(null);
    const refused = await save(read.value);
    sending.current = false;
    setBusy(false);
    if (refused) {
      refusedText.current = typed;
      setError(valueProblemText(t, field, refused) ?? problemText(t, lang, refused));
      return;
    }
    // The answer redraws the kept value (the effect above) once the console draws it — after
    // this, maybe; the typed text stays until then (no flash of the old value). Kept as it was
    // (the server wrote it as it stood), the input shows it all the same.
    setTimeout(() => {
      if (!editing.current && !sending.current) setText(keptNow.current);
    }, 0);
  };

  const empty = !kept.trim();
  const errorId = `${id}-error`;
  const noteId = `${id}-note`;
  const marked = required && empty;
  const described = [error ? errorId : null, marked ? noteId : null].filter(Boolean).join(' ') || undefined;
  const common = {
    id,
    ref: input,
    // Not disabled while saving: the focus stays where the operator is.
    'aria-busy': busy || undefined,
    'aria-invalid': error || (needed && empty) ? true : undefined,
    'aria-describedby': described,
    'aria-required': required || undefined,
    'data-testid': 'field-value',
    'data-key': field.key,
  };

  return (
    <div
      class={`fv fv-${variant}${marked ? ' fv-required' : ''}${needed && empty ? ' fv-needed' : ''}${error ? ' fv-invalid' : ''}`}
      data-testid="field-row"
      data-key={field.key}
      data-required={marked ? 'true' : undefined}
    >
      <label class="fv-label" for={id} title={field.label}>
        {field.label}
      </label>
      {field.kind === 'choice' ? (
        <select
          {...common}
          value={text}
          onChange={(e) => {
            const next = e.currentTarget.value;
            setText(next);
            void commit(next);
          }}
        >
          <option value="">{t('fields.value_none')}</option>
          {field.options.map((o) => (
            <option key={o} value={o}>
              {o}
            </option>
          ))}
          {kept && !field.options.includes(kept) && <option value={kept}>{kept}</option>}
        </select>
      ) : (
        <input
          {...common}
          // Preact types a date input apart; the attributes here are the same for both.
          type={(field.kind === 'date' ? 'date' : 'text') as 'text'}
          value={text}
          inputMode={field.kind === 'number' ? 'decimal' : undefined}
          maxLength={field.kind === 'text' ? 600 : undefined}
          autoComplete="off"
          spellcheck={field.kind === 'text' ? undefined : false}
          onInput={(e) => {
            editing.current = true;
            refusedText.current = null;
            setText(e.currentTarget.value);
            if (error) setError(null);
          }}
          onKeyDown={(e) => {
            if (e.key === 'Enter') {
              e.preventDefault();
              void commit(e.currentTarget.value);
            } else if (e.key === 'Escape' && editing.current) {
              e.stopPropagation();
              editing.current = false;
              refusedText.current = null;
              setText(kept);
              setError(null);
            }
          }}
          onBlur={(e) => void commit(e.currentTarget.value)}
        />
      )}
      {marked && (
        <span id={noteId} class="fv-note" data-testid="field-required-note">
          {t('fields.required_before_close')}
        </span>
      )}
      {error && (
        <span id={errorId} class="fv-error" role="alert" data-testid="field-value-error">
          {error}
        </span>
      )}
    </div>
  );
}
