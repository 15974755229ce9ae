/**
 * Saved replies: every operator keeps his personal ones; admins and supervisors also those of
 * a channel and the shared ones. Grouped as the composer orders them, with the variables the
 * console fills on insert.
 */
import { useState } from 'preact/hooks';
import type { SavedReplyScope, SavedReplyView } from '../../shared/api-types';
import type { Problem } from '../console-state';
import { ProblemLine } from './ProblemLine';
import { useAdmin } from './use-admin';

const VARIABLES = ['{visitor.name}', '{visitor.first_name}', '{operator.name}', '{operator.first_name}'];

const byTitle = (a: SavedReplyView, b: SavedReplyView) => a.title.localeCompare(b.title);

export function RepliesAdmin() {
  const { state, t } = useAdmin();
  const [editing, setEditing] = useState<SavedReplyView | null>(null);
  const shared = state.isSupervisor();
  const replies = state.savedReplies;
  const groups: { key: string; title: string; items: SavedReplyView[] }[] = [
    { key: 'personal', title: t('replies.group_personal'), items: replies.filter((r) => r.scope === 'personal').sort(byTitle) },
    ...state.channels.map((c) => ({
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
                      onClick={() => setEditing(r)}
                      data-testid="reply-item"
                      data-reply-id={r.id}
                    >
                      <span class="admin-item-name">{r.title}</span>
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
  const { state, admin, t } = useAdmin();
  const shared = state.isSupervisor();
  const [scope, setScope] = useState<SavedReplyScope>(reply?.scope ?? 'personal');
  const [channelId, setChannelId] = useState(reply?.channel_id ?? state.channels[0]?.id ?? '');
  const [title, setTitle] = useState(reply?.title ?? '');
  const [body, setBody] = useState(reply?.body ?? '');
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<Problem | null>(null);
  // Only the owner of a personal reply, or a supervisor for shared ones, may change it.
  const editable = !reply || reply.scope === 'personal' || shared;

  const submit = async (e: Event) => {
    e.preventDefault();
    if (!title.trim() || !body.trim() || busy) return;
    setBusy(true);
    const refused = reply
      ? await admin.patchReply(reply.id, { title: title.trim(), body })
      : await admin.createReply({ scope, title: title.trim(), body, ...(scope === 'channel' ? { channel_id: channelId } : {}) });
    setBusy(false);
    setProblem(refused);
    if (!refused) {
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
            {state.channels.map((c) => (
              <option key={c.id} value={c.id}>
                {c.name}
              </option>
            ))}
          </select>
        </label>
      )}
      <label class="field">
        <span>{t('replies.field_title')}</span>
        <input value={title} maxLength={100} disabled={!editable} onInput={(e) => setTitle(e.currentTarget.value)} data-testid="reply-title" />
      </label>
      <label class="field">
        <span>{t('replies.field_body')}</span>
        <textarea rows={6} value={body} maxLength={4000} disabled={!editable} onInput={(e) => setBody(e.currentTarget.value)} data-testid="reply-body" />
      </label>
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
      {problem && <ProblemLine problem={problem} testid="reply-error" />}
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
          <button type="submit" class="btn btn-primary" disabled={busy || !title.trim() || !body.trim()} data-testid="reply-save">
            {reply ? t('replies.save') : t('replies.add')}
          </button>
        </div>
      )}
    </form>
  );
}
