/**
 * The conditions of a routing rule or a proactive message, all of which must hold: the page's
 * address (a glob with `*`, or a regular expression), a visitor property, the browser language.
 */
import { oneOf, type ConditionType } from '../../shared/api-types';
import { useConsole } from '../context';
import { newCondition, retype, type ConditionDraft } from './rules';

/** The field the server refused: a condition's (`index`), or the whole list (`index` null). */
export interface ConditionError {
  index: number | null;
  /** `pattern`, `name`, `value`, `type`…; null for the whole condition (or list). */
  field: string | null;
}

interface Props {
  conditions: ConditionDraft[];
  onChange: (conditions: ConditionDraft[]) => void;
  error: ConditionError | null;
  legend: string;
  empty: string;
}

const TYPES: ConditionType[] = ['url', 'property', 'language'];

export function ConditionsEditor({ conditions, onChange, error, legend, empty }: Props) {
  const { t } = useConsole();
  const bad = (field: string, i: number) => !!error && error.index === i && (error.field === field || error.field === null);
  const listBad = !!error && error.index === null;
  const set = (i: number, c: ConditionDraft) => onChange(conditions.map((x, j) => (j === i ? c : x)));
  const typeLabel = (type: ConditionType) =>
    type === 'url' ? t('rules.type_url') : type === 'property' ? t('rules.type_property') : t('rules.type_language');

  return (
    <fieldset class={`conditions${listBad ? ' invalid' : ''}`}>
      <legend>{legend}</legend>
      {conditions.length === 0 && <p class="muted">{empty}</p>}
      {conditions.map((c, i) => (
        <div class="condition" key={c.key} data-testid="rule-condition" data-index={i}>
          <select
            value={c.type}
            aria-label={t('rules.condition_type')}
            aria-invalid={bad('type', i)}
            onChange={(e) => set(i, retype(c, oneOf(e.currentTarget.value, TYPES) ?? c.type))}
            data-testid="condition-type"
          >
            {TYPES.map((type) => (
              <option key={type} value={type}>
                {typeLabel(type)}
              </option>
            ))}
          </select>
          {c.type === 'url' && (
            <>
              <input
                class="grow"
                value={c.pattern}
                placeholder={t('rules.pattern_glob_hint')}
                aria-label={t('rules.pattern')}
                aria-invalid={bad('pattern', i)}
                onInput={(e) => set(i, { ...c, pattern: e.currentTarget.value })}
                data-testid="condition-pattern"
              />
              <label class="choice">
                <input type="checkbox" checked={c.regex} onChange={(e) => set(i, { ...c, regex: e.currentTarget.checked })} data-testid="condition-regex" />
                <span>{t('rules.regex')}</span>
              </label>
            </>
          )}
          {c.type === 'property' && (
            <>
              <input
                value={c.name}
                placeholder="city"
                aria-label={t('rules.property_name')}
                aria-invalid={bad('name', i)}
                onInput={(e) => set(i, { ...c, name: e.currentTarget.value })}
                data-testid="condition-name"
              />
              <span aria-hidden="true">=</span>
              <input
                class="grow"
                value={c.value}
                aria-label={t('rules.property_value')}
                aria-invalid={bad('value', i)}
                onInput={(e) => set(i, { ...c, value: e.currentTarget.value })}
                data-testid="condition-value"
              />
            </>
          )}
          {c.type === 'language' && (
            <input
              value={c.value}
              placeholder="ru"
              aria-label={t('rules.language_value')}
              aria-invalid={bad('value', i)}
              onInput={(e) => set(i, { ...c, value: e.currentTarget.value })}
              data-testid="condition-value"
            />
          )}
          <button
            type="button"
            class="icon-btn"
            aria-label={t('rules.remove_condition')}
            title={t('rules.remove_condition')}
            onClick={() => onChange(conditions.filter((_, j) => j !== i))}
            data-testid="condition-remove"
          >
            ×
          </button>
        </div>
      ))}
      <button type="button" class="link" onClick={() => onChange([...conditions, newCondition('url')])} data-testid="condition-add">
        + {t('rules.add_condition')}
      </button>
    </fieldset>
  );
}
