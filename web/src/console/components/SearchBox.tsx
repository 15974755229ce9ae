/** The search over messages, visitor names, e-mails and phones, above the list (2+ characters, as you type). */
import { useEffect, useRef, useState } from 'preact/hooks';
import { useConsole } from '../context';

const DEBOUNCE_MS = 300;

export function SearchBox() {
  const { state, t } = useConsole('tools');
  const [text, setText] = useState(state.tools.search.query);
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);

  useEffect(() => () => clearTimeout(timer.current), []);
  // Cleared elsewhere (sign-out): follow.
  useEffect(() => {
    if (state.tools.search.query === '' && text !== '') setText('');
  }, [state.tools.search.query]);

  const change = (value: string) => {
    setText(value);
    clearTimeout(timer.current);
    if (!value.trim()) {
      state.clearSearch();
      return;
    }
    timer.current = setTimeout(() => void state.searchFor(value), DEBOUNCE_MS);
  };

  return (
    <form
      class="search-box"
      role="search"
      onSubmit={(e) => {
        e.preventDefault();
        clearTimeout(timer.current);
        void state.searchFor(text);
      }}
    >
      <svg viewBox="0 0 24 24" width="16" height="16" aria-hidden="true">
        <circle cx="11" cy="11" r="6.5" fill="none" stroke="currentColor" stroke-width="2" />
        <path d="m16 16 4.5 4.5" stroke="currentColor" stroke-width="2" stroke-linecap="round" />
      </svg>
      <input
        type="search"
        value={text}
        maxLength={200}
        placeholder={t('search.placeholder')}
        aria-label={t('search.placeholder')}
        onInput={(e) => change(e.currentTarget.value)}
        onKeyDown={(e) => {
          if (e.key === 'Escape' && text) {
            e.preventDefault();
            change('');
          }
        }}
        data-testid="search-input"
      />
      {text && (
        <button type="button" class="search-clear" aria-label={t('search.clear')} title={t('search.clear')} onClick={() => change('')} data-testid="search-clear">
          ×
        </button>
      )}
    </form>
  );
}
