/** One routing rule: name, channel, its conditions (all must hold), and moving or deleting it. */
import type { ConditionType } from '../../shared/api-types';
import { useConsole } from '../context';
import { newCondition, retype, type ConditionDraft, type FieldRef, type RuleDraft } from './rules';

interface Props {
  index: number;
  count: number;
  rule: RuleDraft;
  /** The field the server refused in this rule, if any. */
  error: FieldRef | null;
  onChange: (rule: RuleDraft) => void;
  onMove: (delta: number) => void;
  onDelete: () => void;
}

const TYPES: ConditionType[] = ['url', 'property', 'language'];

export function RuleEditor({ index, count, rule, error, onChange, onMove, onDelete }: Props) {
  const { state, t } = useConsole();
  const bad = (field: string, condition: number | null = null) =>
    !!error && error.condition === condition && (error.field === field || (error.field === null && condition !== null));
  const setCondition = (i: number, c: ConditionDraft) => onChange({ ...rule, conditions: rule.conditions.map((x, j) => (j === i ? c : x)) });
  const typeLabel = (type: ConditionType) =>
    type === 'url' ? t('rules.type_url') : type === 'property' ? t('rules.type_property') : t('rules.type_language');
  const known = state.channels.some((c) => c.id === rule.channel_id);

  return (
    <li class={`admin-card rule${error ? ' has-error' : ''}`} data-testid="rule" data-index={index}>
      <div class="rule-head">
        <span class="rule-number">{t('rules.number', { n: index + 1 })}</span>
        <span class="spacer" />
        <button type="button" class="btn btn-ghost btn-small" disabled={index === 0} onClick={() => onMove(-1)} data-testid="rule-up">
          ↑ {t('rules.up')}
        </button>
        <button type="button" class="btn btn-ghost btn-small" disabled={index === count - 1} onClick={() => onMove(1)} data-testid="rule-down">
          ↓ {t('rules.down')}
        </button>
        <button type="button" class="btn btn-ghost btn-small danger" onClick={onDelete} data-testid="rule-delete">
          {t('rules.delete')}
        </button>
      </div>
      <div class="rule-fields">
        <label class="field">
          <span>{t('rules.name')}</span>
          <input
            value={rule.name}
            maxLength={80}
            aria-invalid={bad('name')}
            onInput={(e) => onChange({ ...rule, name: e.currentTarget.value })}
            data-testid="rule-name"
          />
        </label>
        <label class="field">
          <span>{t('rules.channel')}</span>
          <select
            value={rule.channel_id}
            aria-invalid={bad('channel_id')}
            onChange={(e) => onChange({ ...rule, channel_id: e.currentTarget.value })}
            data-testid="rule-channel"
          >
            {!known && <option value={rule.channel_id}>…</option>}
            {state.channels.map((c) => (
              <option key={c.id} value={c.id}>
                {c.name}
              </option>
            ))}
          </select>
        </label>
      </div>
      <fieldset class={`conditions${bad('conditions') ? ' invalid' : ''}`}>
        <legend>{t('rules.conditions')}</legend>
        {rule.conditions.length === 0 && <p class="muted">{t('rules.no_conditions')}</p>}
        {rule.conditions.map((c, i) => (
          <div class="condition" key={c.key} data-testid="rule-condition" data-index={i}>
            <select
              value={c.type}
              aria-label={t('rules.condition_type')}
              aria-invalid={bad('type', i)}
              onChange={(e) => setCondition(i, retype(c, e.currentTarget.value as ConditionType))}
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
                  onInput={(e) => setCondition(i, { ...c, pattern: e.currentTarget.value })}
                  data-testid="condition-pattern"
                />
                <label class="choice">
                  <input type="checkbox" checked={c.regex} onChange={(e) => setCondition(i, { ...c, regex: e.currentTarget.checked })} data-testid="condition-regex" />
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
                  onInput={(e) => setCondition(i, { ...c, name: e.currentTarget.value })}
                  data-testid="condition-name"
                />
                <span aria-hidden="true">=</span>
                <input
                  class="grow"
                  value={c.value}
                  aria-label={t('rules.property_value')}
                  aria-invalid={bad('value', i)}
                  onInput={(e) => setCondition(i, { ...c, value: e.currentTarget.value })}
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
                onInput={(e) => setCondition(i, { ...c, value: e.currentTarget.value })}
                data-testid="condition-value"
              />
            )}
            <button
              type="button"
              class="icon-btn"
              aria-label={t('rules.remove_condition')}
              title={t('rules.remove_condition')}
              onClick={() => onChange({ ...rule, conditions: rule.conditions.filter((_, j) => j !== i) })}
              data-testid="condition-remove"
            >
              ×
            </button>
          </div>
        ))}
        <button
          type="button"
          class="link"
          onClick={() => onChange({ ...rule, conditions: [...rule.conditions, newCondition('url')] })}
          data-testid="condition-add"
        >
          + {t('rules.add_condition')}
        </button>
      </fieldset>
    </li>
  );
}
