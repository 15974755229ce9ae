/**
 * Tags and categories: add, rename, archive and restore. Nothing is deleted: an archived entry
 * stays on the dialogs that have it and in reports, and cannot be chosen again until restored.
 * Beside them (a tab, admins) the custom fields (FieldsAdmin.tsx).
 */
import { useEffect, useState } from 'preact/hooks';
import type { TagView } from '../../shared/api-types';
import type { Problem } from '../console-state';
import type { LabelKind } from './admin-state';
import { LabelsTabs } from './LabelsTabs';
import { ProblemLine } from './ProblemLine';
import { useAdmin } from './use-admin';

export function LabelsAdmin() {
  const { state, t } = useAdmin();
  useEffect(() => {
    void state.loadLabels('tags', true);
    void state.loadLabels('categories', true);
  }, []);
  return (
    <section class="admin-section">
      <LabelsTabs current="tags" />
      <header class="admin-head">
        <h1>{t('labels.title')}</h1>
        <p>{t('labels.hint')}</p>
      </header>
      <div class="labels-columns">
        <LabelList kind="tags" />
        <LabelList kind="categories" />
      </div>
    </section>
  );
}

function LabelList({ kind }: { kind: LabelKind }) {
  const { state, admin, t } = useAdmin('tools');
  const [name, setName] = useState('');
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<Problem | null>(null);
  const list = state.tools[kind];
  const active = list.filter((l) => !l.archived);
  const archived = list.filter((l) => l.archived);

  const create = async (e: Event) => {
    e.preventDefault();
    if (!name.trim() || busy) return;
    setBusy(true);
    const refused = await admin.createLabel(kind, name);
    setBusy(false);
    setProblem(refused);
    if (!refused) setName('');
  };

  return (
    <div class="admin-card admin-list" data-testid={`labels-${kind}`}>
      <h2>{kind === 'tags' ? t('labels.tags') : t('labels.categories')}</h2>
      <form class="inline-form" onSubmit={create}>
        <input
          value={name}
          maxLength={60}
          placeholder={kind === 'tags' ? t('labels.new_tag') : t('labels.new_category')}
          aria-label={kind === 'tags' ? t('labels.new_tag') : t('labels.new_category')}
          onInput={(e) => setName(e.currentTarget.value)}
          data-testid="label-new-name"
        />
        <button type="submit" class="btn btn-primary" disabled={busy || !name.trim()} data-testid="label-add">
          {t('labels.add')}
        </button>
      </form>
      {problem && <ProblemLine problem={problem} testid="label-error" />}
      {active.length === 0 && <p class="list-note">{t('labels.empty')}</p>}
      <ul class="label-items">
        {active.map((l) => (
          <LabelItem key={l.id} kind={kind} label={l} />
        ))}
      </ul>
      {archived.length > 0 && (
        <>
          <h3 class="label-archive-title">{t('labels.archived_title')}</h3>
          <ul class="label-items archived">
            {archived.map((l) => (
              <LabelItem key={l.id} kind={kind} label={l} />
            ))}
          </ul>
        </>
      )}
    </div>
  );
}

function LabelItem({ kind, label }: { kind: LabelKind; label: TagView }) {
  const { admin, t } = useAdmin();
  const [editing, setEditing] = useState(false);
  const [name, setName] = useState(label.name);
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<Problem | null>(null);

  const patch = async (p: { name?: string; archived?: boolean }) => {
    setBusy(true);
    const refused = await admin.patchLabel(kind, label.id, p);
    setBusy(false);
    setProblem(refused);
    return !refused;
  };

  return (
    <li class={`label-item${label.archived ? ' archived' : ''}`} data-testid="label-item" data-archived={label.archived} data-name={label.name}>
      {editing ? (
        <form
          class="inline-form"
          onSubmit={async (e) => {
            e.preventDefault();
            if (!name.trim() || name.trim() === label.name) return setEditing(false);
            if (await patch({ name: name.trim() })) setEditing(false);
          }}
        >
          <input
            value={name}
            maxLength={60}
            aria-label={t('labels.rename')}
            onInput={(e) => setName(e.currentTarget.value)}
            onKeyDown={(e) => e.key === 'Escape' && setEditing(false)}
            data-testid="label-rename-input"
          />
          <button type="submit" class="btn btn-primary btn-small" disabled={busy} data-testid="label-rename-save">
            {t('labels.save')}
          </button>
          <button type="button" class="btn btn-ghost btn-small" onClick={() => setEditing(false)}>
            {t('labels.cancel')}
          </button>
        </form>
      ) : (
        <>
          <span class="label-name">
            {label.name}
            {label.archived && <span class="tag">{t('labels.archived')}</span>}
          </span>
          <span class="label-actions">
            <button
              type="button"
              class="link"
              onClick={() => {
                setName(label.name);
                setEditing(true);
              }}
              data-testid="label-rename"
            >
              {t('labels.rename')}
            </button>
            {label.archived ? (
              <button type="button" class="link" disabled={busy} onClick={() => void patch({ archived: false })} data-testid="label-restore">
                {t('labels.restore')}
              </button>
            ) : (
              <button type="button" class="link" disabled={busy} onClick={() => void patch({ archived: true })} data-testid="label-archive">
                {t('labels.archive')}
              </button>
            )}
          </span>
        </>
      )}
      {problem && <ProblemLine problem={problem} />}
    </li>
  );
}
