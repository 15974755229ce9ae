/**
 * «Поля» / "Custom fields" (issue 16), a tab beside the tags and categories (admins): what
 * operators fill in on a dialog («Модель» of a repaired device) or on a visitor («Город»). The
 * list shows dialog fields and visitor fields apart, each with its label, key, what it takes and
 * when it must be filled; archived ones below them. The editor has the label, the key (suggested
 * from the label while the field is new, fixed once made, like what it belongs to and its kind),
 * a choice's options one per row, a text's upper case and pattern, and for a dialog field before
 * which dialogs it must be filled: never, always, or those of some channels or categories. A
 * refused field is told at its input; a field is archived (its values stay) and restored here.
 */
import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { oneOf, type CustomFieldView, type FieldTarget } from '../../shared/api-types';
import { useObservable } from '../../shared/store';
import type { Problem } from '../console-state';
import { problemText } from '../context';
import type { ConsoleKey } from '../i18n';
import { FieldNote } from './FieldNote';
import {
  FIELD_KINDS,
  FIELD_TARGETS,
  fieldDraft,
  fieldMessages,
  fieldRequest,
  kindSummary,
  kindWords,
  LIMITS,
  optionDraft,
  optionPath,
  refusedAt,
  REQUIRE_MODES,
  requiredSummary,
  sameDraft,
  takenKeys,
  tooManyFields,
  withKey,
  withKind,
  withLabel,
  withTarget,
  type FieldDraft,
  type RequireMode,
} from './fields';
import { LabelsTabs } from './LabelsTabs';
import { ProblemLine } from './ProblemLine';
import { formName, useUnsaved } from './unsaved';
import { useAdmin } from './use-admin';
import './fields.css';

const GROUP_WORDS: Record<FieldTarget, ConsoleKey> = { dialog: 'fields.group_dialog', visitor: 'fields.group_visitor' };
const TARGET_WORDS: Record<FieldTarget, ConsoleKey> = { dialog: 'fields.target_dialog', visitor: 'fields.target_visitor' };
const REQUIRE_WORDS: Record<RequireMode, ConsoleKey> = { never: 'fields.require_never', always: 'fields.require_always', some: 'fields.require_some' };

function useFields() {
  const env = useAdmin('tools', 'team');
  useObservable(env.admin.fields);
  return { ...env, fields: env.admin.fields };
}

/** A channel's and a category's name by id, for the requirement's words. */
function useNames() {
  const { state } = useFields();
  return {
    channel: (id: string) => state.team.channels.find((c) => c.id === id)?.name ?? null,
    category: (id: string) => state.tools.categories.find((c) => c.id === id)?.name ?? null,
  };
}

