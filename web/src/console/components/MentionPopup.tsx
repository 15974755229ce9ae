/** Operators to mention, over the composer while a note holds "@…". */
import type { OperatorView } from '../../shared/api-types';
import { useConsole } from '../context';
import { Avatar } from './Avatar';

interface Props {
  operators: OperatorView[];
  index: number;
  onPick: (o: OperatorView) => void;
  onHover: (i: number) => void;
}

export function MentionPopup({ operators, index, onPick, onHover }: Props) {
  const { t } = useConsole();
  return (
    <div class="composer-popup composer-popup-narrow" data-testid="mention-popup">
      <div class="composer-popup-head">
        <strong>{t('mention.popup_label')}</strong>
      </div>
      {operators.length === 0 ? (
        <p class="composer-popup-empty">{t('mention.no_match')}</p>
      ) : (
        <ul role="listbox" aria-label={t('mention.popup_label')}>
          {operators.map((o, i) => (
            <li
              key={o.id}
              role="option"
              aria-selected={i === index}
              class={`popup-person${i === index ? ' active' : ''}`}
              data-testid="mention-option"
              onMouseDown={(e) => {
                e.preventDefault();
                onPick(o);
              }}
              onMouseEnter={() => onHover(i)}
            >
              <Avatar name={o.display_name} size="xs" />
              <span class="popup-title">{o.display_name}</span>
              <span class={`presence-dot presence-${o.presence}`} aria-hidden="true" />
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
