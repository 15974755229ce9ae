/**
 * «Сегменты» / "Segments" (issue 16), a tab beside the routing rules: saved filters over the
 * workspace's visitors. The list shows each segment's name, its rules in plain words and how many
 * visitors are in it now. The editor (admins) has the name, whether all rules or any one must
 * hold, and the rules — a row each: what it looks at (an attribute, an event, a visitor tag, the
 * last visit) and the fields that needs, an attribute's comparisons only those that make sense
 * (a name ending in `_at` is a date: days only). Beside them a live count of the draft («5
 * посетителей») with the newest few of them, asked about 400 ms after the last change and only of
 * a complete draft. A refused field is told at its input; deleting asks first, and a segment a
 * rule or a proactive message uses is refused with where. Supervisors see the same read-only.
 */
import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { oneOf } from '../../shared/api-types';
import { useObservable } from '../../shared/store';
import type { Problem } from '../console-state';
import { problemText } from '../context';
import type { ConsoleKey } from '../i18n';
import { FieldNote } from './FieldNote';
import { ProblemLine } from './ProblemLine';
import { RulesTabs } from './RulesTabs';
import {
  filterSummary,
  isDateName,
  NAME_MAX,
  newRuleDraft,
  opsFor,
  previewFilter,
  previewVisitorName,
  refusedAtField,
  retypeRule,
  RULE_TYPES,
  rulePath,
  RULES_MAX,
  SEEN_OPS,
  sameDraft,
  segmentDraft,
  segmentMessages,
  segmentProblemText,
  segmentRequest,
  TAG_MAX,
  VALUE_KINDS,
  valueNeed,
  visitorsText,
  withName,
  type AttributeOp,
  type RuleDraft,
  type RuleType,
  type SegmentDraft,
  type SegmentView,
  type ValueKind,
} from './segments';
import type { LivePreview } from './segments-state';
import { formName, useUnsaved } from './unsaved';
import { useAdmin } from './use-admin';
import './segments.css';

const TYPE_WORDS: Record<RuleType, ConsoleKey> = {
  attribute: 'segments.type_attribute',
  event: 'segments.type_event',
  tag: 'segments.type_tag',
  last_seen: 'segments.type_last_seen',
};

const OP_WORDS: Record<AttributeOp, ConsoleKey> = {
  is: 'segments.op_is',
  is_not: 'segments.op_is_not',
  contains: 'segments.op_contains',
  gt: 'segments.op_gt',
  lt: 'segments.op_lt',
  exists: 'segments.op_exists',
  missing: 'segments.op_missing',
  within_days: 'segments.op_within_days',
  older_than_days: 'segments.op_older_than_days',
};

const KIND_WORDS: Record<ValueKind, ConsoleKey> = {
  text: 'segments.kind_text',
  number: 'segments.kind_number',
  boolean: 'segments.kind_boolean',
};

function useSegments() {
  const env = useAdmin('tools');
  useObservable(env.admin.segments);
  return { ...env, segments: env.admin.segments };
}

