/**
 * The conditions of a routing rule or a proactive message, all of which must hold: the page's
 * address (a glob with `*`, or a regular expression), a visitor property, the browser language,
 * a segment the visitor is in (picked from the workspace's segments, offered once there are
 * any), and (routing rules only) the topic a Telegram chat chose: picked from the bots' topics by
 * title, or typed as a key when there are none to pick from; and the address a mail was sent to
 * (`help+tag@x` counts as `help@x`).
 */
import { oneOf, type ConditionType } from '../../shared/api-types';
import type { Translate } from '../../shared/i18n';
import { useConsole } from '../context';
import type { ConsoleKey } from '../i18n';
import { newCondition, retype, type ConditionDraft } from './rules';
import type { TopicChoice } from './telegram';

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
  /** The kinds offered (`RULE_CONDITIONS`, `TRIGGER_CONDITIONS`); a condition held of another kind still shows. */
  types: readonly ConditionType[];
  /** The bots' topics for a Telegram condition; null or none: its key is typed. */
  topics?: readonly TopicChoice[] | null;
}

const TYPE_LABELS: Record<ConditionType, ConsoleKey> = {
  url: 'rules.type_url',
  property: 'rules.type_property',
  language: 'rules.type_language',
  telegram_topic: 'rules.type_telegram_topic',
  mail_to: 'rules.type_mail_to',
  segment: 'segments.condition_type',
};

/** A topic's title, with its key when another topic has the same title. */
export function topicLabel(t: Translate<ConsoleKey>, topic: TopicChoice): string {
  return topic.sameTitle ? t('rules.topic_with_key', { title: topic.title, key: topic.key }) : topic.title;
}

export function ConditionsEditor({ conditions, onChange, error, legend, empty, types, topics }: Props) {
  const { state, t } = useConsole('tools');
  const segments = state.tools.segments;
  const bad = (field: string, i: number) => !!error && error.index === i && (error.field === field || error.field === null);
  const listBad = !!error && error.index === null;
  const set = (i: number, c: ConditionDraft) => onChange(conditions.map((x, j) => (j === i ? c : x)));
  // A segment is offered once the workspace has one; a condition held keeps its own kind.
  const offered = segments.length > 0 ? types : types.filter((x) => x !== 'segment');
  const typesFor = (c: ConditionDraft) => (offered.includes(c.type) ? offered : [...offered, c.type]);
  // A new segment condition names the first segment at once: an empty one is never sent.
  const retyped = (c: ConditionDraft, type: ConditionType): ConditionDraft => {
    const next = retype(c, type);
    return next.type === 'segment' && !next.segment_id ? { ...next, segment_id: segments[0]?.id ?? '' } : next;
  };

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
            onChange={(e) => set(i, retyped(c, oneOf(e.currentTarget.value, typesFor(c)) ?? c.type))}
            data-testid="condition-type"
          >
            {typesFor(c).map((type) => (
              <option key={type} value={type}>
                {t(TYPE_LABELS[type])}
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
          {c.type === 'telegram_topic' &&
            (topics?.length ? (
              <select
                class="grow"
                value={c.value.trim()}
                aria-label={t('rules.topic_value')}
                aria-invalid={bad('value', i)}
                onChange={(e) => set(i, { ...c, value: e.currentTarget.value })}
                data-testid="condition-topic"
              >
                {!c.value.trim() && (
                  <option value="" disabled>
                    {t('rules.topic_choose')}
                  </option>
                )}
                {c.value.trim() && !topics.some((x) => x.key === c.value.trim()) && (
                  // A key no bot has now (its topic removed since): kept, and said so.
                  <option value={c.value.trim()}>{t('rules.topic_unknown', { key: c.value.trim() })}</option>
                )}
                {topics.map((x) => (
                  <option key={x.key} value={x.key}>
                    {topicLabel(t, x)}
                  </option>
                ))}
              </select>
            ) : (
              <input
                value={c.value}
                placeholder="delivery"
                maxLength={24}
                aria-label={t('rules.topic_key')}
                title={t('rules.topic_key_hint')}
                aria-invalid={bad('value', i)}
                onInput={(e) => set(i, { ...c, value: e.currentTarget.value })}
                data-testid="condition-value"
              />
            ))}
          {c.type === 'segment' && (
            <select
              class="grow"
              value={c.segment_id}
              aria-label={t('segments.condition_value')}
              aria-invalid={bad('segment_id', i)}
              onChange={(e) => set(i, { ...c, segment_id: e.currentTarget.value })}
              data-testid="condition-segment"
            >
              {!segments.some((x) => x.id === c.segment_id) && (
                // A segment deleted since, or not read yet: kept, and said so.
                <option value={c.segment_id}>{state.tools.segmentsLoaded ? t('segments.condition_unknown') : '…'}</option>
              )}
              {segments.map((x) => (
                <option key={x.id} value={x.id}>
                  {x.name}
                </option>
              ))}
            </select>
          )}
          {c.type === 'mail_to' && (
            <input
              class="grow"
              type="email"
              inputMode="email"
              value={c.value}
              placeholder="service@company.ru"
              maxLength={254}
              autoComplete="off"
              spellcheck={false}
              aria-label={t('rules.mail_to_value')}
              title={t('rules.mail_to_hint')}
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
