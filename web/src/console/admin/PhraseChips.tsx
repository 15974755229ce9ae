/** Hold phrases as chips: each removable, a box to add one (Enter or the button). */
import { useState } from 'preact/hooks';
import { useConsole } from '../context';
import { addPhrase, FIELD, PHRASE_MAX_LENGTH } from './automation';
import { FieldNote } from './FieldNote';

interface Props {
  phrases: string[];
  onChange: (phrases: string[]) => void;
  /** The message placed at a field path, if any. */
  note: (path: string) => string | null;
}

export function PhraseChips({ phrases, onChange, note }: Props) {
  const { t } = useConsole();
  const [text, setText] = useState('');
  const add = () => {
    const next = addPhrase(phrases, text);
    if (next.length !== phrases.length) onChange(next);
    setText('');
  };
  const chipNotes = phrases.map((_, i) => note(FIELD.hold_phrase(i)));
  return (
    <div class="phrase-editor" data-testid="hold-phrases">
      <ul class="phrase-chips">
        {phrases.map((p, i) => (
          <li key={`${i}-${p}`} class={`phrase-chip${chipNotes[i] ? ' invalid' : ''}`} data-testid="phrase-chip" data-index={i}>
            <span>{p}</span>
            <button
              type="button"
              class="tag-chip-remove"
              aria-label={t('automation.remove_phrase', { phrase: p })}
              title={t('automation.remove_phrase', { phrase: p })}
              onClick={() => onChange(phrases.filter((_, j) => j !== i))}
              data-testid="phrase-remove"
            >
              ×
            </button>
          </li>
        ))}
        <li class="phrase-new">
          <input
            value={text}
            maxLength={PHRASE_MAX_LENGTH}
            placeholder={t('automation.new_phrase')}
            aria-label={t('automation.new_phrase')}
            onInput={(e) => setText(e.currentTarget.value)}
            onKeyDown={(e) => {
              if (e.key === 'Enter') {
                e.preventDefault();
                add();
              }
            }}
            data-testid="phrase-input"
          />
          <button type="button" class="btn btn-secondary btn-small" disabled={!text.trim()} onClick={add} data-testid="phrase-add">
            {t('automation.add_phrase')}
          </button>
        </li>
      </ul>
      {chipNotes.map((n, i) => n && <FieldNote key={i} text={n} field={FIELD.hold_phrase(i)} />)}
      <FieldNote text={note(FIELD.hold_phrases)} field={FIELD.hold_phrases} />
    </div>
  );
}
