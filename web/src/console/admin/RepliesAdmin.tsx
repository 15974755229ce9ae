/**
 * Saved replies: every operator keeps his personal ones; admins and supervisors also those of
 * a channel and the shared ones. Grouped as the composer orders them, with the variables the
 * console fills on insert, each reply's Ctrl+N if he pinned it, and pinning or unpinning it
 * (his profile's nine slots, saved at once).
 */
import { useMemo, useState } from 'preact/hooks';
import { SHORTCUT_SLOTS, type SavedReplyScope, type SavedReplyView } from '../../shared/api-types';
import type { Problem } from '../console-state';
import { pinReply, shortcutOf, shortcutSlots } from '../saved-replies';
import { FieldNote } from './FieldNote';
import { fieldMessages } from './issue-text';
import { ProblemLine } from './ProblemLine';
import { formName, useUnsaved } from './unsaved';
import { useAdmin } from './use-admin';
import './admin-pages.css';

const VARIABLES = ['{visitor.name}', '{visitor.first_name}', '{operator.name}', '{operator.first_name}'];

const byTitle = (a: SavedReplyView, b: SavedReplyView) => a.title.localeCompare(b.title);

export function RepliesAdmin() {
  const { state, t } = useAdmin('tools', 'team');
  const [editing, setEditing] = useState<SavedReplyView | null>(null);
  const shortcuts = state.session.me?.profile?.shortcuts;
  const pinOf = (r: SavedReplyView) => shortcutOf(shortcuts, r);
  const shared = state.isSupervisor();
  const replies = state.tools.savedReplies;
  const groups: { key: string; title: string; items: SavedReplyView[] }[] = [
    { key: 'personal', title: t('replies.group_personal'), items: replies.filter((r) => r.scope === 'personal').sort(byTitle) },
    ...state.team.channels.map((c) => ({
      key: `channel-${c.id}`,
      title: t('replies.group_channel', { name: c.name }),
      items: replies.filter((r) => r.scope === 'channel' && r.channel_id === c.id).sort(byTitle),
    })),
    { key: 'workspace', title: t('replies.group_workspace'), items: replies.filter((r) => r.scope === 'workspace').sort(byTitle) },
  ].filter((g) => g.items.length > 0);

  return (
    <section class="admin-section">
      <header class="admin-head">
        <h1>{t('replies.title')}</h1>
        <p>{t('replies.hint')}</p>
        {!shared && <p>{t('replies.shared_by_admins')}</p>}
      </header>
      <div class="admin-columns replies-columns">
        <div class="admin-card admin-list" data-testid="replies-list">
          {groups.length === 0 && <p class="list-note">{t('replies.empty')}</p>}
          {groups.map((g) => (
            <div key={g.key} class="reply-group">
              <h2>{g.title}</h2>
              <ul>
                {g.items.map((r) => (
                  <li key={r.id}>
                    <button
                      type="button"
                      class={`admin-item${editing?.id === r.id ? ' selected' : ''}`}
                      onClick={() => {
                        const go = () => setEditing(r);
                        if (editing?.id === r.id || state.team.unsaved.mayLeave(go)) go();
                      }}
                      data-testid="reply-item"
                      data-reply-id={r.id}
                    >
                      <span class="admin-item-name">
                        <span class="reply-title">{r.title}</span>
                        {pinOf(r) !== null && (
                          <kbd class="pin-mark" data-testid="reply-pin">
                            {t('replies.shortcut', { n: pinOf(r)! })}
                          </kbd>
                        )}
                      </span>
                      <span class="admin-item-note reply-preview">{r.body}</span>
                    </button>
                  </li>
                ))}
              </ul>
            </div>
          ))}
        </div>
        <ReplyForm key={editing?.id ?? 'new'} reply={editing} onDone={() => setEditing(null)} />
      </div>
    </section>
  );
}

