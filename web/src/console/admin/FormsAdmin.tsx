/**
 * Escalation forms (admins): the list of forms (name, how many fields, the department's address,
 * on or off) with "New form" and "Edit", and the editor below it: the name; the fields (added,
 * removed, moved up and down; each with what the visitor reads, its key — made from the label
 * until the admin types one —, its kind, a contract number's pattern with a place to try it, and
 * whether it is required); the department's address and the mail's subject; the answer the
 * visitor reads, with `{number}` and `{due}` and a live preview; the due hours and how they are
 * counted; the department mail's language; the switch (a form is never deleted, only switched
 * off). "Example: warranty claim" fills in the kitchen maker's form. "Save" sends the whole form;
 * a refused value (the console's own check or the server's `validation_failed`, e.g.
 * `fields[1].pattern`) gets its message beside its input, which takes the focus.
 */
import { Fragment } from 'preact';
import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { useObservable } from '../../shared/store';
import { problemText } from '../context';
import type { ConsoleKey } from '../i18n';
import {
  answerPreview,
  COUNTINGS,
  draftChanged,
  exampleDraft,
  FIELD,
  FIELD_KINDS,
  formAnchors,
  formDraft,
  formFieldMessages,
  formRequest,
  insertAt,
  isFieldKind,
  LIMITS,
  MAIL_LANGS,
  namesField,
  newField,
  newFormDraft,
  patternMatches,
  PREVIEW_DUE,
  PREVIEW_NUMBER,
  unknownPlaceholders,
  withKey,
  withLabel,
  type Counting,
  type FieldDraft,
  type FieldKind,
  type FormDraft,
  type FormView,
} from './escalation-forms';
import { FieldNote } from './FieldNote';
import { ItemMoves, useFocusAfter } from './ItemMoves';
import { moveItem } from './rules';
import { SaveBar } from './SaveBar';
import { useSaveGuard } from './save-guard';
import { useAdmin } from './use-admin';
import '../account.css';
import './admin-pages.css';
import './forms-admin.css';

/** The admin controller's forms part, redrawn on its changes. */
function useForms() {
  const env = useAdmin('team');
  useObservable(env.admin.forms);
  return { ...env, forms: env.admin.forms };
}

const KIND_KEYS: Record<FieldKind, { name: ConsoleKey; hint: ConsoleKey }> = {
  text: { name: 'forms.admin.kind_text', hint: 'forms.admin.kind_text_hint' },
  contract: { name: 'forms.admin.kind_contract', hint: 'forms.admin.kind_contract_hint' },
  email: { name: 'forms.admin.kind_email', hint: 'forms.admin.kind_email_hint' },
  phone: { name: 'forms.admin.kind_phone', hint: 'forms.admin.kind_phone_hint' },
};

const COUNTING_KEYS: Record<Counting, { name: ConsoleKey; hint: ConsoleKey }> = {
  weekdays: { name: 'forms.admin.counting_weekdays', hint: 'forms.admin.counting_weekdays_hint' },
  business_hours: { name: 'forms.admin.counting_business_hours', hint: 'forms.admin.counting_business_hours_hint' },
  calendar: { name: 'forms.admin.counting_calendar', hint: 'forms.admin.counting_calendar_hint' },
};

const LANG_KEYS: Record<(typeof MAIL_LANGS)[number], ConsoleKey> = { ru: 'forms.admin.language_ru', en: 'forms.admin.language_en' };

/** Which form the editor holds: a saved one (`id`), or a new one (`null`); `session` renews it. */
type Open = { id: string | null; session: number; example: boolean } | null;

