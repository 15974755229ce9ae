/**
 * Routing rules: an ordered list edited on the page (add, edit, delete, move up and down) and
 * saved whole. A rule the server refuses is named by index and field
 * (`items[2].conditions[0].pattern`): the message says which, and that input is marked. A
 * Telegram condition offers the topics of the workspace's bots (read from
 * `/api/v1/telegram/bots`; without any, or when they cannot be read, the key is typed); a
 * segment condition the workspace's segments (a deleted one is refused at its select).
 */
import { useEffect, useMemo, useState } from 'preact/hooks';
import type { Translate } from '../../shared/i18n';
import { useObservable } from '../../shared/store';
import type { Problem } from '../console-state';
import { problemText } from '../context';
import type { ConsoleKey } from '../i18n';
import type { FieldIssue } from './field-issues';
import { issueText } from './issue-text';
import { RuleEditor } from './RuleEditor';
import { RulesTabs } from './RulesTabs';
import { draftsFrom, moveItem, newRule, parseFieldPath, rulesRequest, type FieldRef, type RuleDraft } from './rules';
import { serverIssue } from './server-issues';
import { topicChoices } from './telegram';
import { formName, useUnsaved } from './unsaved';
import { useAdmin } from './use-admin';

/** The label of a field the server named, in the words of the form. */
export function ruleFieldLabel(t: Translate<ConsoleKey>, ref: FieldRef, drafts: readonly RuleDraft[]): string {
  const f = ref.field;
  if (ref.condition === null) {
    return f === 'name' ? t('rules.name') : f === 'channel_id' ? t('rules.channel') : f === 'conditions' ? t('rules.conditions') : f ?? t('rules.name');
  }
  const type = drafts[ref.rule]?.conditions[ref.condition]?.type;
  switch (f) {
    case 'pattern':
      return t('rules.pattern');
    case 'regex':
      return t('rules.regex');
    case 'type':
      return t('rules.condition_type');
    case 'name':
      return t('rules.property_name');
    case 'segment_id':
      return t('segments.condition_value');
    case 'value':
      if (type === 'language') return t('rules.language_value');
      if (type === 'telegram_topic') return t('rules.topic_value');
      if (type === 'mail_to') return t('rules.mail_to_value');
      return t('rules.property_value');
    default:
      return f ?? t('rules.condition_type');
  }
}

/**
 * What was wrong with a field the server named, in the words of the form: a Telegram
 * condition's topic is not chosen, or is not a topic key; anything else as any field's issue.
 */
export function ruleIssueText(t: Translate<ConsoleKey>, issue: FieldIssue, ref: FieldRef, drafts: readonly RuleDraft[]): string {
  const c = ref.condition === null ? undefined : drafts[ref.rule]?.conditions[ref.condition];
  if (c?.type === 'telegram_topic' && ref.field === 'value') return c.value.trim() ? t('telegram.issue_key') : t('rules.topic_required');
  return issueText(t, issue);
}