export function SegmentsAdmin() {
  const { state, segments, t, lang } = useSegments();
  const canEdit = state.isAdmin();
  const list = state.tools.segments;
  const [selectedId, setSelectedId] = useState<string | null>(null);
  const [savedId, setSavedId] = useState<string | null>(null);
  const [loading, setLoading] = useState(true);
  const [loadProblem, setLoadProblem] = useState<Problem | null>(null);
  // One live count for the page: the editor opened anew on the segment just saved keeps its answer.
  const live = useMemo(() => segments.live(), [segments]);

  const load = async () => {
    setLoading(true);
    const refused = await state.loadSegments();
    setLoadProblem(refused);
    setLoading(false);
    if (!refused) void segments.countAll(state.tools.segments.map((s) => s.id));
  };

  useEffect(() => {
    void load();
    return () => {
      segments.stop();
      live.stop();
    };
  }, []);

  const selected = list.find((s) => s.id === selectedId) ?? null;
  const pick = (id: string | null) => {
    const go = () => {
      setSelectedId(id);
      setSavedId(null);
    };
    if (id === selectedId || state.team.unsaved.mayLeave(go)) go();
  };

  return (
    <section class="admin-section segments-page">
      <RulesTabs current="segments" />
      <header class="admin-head">
        <h1 data-testid="segments-title">{t('segments.title')}</h1>
        <p>{t('segments.hint')}</p>
      </header>
      {loadProblem && (
        <p class="form-error" role="alert" data-testid="segments-load-error">
          {problemText(t, lang, loadProblem)}{' '}
          <button type="button" class="link" onClick={() => void load()}>
            {t('app.retry')}
          </button>
        </p>
      )}
      <div class="admin-columns segments-columns">
        <div class="admin-card admin-list seg-list" role="region" aria-labelledby="seg-list-title" data-testid="segments-list">
          <div class="seg-list-head">
            <h2 id="seg-list-title">{t('segments.list_title')}</h2>
            {canEdit && selected && (
              <button type="button" class="btn btn-secondary btn-small" onClick={() => pick(null)} data-testid="segment-new">
                + {t('segments.new')}
              </button>
            )}
          </div>
          {loading && list.length === 0 && <p class="list-note">{t('admin.loading')}</p>}
          {!loading && !loadProblem && list.length === 0 && (
            <p class="list-note" data-testid="segments-empty">
              {canEdit ? t('segments.empty_admin') : t('segments.empty')}
            </p>
          )}
          {list.length > 0 && (
            <ul>
              {list.map((s) => (
                <li key={s.id}>
                  <button
                    type="button"
                    class={`admin-item seg-item${selectedId === s.id ? ' selected' : ''}`}
                    aria-current={selectedId === s.id ? 'true' : undefined}
                    onClick={() => pick(s.id)}
                    data-testid="segment-item"
                    data-segment-id={s.id}
                  >
                    <span class="admin-item-name seg-item-name">{s.name}</span>
                    <span class="seg-item-summary" data-testid="segment-summary">
                      {filterSummary(t, lang, s.filter)}
                    </span>
                    <span class="seg-item-count" data-testid="segment-count">
                      {segments.counts.has(s.id)
                        ? visitorsText(t, lang, segments.counts.get(s.id)!)
                        : segments.counting.has(s.id)
                          ? t('segments.counting')
                          : t('segments.count_unknown')}
                    </span>
                  </button>
                </li>
              ))}
            </ul>
          )}
        </div>
        {selected || canEdit ? (
          <SegmentForm
            key={selected?.id ?? 'new'}
            segment={selected}
            canEdit={canEdit}
            justSaved={!!selected && selected.id === savedId}
            live={live}
            onCreated={(id) => {
              setSelectedId(id);
              setSavedId(id);
            }}
            onDone={() => {
              setSelectedId(null);
              setSavedId(null);
            }}
          />
        ) : (
          <div class="admin-card seg-pick" data-testid="segment-pick">
            <p class="list-note">{list.length > 0 ? t('segments.pick') : t('segments.read_only')}</p>
          </div>
        )}
      </div>
    </section>
  );
}

interface FormProps {
  segment: SegmentView | null;
  live: LivePreview;
  canEdit: boolean;
  justSaved: boolean;
  onCreated: (id: string) => void;
  onDone: () => void;
}