export function FormsAdmin() {
  const { state, forms, t, lang } = useForms();
  const [open, setOpen] = useState<Open>(null);
  /** Bumped when a form is opened, to bring the editor into view with the focus. */
  const [reveal, setReveal] = useState(0);
  const sessions = useRef(0);

  useEffect(() => {
    void forms.open();
  }, [forms]);

  const show = (id: string | null, example = false) => {
    if (id !== null && open?.id === id) {
      setReveal((n) => n + 1);
      return;
    }
    const go = () => {
      setOpen({ id, session: ++sessions.current, example });
      setReveal((n) => n + 1);
    };
    if (state.team.unsaved.mayLeave(go)) go();
  };

  const editing = open?.id ? (forms.forms.find((f) => f.id === open.id) ?? null) : null;
  const full = forms.loaded && forms.forms.length >= LIMITS.forms;

  return (
    <section class="admin-section eforms-page" data-testid="forms-admin">
      <header class="admin-head admin-head-row">
        <div>
          <h1 data-testid="forms-title">{t('forms.admin.title')}</h1>
          <p>{t('forms.admin.hint')}</p>
        </div>
        <button type="button" class="btn btn-primary" disabled={!forms.loaded || full} onClick={() => show(null)} data-testid="form-new">
          + {t('forms.admin.new')}
        </button>
      </header>
      {full && (
        <p class="form-note" data-testid="forms-limit">
          {t('forms.admin.limit_reached', { max: LIMITS.forms })}
        </p>
      )}
      {forms.problem && (
        <p class="form-error" role="alert" data-testid="forms-load-error" data-code={forms.problem.code}>
          {problemText(t, lang, forms.problem)}{' '}
          <button type="button" class="link" onClick={() => void forms.load()}>
            {t('app.retry')}
          </button>
        </p>
      )}
      <div class="admin-card eforms-list" data-testid="forms-list">
        {forms.loading && !forms.loaded && <p class="list-note">{t('forms.admin.loading')}</p>}
        {forms.loaded && forms.forms.length === 0 && (
          <div class="eforms-empty" data-testid="forms-empty">
            <p>{t('forms.admin.empty')}</p>
            {!open && (
              <button type="button" class="btn btn-secondary" onClick={() => show(null, true)} data-testid="forms-empty-example">
                {t('forms.admin.empty_example')}
              </button>
            )}
          </div>
        )}
        {forms.forms.length > 0 && (
          <table class="admin-table eforms-table" data-testid="forms-table">
            <thead>
              <tr>
                <th>{t('forms.admin.col_name')}</th>
                <th class="num">{t('forms.admin.col_fields')}</th>
                <th>{t('forms.admin.col_department')}</th>
                <th>{t('forms.admin.col_state')}</th>
                <th>
                  <span class="visually-hidden">{t('forms.admin.col_actions')}</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {forms.forms.map((f) => (
                <FormRow key={f.id} form={f} selected={f.id === open?.id} onOpen={() => show(f.id)} />
              ))}
            </tbody>
          </table>
        )}
      </div>
      {open && (open.id === null || editing) && (
        <FormEditor
          key={open.session}
          view={editing}
          example={open.example}
          reveal={reveal}
          onCreated={(made) => setOpen({ ...open, id: made.id })}
          onClose={() => setOpen(null)}
        />
      )}
    </section>
  );
}

// ---- the list ------------------------------------------------------------------------------------

function FormRow({ form: f, selected, onOpen }: { form: FormView; selected: boolean; onOpen: () => void }) {
  const { t } = useForms();
  return (
    <tr
      class={`eforms-row${selected ? ' is-selected' : ''}${f.enabled ? '' : ' is-off'}`}
      onClick={(ev) => !(ev.target as HTMLElement).closest('button, a') && onOpen()}
      data-testid="form-row"
      data-form-id={f.id}
      data-enabled={String(f.enabled)}
    >
      <td>
        <div class="cell-name" data-testid="form-row-name">
          {f.name}
        </div>
        <div class="muted" data-testid="form-row-subject">
          {f.subject}
        </div>
      </td>
      <td class="num" data-testid="form-row-fields">
        {f.fields.length}
      </td>
      <td class="eforms-address" data-testid="form-row-department">
        {f.department_email}
      </td>
      <td>
        <span class={`eforms-state${f.enabled ? ' is-on' : ''}`} data-testid="form-row-state">
          <span class="status-dot" aria-hidden="true" />
          {f.enabled ? t('forms.admin.state_on') : t('forms.admin.state_off')}
        </span>
      </td>
      <td class="eforms-row-actions">
        <button
          type="button"
          class="btn btn-secondary btn-small"
          aria-label={t('forms.admin.edit_of', { name: f.name })}
          aria-pressed={selected}
          onClick={onOpen}
          data-testid="form-edit"
        >
          {t('forms.admin.edit')}
        </button>
      </td>
    </tr>
  );
}

// ---- the editor ----------------------------------------------------------------------------------

