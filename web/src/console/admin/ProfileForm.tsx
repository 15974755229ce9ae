/**
 * The operator's profile: the name visitors see, the console's language and the nine saved
 * replies pinned to Ctrl+1…9, saved together (`PATCH /api/v1/me`, only what changed). A saved
 * language switches the console at once and follows him to his other browsers.
 */
import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { oneOf } from '../../shared/api-types';
import { LANGS, type Lang } from '../../shared/i18n';
import type { Problem } from '../console-state';
import { FieldNote } from './FieldNote';
import { fieldMessages } from './issue-text';
import { profileDraft, profileIssues, profilePatch, replyGroups, shortcutField, shortcutIndex, type ProfileDraft } from './profile';
import { ProblemLine } from './ProblemLine';
import { formName, useUnsaved } from './unsaved';
import { useAdmin } from './use-admin';

const LANG_NAMES: Record<Lang, string> = { ru: 'Русский', en: 'English' };

export function ProfileForm() {
  const { state, admin, t, lang } = useAdmin('tools', 'team');
  const me = state.session.me!;
  const form = useMemo(() => formName('profile'), []);
  const [draft, setDraft] = useState<ProfileDraft>(() => profileDraft(me, lang));
  const [tried, setTried] = useState(false);
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<Problem | null>(null);
  const [saved, setSaved] = useState(false);
  const base = useRef(profileDraft(me, lang));

  // His profile changed elsewhere (a pin from the saved-replies page, another browser): follow it unless edited.
  useEffect(() => {
    const next = profileDraft(me, lang);
    const untouched = JSON.stringify(base.current) === JSON.stringify(draft);
    base.current = next;
    if (untouched) setDraft(next);
  }, [me.operator.display_name, me.profile, lang]);

  const issues = profileIssues(draft);
  const patch = profilePatch(me, lang, draft);
  const dirty = patch !== null;
  useUnsaved(form, dirty);

  const messages = fieldMessages(t, tried ? issues : [], problem);
  const note = (field: string) => messages.get(field) ?? null;
  const shortcutsNote = [...messages].filter(([f]) => f === 'shortcuts' || (f.startsWith('shortcuts') && shortcutIndex(f) === null)).map(([, text]) => text)[0] ?? null;
  const elsewhere = [...messages].filter(([f]) => f !== 'display_name' && f !== 'language' && !f.startsWith('shortcuts'));

  const set = (change: Partial<ProfileDraft>) => {
    setDraft((d) => ({ ...d, ...change }));
    setSaved(false);
    if (problem) setProblem(null);
  };

  const submit = async (e: Event) => {
    e.preventDefault();
    if (busy) return;
    setTried(true);
    if (issues.length || !patch) return;
    setBusy(true);
    setProblem(null);
    const refused = await admin.patchMe(patch);
    setBusy(false);
    setProblem(refused);
    if (refused) return;
    setTried(false);
    setSaved(true);
    if (patch.language && patch.language !== state.session.lang) state.setLang(patch.language);
  };

  const groups = replyGroups(state.tools.savedReplies, state.team.channels);
  const known = new Set(state.tools.savedReplies.map((r) => r.id));
  const groupLabel = (g: (typeof groups)[number]) =>
    g.scope === 'personal' ? t('replies.group_personal') : g.scope === 'workspace' ? t('replies.group_workspace') : t('replies.group_channel', { name: g.channel ?? '' });

  return (
    <form class="admin-card admin-form profile-form" onSubmit={submit} noValidate data-testid="profile-form">
      <h2>{t('profile.about_title')}</h2>
      <div class="profile-row">
        <label class="field">
          <span>{t('profile.display_name')}</span>
          <input
            value={draft.display_name}
            maxLength={120}
            autoComplete="name"
            aria-invalid={note('display_name') ? true : undefined}
            onInput={(e) => set({ display_name: e.currentTarget.value })}
            data-testid="profile-name"
          />
          {!note('display_name') && <small>{t('profile.display_name_hint')}</small>}
          <FieldNote text={note('display_name')} field="display_name" />
        </label>
        <label class="field profile-language">
          <span>{t('profile.language')}</span>
          <select value={draft.language} onChange={(e) => set({ language: oneOf(e.currentTarget.value, LANGS) ?? draft.language })} data-testid="profile-language">
            {LANGS.map((l) => (
              <option key={l} value={l} lang={l}>
                {LANG_NAMES[l]}
              </option>
            ))}
          </select>
          <FieldNote text={note('language')} field="language" />
        </label>
      </div>

      <fieldset class="field shortcut-slots" data-testid="profile-shortcuts">
        <legend>{t('profile.shortcuts_title')}</legend>
        <small class="muted">{t('profile.shortcuts_hint')}</small>
        <ol>
          {draft.shortcuts.map((id, i) => {
            const field = shortcutField(i);
            const message = note(field);
            return (
              <li key={i} class="shortcut-slot" data-testid="shortcut-slot" data-slot={i + 1}>
                <kbd>{t('replies.shortcut', { n: i + 1 })}</kbd>
                <select
                  value={id ?? ''}
                  aria-label={t('profile.slot', { n: i + 1 })}
                  aria-invalid={message ? true : undefined}
                  onChange={(e) => set({ shortcuts: draft.shortcuts.map((x, j) => (j === i ? e.currentTarget.value || null : x)) })}
                  data-testid="shortcut-select"
                >
                  <option value="">{t('profile.slot_empty')}</option>
                  {id && !known.has(id) && <option value={id}>{t('profile.slot_gone')}</option>}
                  {groups.map((g) => (
                    <optgroup key={g.key} label={groupLabel(g)}>
                      {g.items.map((r) => (
                        <option key={r.id} value={r.id}>
                          {r.title}
                        </option>
                      ))}
                    </optgroup>
                  ))}
                </select>
                <FieldNote text={message} field={field} />
              </li>
            );
          })}
        </ol>
        {state.tools.savedReplies.length === 0 && <small class="muted">{t('profile.no_replies')}</small>}
        <FieldNote text={shortcutsNote} field="shortcuts" />
      </fieldset>

      {elsewhere.map(([field, text]) => (
        <p key={field} class="form-error" role="alert" data-testid="profile-error-field">
          {t('automation.field_unknown', { field, message: text })}
        </p>
      ))}
      {problem && problem.code !== 'validation_failed' && <ProblemLine problem={problem} testid="profile-error" />}
      <div class="form-actions">
        {dirty && <span class="muted">{t('unsaved.note')}</span>}
        {saved && !dirty && (
          <span class="saved-note" role="status" data-testid="profile-saved">
            {t('admin.saved')}
          </span>
        )}
        <button type="submit" class="btn btn-primary" disabled={busy || !dirty} data-testid="profile-save">
          {busy ? t('admin.saving') : t('admin.save')}
        </button>
      </div>
    </form>
  );
}
