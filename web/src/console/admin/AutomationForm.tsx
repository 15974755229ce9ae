/**
 * A channel's automation document as one form: business hours, SLA targets, auto-close,
 * offline mode and the persona. Saved whole (PUT). A refused field — by the console's own
 * check or the server's `validation_failed` (`details.field`, e.g. `business_hours.week[2].close`)
 * — gets its message beside it; a field the form does not show is named under the form.
 */
import { useMemo, useState } from 'preact/hooks';
import { formName, useUnsaved } from './unsaved';
import type { AutomationView } from '../../shared/api-types';
import type { Problem } from '../console-state';
import {
  automationAnchors,
  automationDraft,
  automationRequest,
  FIELD,
  newHoliday,
  TIME_ZONES,
  type AutomationDraft,
  type DurationDraft,
  type DurationUnit,
  type SlaTargetField,
} from './automation';
import { placeField } from './field-issues';
import { FieldNote } from './FieldNote';
import { fieldMessages } from './issue-text';
import { PhraseChips } from './PhraseChips';
import { ProblemLine } from './ProblemLine';
import { useAdmin } from './use-admin';
import { WeekEditor } from './WeekEditor';

const SLA_TARGETS: readonly SlaTargetField[] = ['first_reply', 'next_reply', 'resolution'];