type Note = (path: string) => string | null;

function FormEditor({
  view,
  example,
  reveal,
  onCreated,
  onClose,
}: {
  view: FormView | null;
  /** A new form starts as the kitchen maker's example. */
  example: boolean;
  reveal: number;
  onCreated: (made: FormView) => void;
  onClose: () => void;
}) {
  const { forms, t, lang } = useForms();
  const heading = useRef<HTMLHeadingElement>(null);
  const emailInput = useRef<HTMLInputElement>(null);
  const answerInput = useRef<HTMLTextAreaElement>(null);
  const [blank] = useState(() => newFormDraft(t, lang));
  const [draft, setDraft] = useState<FormDraft>(() => (view ? formDraft(view) : example ? exampleDraft(t, lang, blank) : blank));
  /** The example was filled in: a note says what is left to do. */
  const [exampled, setExampled] = useState(example);
  /** Bumped when the example was filled in, to bring the focus to the department's address if it is empty. */
  const [exampleFocus, setExampleFocus] = useState(example ? 1 : 0);
  /** Where the caret goes in the answer after a placeholder was put in. */
  const [caret, setCaret] = useState<number | null>(null);

  const start = useMemo(() => (view ? formDraft(view) : blank), [view, blank]);
  const dirty = draftChanged(start, draft);
  // A refusal of the list of fields as a whole (too few, too many) brings the focus to its first button that is on.
  const guard = useSaveGuard('escalation-form', dirty, '[aria-invalid="true"], [data-invalid="true"] button:not(:disabled)');
  const { form, body, tried, problem } = guard;
  /** Once the fields are drawn again after one was added, moved or removed. */
  const focusAfter = useFocusAfter(body, { attr: 'data-field-id', testid: 'form-field', fallback: 'form-field-label' });

  const result = formRequest(draft, { isNew: !view, count: forms.forms.length });
  const anchors = formAnchors(draft);
  const { at, elsewhere } = formFieldMessages(t, tried && !result.ok ? result.issues : [], problem, anchors);
  const note: Note = (path) => at.get(path) ?? null;

  useEffect(() => {
    if (!reveal) return;
    heading.current?.scrollIntoView?.({ block: 'start', behavior: 'smooth' });
    heading.current?.focus({ preventScroll: true });
  }, [reveal]);
  useEffect(() => {
    if (exampleFocus && !draft.department_email.trim()) emailInput.current?.focus();
  }, [exampleFocus]);
  useEffect(() => {
    if (caret === null) return;
    answerInput.current?.focus();
    answerInput.current?.setSelectionRange(caret, caret);
    setCaret(null);
  }, [caret]);

  const replace = (next: FormDraft) => {
    setDraft(next);
    guard.edited();
  };
  const set = (change: Partial<FormDraft>) => replace({ ...draft, ...change });
  const setFields = (fields: FieldDraft[]) => set({ fields });
  const setField = (i: number, change: Partial<FieldDraft>) => setFields(draft.fields.map((f, j) => (j === i ? { ...f, ...change } : f)));

  const fillExample = () => {
    if (draftChanged(blank, draft) && !confirm(t('forms.admin.example_confirm'))) return;
    replace(exampleDraft(t, lang, draft));
    guard.reset();
    setExampled(true);
    setExampleFocus((n) => n + 1);
  };

  const insert = (text: string) => {
    const el = answerInput.current;
    const from = el?.selectionStart ?? draft.answer.length;
    const to = el?.selectionEnd ?? from;
    const done = insertAt(draft.answer, from, to, text);
    set({ answer: done.value });
    setCaret(done.caret);
  };

  const submit = (ev: Event) =>
    guard.save(
      ev,
      result,
      ({ body }) => (view ? forms.update(view.id, body) : forms.create(body)),
      (done) => {
        setDraft(formDraft(done));
        setExampled(false);
        if (!view) onCreated(done);
      },
    );
  const revert = () => {
    setDraft(view ? formDraft(view) : blank);
    guard.reset();
    setExampled(false);
  };

  const countingKnown = (COUNTINGS as readonly string[]).includes(draft.counting);
  const languageKnown = (MAIL_LANGS as readonly string[]).includes(draft.language);
  const preview = answerPreview(draft.answer, lang);
  const unknown = unknownPlaceholders(draft.answer);
  const fieldsNote = note(FIELD.fields);
  const ids = (name: string) => `${form}-${name}`;

  return (
    <form ref={body} class="eforms-editor" onSubmit={submit} noValidate data-testid="form-editor" data-form-id={view?.id ?? ''}>
      <div class="admin-card eforms-part">
        <header class="eforms-editor-head">
          <div>
            <h2 ref={heading} tabIndex={-1} data-testid="form-editor-title">
              {view ? t('forms.admin.edit_title', { name: view.name }) : t('forms.admin.new_title')}
            </h2>
            <p class="eforms-card-hint">{view ? t('forms.admin.edit_hint') : t('forms.admin.new_hint')}</p>
          </div>
          {!view && (
            <button type="button" class="btn btn-secondary" onClick={fillExample} data-testid="form-example">
              {t('forms.admin.example')}
            </button>
          )}
        </header>
        {exampled && (
          <p class="form-note" role="status" data-testid="form-example-note">
            {draft.department_email.trim() ? t('forms.admin.example_note_check') : t('forms.admin.example_note')}
          </p>
        )}
        <label class="field">
          <span>{t('forms.admin.name')}</span>
          <input
            value={draft.name}
            maxLength={LIMITS.name + 8}
            autoComplete="off"
            aria-invalid={note(FIELD.name) ? true : undefined}
            onInput={(e) => set({ name: e.currentTarget.value })}
            data-testid="form-name"
          />
          {!note(FIELD.name) && <small>{t('forms.admin.name_hint')}</small>}
          <FieldNote text={note(FIELD.name)} field={FIELD.name} />
        </label>
      </div>

      <fieldset
        class={`admin-card eforms-part eforms-fields${fieldsNote ? ' has-error' : ''}`}
        data-invalid={fieldsNote ? 'true' : undefined}
        aria-describedby={ids('fields-hint')}
        data-testid="form-fields"
      >
        <legend class="eforms-legend">{t('forms.admin.fields')}</legend>
        <p class="eforms-card-hint eforms-after-legend" id={ids('fields-hint')}>
          {t('forms.admin.fields_hint')}
        </p>
        <ol class="eforms-field-list">
          {draft.fields.map((f, i) => (
            <FieldRow
              key={f.id}
              field={f}
              index={i}
              count={draft.fields.length}
              note={note}
              onLabel={(label) => setFields(withLabel(draft.fields, i, label))}
              onKey={(key) => setFields(withKey(draft.fields, i, key))}
              onChange={(change) => setField(i, change)}
              onMove={(by) => {
                setFields(moveItem(draft.fields, i, by));
                focusAfter({ item: f.id, testid: by < 0 ? 'form-field-up' : 'form-field-down' });
              }}
              onRemove={() => {
                setFields(draft.fields.filter((_, j) => j !== i));
                focusAfter({ item: null, testid: 'form-field-add' });
              }}
            />
          ))}
        </ol>
        <div class="eforms-fields-foot">
          <button
            type="button"
            class="btn btn-secondary"
            disabled={draft.fields.length >= LIMITS.fieldsMax}
            onClick={() => {
              const fresh = newField(draft.fields);
              setFields([...draft.fields, fresh]);
              focusAfter({ item: fresh.id, testid: 'form-field-label' });
            }}
            data-testid="form-field-add"
          >
            + {t('forms.admin.field_add')}
          </button>
          <span class="muted">{t('forms.admin.fields_count', { n: draft.fields.length, max: LIMITS.fieldsMax })}</span>
        </div>
        <FieldNote text={fieldsNote} field={FIELD.fields} />
      </fieldset>

      <div class="admin-card eforms-part" data-testid="form-department">
        <h3>{t('forms.admin.department_title')}</h3>
        <div class="eforms-pair">
          <label class="field">
            <span>{t('forms.admin.department_email')}</span>
            <input
              ref={emailInput}
              type="email"
              inputMode="email"
              value={draft.department_email}
              placeholder="service@example.com"
              maxLength={LIMITS.address + 8}
              autoComplete="off"
              spellcheck={false}
              aria-invalid={note(FIELD.departmentEmail) ? true : undefined}
              onInput={(e) => set({ department_email: e.currentTarget.value })}
              data-testid="form-department-email"
            />
            {!note(FIELD.departmentEmail) && <small>{t('forms.admin.department_email_hint')}</small>}
            <FieldNote text={note(FIELD.departmentEmail)} field={FIELD.departmentEmail} />
          </label>
          <label class="field">
            <span>{t('forms.admin.language')}</span>
            <select
              value={draft.language}
              aria-invalid={note(FIELD.language) ? true : undefined}
              onChange={(e) => set({ language: e.currentTarget.value })}
              data-testid="form-language"
            >
              {!languageKnown && <option value={draft.language}>{draft.language}</option>}
              {MAIL_LANGS.map((l) => (
                <option key={l} value={l}>
                  {t(LANG_KEYS[l])}
                </option>
              ))}
            </select>
            {!note(FIELD.language) && <small>{t('forms.admin.language_hint')}</small>}
            <FieldNote text={note(FIELD.language)} field={FIELD.language} />
          </label>
        </div>
        <label class="field">
          <span>{t('forms.admin.subject')}</span>
          <input
            value={draft.subject}
            maxLength={LIMITS.subject + 8}
            autoComplete="off"
            aria-invalid={note(FIELD.subject) ? true : undefined}
            onInput={(e) => set({ subject: e.currentTarget.value })}
            data-testid="form-subject"
          />
          {!note(FIELD.subject) && <small>{t('forms.admin.subject_hint')}</small>}
          <FieldNote text={note(FIELD.subject)} field={FIELD.subject} />
        </label>
      </div>

      <div class="admin-card eforms-part" data-testid="form-answer-card">
        <h3>{t('forms.admin.answer_title')}</h3>
        <div class="field">
          <label for={ids('answer')}>
            <span>{t('forms.admin.answer')}</span>
          </label>
          <textarea
            id={ids('answer')}
            ref={answerInput}
            rows={4}
            value={draft.answer}
            maxLength={LIMITS.answer + 50}
            aria-invalid={note(FIELD.answer) ? true : undefined}
            aria-describedby={ids('answer-hint')}
            onInput={(e) => set({ answer: e.currentTarget.value })}
            data-testid="form-answer"
          />
          <div class="eforms-insert">
            <small id={ids('answer-hint')}>{t('forms.admin.answer_hint')}</small>
            <span class="eforms-insert-buttons">
              <button type="button" class="btn btn-ghost btn-small" aria-label={t('forms.admin.insert_number')} onClick={() => insert('{number}')} data-testid="form-answer-insert-number">
                + <code>{'{number}'}</code>
              </button>
              <button type="button" class="btn btn-ghost btn-small" aria-label={t('forms.admin.insert_due')} onClick={() => insert('{due}')} data-testid="form-answer-insert-due">
                + <code>{'{due}'}</code>
              </button>
            </span>
          </div>
          <FieldNote text={note(FIELD.answer)} field={FIELD.answer} />
          {draft.answer.trim() && !draft.answer.includes('{number}') && (
            <small class="field-warning" data-testid="form-answer-no-number">
              {t('forms.admin.answer_no_number')}
            </small>
          )}
          {unknown.length > 0 && (
            <small class="field-warning" data-testid="form-answer-unknown">
              {t('forms.admin.answer_unknown', { names: unknown.join(', ') })}
            </small>
          )}
        </div>
        <div class="eforms-preview-box">
          <span class="eforms-preview-title">{t('forms.admin.preview_title', { n: PREVIEW_NUMBER, when: PREVIEW_DUE[lang] })}</span>
          <div class="eforms-preview" aria-live="polite" data-testid="form-answer-preview">
            {preview.length === 0 ? (
              <span class="muted">{t('forms.admin.preview_empty')}</span>
            ) : (
              preview.map((p, i) => (p.filled ? <strong key={i}>{p.text}</strong> : <Fragment key={i}>{p.text}</Fragment>))
            )}
          </div>
        </div>
        <div class="eforms-pair">
          <label class="field eforms-due">
            <span>{t('forms.admin.due_hours')}</span>
            <input
              type="number"
              inputMode="numeric"
              min={LIMITS.dueMin}
              max={LIMITS.dueMax}
              step={1}
              value={draft.due_hours}
              aria-invalid={note(FIELD.dueHours) ? true : undefined}
              onInput={(e) => set({ due_hours: e.currentTarget.value })}
              data-testid="form-due-hours"
            />
            {!note(FIELD.dueHours) && <small>{t('forms.admin.due_hours_hint')}</small>}
            <FieldNote text={note(FIELD.dueHours)} field={FIELD.dueHours} />
          </label>
          <label class="field">
            <span>{t('forms.admin.counting')}</span>
            <select
              value={draft.counting}
              aria-invalid={note(FIELD.counting) ? true : undefined}
              aria-describedby={ids('counting-hint')}
              onChange={(e) => set({ counting: e.currentTarget.value })}
              data-testid="form-counting"
            >
              {!countingKnown && <option value={draft.counting}>{draft.counting}</option>}
              {COUNTINGS.map((c) => (
                <option key={c} value={c}>
                  {t(COUNTING_KEYS[c].name)}
                </option>
              ))}
            </select>
            {countingKnown && (
              <small id={ids('counting-hint')} data-testid="form-counting-hint">
                {t(COUNTING_KEYS[draft.counting as Counting].hint)}
              </small>
            )}
            <FieldNote text={note(FIELD.counting)} field={FIELD.counting} />
          </label>
        </div>
      </div>

      <div class="admin-card eforms-part">
        <div class="field">
          <span id={ids('enabled')}>{t('forms.admin.enabled')}</span>
          <label class="eforms-switch">
            <input
              type="checkbox"
              role="switch"
              checked={draft.enabled}
              aria-labelledby={ids('enabled')}
              aria-describedby={ids('enabled-hint')}
              onChange={(e) => set({ enabled: e.currentTarget.checked })}
              data-testid="form-enabled"
            />
            <span class="eforms-switch-track" aria-hidden="true" />
            <span class="eforms-switch-text" aria-hidden="true">
              {draft.enabled ? t('forms.admin.state_on') : t('forms.admin.state_off')}
            </span>
          </label>
          <small id={ids('enabled-hint')}>{t('forms.admin.enabled_hint')}</small>
          <FieldNote text={note(FIELD.enabled)} field={FIELD.enabled} />
        </div>
      </div>

      <SaveBar
        class="eforms-actions"
        words="forms.admin"
        testid="form"
        guard={guard}
        ok={result.ok}
        dirty={dirty}
        fresh={!view}
        fieldRefused={namesField(problem)}
        elsewhere={elsewhere}
        onRevert={revert}
        saveLabel={view ? undefined : t('forms.admin.create')}
        note={<FieldNote text={note(FIELD.forms)} field={FIELD.forms} />}
      >
        <button type="button" class="btn btn-ghost" onClick={() => guard.leave(onClose)} data-testid="form-close">
          {t('forms.admin.close')}
        </button>
      </SaveBar>
    </form>
  );
}