export function FieldsAdmin() {
  const { state, t, lang } = useFields();
  const list = state.tools.fields;
  const [selectedId, setSelectedId] = useState<string | null>(null);
  const [newTarget, setNewTarget] = useState<FieldTarget>('dialog');
  const [savedId, setSavedId] = useState<string | null>(null);
  const [loading, setLoading] = useState(true);
  const [loadProblem, setLoadProblem] = useState<Problem | null>(null);

  const load = async () => {
    setLoading(true);
    const [refused] = await Promise.all([state.loadFields(), state.loadLabels('categories', true), state.loadChannels()]);
    setLoadProblem(refused);
    setLoading(false);
  };

  useEffect(() => {
    void load();
  }, []);

  const selected = list.find((f) => f.id === selectedId) ?? null;
  const pick = (id: string | null, target: FieldTarget = newTarget) => {
    const go = () => {
      setSelectedId(id);
      setNewTarget(target);
      setSavedId(null);
    };
    if ((id === selectedId && (id !== null || target === newTarget)) || state.team.unsaved.mayLeave(go)) go();
  };
  const archived = list.filter((f) => f.archived);

  return (
    <section class="admin-section fields-page">
      <LabelsTabs current="fields" />
      <header class="admin-head">
        <h1 data-testid="fields-title">{t('fields.title')}</h1>
        <p>{t('fields.hint')}</p>
      </header>
      {loadProblem && (
        <p class="form-error" role="alert" data-testid="fields-load-error">
          {problemText(t, lang, loadProblem)}{' '}
          <button type="button" class="link" onClick={() => void load()}>
            {t('app.retry')}
          </button>
        </p>
      )}
      <div class="admin-columns fields-columns">
        <div class="admin-card admin-list fld-list" role="region" aria-labelledby="fld-list-title" data-testid="fields-list">
          <h2 id="fld-list-title" class="fld-list-title">
            {t('fields.list_title')}
          </h2>
          {loading && list.length === 0 && <p class="list-note">{t('admin.loading')}</p>}
          {FIELD_TARGETS.map((target) => {
            const live = list.filter((f) => f.target === target && !f.archived).sort((a, b) => a.position - b.position || a.label.localeCompare(b.label));
            return (
              <section key={target} class="fld-group" aria-labelledby={`fld-group-${target}`} data-testid={`fields-group-${target}`}>
                <div class="fld-group-head">
                  <h3 id={`fld-group-${target}`}>{t(GROUP_WORDS[target])}</h3>
                  <button type="button" class="btn btn-secondary btn-small" onClick={() => pick(null, target)} data-testid={`field-new-${target}`}>
                    + {t('fields.add')}
                  </button>
                </div>
                {!loading && live.length === 0 && <p class="list-note">{target === 'dialog' ? t('fields.empty_dialog') : t('fields.empty_visitor')}</p>}
                {live.length > 0 && (
                  <ul>
                    {live.map((f) => (
                      <FieldItem key={f.id} field={f} selected={selectedId === f.id} onOpen={() => pick(f.id, f.target)} />
                    ))}
                  </ul>
                )}
              </section>
            );
          })}
          {archived.length > 0 && (
            <section class="fld-group fld-archived" aria-labelledby="fld-group-archived" data-testid="fields-group-archived">
              <h3 id="fld-group-archived">{t('fields.group_archived')}</h3>
              <ul>
                {archived.map((f) => (
                  <FieldItem key={f.id} field={f} selected={selectedId === f.id} onOpen={() => pick(f.id, f.target)} />
                ))}
              </ul>
            </section>
          )}
        </div>
        <FieldForm
          key={selected?.id ?? `new-${newTarget}`}
          field={selected}
          target={selected?.target ?? newTarget}
          justSaved={!!selected && selected.id === savedId}
          onCreated={(id) => {
            setSelectedId(id);
            setSavedId(id);
          }}
          onDone={() => {
            setSelectedId(null);
            setSavedId(null);
          }}
        />
      </div>
    </section>
  );
}

/** Where a hint's example goes (`{example}`): drawn as code that never breaks across lines. */
const HOLE = '\u0000';

function WithExample({ text, example }: { text: string; example: string }) {
  const [before, after = ''] = text.split(HOLE);
  return (
    <>
      {before}
      <code class="fld-example">{example}</code>
      {after}
    </>
  );
}

/** A field in the list: label, key, what it takes, when it must be filled. */
function FieldItem({ field: f, selected, onOpen }: { field: CustomFieldView; selected: boolean; onOpen: () => void }) {
  const { t } = useFields();
  const names = useNames();
  const required = f.target === 'dialog' ? requiredSummary(t, f.required, names) : '';
  return (
    <li>
      <button
        type="button"
        class={`admin-item fld-item${selected ? ' selected' : ''}${f.archived ? ' archived' : ''}`}
        aria-current={selected ? 'true' : undefined}
        onClick={onOpen}
        data-testid="field-item"
        data-field-id={f.id}
        data-key={f.key}
      >
        <span class="fld-item-top">
          <span class="admin-item-name fld-item-name">{f.label}</span>
          <code class="fld-key">{f.key}</code>
        </span>
        <span class="fld-item-kind" data-testid="field-kind">
          {f.archived ? `${t(TARGET_WORDS[f.target])} · ${kindSummary(t, f)}` : kindSummary(t, f)}
        </span>
        {required && (
          <span class="fld-item-required" data-testid="field-required">
            {required}
          </span>
        )}
      </button>
    </li>
  );
}

interface FormProps {
  field: CustomFieldView | null;
  target: FieldTarget;
  justSaved: boolean;
  onCreated: (id: string) => void;
  onDone: () => void;
}

