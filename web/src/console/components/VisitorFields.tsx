/**
 * The visitor's custom fields (issue 16) on his card: a row per live visitor field («Город»), in
 * the admin's order, showing the value kept as his attribute under the field's key and saving a
 * change at once (`PUT …/visitor/fields`, FieldValueInput.tsx). Nothing when the workspace has
 * no visitor fields.
 */
import type { CustomFieldView, VisitorCardView } from '../../shared/api-types';
import { useConsole } from '../context';
import { liveFields } from '../field-values';
import { FieldValueInput } from './FieldValueInput';

/** The visitor's value of a field: his attribute under its key. */
export const attributeValue = (card: Pick<VisitorCardView, 'attributes'>, key: string): unknown => (card.attributes ?? []).find((a) => a.name === key)?.value;

/** The keys of the live visitor fields: the card's attribute list leaves them to this section. */
export const visitorFieldKeys = (fields: readonly CustomFieldView[]): Set<string> => new Set(liveFields(fields, 'visitor').map((f) => f.key));

export function VisitorFields({ dialogId, card }: { dialogId: string; card: VisitorCardView }) {
  const { state, t } = useConsole('tools');
  const fields = liveFields(state.tools.fields, 'visitor');
  if (fields.length === 0) return null;
  return (
    <section class="card-section card-vfields" data-testid="card-fields" aria-labelledby={`card-fields-${dialogId}`}>
      <h4 id={`card-fields-${dialogId}`}>{t('fields.card_title')}</h4>
      <div class="card-vfield-list">
        {fields.map((f) => (
          <FieldValueInput
            key={`${card.id}-${f.id}`}
            variant="card"
            field={f}
            id={`vf-${dialogId}-${f.key}`}
            value={attributeValue(card, f.key)}
            save={(value) => state.setVisitorFieldValues(dialogId, { [f.key]: value })}
          />
        ))}
      </div>
    </section>
  );
}