function ReplyForm({ reply, onDone }: { reply: SavedReplyView | null; onDone: () => void }) {
  const { state, admin, t } = useAdmin('team');
  const shared = state.isSupervisor();
  const [scope, setScope] = useState<SavedReplyScope>(reply?.scope ?? 'personal');
  const [channelId, setChannelId] = useState(reply?.channel_id ?? state.team.channels[0]?.id ?? '');
  const [title, setTitle] = useState(reply?.title ?? '');
  const [body, setBody] = useState(reply?.body ?? '');
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<Problem | null>(null);
  const [tried, setTried] = useState(false);
  const form = useMemo(() => formName('reply'), []);
  const dirty = reply ? title.trim() !== reply.title || body !== reply.body : title.trim() !== '' || body.trim() !== '';
  useUnsaved(form, dirty);
  const issues = [
    ...(!title.trim() ? [{ field: 'title', reason: 'required' as const }] : []),
    ...(!body.trim() ? [{ field: 'body', reason: 'required' as const }] : []),
  ];
  const messages = fieldMessages(t, tried ? issues : [], problem);
  const note = (field: string) => messages.get(field) ?? null;
  // Only the owner of a personal reply, or a supervisor for shared ones, may change it.
  const editable = !reply || reply.scope === 'personal' || shared;

  const submit = async (e: Event) => {
    e.preventDefault();
    setTried(true);
    if (issues.length || busy) return;
    setBusy(true);
    const refused = reply
      ? await admin.patchReply(reply.id, { title: title.trim(), body })
      : await admin.createReply(
          scope === 'channel' ? { scope, channel_id: channelId, title: title.trim(), body } : { scope, title: title.trim(), body },
        );
    setBusy(false);
    setProblem(refused);
    if (!refused) {
      setTried(false);
      if (reply) onDone();
      else {
        setTitle('');
        setBody('');
      }
    }
  };

  const remove = async () => {
    if (!reply || !confirm(t('replies.delete_confirm', { title: reply.title }))) return;
    setBusy(true);
    const refused = await admin.deleteReply(reply.id);
    setBusy(false);
    setProblem(refused);
    if (!refused) onDone();
  };

  const scopes: SavedReplyScope[] = shared ? ['personal', 'channel', 'workspace'] : ['personal'];
  const scopeLabel = (s: SavedReplyScope) =>
    s === 'personal' ? t('replies.scope_personal_long') : s === 'channel' ? t('replies.scope_channel_long') : t('replies.scope_workspace_long');

  return (
    <form class="admin-card admin-form" onSubmit={submit} data-testid="reply-form">
      <h2>{reply ? t('replies.edit_title') : t('replies.new')}</h2>
      {!reply && scopes.length > 1 && (
        <fieldset class="field">
          <legend>{t('replies.scope')}</legend>
          {scopes.map((s) => (
            <label key={s} class="choice">
              <input type="radio" name="scope" checked={scope === s} onChange={() => setScope(s)} data-testid={`reply-scope-${s}`} />
              {scopeLabel(s)}
            </label>
          ))}
        </fieldset>
      )}
      {!reply && scope === 'channel' && (
        <label class="field">
          <span>{t('replies.channel')}</span>
          <select value={channelId} onChange={(e) => setChannelId(e.currentTarget.value)} data-testid="reply-channel">
            {state.team.channels.map((c) => (
              <option key={c.id} value={c.id}>
                {c.name}
              </option>
            ))}
          </select>
        </label>
      )}
      <label class="field">
        <span>{t('replies.field_title')}</span>
        <input
          value={title}
          maxLength={100}
          disabled={!editable}
          aria-invalid={note('title') ? true : undefined}
          onInput={(e) => setTitle(e.currentTarget.value)}
          data-testid="reply-title"
        />
        <FieldNote text={note('title')} field="title" />
      </label>
      <label class="field">
        <span>{t('replies.field_body')}</span>
        <textarea
          rows={6}
          value={body}
          maxLength={4000}
          disabled={!editable}
          aria-invalid={note('body') ? true : undefined}
          onInput={(e) => setBody(e.currentTarget.value)}
          data-testid="reply-body"
        />
        <FieldNote text={note('body')} field="body" />
      </label>
      {reply && <PinPicker reply={reply} />}
      {editable && (
        <div class="reply-variables">
          <span class="muted">{t('replies.variables')}</span>
          {VARIABLES.map((v) => (
            <button key={v} type="button" class="var-chip" onClick={() => setBody(body + (body && !/\s$/.test(body) ? ' ' : '') + v)}>
              {v}
            </button>
          ))}
        </div>
      )}
      {problem && !(problem.code === 'validation_failed' && (note('title') || note('body'))) && <ProblemLine problem={problem} testid="reply-error" />}
      {editable && (
        <div class="form-actions">
          {reply && (
            <button type="button" class="btn btn-ghost danger" disabled={busy} onClick={() => void remove()} data-testid="reply-delete">
              {t('replies.delete')}
            </button>
          )}
          <span class="spacer" />
          {reply && (
            <button type="button" class="btn btn-secondary" onClick={onDone}>
              {t('replies.cancel')}
            </button>
          )}
          <button type="submit" class="btn btn-primary" disabled={busy || (!!reply && !dirty)} data-testid="reply-save">
            {reply ? t('replies.save') : t('replies.add')}
          </button>
        </div>
      )}
    </form>
  );
}

/** Pins the reply to one of his nine shortcuts (taking it from any other), or unpins it; saved at once. */
function PinPicker({ reply }: { reply: SavedReplyView }) {
  const { state, admin, t } = useAdmin('tools');
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<Problem | null>(null);
  const shortcuts = shortcutSlots(state.session.me?.profile?.shortcuts);
  const current = shortcutOf(shortcuts, reply);
  const titleOf = (id: string | null) => (id ? (state.tools.savedReplies.find((r) => r.id === id)?.title ?? t('profile.slot_gone')) : null);

  const pin = async (slot: number | null) => {
    setBusy(true);
    setProblem(null);
    setProblem(await admin.patchMe({ shortcuts: pinReply(shortcuts, reply.id, slot) }));
    setBusy(false);
  };

  return (
    <div class="field pin-picker">
      <label class="field">
        <span>{t('replies.pin')}</span>
        <select
          value={current === null ? '' : String(current)}
          disabled={busy}
          onChange={(e) => void pin(e.currentTarget.value ? Number(e.currentTarget.value) : null)}
          data-testid="reply-pin-select"
        >
          <option value="">{t('replies.pin_none')}</option>
          {Array.from({ length: SHORTCUT_SLOTS }, (_, i) => {
            const holder = shortcuts[i] && shortcuts[i] !== reply.id ? titleOf(shortcuts[i]) : null;
            return (
              <option key={i} value={String(i + 1)}>
                {holder ? t('replies.pin_taken', { n: i + 1, title: holder }) : t('replies.shortcut', { n: i + 1 })}
              </option>
            );
          })}
        </select>
        <small>{t('replies.pin_hint')}</small>
      </label>
      {problem && <ProblemLine problem={problem} testid="reply-pin-error" />}
    </div>
  );
}
