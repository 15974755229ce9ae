/**
 * «Контроль качества» / "Quality guard" (admins, issue 17), beside the routing rules: for each
 * rule of the guard what finding it does (off, a warning while the operator types, a block on
 * send), a line on what it looks for and an example; for a block, whether the operator may send
 * anyway with a reason; the forbidden words as chips and the regular expressions as a list.
 * "Save" sends the document whole; a refused field (the console's own check or the server's
 * `validation_failed`, e.g. `forbidden.patterns[1]`) gets its message beside its input. Leaving
 * with unsaved edits is asked about.
 *
 * When the admin has a dialog open, a box tries a sample text against the saved rules in that
 * dialog (the same check the composer asks); without one there is nothing honest to try it on,
 * and the box is left out.
 */
import { useEffect, useRef, useState } from 'preact/hooks';
import { useObservable } from '../../shared/store';
import type { Problem } from '../console-state';
import { problemText, useConsole } from '../context';
import type { ConsoleKey } from '../i18n';
import { GUARD_MODES, GUARD_RULES, type GuardDoc, type GuardRule, type HitView } from '../quality';
import { GuardHits } from '../components/DraftGuard';
import { isProblem } from './controllers';
import { FieldNote } from './FieldNote';
import { FIELD, guardChanged, guardDraft, guardFieldMessages, guardFields, guardRequest, isMode, LIMITS, refusedAtField, withRule, wordRefusal, type WordRefusal } from './quality';
import { RulesTabs } from './RulesTabs';
import { SaveBar } from './SaveBar';
import { useSaveGuard } from './save-guard';
import { useAdmin } from './use-admin';
import '../account.css';
import '../quality.css';
import './admin-pages.css';
import './quality-admin.css';

function useQuality() {
  const env = useAdmin();
  useObservable(env.admin.quality);
  return { ...env, quality: env.admin.quality };
}

const RULE_WORDS: Record<GuardRule, { title: ConsoleKey; hint: ConsoleKey; example: ConsoleKey }> = {
  polite: { title: 'quality.rule.polite', hint: 'quality.rule.polite_hint', example: 'quality.rule.polite_example' },
  phone_8800: { title: 'quality.rule.phone_8800', hint: 'quality.rule.phone_8800_hint', example: 'quality.rule.phone_8800_example' },
  forbidden: { title: 'quality.rule.forbidden', hint: 'quality.rule.forbidden_hint', example: 'quality.rule.forbidden_example' },
  second_greeting: { title: 'quality.rule.second_greeting', hint: 'quality.rule.second_greeting_hint', example: 'quality.rule.second_greeting_example' },
  caps: { title: 'quality.rule.caps', hint: 'quality.rule.caps_hint', example: 'quality.rule.caps_example' },
};

const MODE_WORDS: Record<(typeof GUARD_MODES)[number], ConsoleKey> = {
  off: 'quality.mode.off',
  warn: 'quality.mode.warn',
  block: 'quality.mode.block',
};

type Note = (field: string) => string | null;

export function QualityAdmin() {
  const { quality, t, lang } = useQuality();

  useEffect(() => {
    void quality.open();
  }, [quality]);

  return (
    <section class="admin-section quality-page">
      <RulesTabs current="quality" />
      <header class="admin-head">
        <h1 data-testid="quality-title">{t('quality.title')}</h1>
        <p>{t('quality.hint')}</p>
      </header>
      {quality.problem && (
        <p class="form-error" role="alert" data-testid="quality-load-error" data-code={quality.problem.code}>
          {problemText(t, lang, quality.problem)}{' '}
          <button type="button" class="link" onClick={() => void quality.load()}>
            {t('app.retry')}
          </button>
        </p>
      )}
      {quality.loading && !quality.doc && <p class="list-note">{t('quality.loading')}</p>}
      {quality.doc && <QualityForm saved={quality.doc} />}
    </section>
  );
}