export function AutomationForm({ channelId, doc }: { channelId: string; doc: AutomationView }) {
  const { admin, t } = useAdmin();
  const [draft, setDraft] = useState<AutomationDraft>(() => automationDraft(doc));
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<Problem | null>(null);
  const [tried, setTried] = useState(false);
  const [saved, setSaved] = useState(false);
  /** The admin changed something since the document was loaded, saved or reverted. */
  const [edited, setEdited] = useState(false);
  const form = useMemo(() => formName('automation'), []);

  const result = automationRequest(draft);
  const baseline = useMemo(() => automationRequest(automationDraft(doc)), [doc]);
  const dirty = !result.ok || !baseline.ok || JSON.stringify(result.body) !== JSON.stringify(baseline.body);
  useUnsaved(form, edited && dirty);

  // Messages by field, each placed at the field or the nearest part of the form around it.
  const messages = fieldMessages(t, tried && !result.ok ? result.issues : [], problem);
  const anchors = automationAnchors(draft);
  const placed = new Map<string, string>();
  const unplaced: [string, string][] = [];
  for (const [field, text] of messages) {
    const at = placeField(field, anchors);
    if (at) placed.set(at, placed.has(at) ? `${placed.get(at)} ${text}` : text);
    else unplaced.push([field, text]);
  }
  const note = (path: string) => placed.get(path) ?? null;
  const serverField = problem?.code === 'validation_failed' && typeof problem.details.field === 'string';

  const set = (patch: Partial<AutomationDraft>) => {
    setDraft((d) => ({ ...d, ...patch }));
    setEdited(true);
    setSaved(false);
  };

  const save = async (e: Event) => {
    e.preventDefault();
    if (busy) return;
    setTried(true);
    if (!result.ok) return;
    setBusy(true);
    setProblem(null);
    const refused = await admin.saveAutomation(channelId, result.body);
    setBusy(false);
    setProblem(refused);
    if (!refused) {
      setDraft(automationDraft(admin.automation.get(channelId) ?? result.body));
      setEdited(false);
      setTried(false);
      setSaved(true);
    }
  };

  const revert = () => {
    setDraft(automationDraft(doc));
    setEdited(false);
    setProblem(null);
    setTried(false);
  };

  const check = (label: string, checked: boolean, onPick: (on: boolean) => void, testid: string, path: string) => (
    <>
      <label class="choice">
        <input type="checkbox" checked={checked} onChange={(e) => onPick(e.currentTarget.checked)} data-testid={testid} />
        <span>{label}</span>
      </label>
      <FieldNote text={note(path)} field={path} />
    </>
  );

  const numberField = (label: string, value: string, onInput: (v: string) => void, path: string, testid: string, hint?: string) => (
    <label class="field field-narrow">
      <span>{label}</span>
      <input inputMode="numeric" value={value} aria-invalid={!!note(path)} onInput={(e) => onInput(e.currentTarget.value)} data-testid={testid} />
      {hint && <small>{hint}</small>}
      <FieldNote text={note(path)} field={path} />
    </label>
  );

  const duration = (f: SlaTargetField) => {
    const d: DurationDraft = draft[f];
    const path = FIELD.sla_target(f);
    const label = f === 'first_reply' ? t('automation.first_reply') : f === 'next_reply' ? t('automation.next_reply') : t('automation.resolution');
    const setD = (patch: Partial<DurationDraft>) => set({ [f]: { ...d, ...patch } } as Partial<AutomationDraft>);
    return (
      <div class="duration" key={f}>
        <label class="duration-label" for={`sla-${f}-${channelId}`}>
          {label}
        </label>
        <div class="duration-inputs">
          <input
            id={`sla-${f}-${channelId}`}
            inputMode="numeric"
            value={d.value}
            aria-invalid={!!note(path)}
            onInput={(e) => setD({ value: e.currentTarget.value })}
            data-testid={`sla-${f}-value`}
          />
          <select
            value={d.unit}
            aria-label={t('automation.unit')}
            onChange={(e) => setD({ unit: e.currentTarget.value as DurationUnit })}
            data-testid={`sla-${f}-unit`}
          >
            <option value="seconds">{t('automation.unit_seconds')}</option>
            <option value="minutes">{t('automation.unit_minutes')}</option>
          </select>
        </div>
        <FieldNote text={note(path)} field={path} />
      </div>
    );
  };

  return (
    <form class="automation-form" onSubmit={save} data-testid="automation-form" data-channel-id={channelId}>
      <div class="automation-columns">
        <section class={`admin-card automation-part${draft.hours_enabled ? '' : ' off'}`} data-testid="automation-hours">
          <h2>{t('automation.hours')}</h2>
          {check(t('automation.hours_enabled'), draft.hours_enabled, (hours_enabled) => set({ hours_enabled }), 'hours-enabled', FIELD.hours_enabled)}
          <FieldNote text={note(FIELD.hours)} field={FIELD.hours} />
          <label class="field">
            <span>{t('automation.time_zone')}</span>
            <input
              value={draft.time_zone}
              list={`time-zones-${channelId}`}
              spellcheck={false}
              aria-invalid={!!note(FIELD.time_zone)}
              onInput={(e) => set({ time_zone: e.currentTarget.value })}
              data-testid="time-zone"
            />
            <datalist id={`time-zones-${channelId}`}>
              {TIME_ZONES.map((z) => (
                <option key={z} value={z} />
              ))}
            </datalist>
            <small>{t('automation.time_zone_hint')}</small>
            <FieldNote text={note(FIELD.time_zone)} field={FIELD.time_zone} />
          </label>
          <div class="field">
            <span>{t('automation.week')}</span>
            <WeekEditor week={draft.week} onChange={(week) => set({ week })} note={note} />
            <small>{t('automation.interval_hint')}</small>
            <FieldNote text={note(FIELD.week)} field={FIELD.week} />
          </div>
          <div class="field">
            <span>{t('automation.holidays')}</span>
            {draft.holidays.length === 0 && <span class="muted">{t('automation.no_holidays')}</span>}
            <ul class="holidays">
              {draft.holidays.map((h, i) => (
                <li key={h.key} data-testid="holiday" data-index={i}>
                  <div class="holiday">
                    <input
                      type="date"
                      value={h.date}
                      aria-label={t('automation.holidays')}
                      aria-invalid={!!note(FIELD.holiday(i))}
                      onInput={(e) => set({ holidays: draft.holidays.map((x, j) => (j === i ? { ...x, date: e.currentTarget.value } : x)) })}
                      data-testid="holiday-date"
                    />
                    <button
                      type="button"
                      class="icon-btn"
                      aria-label={t('automation.remove_holiday')}
                      title={t('automation.remove_holiday')}
                      onClick={() => set({ holidays: draft.holidays.filter((_, j) => j !== i) })}
                      data-testid="holiday-remove"
                    >
                      ×
                    </button>
                  </div>
                  <FieldNote text={note(FIELD.holiday(i))} field={FIELD.holiday(i)} />
                </li>
              ))}
            </ul>
            <button type="button" class="link week-add" onClick={() => set({ holidays: [...draft.holidays, newHoliday()] })} data-testid="holiday-add">
              {t('automation.add_holiday')}
            </button>
            <FieldNote text={note(FIELD.holidays)} field={FIELD.holidays} />
          </div>
        </section>

        <div class="automation-side">
          <section class={`admin-card automation-part${draft.sla_enabled ? '' : ' off'}`} data-testid="automation-sla">
            <h2>{t('automation.sla')}</h2>
            {check(t('automation.sla_enabled'), draft.sla_enabled, (sla_enabled) => set({ sla_enabled }), 'sla-enabled', FIELD.sla)}
            <div class="durations">{SLA_TARGETS.map(duration)}</div>
            <small class="muted">{t('automation.sla_hint')}</small>
            {check(
              t('automation.sla_business_hours'),
              draft.sla_business_hours,
              (sla_business_hours) => set({ sla_business_hours }),
              'sla-business-hours',
              FIELD.sla_business_hours,
            )}
            <small class="muted">{t('automation.sla_business_hours_hint')}</small>
          </section>

          <section class={`admin-card automation-part${draft.close_enabled ? '' : ' off'}`} data-testid="automation-auto-close">
            <h2>{t('automation.auto_close')}</h2>
            {check(t('automation.close_enabled'), draft.close_enabled, (close_enabled) => set({ close_enabled }), 'close-enabled', FIELD.auto_close)}
            {numberField(t('automation.silence_minutes'), draft.silence_minutes, (silence_minutes) => set({ silence_minutes }), FIELD.silence_minutes, 'close-silence')}
            <div class="field">
              <span>{t('automation.hold_phrases')}</span>
              <PhraseChips phrases={draft.hold_phrases} onChange={(hold_phrases) => set({ hold_phrases })} note={note} />
              <small>{t('automation.hold_phrases_hint')}</small>
            </div>
            {numberField(t('automation.hold_minutes'), draft.hold_minutes, (hold_minutes) => set({ hold_minutes }), FIELD.hold_minutes, 'close-hold')}
            {check(t('automation.prompt_enabled'), draft.prompt_enabled, (prompt_enabled) => set({ prompt_enabled }), 'prompt-enabled', FIELD.prompt)}
            <label class="field">
              <span>{t('automation.prompt_text')}</span>
              <textarea
                rows={2}
                value={draft.prompt_text}
                aria-invalid={!!note(FIELD.prompt_text)}
                onInput={(e) => set({ prompt_text: e.currentTarget.value })}
                data-testid="prompt-text"
              />
              <FieldNote text={note(FIELD.prompt_text)} field={FIELD.prompt_text} />
            </label>
            {numberField(
              t('automation.close_after_minutes'),
              draft.close_after_minutes,
              (close_after_minutes) => set({ close_after_minutes }),
              FIELD.close_after_minutes,
              'prompt-close-after',
            )}
          </section>

          <section class={`admin-card automation-part${draft.offline_enabled ? '' : ' off'}`} data-testid="automation-offline">
            <h2>{t('automation.offline')}</h2>
            {check(t('automation.offline_enabled'), draft.offline_enabled, (offline_enabled) => set({ offline_enabled }), 'offline-enabled', FIELD.offline)}
            <label class="field">
              <span>{t('automation.offline_message')}</span>
              <textarea
                rows={3}
                value={draft.offline_message}
                aria-invalid={!!note(FIELD.offline_message)}
                onInput={(e) => set({ offline_message: e.currentTarget.value })}
                data-testid="offline-message"
              />
              <FieldNote text={note(FIELD.offline_message)} field={FIELD.offline_message} />
            </label>
          </section>

          <section class="admin-card automation-part" data-testid="automation-persona">
            <h2>{t('automation.persona')}</h2>
            <label class="field">
              <input
                value={draft.persona_name}
                maxLength={100}
                aria-label={t('automation.persona')}
                aria-invalid={!!note(FIELD.persona_name)}
                onInput={(e) => set({ persona_name: e.currentTarget.value })}
                data-testid="persona-name"
              />
              <small>{t('automation.persona_hint')}</small>
              <FieldNote text={note(FIELD.persona_name)} field={FIELD.persona_name} />
              <FieldNote text={note(FIELD.persona)} field={FIELD.persona} />
            </label>
          </section>
        </div>
      </div>

      <div class="form-actions automation-actions">
        {(messages.size > 0 || serverField) && (
          <p class="form-error" role="alert" data-testid="automation-error">
            {t('automation.not_saved')}
            {unplaced.map(([field, text]) => (
              <span key={field} class="form-error-detail" data-testid="automation-error-field">
                {' '}
                {t('automation.field_unknown', { field, message: text })}
              </span>
            ))}
          </p>
        )}
        {problem && !serverField && <ProblemLine problem={problem} testid="automation-error" />}
        <span class="spacer" />
        {dirty && <span class="muted">{t('automation.unsaved')}</span>}
        {saved && !dirty && (
          <span class="saved-note" data-testid="automation-saved">
            {t('admin.saved')}
          </span>
        )}
        {dirty && (
          <button type="button" class="btn btn-ghost" onClick={revert} data-testid="automation-revert">
            {t('automation.revert')}
          </button>
        )}
        <button type="submit" class="btn btn-primary" disabled={busy || !dirty} data-testid="automation-save">
          {busy ? t('admin.saving') : t('automation.save')}
        </button>
      </div>
    </form>
  );
}