/** The editor of one segment (or of a new one), with its live count. */
function SegmentForm({ segment, live, canEdit, justSaved, onCreated, onDone }: FormProps) {
  const { segments, t } = useSegments();
  const form = useMemo(() => formName('segment'), []);
  const [draft, setDraft] = useState<SegmentDraft>(() => segmentDraft(segment));
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<Problem | null>(null);
  const [tried, setTried] = useState(false);
  const [saved, setSaved] = useState(justSaved);
  const addButton = useRef<HTMLButtonElement>(null);
  const base = useRef(segment);

  // Saved (here, or renamed elsewhere): follow it unless the form was edited.
  useEffect(() => {
    const untouched = sameDraft(segmentDraft(base.current), draft);
    base.current = segment;
    if (untouched) setDraft(segmentDraft(segment));
  }, [segment]);

  const request = segmentRequest(draft);
  const dirty = segment ? !sameDraft(draft, segmentDraft(segment)) : !sameDraft(draft, segmentDraft(null));
  useUnsaved(form, canEdit && dirty);
  const notes = segmentMessages(t, tried && !request.ok ? request.issues : [], problem, draft);
  const note = (path: string) => notes.get(path) ?? null;

  const set = (patch: Partial<SegmentDraft>) => {
    setDraft({ ...draft, ...patch });
    setSaved(false);
  };
  const setRule = (i: number, rule: RuleDraft) => set({ rules: draft.rules.map((r, j) => (j === i ? rule : r)) });

  const submit = async (e: Event) => {
    e.preventDefault();
    if (busy || !canEdit) return;
    setTried(true);
    setProblem(null);
    if (!request.ok) return;
    setBusy(true);
    const answer = segment ? await segments.update(segment.id, request.value) : await segments.create(request.value);
    setBusy(false);
    if ('code' in answer) {
      setProblem(answer);
      return;
    }
    setTried(false);
    if (segment) setSaved(true);
    else onCreated(answer.id);
  };

  const remove = async () => {
    if (!segment || !confirm(t('segments.delete_confirm', { name: segment.name }))) return;
    setBusy(true);
    setProblem(null);
    const refused = await segments.remove(segment.id);
    setBusy(false);
    if (refused) setProblem(refused);
    else onDone();
  };

  const pageProblem = problem && !refusedAtField(problem) ? problem : null;
  const pageText = pageProblem ? segmentProblemText(t, pageProblem) : null;

  return (
    <form class="admin-card admin-form seg-form" onSubmit={submit} noValidate data-testid="segment-form" data-segment-id={segment?.id ?? ''}>
      <h2 data-testid="segment-form-title">{segment ? t('segments.edit', { name: segment.name }) : t('segments.new')}</h2>
      {!canEdit && (
        <p class="muted seg-read-only" data-testid="segment-read-only">
          {t('segments.read_only')}
        </p>
      )}
      <div class="seg-form-body">
        <fieldset class="seg-fields" disabled={!canEdit}>
          <label class="field">
            <span>{t('segments.name')}</span>
            <input
              value={draft.name}
              maxLength={NAME_MAX}
              placeholder={t('segments.name_placeholder')}
              aria-invalid={note('name') ? true : undefined}
              onInput={(e) => set({ name: e.currentTarget.value })}
              data-testid="segment-name"
            />
            <FieldNote text={note('name')} field="name" />
          </label>
          <fieldset class="field seg-match">
            <legend>{t('segments.match')}</legend>
            <div class="seg-match-choices">
              {(['all', 'any'] as const).map((m) => (
                <label key={m} class="choice">
                  <input type="radio" name={`${form}-match`} checked={draft.match === m} onChange={() => set({ match: m })} data-testid={`segment-match-${m}`} />
                  <span>{m === 'all' ? t('segments.match_all') : t('segments.match_any')}</span>
                </label>
              ))}
            </div>
          </fieldset>
          <fieldset class={`seg-rules-box${note('filter.rules') ? ' invalid' : ''}`}>
            <legend>{t('segments.rules')}</legend>
            <ol class="seg-rules" data-testid="segment-rules">
              {draft.rules.map((r, i) => (
                <RuleRow
                  key={r.key}
                  rule={r}
                  index={i}
                  note={note}
                  canRemove={draft.rules.length > 1}
                  onChange={(next) => setRule(i, next)}
                  onRemove={() => {
                    set({ rules: draft.rules.filter((_, j) => j !== i) });
                    addButton.current?.focus();
                  }}
                />
              ))}
            </ol>
            <FieldNote text={note('filter.rules')} field="filter.rules" />
            {canEdit && (
              <button
                type="button"
                ref={addButton}
                class="link seg-add"
                disabled={draft.rules.length >= RULES_MAX}
                title={draft.rules.length >= RULES_MAX ? t('segments.rules_max', { max: RULES_MAX }) : undefined}
                onClick={() => set({ rules: [...draft.rules, newRuleDraft(draft.rules[draft.rules.length - 1]?.type ?? 'attribute')] })}
                data-testid="segment-rule-add"
              >
                + {t('segments.add_rule')}
              </button>
            )}
          </fieldset>
        </fieldset>
        <LiveCount live={live} draft={draft} segment={segment} dirty={dirty} />
      </div>
      {pageProblem && (pageText ? (
        <p class="form-error" role="alert" data-testid="segment-error" data-code={pageProblem.code}>
          {pageText}
        </p>
      ) : (
        <ProblemLine problem={pageProblem} testid="segment-error" />
      ))}
      {canEdit && (
        <div class="form-actions">
          {segment && (
            <button type="button" class="btn btn-ghost danger" disabled={busy} onClick={() => void remove()} data-testid="segment-delete">
              {t('segments.delete')}
            </button>
          )}
          <span class="spacer" />
          {saved && !dirty && (
            <span class="saved-note" data-testid="segment-saved">
              {t('admin.saved')}
            </span>
          )}
          {segment && (
            <button type="button" class="btn btn-secondary" onClick={onDone} data-testid="segment-cancel">
              {t('segments.cancel')}
            </button>
          )}
          <button type="submit" class="btn btn-primary" disabled={busy || (!!segment && !dirty)} data-testid="segment-save">
            {busy ? t('admin.saving') : segment ? t('segments.save') : t('segments.create')}
          </button>
        </div>
      )}
    </form>
  );
}