function QualityForm({ saved }: { saved: GuardDoc }) {
  const { quality, t } = useQuality();
  const [draft, setDraft] = useState<GuardDoc>(() => guardDraft(saved));
  const result = guardRequest(draft);
  const dirty = guardChanged(saved, draft);
  const guard = useSaveGuard('quality', dirty);
  const { form, body, tried, problem } = guard;

  const messages = guardFieldMessages(t, tried && !result.ok ? result.issues : [], problem);
  const note: Note = (field) => messages.get(field) ?? null;
  const fields = guardFields(draft);
  const elsewhere = [...messages].filter(([field]) => !fields.has(field));

  const set = (next: GuardDoc) => {
    setDraft(next);
    guard.edited();
  };
  const submit = (ev: Event) =>
    guard.save(
      ev,
      result,
      ({ body }) => quality.save(body),
      (made) => setDraft(guardDraft(made)),
    );
  const revert = () => {
    setDraft(guardDraft(saved));
    guard.reset();
  };

  return (
    <>
      <form ref={body} class="quality-form" onSubmit={submit} noValidate data-testid="quality-form">
        {GUARD_RULES.map((rule) => (
          <RuleCard key={rule} form={form} rule={rule} draft={draft} note={note} onChange={set} />
        ))}
        <SaveBar
          class="quality-actions"
          words="quality"
          testid="quality"
          guard={guard}
          ok={result.ok}
          dirty={dirty}
          fieldRefused={refusedAtField(problem, draft)}
          elsewhere={elsewhere}
          onRevert={revert}
        />
      </form>
      <TryBox dirty={dirty} />
    </>
  );
}

/** One rule: what it looks for, its mode, a block's override; the forbidden words' lists. */
function RuleCard({ form, rule, draft, note, onChange }: { form: string; rule: GuardRule; draft: GuardDoc; note: Note; onChange: (d: GuardDoc) => void }) {
  const { t } = useQuality();
  const r = draft[rule];
  const words = RULE_WORDS[rule];
  const id = `${form}-${rule}`;
  const modeNote = note(FIELD.mode(rule));
  return (
    <div class={`admin-card quality-rule quality-${r.mode}`} data-testid={`quality-rule-${rule}`} data-mode={r.mode}>
      <div class="quality-rule-head">
        <div class="quality-rule-text">
          <h2 id={`${id}-title`}>{t(words.title)}</h2>
          <p class="quality-rule-hint" id={`${id}-hint`}>
            {t(words.hint)}
          </p>
          <p class="quality-rule-example">{t(words.example)}</p>
        </div>
        <label class="field quality-mode">
          <span>{t('quality.mode')}</span>
          <select
            value={r.mode}
            aria-label={t('quality.mode_of', { rule: t(words.title) })}
            aria-describedby={`${id}-hint`}
            aria-invalid={modeNote ? true : undefined}
            onChange={(e) => onChange(withRule(draft, rule, { mode: e.currentTarget.value }))}
            data-testid={`quality-mode-${rule}`}
          >
            {GUARD_MODES.map((m) => (
              <option key={m} value={m}>
                {t(MODE_WORDS[m])}
              </option>
            ))}
            {!isMode(r.mode) && <option value={r.mode}>{r.mode}</option>}
          </select>
          <FieldNote text={modeNote} field={FIELD.mode(rule)} />
        </label>
      </div>
      {r.mode === 'block' && (
        <label class="quality-override">
          <input
            type="checkbox"
            checked={r.allow_override}
            onChange={(e) => onChange(withRule(draft, rule, { allow_override: e.currentTarget.checked }))}
            aria-describedby={`${id}-override-hint`}
            data-testid={`quality-override-${rule}`}
          />
          <span>
            {t('quality.allow_override')}
            <small id={`${id}-override-hint`}>{t('quality.allow_override_hint')}</small>
          </span>
        </label>
      )}
      {rule === 'forbidden' && <ForbiddenLists form={form} draft={draft} note={note} onChange={onChange} />}
    </div>
  );
}