/** The editor of one field (or of a new one). */
function FieldForm({ field, target, justSaved, onCreated, onDone }: FormProps) {
  const { state, fields, t } = useFields();
  const form = useMemo(() => formName('field'), []);
  const [draft, setDraft] = useState<FieldDraft>(() => fieldDraft(field, target));
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<Problem | null>(null);
  const [tried, setTried] = useState(false);
  const [saved, setSaved] = useState(justSaved);
  const [focusOption, setFocusOption] = useState<number | null>(null);
  const optionsBox = useRef<HTMLOListElement>(null);
  const base = useRef(field);
  const isNew = !field;
  const takenFor = (d: FieldDraft) => takenKeys(state.tools.fields.filter((f) => f.id !== field?.id), d.target);
  const taken = takenFor(draft);

  // Saved (here, or archived from this form): follow it unless the form was edited. Not on
  // mount: the effect may run after the first input (a busy machine), and its draft, the
  // first render's, would then wipe what was typed.
  useEffect(() => {
    const was = base.current;
    if (was === field) return;
    base.current = field;
    setDraft((d) => (sameDraft(fieldDraft(was, target), d) ? fieldDraft(field, target) : d));
  }, [field]);

  useEffect(() => {
    if (focusOption === null) return;
    optionsBox.current?.querySelectorAll<HTMLInputElement>('input')[focusOption]?.focus();
    setFocusOption(null);
  }, [focusOption]);

  const request = fieldRequest(draft, field, taken);
  const dirty = !sameDraft(draft, fieldDraft(field, target));
  useUnsaved(form, dirty);
  const notes = fieldMessages(t, tried && !request.ok ? request.issues : [], problem, draft);
  const note = (path: string) => notes.get(path) ?? null;
  const bad = (path: string) => (note(path) ? true : undefined);

  // Every change applies to the draft as it stands, not as it was when this render's handlers
  // were made: two inputs in one frame (a label typed, then the kind picked before the next
  // render) must not undo each other (the key the label suggested was lost that way).
  const set = (change: (d: FieldDraft) => FieldDraft) => {
    setDraft(change);
    setSaved(false);
  };
  const setOption = (i: number, text: string) =>
    set((d) => ({ ...d, options: d.options.map((o, j) => (j === i ? { ...o, text } : o)) }));
  const addOption = (at = draft.options.length) => {
    if (draft.options.length >= LIMITS.options) return;
    const added = optionDraft();
    set((d) => (d.options.length >= LIMITS.options ? d : { ...d, options: [...d.options.slice(0, at), added, ...d.options.slice(at)] }));
    setFocusOption(at);
  };
  const removeOption = (i: number) => {
    set((d) => ({ ...d, options: d.options.filter((_, j) => j !== i) }));
    setFocusOption(Math.max(0, Math.min(i, draft.options.length - 2)));
  };
  const toggle = (list: 'channels' | 'categories', id: string, on: boolean) =>
    set((d) => ({ ...d, [list]: on ? [...d[list], id] : d[list].filter((x) => x !== id) }));

  const submit = async (e: Event) => {
    e.preventDefault();
    if (busy) return;
    setTried(true);
    setProblem(null);
    if (!request.ok) {
      // The first refused input takes the focus.
      const first = fieldMessages(t, request.issues, null, draft).keys().next().value;
      if (first) document.querySelector<HTMLElement>(`[data-form="${form}"] [data-field="${first}"]`)?.focus();
      return;
    }
    setBusy(true);
    const answer = field ? await fields.update(field.id, request.value) : await fields.create(request.value);
    setBusy(false);
    if ('code' in answer) {
      setProblem(answer);
      return;
    }
    setTried(false);
    if (field) setSaved(true);
    else onCreated(answer.id);
  };

  const archive = async () => {
    if (!field) return;
    setProblem(null);
    const answer = await fields.archive(field.id, !field.archived);
    if ('code' in answer) setProblem(answer);
  };

  const pageProblem = problem && !refusedAt(problem, draft) ? problem : null;
  const channels = state.team.channels;
  const categories = state.tools.categories.filter((c) => !c.archived || draft.categories.includes(c.id));

  return (
    <form class="admin-card admin-form fld-form" onSubmit={submit} noValidate data-testid="field-form" data-form={form} data-field-id={field?.id ?? ''}>
      <h2 data-testid="field-form-title">
        {field ? t('fields.edit', { name: field.label }) : draft.target === 'dialog' ? t('fields.new_dialog') : t('fields.new_visitor')}
      </h2>
      {field?.archived && (
        <p class="fld-archived-note" data-testid="field-archived-note">
          {t('fields.archived_note')}
        </p>
      )}
      {isNew ? (
        <fieldset class="field">
          <legend>{t('fields.target')}</legend>
          <div class="fld-choices">
            {FIELD_TARGETS.map((x) => (
              <label key={x} class="choice">
                <input type="radio" name={`${form}-target`} checked={draft.target === x} onChange={() => set((d) => withTarget(d, x, takenKeys(state.tools.fields, x)))} data-testid={`field-target-${x}`} />
                <span>{t(TARGET_WORDS[x])}</span>
              </label>
            ))}
          </div>
        </fieldset>
      ) : (
        <p class="fld-fixed" data-testid="field-target">
          <span class="fld-fixed-label">{t('fields.target')}:</span> {t(TARGET_WORDS[draft.target])}
        </p>
      )}
      <div class="fld-row">
        <label class="field fld-label">
          <span>{t('fields.label')}</span>
          <input
            value={draft.label}
            maxLength={LIMITS.label + 20}
            placeholder={draft.target === 'dialog' ? t('fields.label_placeholder_dialog') : t('fields.label_placeholder_visitor')}
            aria-invalid={bad('label')}
            onInput={(e) => {
              const label = e.currentTarget.value;
              set((d) => withLabel(d, label, takenFor(d)));
            }}
            data-testid="field-label"
            data-field="label"
          />
          <FieldNote text={note('label')} field="label" />
        </label>
        <label class="field fld-kind">
          <span>{t('fields.kind')}</span>
          <select
            value={draft.kind}
            disabled={!isNew}
            aria-invalid={bad('kind')}
            onChange={(e) => {
              const kind = oneOf(e.currentTarget.value, FIELD_KINDS);
              set((d) => withKind(d, kind ?? d.kind, takenFor(d)));
            }}
            data-testid="field-kind-select"
            data-field="kind"
          >
            {FIELD_KINDS.map((k) => (
              <option key={k} value={k}>
                {kindWords(t, k)}
              </option>
            ))}
          </select>
          <FieldNote text={note('kind')} field="kind" />
        </label>
      </div>
      <label class="field fld-key-field">
        <span>{t('fields.key')}</span>
        <input
          value={draft.key}
          readOnly={!isNew}
          maxLength={LIMITS.key + 10}
          spellcheck={false}
          autoComplete="off"
          placeholder={draft.kind === 'date' ? 'purchased_at' : 'model'}
          aria-invalid={bad('key')}
          aria-describedby={`${form}-key-hint`}
          onInput={(e) => {
            const key = e.currentTarget.value;
            set((d) => withKey(d, key));
          }}
          data-testid="field-key"
          data-field="key"
        />
        <small id={`${form}-key-hint`}>{isNew ? (draft.kind === 'date' ? t('fields.key_hint_date') : t('fields.key_hint')) : t('fields.key_fixed')}</small>
        <FieldNote text={note('key')} field="key" />
      </label>

      {draft.kind === 'choice' && (
        <fieldset class={`field fld-options${note('options') ? ' invalid' : ''}`}>
          <legend>{t('fields.options')}</legend>
          <ol class="fld-option-list" ref={optionsBox} data-testid="field-options">
            {draft.options.map((o, i) => (
              <li key={o.id} class="fld-option">
                <input
                  value={o.text}
                  maxLength={LIMITS.option + 20}
                  placeholder={t('fields.option_placeholder', { n: i + 1 })}
                  aria-label={t('fields.option_label', { n: i + 1 })}
                  aria-invalid={bad(optionPath(i))}
                  onInput={(e) => setOption(i, e.currentTarget.value)}
                  onKeyDown={(e) => {
                    if (e.key === 'Enter') {
                      e.preventDefault();
                      addOption(i + 1);
                    }
                  }}
                  data-testid="field-option"
                  data-field={optionPath(i)}
                />
                {draft.options.length > 1 && (
                  <button
                    type="button"
                    class="icon-btn fld-option-remove"
                    aria-label={t('fields.option_remove', { n: i + 1 })}
                    title={t('fields.option_remove', { n: i + 1 })}
                    onClick={() => removeOption(i)}
                    data-testid="field-option-remove"
                  >
                    ×
                  </button>
                )}
                <FieldNote text={note(optionPath(i))} field={optionPath(i)} />
              </li>
            ))}
          </ol>
          <FieldNote text={note('options')} field="options" />
          <div>
            <button type="button" class="link fld-add" disabled={draft.options.length >= LIMITS.options} onClick={() => addOption()} data-testid="field-option-add">
              + {t('fields.option_add')}
            </button>
          </div>
        </fieldset>
      )}

      {draft.kind === 'text' && (
        <div class="fld-text">
          <label class="choice fld-upper">
            <input type="checkbox" checked={draft.upper} onChange={(e) => {
              const upper = e.currentTarget.checked;
              set((d) => ({ ...d, upper }));
            }} data-testid="field-upper" data-field="format" />
            <span>{t('fields.upper')}</span>
          </label>
          <FieldNote text={note('format')} field="format" />
          <label class="field">
            <span>{t('fields.pattern')}</span>
            <input
              value={draft.pattern}
              maxLength={LIMITS.pattern + 20}
              spellcheck={false}
              autoComplete="off"
              placeholder={draft.upper ? '[A-Z0-9 ]+' : '\\d{6}'}
              aria-invalid={bad('pattern')}
              aria-describedby={`${form}-pattern-hint`}
              onInput={(e) => {
                const pattern = e.currentTarget.value;
                set((d) => ({ ...d, pattern }));
              }}
              data-testid="field-pattern"
              data-field="pattern"
            />
            <small id={`${form}-pattern-hint`}>
              <WithExample text={draft.upper ? t('fields.pattern_hint_upper', { example: HOLE }) : t('fields.pattern_hint', { example: HOLE })} example={draft.upper ? '[A-Z0-9 ]+' : '\\d{6}'} />
            </small>
            <FieldNote text={note('pattern')} field="pattern" />
          </label>
        </div>
      )}

      {draft.target === 'dialog' && (
        <fieldset class={`field fld-required${note('required') ? ' invalid' : ''}`} data-testid="field-required-box">
          <legend>{t('fields.required')}</legend>
          <div class="fld-choices">
            {REQUIRE_MODES.map((m) => (
              <label key={m} class="choice">
                <input type="radio" name={`${form}-required`} checked={draft.require === m} onChange={() => set((d) => ({ ...d, require: m }))} data-testid={`field-require-${m}`} data-field={m === 'some' ? 'required' : undefined} />
                <span>{t(REQUIRE_WORDS[m])}</span>
              </label>
            ))}
          </div>
          {draft.require === 'some' && (
            <div class="fld-picks">
              <fieldset class="fld-pick" data-testid="field-required-channels">
                <legend>{t('fields.required_channels')}</legend>
                {channels.length === 0 ? (
                  <p class="list-note">{t('fields.none_channels')}</p>
                ) : (
                  <ul class="checks">
                    {channels.map((c) => (
                      <li key={c.id}>
                        <label class="choice">
                          <input type="checkbox" checked={draft.channels.includes(c.id)} onChange={(e) => toggle('channels', c.id, e.currentTarget.checked)} data-testid="field-required-channel" data-id={c.id} />
                          <span>{c.name}</span>
                        </label>
                      </li>
                    ))}
                  </ul>
                )}
              </fieldset>
              <fieldset class="fld-pick" data-testid="field-required-categories">
                <legend>{t('fields.required_categories')}</legend>
                {categories.length === 0 ? (
                  <p class="list-note">{t('fields.none_categories')}</p>
                ) : (
                  <ul class="checks">
                    {categories.map((c) => (
                      <li key={c.id}>
                        <label class="choice">
                          <input type="checkbox" checked={draft.categories.includes(c.id)} onChange={(e) => toggle('categories', c.id, e.currentTarget.checked)} data-testid="field-required-category" data-id={c.id} />
                          <span>{c.archived ? t('fields.archived_name', { name: c.name }) : c.name}</span>
                        </label>
                      </li>
                    ))}
                  </ul>
                )}
              </fieldset>
            </div>
          )}
          <p class="fld-note">{t('fields.required_note')}</p>
          <FieldNote text={note('required')} field="required" />
        </fieldset>
      )}
      {draft.target === 'visitor' && <p class="fld-note">{t('fields.visitor_note')}</p>}

      {pageProblem &&
        (tooManyFields(pageProblem) ? (
          <p class="form-error" role="alert" data-testid="field-error" data-code={pageProblem.code}>
            {t('fields.too_many', { max: LIMITS.fields })}
          </p>
        ) : (
          <ProblemLine problem={pageProblem} testid="field-error" />
        ))}
      <div class="form-actions">
        {field && (
          <button type="button" class="btn btn-ghost" disabled={busy || fields.busy.has(field.id)} onClick={() => void archive()} data-testid={field.archived ? 'field-restore' : 'field-archive'}>
            {field.archived ? t('fields.restore') : t('fields.archive')}
          </button>
        )}
        <span class="spacer" />
        {saved && !dirty && (
          <span class="saved-note" role="status" data-testid="field-saved">
            {t('admin.saved')}
          </span>
        )}
        {field && (
          <button type="button" class="btn btn-secondary" onClick={onDone} data-testid="field-cancel">
            {t('fields.close')}
          </button>
        )}
        <button type="submit" class="btn btn-primary" disabled={busy || (!!field && !dirty)} data-testid="field-save">
          {busy ? t('admin.saving') : field ? t('fields.save') : t('fields.create')}
        </button>
      </div>
    </form>
  );
}
