/** The dialog's tags as chips (× removes one) and "+ Tag" to add one from the dictionary, with a search box. */
import { useEffect, useRef, useState } from 'preact/hooks';
import type { DialogView } from '../../shared/api-types';
import type { Problem } from '../console-state';
import { problemText, useConsole } from '../context';
import { tagChoices } from '../tools';

export function TagEditor({ dialog }: { dialog: DialogView }) {
  const { state, t, lang } = useConsole('tools');
  const [adding, setAdding] = useState(false);
  const [search, setSearch] = useState('');
  const [problem, setProblem] = useState<Problem | null>(null);
  const [busy, setBusy] = useState(false);
  const box = useRef<HTMLDivElement>(null);
  const tags = dialog.tags ?? [];
  const choices = tagChoices(state.tools.tags, tags, search);

  useEffect(() => {
    if (!adding) return;
    box.current?.querySelector<HTMLInputElement>('input')?.focus();
    const outside = (e: MouseEvent) => {
      if (!box.current?.contains(e.target as Node)) setAdding(false);
    };
    document.addEventListener('mousedown', outside);
    return () => document.removeEventListener('mousedown', outside);
  }, [adding]);

  const save = async (ids: string[]) => {
    setBusy(true);
    setProblem(null);
    const refused = await state.setTags(dialog.id, ids);
    setBusy(false);
    setProblem(refused);
    return !refused;
  };

  return (
    <div class="tag-editor" data-testid="tag-editor" ref={box}>
      <span class="meta-label">{t('tags.label')}:</span>
      {tags.map((tag) => (
        <span key={tag.id} class="tag-chip" data-testid="dialog-tag" data-tag-id={tag.id}>
          {tag.name}
          <button
            type="button"
            class="tag-chip-remove"
            aria-label={t('tags.remove', { name: tag.name })}
            title={t('tags.remove', { name: tag.name })}
            disabled={busy}
            onClick={() => void save(tags.filter((x) => x.id !== tag.id).map((x) => x.id))}
          >
            ×
          </button>
        </span>
      ))}
      <button type="button" class="tag-add" aria-expanded={adding} onClick={() => setAdding(!adding)} data-testid="tag-add">
        {t('tags.add')}
      </button>
      {adding && (
        <div
          class="popover tag-popover"
          data-testid="tag-popover"
          onKeyDown={(e) => {
            if (e.key === 'Escape') {
              e.stopPropagation();
              setAdding(false);
            }
          }}
        >
          <input
            type="search"
            value={search}
            placeholder={t('tags.search')}
            aria-label={t('tags.search')}
            onInput={(e) => setSearch(e.currentTarget.value)}
            onKeyDown={(e) => {
              if (e.key === 'Enter' && choices[0]) {
                e.preventDefault();
                void save([...tags.map((x) => x.id), choices[0].id]).then((ok) => ok && setSearch(''));
              }
            }}
            data-testid="tag-search"
          />
          <ul class="tag-options">
            {state.tools.tags.filter((x) => !x.archived).length === 0 ? (
              <li class="muted">{t('tags.dictionary_empty')}</li>
            ) : choices.length === 0 ? (
              <li class="muted">{t('tags.no_match')}</li>
            ) : (
              choices.map((c) => (
                <li key={c.id}>
                  <button
                    type="button"
                    disabled={busy}
                    onClick={() => void save([...tags.map((x) => x.id), c.id]).then((ok) => ok && setSearch(''))}
                    data-testid="tag-option"
                  >
                    {c.name}
                  </button>
                </li>
              ))
            )}
          </ul>
        </div>
      )}
      {problem && (
        <span class="inline-error" role="alert">
          {problemText(t, lang, problem)}
        </span>
      )}
    </div>
  );
}
