/**
 * The saved replies over the composer while it holds "/…": the search's hits, each with its
 * scope and, for a reply pinned to one (see saved-replies.ts), its Ctrl+N shortcut.
 */
import type { SavedReplyView } from '../../shared/api-types';
import { useConsole } from '../context';

interface Props {
  /** The whole ordered list. */
  all: SavedReplyView[];
  /** A reply's Ctrl+N number, or null; without it, its place among the first nine of `all`. */
  pin?: (r: SavedReplyView) => number | null;
  hits: SavedReplyView[];
  index: number;
  onPick: (r: SavedReplyView) => void;
  onHover: (i: number) => void;
  channelName: (id: string) => string | null;
  /** The text as it would go in (variables filled). */
  preview: (r: SavedReplyView) => string;
}

export function SavedRepliesPopup({ all, pin, hits, index, onPick, onHover, channelName, preview }: Props) {
  const { t } = useConsole();
  const scope = (r: SavedReplyView) =>
    r.scope === 'personal'
      ? t('replies.scope_personal')
      : r.scope === 'channel'
        ? (r.channel_id && channelName(r.channel_id)) || t('replies.scope_channel')
        : t('replies.scope_workspace');
  return (
    <div class="composer-popup" data-testid="saved-replies-popup">
      <div class="composer-popup-head">
        <strong>{t('replies.popup_label')}</strong>
        <span>{t('replies.popup_hint')}</span>
      </div>
      {all.length === 0 ? (
        <p class="composer-popup-empty">{t('replies.none_yet')}</p>
      ) : hits.length === 0 ? (
        <p class="composer-popup-empty">{t('replies.no_match')}</p>
      ) : (
        <ul role="listbox" aria-label={t('replies.popup_label')}>
          {hits.map((r, i) => {
            const n = pin ? (pin(r) ?? 0) : all.indexOf(r) + 1;
            return (
              <li
                key={r.id}
                role="option"
                aria-selected={i === index}
                class={i === index ? 'active' : ''}
                data-testid="saved-reply-option"
                onMouseDown={(e) => {
                  e.preventDefault();
                  onPick(r);
                }}
                onMouseEnter={() => onHover(i)}
              >
                <span class="popup-row-top">
                  <span class="popup-title">{r.title}</span>
                  <span class={`scope-chip scope-${r.scope}`}>{scope(r)}</span>
                  {n >= 1 && n <= 9 && <kbd>{t('replies.shortcut', { n })}</kbd>}
                </span>
                <span class="popup-text">{preview(r)}</span>
              </li>
            );
          })}
        </ul>
      )}
    </div>
  );
}