export function RulesAdmin() {
  const { state, admin, t, lang } = useAdmin('team');
  const [drafts, setDrafts] = useState<RuleDraft[] | null>(null);
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<Problem | null>(null);
  const [saved, setSaved] = useState(false);

  useObservable(admin.telegram);

  useEffect(() => {
    void admin.loadRules();
    // For a Telegram condition's topics; a failure leaves the key to be typed.
    void admin.telegram.load();
    // For a segment condition's choices, fresh (one may have been made on the segments page).
    void state.loadSegments();
  }, []);
  // The loaded list becomes the drafts until the admin edits them.
  useEffect(() => {
    if (!admin.rulesLoading && !admin.rulesProblem && drafts === null) setDrafts(draftsFrom(admin.rules));
  }, [admin.rulesLoading, admin.rules]);

  const list = drafts ?? [];
  const dirty = drafts !== null && JSON.stringify(rulesRequest(list)) !== JSON.stringify(rulesRequest(draftsFrom(admin.rules)));
  const form = useMemo(() => formName('rules'), []);
  useUnsaved(form, dirty);
  const field = problem && typeof problem.details.field === 'string' ? parseFieldPath(problem.details.field) : null;
  const defaultChannel = state.team.channels.find((c) => c.is_default)?.id ?? state.team.channels[0]?.id ?? '';
  const bots = admin.telegram.bots;
  const topics = useMemo(() => (admin.telegram.loaded ? topicChoices(bots, lang) : null), [bots, admin.telegram.loaded, lang]);

  const edit = (next: RuleDraft[]) => {
    setDrafts(next);
    setSaved(false);
  };

  const save = async (e: Event) => {
    e.preventDefault();
    if (busy || drafts === null) return;
    setBusy(true);
    setProblem(null);
    const refused = await admin.saveRules(drafts);
    setBusy(false);
    setProblem(refused);
    if (!refused) {
      setDrafts(draftsFrom(admin.rules));
      setSaved(true);
    }
  };

  const errorText = (p: Problem): string => {
    if (!field) return problemText(t, lang, p);
    const issue = serverIssue(p);
    // A segment deleted meanwhile (`404 not_found` at `…segment_id`).
    const gone = p.code === 'not_found' && field.field === 'segment_id';
    const message = gone ? t('segments.condition_gone') : issue ? ruleIssueText(t, issue, field, list) : problemText(t, lang, p);
    const label = ruleFieldLabel(t, field, list);
    return field.condition === null
      ? t('rules.error_rule', { rule: field.rule + 1, field: label, message })
      : t('rules.error_condition', { rule: field.rule + 1, condition: field.condition + 1, field: label, message });
  };

  return (
    <section class="admin-section">
      <RulesTabs current="rules" />
      <header class="admin-head">
        <h1>{t('rules.title')}</h1>
        <p>{t('rules.hint')}</p>
      </header>
      {admin.rulesLoading && drafts === null && <p class="list-note">{t('admin.loading')}</p>}
      {admin.rulesProblem && (
        <p class="form-error" role="alert">
          {problemText(t, lang, admin.rulesProblem)}{' '}
          <button type="button" class="link" onClick={() => void admin.loadRules()}>
            {t('app.retry')}
          </button>
        </p>
      )}
      {drafts !== null && (
        <form class="rules-form" onSubmit={save} data-testid="rules-form">
          {list.length === 0 && (
            <p class="list-note admin-card" data-testid="rules-empty">
              {t('rules.empty')}
            </p>
          )}
          <ol class="rules">
            {list.map((rule, i) => (
              <RuleEditor
                key={rule.key}
                index={i}
                count={list.length}
                rule={rule}
                error={field && field.rule === i ? field : null}
                onChange={(next) => edit(list.map((r, j) => (j === i ? next : r)))}
                onMove={(delta) => edit(moveItem(list, i, delta))}
                onDelete={() => edit(list.filter((_, j) => j !== i))}
                topics={topics}
              />
            ))}
          </ol>
          {problem && (
            <p class="form-error" role="alert" data-testid="rules-error" data-code={problem.code}>
              {errorText(problem)}
              {field && (
                <>
                  {' '}
                  <code data-testid="rules-error-field">{String(problem.details.field)}</code>
                </>
              )}
            </p>
          )}
          <div class="form-actions rules-actions">
            <button type="button" class="btn btn-secondary" onClick={() => edit([...list, newRule(defaultChannel)])} data-testid="rule-add">
              {t('rules.add')}
            </button>
            <span class="spacer" />
            {dirty && <span class="muted">{t('rules.unsaved')}</span>}
            {saved && !dirty && (
              <span class="saved-note" data-testid="rules-saved">
                {t('admin.saved')}
              </span>
            )}
            {dirty && (
              <button
                type="button"
                class="btn btn-ghost"
                onClick={() => {
                  setDrafts(draftsFrom(admin.rules));
                  setProblem(null);
                }}
              >
                {t('rules.revert')}
              </button>
            )}
            <button type="submit" class="btn btn-primary" disabled={busy || !dirty} data-testid="rules-save">
              {busy ? t('admin.saving') : t('rules.save')}
            </button>
          </div>
        </form>
      )}
    </section>
  );
}