/** The forbidden words as chips (add, remove) and the regular expressions as a list of inputs. */
function ForbiddenLists({ form, draft, note, onChange }: { form: string; draft: GuardDoc; note: Note; onChange: (d: GuardDoc) => void }) {
  const { t } = useQuality();
  const f = draft.forbidden;
  const [word, setWord] = useState('');
  const [refusal, setRefusal] = useState<{ word: string; why: WordRefusal } | null>(null);
  const focusPattern = useRef<number | null>(null);
  const patternsBox = useRef<HTMLOListElement>(null);
  const setForbidden = (change: Partial<GuardDoc['forbidden']>) => onChange({ ...draft, forbidden: { ...f, ...change } });

  useEffect(() => {
    if (focusPattern.current === null) return;
    patternsBox.current?.querySelectorAll<HTMLInputElement>('input')[focusPattern.current]?.focus();
    focusPattern.current = null;
  });

  const add = () => {
    const w = word.trim();
    if (!w) return;
    const why = wordRefusal(f.words, w);
    if (why) {
      setRefusal({ word: w, why });
      return;
    }
    setRefusal(null);
    setWord('');
    setForbidden({ words: [...f.words, w] });
  };
  const refusalText = (r: { word: string; why: WordRefusal }) =>
    r.why === 'letter'
      ? t('quality.word_letter')
      : r.why === 'twice'
        ? t('quality.word_twice', { word: r.word })
        : r.why === 'too_long'
          ? t('issue.too_long', { max: LIMITS.wordLength })
          : t('issue.too_many', { max: LIMITS.words });

  return (
    <div class="quality-lists">
      <div class="quality-list" role="group" aria-labelledby={`${form}-words`} data-testid="quality-words">
        <h3 id={`${form}-words`}>{t('quality.words')}</h3>
        <ul class="phrase-chips">
          {f.words.length === 0 && <li class="muted quality-none">{t('quality.words_none')}</li>}
          {f.words.map((w, i) => (
            <li key={`${i}-${w}`} class={`phrase-chip${note(FIELD.word(i)) ? ' invalid' : ''}`} data-testid="quality-word" data-index={i}>
              <span>{w}</span>
              <button
                type="button"
                class="tag-chip-remove"
                aria-label={t('quality.word_remove', { word: w })}
                title={t('quality.word_remove', { word: w })}
                onClick={() => setForbidden({ words: f.words.filter((_, j) => j !== i) })}
                data-testid="quality-word-remove"
              >
                ×
              </button>
            </li>
          ))}
        </ul>
        <div class="phrase-new quality-word-new">
          <input
            value={word}
            maxLength={LIMITS.wordLength + 1}
            placeholder={t('quality.word_new')}
            aria-label={t('quality.word_new')}
            aria-invalid={refusal ? true : undefined}
            onInput={(e) => {
              setWord(e.currentTarget.value);
              setRefusal(null);
            }}
            onKeyDown={(e) => {
              if (e.key === 'Enter' && !e.isComposing) {
                e.preventDefault();
                add();
              }
            }}
            data-testid="quality-word-input"
          />
          <button type="button" class="btn btn-secondary btn-small" disabled={!word.trim()} onClick={add} data-testid="quality-word-add">
            {t('quality.word_add')}
          </button>
        </div>
        {refusal && (
          <small class="field-error" role="alert" data-testid="quality-word-refusal">
            {refusalText(refusal)}
          </small>
        )}
        {f.words.map((_, i) => {
          const n = note(FIELD.word(i));
          return n ? <FieldNote key={i} text={`«${f.words[i]}»: ${n}`} field={FIELD.word(i)} /> : null;
        })}
        <FieldNote text={note(FIELD.words)} field={FIELD.words} />
      </div>

      <div class="quality-list" role="group" aria-labelledby={`${form}-patterns`} data-testid="quality-patterns">
        <h3 id={`${form}-patterns`}>{t('quality.patterns')}</h3>
        <p class="quality-list-hint">{t('quality.patterns_hint')}</p>
        {f.patterns.length > 0 && (
          <ol class="quality-patterns" ref={patternsBox}>
            {f.patterns.map((p, i) => {
              const n = note(FIELD.pattern(i));
              const label = t('quality.pattern_label', { n: i + 1 });
              return (
                <li key={i} class="quality-pattern" data-testid="quality-pattern" data-index={i}>
                  <div class="quality-pattern-row">
                    <input
                      value={p}
                      maxLength={LIMITS.patternLength + 1}
                      spellcheck={false}
                      autoComplete="off"
                      aria-label={label}
                      aria-invalid={n ? true : undefined}
                      onInput={(e) => setForbidden({ patterns: f.patterns.map((x, j) => (j === i ? e.currentTarget.value : x)) })}
                      data-testid="quality-pattern-input"
                    />
                    <button
                      type="button"
                      class="icon-btn"
                      aria-label={t('quality.pattern_remove', { n: i + 1 })}
                      title={t('quality.pattern_remove', { n: i + 1 })}
                      onClick={() => setForbidden({ patterns: f.patterns.filter((_, j) => j !== i) })}
                      data-testid="quality-pattern-remove"
                    >
                      ×
                    </button>
                  </div>
                  <FieldNote text={n} field={FIELD.pattern(i)} />
                </li>
              );
            })}
          </ol>
        )}
        <button
          type="button"
          class="btn btn-secondary btn-small quality-pattern-add"
          disabled={f.patterns.length >= LIMITS.patterns}
          onClick={() => {
            focusPattern.current = f.patterns.length;
            setForbidden({ patterns: [...f.patterns, ''] });
          }}
          data-testid="quality-pattern-add"
        >
          + {t('quality.pattern_add')}
        </button>
        <FieldNote text={note(FIELD.patterns)} field={FIELD.patterns} />
      </div>
    </div>
  );
}

