/** The files attached to the message being written: name, size or "uploading…", a remove button. */
import type { FileChip } from '../composer-files';
import { useConsole } from '../context';
import { sizeText } from '../files';

export function FileChips({ chips, onRemove }: { chips: FileChip[]; onRemove: (key: number) => void }) {
  const { t, lang } = useConsole();
  if (chips.length === 0) return null;
  return (
    <ul class="file-chips" data-testid="composer-files">
      {chips.map((c) => (
        <li key={c.key} class={`file-chip file-chip-${c.state}`} data-testid="file-chip" data-state={c.state}>
          {c.state === 'uploading' && <span class="spinner spinner-small" aria-hidden="true" />}
          <span class="file-chip-name">{c.name}</span>
          <span class="file-chip-size">{c.state === 'uploading' ? t('upload.uploading') : sizeText(t, lang, c.size)}</span>
          <button type="button" class="file-chip-remove" aria-label={t('upload.remove', { name: c.name })} title={t('upload.remove', { name: c.name })} onClick={() => onRemove(c.key)}>
            ×
          </button>
        </li>
      ))}
    </ul>
  );
}
