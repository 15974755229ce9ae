/**
 * Proactive messages: the list (each switched on or off in place) and the form to add one or
 * change the chosen one — name, message, time on site, conditions (a segment among them), how
 * often — or delete it.
 */
import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import type { TriggerView } from '../../shared/api-types';
import type { Problem } from '../console-state';
import { problemText } from '../context';
import { ConditionsEditor, type ConditionError } from './ConditionsEditor';
import { FieldNote } from './FieldNote';
import { fieldMessages } from './issue-text';
import { ProblemLine } from './ProblemLine';
import { ruleFieldLabel } from './RulesAdmin';
import { TRIGGER_CONDITIONS } from './rules';
import {
  parseTriggerField,
  TRIGGER_MESSAGE_MAX,
  TRIGGER_NAME_MAX,
  triggerDraft,
  triggerRequest,
  type TriggerDraft,
  type TriggerResult,
} from './triggers';
import { formName, useUnsaved } from './unsaved';
import { useAdmin } from './use-admin';

export function TriggersAdmin() {
  const { state, admin, t, lang } = useAdmin();
  const [editingId, setEditingId] = useState<string | null>(null);
  const [savedId, setSavedId] = useState<string | null>(null);
  const [toggleProblem, setToggleProblem] = useState<{ id: string; problem: Problem } | null>(null);
  /** Triggers being switched, with the state asked for (shown until the server answers). */
  const [toggling, setToggling] = useState<{ id: string; enabled: boolean } | null>(null);

  useEffect(() => {
    void admin.loadTriggers();
    // For a segment condition's choices.
    void state.loadSegments();
  }, []);

  const editing = admin.triggers.find((x) => x.id === editingId) ?? null;

  const toggle = async (tr: TriggerView, enabled: boolean) => {
    setToggling({ id: tr.id, enabled });
    setToggleProblem(null);
    const refused = await admin.patchTrigger(tr.id, { enabled });
    setToggling(null);
    if (refused) setToggleProblem({ id: tr.id, problem: refused });
  };

  return (
    <section class="admin-section">
      <header class="admin-head">
        <h1>{t('triggers.title')}</h1>
        <p>{t('triggers.hint')}</p>
      </header>
      {admin.triggersProblem && (
        <p class="form-error" role="alert" data-testid="triggers-load-error" data-code={admin.triggersProblem.code}>
          {problemText(t, lang, admin.triggersProblem)}{' '}
          <button type="button" class="link" onClick={() => void admin.loadTriggers()}>
            {t('app.retry')}
          </button>
        </p>
      )}
      <div class="admin-columns replies-columns">
        <div class="admin-card admin-list" data-testid="triggers-list">
          {admin.triggersLoading && admin.triggers.length === 0 && <p class="list-note">{t('admin.loading')}</p>}
          {!admin.triggersLoading && !admin.triggersProblem && admin.triggers.length === 0 && (
            <p class="list-note" data-testid="triggers-empty">
              {t('triggers.empty')}
            </p>
          )}
          <ul>
            {admin.triggers.map((tr) => (
              <li key={tr.id} class={`trigger-item${tr.enabled ? '' : ' off'}`} data-testid="trigger-item" data-trigger-id={tr.id} data-enabled={tr.enabled}>
                <input
                  type="checkbox"
                  class="trigger-switch"
                  checked={toggling?.id === tr.id ? toggling.enabled : tr.enabled}
                  disabled={toggling?.id === tr.id}
                  aria-label={t('triggers.toggle', { name: tr.name })}
                  title={t('triggers.toggle', { name: tr.name })}
                  onChange={(e) => void toggle(tr, e.currentTarget.checked)}
                  data-testid="trigger-toggle"
                />
                <button
                  type="button"
                  class={`admin-item${editingId === tr.id ? ' selected' : ''}`}
                  onClick={() => {
                    const go = () => {
                      setEditingId(tr.id);
                      setSavedId(null);
                    };
                    if (editingId === tr.id || state.team.unsaved.mayLeave(go)) go();
                  }}
                  data-testid="trigger-open"
                >
                  <span class="admin-item-name">
                    {tr.name}
                    {!tr.enabled && <span class="tag">{t('triggers.off')}</span>}
                  </span>
                  <span class="admin-item-note reply-preview">{tr.message}</span>
                  <span class="admin-item-note muted">
                    {t('triggers.summary', { seconds: tr.time_on_site_seconds, hours: tr.period_hours, n: tr.conditions.length })}
                  </span>
                </button>
                {toggleProblem?.id === tr.id && <ProblemLine problem={toggleProblem.problem} testid="trigger-toggle-error" />}
              </li>
            ))}
          </ul>
        </div>
        <TriggerForm
          key={editing?.id ?? 'new'}
          trigger={editing}
          justSaved={!!editing && editing.id === savedId}
          onCreated={(id) => {
            setEditingId(id);
            setSavedId(id);
          }}
          onDone={() => {
            setEditingId(null);
            setSavedId(null);
          }}
        />
      </div>
    </section>
  );
}