interface RowProps {
  rule: RuleDraft;
  index: number;
  note: (path: string) => string | null;
  canRemove: boolean;
  onChange: (rule: RuleDraft) => void;
  onRemove: () => void;
}

/** One rule: what it looks at, then the fields that needs; its refused fields told under it. */
function RuleRow({ rule: r, index: i, note, canRemove, onChange, onRemove }: RowProps) {
  const { t } = useSegments();
  const n = i + 1;
  const at = (field: string) => rulePath(i, field);
  const bad = (field: string) => (note(at(field)) ? true : undefined);
  const set = (patch: Partial<RuleDraft>) => onChange({ ...r, ...patch });
  const fields = ['type', 'name', 'op', 'value', 'at_least', 'within_days', 'tag', 'days'];
  const need = valueNeed(r.op);

  return (
    <li class={`seg-rule${fields.some((f) => note(at(f))) ? ' has-error' : ''}`} data-testid="segment-rule" data-index={i} data-type={r.type}>
      <div class="seg-rule-line">
        <select
          value={r.type}
          aria-label={t('segments.rule_type', { n })}
          aria-invalid={bad('type')}
          onChange={(e) => onChange(retypeRule(r, oneOf(e.currentTarget.value, RULE_TYPES) ?? r.type))}
          data-testid="segment-rule-type"
          data-field={at('type')}
        >
          {RULE_TYPES.map((type) => (
            <option key={type} value={type}>
              {t(TYPE_WORDS[type])}
            </option>
          ))}
        </select>
        {r.type === 'attribute' && (
          <>
            <input
              class="seg-name"
              value={r.name}
              maxLength={NAME_MAX}
              placeholder="plan"
              spellcheck={false}
              autoComplete="off"
              aria-label={t('segments.attr_name', { n })}
              aria-invalid={bad('name')}
              onInput={(e) => onChange(withName(r, e.currentTarget.value))}
              data-testid="segment-rule-name"
              data-field={at('name')}
            />
            <select
              value={r.op}
              aria-label={t('segments.attr_op', { n })}
              aria-invalid={bad('op')}
              onChange={(e) => set({ op: oneOf(e.currentTarget.value, opsFor(r.name)) ?? r.op })}
              data-testid="segment-rule-op"
              data-field={at('op')}
            >
              {opsFor(r.name).map((op) => (
                <option key={op} value={op}>
                  {t(OP_WORDS[op])}
                </option>
              ))}
            </select>
            {need === 'any' && (
              <select
                value={r.kind}
                aria-label={t('segments.value_kind', { n })}
                onChange={(e) => set({ kind: oneOf(e.currentTarget.value, VALUE_KINDS) ?? r.kind })}
                data-testid="segment-rule-kind"
              >
                {VALUE_KINDS.map((k) => (
                  <option key={k} value={k}>
                    {t(KIND_WORDS[k])}
                  </option>
                ))}
              </select>
            )}
            {need === 'any' && r.kind === 'boolean' && (
              <select
                value={r.flag ? 'yes' : 'no'}
                aria-label={t('segments.value', { n })}
                aria-invalid={bad('value')}
                onChange={(e) => set({ flag: e.currentTarget.value === 'yes' })}
                data-testid="segment-rule-flag"
                data-field={at('value')}
              >
                <option value="yes">{t('card.yes')}</option>
                <option value="no">{t('card.no')}</option>
              </select>
            )}
            {(need === 'text' || need === 'number' || (need === 'any' && r.kind !== 'boolean')) && (
              <input
                class="seg-value"
                value={r.value}
                inputMode={need === 'number' || r.kind === 'number' ? 'decimal' : undefined}
                placeholder={need === 'number' || (need === 'any' && r.kind === 'number') ? '3' : need === 'text' ? t('segments.contains_placeholder') : 'pro'}
                spellcheck={false}
                autoComplete="off"
                aria-label={t('segments.value', { n })}
                aria-invalid={bad('value')}
                onInput={(e) => set({ value: e.currentTarget.value })}
                data-testid="segment-rule-value"
                data-field={at('value')}
              />
            )}
            {need === 'days' && (
              <>
                <input
                  class="seg-days"
                  value={r.value}
                  inputMode="numeric"
                  placeholder="30"
                  aria-label={t('segments.days_label', { n })}
                  aria-invalid={bad('value')}
                  onInput={(e) => set({ value: e.currentTarget.value })}
                  data-testid="segment-rule-value"
                  data-field={at('value')}
                />
                <span class="seg-word">{r.op === 'older_than_days' ? t('segments.days_ago_unit') : t('segments.days_unit')}</span>
              </>
            )}
          </>
        )}
        {r.type === 'event' && (
          <>
            <select
              value={r.did ? 'did' : 'not'}
              aria-label={t('segments.event_did_label', { n })}
              onChange={(e) => set({ did: e.currentTarget.value === 'did' })}
              data-testid="segment-rule-did"
            >
              <option value="did">{t('segments.event_did')}</option>
              <option value="not">{t('segments.event_did_not')}</option>
            </select>
            <input
              class="seg-name"
              value={r.name}
              maxLength={NAME_MAX}
              placeholder="order_paid"
              spellcheck={false}
              autoComplete="off"
              aria-label={t('segments.event_name', { n })}
              aria-invalid={bad('name')}
              onInput={(e) => set({ name: e.currentTarget.value })}
              data-testid="segment-rule-name"
              data-field={at('name')}
            />
            <span class="seg-group">
              <span class="seg-word">{t('segments.at_least')}</span>
              <input
                class="seg-days"
                value={r.atLeast}
                inputMode="numeric"
                placeholder="1"
                aria-label={t('segments.at_least_label', { n })}
                aria-invalid={bad('at_least')}
                onInput={(e) => set({ atLeast: e.currentTarget.value })}
                data-testid="segment-rule-at-least"
                data-field={at('at_least')}
              />
              <span class="seg-word">{t('segments.times_unit')}</span>
            </span>
            <span class="seg-group">
              <span class="seg-word">{t('segments.within')}</span>
              <input
                class="seg-days seg-days-wide"
                value={r.withinDays}
                inputMode="numeric"
                placeholder={t('segments.any_time')}
                aria-label={t('segments.within_label', { n })}
                aria-invalid={bad('within_days')}
                onInput={(e) => set({ withinDays: e.currentTarget.value })}
                data-testid="segment-rule-within"
                data-field={at('within_days')}
              />
              <span class="seg-word">{t('segments.days_unit')}</span>
            </span>
          </>
        )}
        {r.type === 'tag' && (
          <>
            <select
              value={r.has ? 'has' : 'not'}
              aria-label={t('segments.tag_has_label', { n })}
              onChange={(e) => set({ has: e.currentTarget.value === 'has' })}
              data-testid="segment-rule-has"
            >
              <option value="has">{t('segments.tag_has')}</option>
              <option value="not">{t('segments.tag_has_not')}</option>
            </select>
            <input
              class="seg-name"
              value={r.tag}
              maxLength={TAG_MAX}
              placeholder="vip"
              spellcheck={false}
              autoComplete="off"
              aria-label={t('segments.tag_label', { n })}
              aria-invalid={bad('tag')}
              onInput={(e) => set({ tag: e.currentTarget.value })}
              data-testid="segment-rule-tag"
              data-field={at('tag')}
            />
          </>
        )}
        {r.type === 'last_seen' && (
          <>
            <select
              value={r.seen}
              aria-label={t('segments.seen_op', { n })}
              onChange={(e) => set({ seen: oneOf(e.currentTarget.value, SEEN_OPS) ?? r.seen })}
              data-testid="segment-rule-seen"
            >
              <option value="within_days">{t('segments.seen_within')}</option>
              <option value="older_than_days">{t('segments.seen_older')}</option>
            </select>
            <input
              class="seg-days"
              value={r.days}
              inputMode="numeric"
              placeholder="30"
              aria-label={t('segments.days_label', { n })}
              aria-invalid={bad('days')}
              onInput={(e) => set({ days: e.currentTarget.value })}
              data-testid="segment-rule-days"
              data-field={at('days')}
            />
            <span class="seg-word">{t('segments.days_unit')}</span>
          </>
        )}
      </div>
      {canRemove && (
        <button
          type="button"
          class="icon-btn seg-remove"
          aria-label={t('segments.remove_rule', { n })}
          title={t('segments.remove_rule', { n })}
          onClick={onRemove}
          data-testid="segment-rule-remove"
        >
          ×
        </button>
      )}
      {r.type === 'attribute' && isDateName(r.name) && <p class="seg-rule-hint">{t('segments.date_hint')}</p>}
      {fields.map((f) => (
        <FieldNote key={f} text={note(at(f))} field={at(f)} />
      ))}
    </li>
  );
}

