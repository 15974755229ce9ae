/** One routing rule: name, channel, its conditions (all must hold), and moving or deleting it. */
import { useConsole } from '../context';
import { ConditionsEditor, type ConditionError } from './ConditionsEditor';
import { RULE_CONDITIONS, type FieldRef, type RuleDraft } from './rules';
import type { TopicChoice } from './telegram';

interface Props {
  index: number;
  count: number;
  rule: RuleDraft;
  /** The field the server refused in this rule, if any. */
  error: FieldRef | null;
  onChange: (rule: RuleDraft) => void;
  onMove: (delta: number) => void;
  onDelete: () => void;
  /** The bots' topics, for a Telegram condition (null: not known, its key is typed). */
  topics: readonly TopicChoice[] | null;
}

export function RuleEditor({ index, count, rule, error, onChange, onMove, onDelete, topics }: Props) {
  const { state, t } = useConsole('team');
  const bad = (field: string) => !!error && error.condition === null && error.field === field;
  // The whole list (`items[i].conditions`) or one condition (`items[i].conditions[j]…`).
  const conditionError: ConditionError | null = !error
    ? null
    : error.condition !== null
      ? { index: error.condition, field: error.field }
      : error.field === 'conditions'
        ? { index: null, field: null }
        : null;
  const known = state.team.channels.some((c) => c.id === rule.channel_id);

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
            {state.team.channels.map((c) => (
              <option key={c.id} value={c.id}>
                {c.name}
              </option>
            ))}
          </select>
        </label>
      </div>
      <ConditionsEditor
        conditions={rule.conditions}
        onChange={(conditions) => onChange({ ...rule, conditions })}
        error={conditionError}
        legend={t('rules.conditions')}
        empty={t('rules.no_conditions')}
        types={RULE_CONDITIONS}
        topics={topics}
      />
    </li>
  );
}