interface FormProps {
  trigger: TriggerView | null;
  justSaved: boolean;
  onCreated: (id: string) => void;
  onDone: () => void;
}

/** The trigger fields the form shows a message beside. */
const SHOWN = new Set(['name', 'message', 'enabled', 'time_on_site_seconds', 'period_hours']);

const sameRequest = (a: TriggerResult, b: TriggerResult) => a.ok && b.ok && JSON.stringify(a.body) === JSON.stringify(b.body);

export function TriggerForm({ trigger, justSaved, onCreated, onDone }: FormProps) {
  const { admin, t } = useAdmin();
  const form = useMemo(() => formName('trigger'), []);
  const [draft, setDraft] = useState<TriggerDraft>(() => triggerDraft(trigger));
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<Problem | null>(null);
  const [tried, setTried] = useState(false);
  const [saved, setSaved] = useState(justSaved);
  const base = useRef(trigger);

  // Switched on or off from the list (or saved): follow it unless the form was edited.
  useEffect(() => {
    const untouched = JSON.stringify(triggerRequest(triggerDraft(base.current))) === JSON.stringify(triggerRequest(draft));
    base.current = trigger;
    if (untouched) setDraft(triggerDraft(trigger));
  }, [trigger]);

  const result = triggerRequest(draft);
  const messages = fieldMessages(t, tried && !result.ok ? result.issues : [], problem);
  // A segment deleted meanwhile: `404 not_found` at `conditions[j].segment_id`, told at that condition.
  const goneField = problem?.code === 'not_found' && typeof problem.details.field === 'string' ? problem.details.field : null;
  const goneRef = goneField ? parseTriggerField(goneField) : null;
  if (goneField && goneRef && goneRef.condition !== null) messages.set(goneField, t('segments.condition_gone'));
  const note = (field: string) => messages.get(field) ?? null;
  const dirty = !trigger || !sameRequest(result, triggerRequest(triggerDraft(trigger)));
  // A new trigger counts as unsaved once something is typed into it.
  useUnsaved(form, trigger ? dirty : !sameRequest(result, triggerRequest(triggerDraft(null))) && (draft.name.trim() !== '' || draft.message.trim() !== ''));

  // A condition the server named (`conditions[0].pattern`), marked and worded under the list.
  const conditionProblems = [...messages]
    .map(([field, text]) => ({ ref: parseTriggerField(field), text }))
    .filter((x) => x.ref && (x.ref.condition !== null || x.ref.field === 'conditions'));
  const first = conditionProblems[0]?.ref ?? null;
  const conditionError: ConditionError | null = first ? { index: first.condition, field: first.condition === null ? null : first.field } : null;
  const conditionText = conditionProblems
    .map(({ ref, text }) =>
      ref!.condition === null
        ? text
        : t('triggers.error_condition', {
            condition: ref!.condition + 1,
            field: ruleFieldLabel(t, { rule: 0, condition: ref!.condition, field: ref!.field }, [{ key: '', name: '', channel_id: '', conditions: draft.conditions }]),
            message: text,
          }),
    )
    .join(' ');
  // A field the form has no place for: named under the form.
  const elsewhere = [...messages].filter(([field]) => {
    const ref = parseTriggerField(field);
    return !ref || (ref.condition === null && ref.field !== 'conditions' && !SHOWN.has(ref.field ?? ''));
  });

  const set = (patch: Partial<TriggerDraft>) => {
    setDraft((d) => ({ ...d, ...patch }));
    setSaved(false);
  };

  const submit = async (e: Event) => {
    e.preventDefault();
    if (busy) return;
    setTried(true);
    if (!result.ok) return;
    setBusy(true);
    setProblem(null);
    if (trigger) {
      const refused = await admin.patchTrigger(trigger.id, result.body);
      setBusy(false);
      setProblem(refused);
      if (!refused) {
        setTried(false);
        setSaved(true);
      }
      return;
    }
    const answer = await admin.createTrigger(result.body);
    setBusy(false);
    if ('code' in answer) setProblem(answer);
    else onCreated(answer.id);
  };

  const remove = async () => {
    if (!trigger || !confirm(t('triggers.delete_confirm', { name: trigger.name }))) return;
    setBusy(true);
    const refused = await admin.deleteTrigger(trigger.id);
    setBusy(false);
    setProblem(refused);
    if (!refused) onDone();
  };

  const serverField = (problem?.code === 'validation_failed' && typeof problem.details.field === 'string') || messages.has(goneField ?? '');

  return (
    <form class="admin-card admin-form" onSubmit={submit} data-testid="trigger-form" data-trigger-id={trigger?.id ?? ''}>
      <h2>{trigger ? t('triggers.edit') : t('triggers.new')}</h2>
      <label class="field">
        <span>{t('triggers.name')}</span>
        <input value={draft.name} maxLength={TRIGGER_NAME_MAX} aria-invalid={!!note('name')} onInput={(e) => set({ name: e.currentTarget.value })} data-testid="trigger-name" />
        <FieldNote text={note('name')} field="name" />
      </label>
      <label class="field">
        <span>{t('triggers.message')}</span>
        <textarea
          rows={3}
          value={draft.message}
          maxLength={TRIGGER_MESSAGE_MAX}
          aria-invalid={!!note('message')}
          onInput={(e) => set({ message: e.currentTarget.value })}
          data-testid="trigger-message"
        />
        <FieldNote text={note('message')} field="message" />
      </label>
      <label class="choice">
        <input type="checkbox" checked={draft.enabled} onChange={(e) => set({ enabled: e.currentTarget.checked })} data-testid="trigger-enabled" />
        <span>{t('triggers.enabled')}</span>
      </label>
      <FieldNote text={note('enabled')} field="enabled" />
      <div class="trigger-numbers">
        <label class="field field-narrow">
          <span>{t('triggers.time_on_site')}</span>
          <input
            inputMode="numeric"
            value={draft.time_on_site}
            aria-invalid={!!note('time_on_site_seconds')}
            onInput={(e) => set({ time_on_site: e.currentTarget.value })}
            data-testid="trigger-time-on-site"
          />
          <small>{t('triggers.time_on_site_hint')}</small>
          <FieldNote text={note('time_on_site_seconds')} field="time_on_site_seconds" />
        </label>
        <label class="field field-narrow">
          <span>{t('triggers.period')}</span>
          <input
            inputMode="numeric"
            value={draft.period}
            aria-invalid={!!note('period_hours')}
            onInput={(e) => set({ period: e.currentTarget.value })}
            data-testid="trigger-period"
          />
          <small>{t('triggers.period_hint')}</small>
          <FieldNote text={note('period_hours')} field="period_hours" />
        </label>
      </div>
      <ConditionsEditor
        conditions={draft.conditions}
        onChange={(conditions) => set({ conditions })}
        error={conditionError}
        legend={t('triggers.conditions')}
        empty={t('triggers.no_conditions')}
        types={TRIGGER_CONDITIONS}
      />
      <FieldNote text={conditionText} field="conditions" />
      {elsewhere.map(([field, text]) => (
        <p key={field} class="form-error" role="alert" data-testid="trigger-error-field">
          {t('automation.field_unknown', { field, message: text })}
        </p>
      ))}
      {problem && !serverField && <ProblemLine problem={problem} testid="trigger-error" />}
      <div class="form-actions">
        {trigger && (
          <button type="button" class="btn btn-ghost danger" disabled={busy} onClick={() => void remove()} data-testid="trigger-delete">
            {t('triggers.delete')}
          </button>
        )}
        <span class="spacer" />
        {saved && !dirty && (
          <span class="saved-note" data-testid="trigger-saved">
            {t('admin.saved')}
          </span>
        )}
        {trigger && (
          <button type="button" class="btn btn-secondary" onClick={onDone} data-testid="trigger-cancel">
            {t('triggers.cancel')}
          </button>
        )}
        <button type="submit" class="btn btn-primary" disabled={busy || (!!trigger && !dirty)} data-testid="trigger-save">
          {busy ? t('admin.saving') : trigger ? t('triggers.save') : t('triggers.add')}
        </button>
      </div>
    </form>
  );
}