/** How many visitors the draft holds now, and the newest of them; asked only of a complete draft. */
function LiveCount({ live, draft, segment, dirty }: { live: LivePreview; draft: SegmentDraft; segment: SegmentView | null; dirty: boolean }) {
  const { segments, t, lang } = useSegments();
  useObservable(live);
  const filter = previewFilter(draft);
  const key = filter ? JSON.stringify(filter) : '';

  useEffect(() => live.set(filter), [key]);
  // The saved segment's own count: the list shows it too.
  useEffect(() => {
    if (segment && !dirty && live.phase === 'done' && live.preview) segments.counted(segment.id, live.preview.count);
  }, [live.phase, live.preview, dirty, segment?.id]);

  const shown = live.preview && live.phase !== 'incomplete' ? live.preview : null;
  const stale = live.phase === 'waiting' || live.phase === 'loading';

  return (
    <>
      {/* Stays in sight at the foot of the screen while the rules above it run longer. */}
      <div class={`seg-live-bar${stale ? ' stale' : ''}`} data-testid="segment-live" data-phase={live.phase}>
        <h3 id="seg-live-title">{t('segments.live_title')}</h3>
        <p class="seg-live-count" role="status" aria-live="polite" data-testid="segment-live-count" data-count={shown?.count ?? ''}>
          {live.phase === 'incomplete'
            ? t('segments.live_incomplete')
            : shown
              ? visitorsText(t, lang, shown.count)
              : live.phase === 'failed'
                ? '—'
                : t('segments.live_counting')}
        </p>
        {stale && shown && <span class="seg-live-note">{t('segments.live_counting')}</span>}
        {live.phase === 'done' && shown?.count === 0 && <span class="seg-live-note">{t('segments.live_none')}</span>}
        {live.phase === 'done' && (
          <button type="button" class="link seg-live-refresh" onClick={() => live.refresh()} data-testid="segment-live-refresh">
            {t('segments.live_refresh')}
          </button>
        )}
      </div>
      {live.phase === 'failed' && live.problem && (
        <p class="form-error seg-live-error" role="alert" data-testid="segment-live-error">
          {segmentProblemText(t, live.problem) ?? problemText(t, lang, live.problem)}{' '}
          <button type="button" class="link" onClick={() => live.refresh()}>
            {t('app.retry')}
          </button>
        </p>
      )}
      {shown && shown.visitors.length > 0 && live.phase !== 'incomplete' && (
        <div class="seg-live-details">
          <h4 class="seg-live-sub">{t('segments.live_newest')}</h4>
          <ul class="seg-visitors" data-testid="segment-live-visitors">
            {shown.visitors.map((v) => (
              <li key={v.id} class="seg-visitor" data-testid="segment-live-visitor" data-visitor-id={v.id}>
                <span class="seg-visitor-name">{previewVisitorName(t, v)}</span>
                {v.user_id && <span class="seg-visitor-id">{t('segments.user_id', { id: v.user_id })}</span>}
              </li>
            ))}
          </ul>
        </div>
      )}
    </>
  );
}