function FieldRow({
  field: f,
  index: i,
  count,
  note,
  onLabel,
  onKey,
  onChange,
  onMove,
  onRemove,
}: {
  field: FieldDraft;
  index: number;
  count: number;
  note: Note;
  onLabel: (label: string) => void;
  onKey: (key: string) => void;
  onChange: (change: Partial<FieldDraft>) => void;
  onMove: (by: -1 | 1) => void;
  onRemove: () => void;
}) {
  const { t } = useForms();
  /** A value to try the pattern on (not saved). */
  const [sample, setSample] = useState('');
  const n = i + 1;
  const title = f.label.trim();
  const contract = f.kind === 'contract';
  const paths = [FIELD.field(i), FIELD.key(i), FIELD.label(i), FIELD.kind(i), FIELD.pattern(i)];
  const invalid = paths.some((p) => note(p));
  const known = isFieldKind(f.kind);
  const tried = contract && sample.trim() && f.pattern.trim() ? patternMatches(f.pattern, sample) : null;
  const id = `${f.id}-`;
  return (
    <li class={`eforms-field${invalid ? ' has-error' : ''}`} data-testid="form-field-row" data-index={i} data-field-id={f.id} data-kind={f.kind}>
      <div class="eforms-field-head">
        <h4>
          {t('forms.admin.field_n', { n })}
          {title && <span class="eforms-field-name"> · {title}</span>}
        </h4>
        <span class="spacer" />
        <ItemMoves
          index={i}
          count={count}
          up={t('forms.admin.field_up', { n })}
          down={t('forms.admin.field_down', { n })}
          remove={t('forms.admin.field_remove', { n })}
          removable={count > LIMITS.fieldsMin}
          testid="form-field"
          onMove={onMove}
          onRemove={onRemove}
        />
      </div>
      <div class="eforms-field-grid">
        <label class="field">
          <span>{t('forms.admin.field_label')}</span>
          <input
            value={f.label}
            maxLength={LIMITS.label + 8}
            autoComplete="off"
            aria-invalid={note(FIELD.label(i)) ? true : undefined}
            onInput={(e) => onLabel(e.currentTarget.value)}
            data-testid="form-field-label"
          />
          <FieldNote text={note(FIELD.label(i))} field={FIELD.label(i)} />
        </label>
        <label class="field eforms-key">
          <span>{t('forms.admin.field_key')}</span>
          <input
            value={f.key}
            maxLength={LIMITS.key + 8}
            autoComplete="off"
            spellcheck={false}
            aria-invalid={note(FIELD.key(i)) ? true : undefined}
            onInput={(e) => onKey(e.currentTarget.value)}
            data-testid="form-field-key"
            data-auto={f.keyAuto ? 'true' : undefined}
          />
          <FieldNote text={note(FIELD.key(i))} field={FIELD.key(i)} />
        </label>
        <label class="field">
          <span>{t('forms.admin.field_kind')}</span>
          <select
            value={f.kind}
            aria-invalid={note(FIELD.kind(i)) ? true : undefined}
            aria-describedby={known ? `${id}kind-hint` : undefined}
            onChange={(e) => onChange({ kind: e.currentTarget.value })}
            data-testid="form-field-kind"
          >
            {!known && <option value={f.kind}>{f.kind}</option>}
            {FIELD_KINDS.map((k) => (
              <option key={k} value={k}>
                {t(KIND_KEYS[k].name)}
              </option>
            ))}
          </select>
          {known && !note(FIELD.kind(i)) && <small id={`${id}kind-hint`}>{t(KIND_KEYS[f.kind as FieldKind].hint)}</small>}
          <FieldNote text={note(FIELD.kind(i))} field={FIELD.kind(i)} />
        </label>
        <label class="choice eforms-required">
          <input type="checkbox" checked={f.required} onChange={(e) => onChange({ required: e.currentTarget.checked })} data-testid="form-field-required" />
          <span>{t('forms.admin.field_required')}</span>
        </label>
      </div>
      {contract && (
        <div class="eforms-pattern-row">
          <div class="field eforms-pattern">
            <label for={`${id}pattern`}>
              <span>{t('forms.admin.field_pattern')}</span>
            </label>
            <input
              id={`${id}pattern`}
              value={f.pattern}
              maxLength={LIMITS.pattern + 8}
              placeholder="\d{6}"
              autoComplete="off"
              spellcheck={false}
              aria-invalid={note(FIELD.pattern(i)) ? true : undefined}
              aria-describedby={`${id}pattern-hint`}
              onInput={(e) => onChange({ pattern: e.currentTarget.value })}
              data-testid="form-field-pattern"
            />
            <small id={`${id}pattern-hint`} data-testid="form-field-pattern-hint">
              {t('forms.admin.field_pattern_hint')}
            </small>
            <FieldNote text={note(FIELD.pattern(i))} field={FIELD.pattern(i)} />
          </div>
          <div class="field eforms-pattern-try">
            <label for={`${id}try`}>
              <span>{t('forms.admin.pattern_try')}</span>
            </label>
            <input
              id={`${id}try`}
              value={sample}
              placeholder="123456"
              autoComplete="off"
              spellcheck={false}
              onInput={(e) => setSample(e.currentTarget.value)}
              data-testid="form-field-pattern-try"
            />
            {tried !== null && (
              <small class={tried ? 'eforms-match' : 'eforms-no-match'} role="status" data-testid="form-field-pattern-result" data-match={String(tried)}>
                {tried ? t('forms.admin.pattern_matches') : t('forms.admin.pattern_no_match')}
              </small>
            )}
          </div>
        </div>
      )}
      <FieldNote text={note(FIELD.field(i))} field={FIELD.field(i)} />
    </li>
  );
}
