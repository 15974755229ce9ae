/**
 * The dialog's category. When a close was refused for want of one, the select is outlined,
 * focused, and says "Choose a category before closing".
 */
import { useEffect, useRef, useState } from 'preact/hooks';
import type { DialogView } from '../../shared/api-types';
import type { Problem } from '../console-state';
import { problemText, useConsole } from '../context';

export function CategorySelect({ dialog }: { dialog: DialogView }) {
  const { state, t, lang } = useConsole('lists', 'tools');
  const [problem, setProblem] = useState<Problem | null>(null);
  const [busy, setBusy] = useState(false);
  const select = useRef<HTMLSelectElement>(null);
  const needed = state.lists.categoryNeeded.has(dialog.id);
  const current = dialog.category;
  const options = state.tools.categories.filter((c) => !c.archived || c.id === current?.id);
  const known = !current || options.some((c) => c.id === current.id);

  useEffect(() => {
    if (needed) select.current?.focus();
  }, [needed]);

  const change = async (id: string) => {
    setBusy(true);
    setProblem(null);
    setProblem(await state.setCategory(dialog.id, id || null));
    setBusy(false);
  };

  return (
    <div class={`category-select${needed ? ' needed' : ''}`}>
      <label>
        <span class="meta-label">{t('category.label')}:</span>
        <select
          ref={select}
          value={current?.id ?? ''}
          disabled={busy}
          aria-invalid={needed}
          onChange={(e) => void change(e.currentTarget.value)}
          data-testid="category-select"
        >
          <option value="">{t('category.none')}</option>
          {options.map((c) => (
            <option key={c.id} value={c.id}>
              {c.name}
            </option>
          ))}
          {!known && current && <option value={current.id}>{current.name}</option>}
        </select>
      </label>
      {needed && (
        <span class="inline-error" role="alert" data-testid="category-required">
          {t('category.required')}
        </span>
      )}
      {problem && (
        <span class="inline-error" role="alert">
          {problemText(t, lang, problem)}
        </span>
      )}
    </div>
  );
}