/** A sample text checked by the saved rules in the dialog the admin has open (none: no box). */
function TryBox({ dirty }: { dirty: boolean }) {
  const { quality, t, lang } = useQuality();
  const { state } = useConsole('lists', 'dialog');
  const dialogId = state.dialog.selectedId;
  const dialog = dialogId ? state.lists.dialogs.get(dialogId) : undefined;
  const [text, setText] = useState('');
  const [busy, setBusy] = useState(false);
  const [answer, setAnswer] = useState<{ text: string; hits: HitView[] } | Problem | null>(null);
  if (!dialogId || !dialog) return null;

  const check = async (ev: Event) => {
    ev.preventDefault();
    if (!text.trim() || busy) return;
    setBusy(true);
    const sample = text;
    const got = await quality.tryText(dialogId, sample);
    setBusy(false);
    setAnswer(isProblem(got) ? got : { text: sample, hits: got });
  };

  return (
    <form class="admin-card quality-try" onSubmit={check} data-testid="quality-try">
      <h2>{t('quality.try_title')}</h2>
      <p class="quality-rule-hint">{t('quality.try_hint', { n: dialog.number })}</p>
      {dirty && <p class="form-note">{t('quality.try_dirty')}</p>}
      <label class="field">
        <span>{t('quality.try_label')}</span>
        <textarea
          rows={2}
          value={text}
          onInput={(e) => {
            setText(e.currentTarget.value);
            setAnswer(null);
          }}
          data-testid="quality-try-input"
        />
      </label>
      <div class="quality-try-foot">
        <button type="submit" class="btn btn-secondary" disabled={busy || !text.trim()} data-testid="quality-try-check">
          {t('quality.try_button')}
        </button>
        {answer && isProblem(answer) && (
          <span class="form-error" role="alert">
            {problemText(t, lang, answer)}
          </span>
        )}
        {answer && !isProblem(answer) && answer.hits.length === 0 && (
          <span class="muted" role="status" data-testid="quality-try-none">
            {t('quality.try_none')}
          </span>
        )}
      </div>
      {answer && !isProblem(answer) && <GuardHits id="quality-try-hits" hits={answer.hits} />}
    </form>
  );
}
