/**
 * The dialog's custom fields (issue 16) under its header: «Поля» in the tools line (how many are
 * filled, and a mark while one this dialog must have before it closes is empty) folds a strip of
 * compact inputs, one per live dialog field, in the admin's order. Each saves on its own
 * (FieldValueInput.tsx). When a close is refused for want of fields (`fields_required`) the strip
 * unfolds (and stays so: the focus is in it), says which in words, and the first of them takes
 * the focus.
 */
import { useEffect } from 'preact/hooks';
import type { DialogView } from '../../shared/api-types';
import { useConsole } from '../context';
import { fieldsRequiredText, isEmptyValue, labelList, liveFields, missingFields, requiredFor } from '../field-values';
import { FieldValueInput } from './FieldValueInput';

/** The input of a dialog's field (a refused close focuses it). */
export const fieldInputId = (dialogId: string, key: string): string => `fv-${dialogId}-${key}`;

/** «Поля 1/3» in the dialog's tools line: shows or hides the strip. */
export function DialogFieldsToggle({ dialog }: { dialog: DialogView }) {
  const { state, t, lang } = useConsole('tools', 'dialog', 'lists');
  const fields = liveFields(state.tools.fields, 'dialog');
  if (fields.length === 0) return null;
  const filled = fields.filter((f) => !isEmptyValue(dialog.fields?.[f.key])).length;
  const missing = missingFields(state.tools.fields, dialog);
  const shown = state.dialog.fieldsShown || state.lists.fieldsNeeded.has(dialog.id);
  const title = missing.length > 0 ? t('fields.toggle_missing', { fields: labelList(lang, missing.map((f) => f.label)) }) : t('fields.toggle_title');
  return (
    <button
      type="button"
      class={`fields-toggle${shown ? ' on' : ''}${missing.length > 0 ? ' missing' : ''}`}
      aria-expanded={shown}
      aria-controls={`dialog-fields-${dialog.id}`}
      title={title}
      onClick={() => state.dialog.toggleFields(!shown)}
      data-testid="fields-toggle"
      data-missing={missing.length}
    >
      <span>{t('fields.toggle')}</span>
      <span class="fields-toggle-count">{t('fields.toggle_count', { filled, total: fields.length })}</span>
      {missing.length > 0 && (
        <span class="fields-toggle-dot" aria-hidden="true">
          •
        </span>
      )}
      {missing.length > 0 && <span class="visually-hidden">{title}</span>}
    </button>
  );
}

/** The strip of inputs under the tools line (nothing when the workspace has no dialog fields). */
export function DialogFields({ dialog }: { dialog: DialogView }) {
  const { state, t, lang } = useConsole('tools', 'dialog', 'lists');
  const fields = liveFields(state.tools.fields, 'dialog');
  const needed = state.lists.fieldsNeeded.get(dialog.id) ?? null;
  const neededKeys = needed?.map((n) => n.key).join(',') ?? '';
  const shown = state.dialog.fieldsShown || !!needed;

  // A refused close: the first field it names (that this console shows) takes the focus.
  useEffect(() => {
    if (!needed) return;
    for (const n of needed) {
      const el = document.getElementById(fieldInputId(dialog.id, n.key));
      if (el) {
        el.focus();
        return;
      }
    }
  }, [neededKeys, dialog.id, fields.length]);

  if (fields.length === 0 || !shown) return null;
  return (
    <section class="dialog-fields" id={`dialog-fields-${dialog.id}`} aria-label={t('fields.section')} data-testid="dialog-fields">
      {needed && (
        <p class="dialog-fields-alert" role="alert" data-testid="fields-required-alert">
          {fieldsRequiredText(t, lang, { code: 'fields_required', details: { fields: needed } })}
        </p>
      )}
      <div class="dialog-fields-grid">
        {fields.map((f) => (
          <FieldValueInput
            key={`${dialog.id}-${f.id}`}
            variant="dialog"
            field={f}
            id={fieldInputId(dialog.id, f.key)}
            value={dialog.fields?.[f.key]}
            required={requiredFor(f, dialog)}
            needed={!!needed?.some((n) => n.key === f.key)}
            save={(value) => state.setFieldValues(dialog.id, { [f.key]: value })}
          />
        ))}
      </div>
    </section>
  );
}
