/** Where the visitor writes: Enter sends, Shift+Enter starts a new line. */
import { useEffect, useRef, useState } from 'preact/hooks';
import { ComposerInput } from '../../shared/ComposerInput';
import { useChatEnv } from '../context';

export function Composer() {
  const { chat, t } = useChatEnv();
  const [text, setText] = useState('');
  const input = useRef<HTMLTextAreaElement>(null);

  useEffect(() => {
    const focus = () => input.current?.focus();
    // "Edit" on a refused message puts its text back here.
    const edit = (e: Event) => {
      setText((e as CustomEvent<string>).detail);
      focus();
    };
    addEventListener('frontline:shown', focus);
    addEventListener('frontline:edit', edit);
    return () => {
      removeEventListener('frontline:shown', focus);
      removeEventListener('frontline:edit', edit);
    };
  }, []);

  const submit = () => {
    if (!text.trim()) return;
    chat.send(text);
    setText('');
    input.current?.focus();
  };

  return (
    <form
      class="composer"
      onSubmit={(e) => {
        e.preventDefault();
        submit();
      }}
    >
      <ComposerInput
        inputRef={input}
        rows={1}
        maxHeight={120}
        value={text}
        placeholder={t('composer.placeholder')}
        onInput={setText}
        onSubmit={submit}
      />
      <button type="submit" class="send-btn" disabled={!text.trim()} aria-label={t('composer.send')} title={t('composer.send')} data-testid="composer-send">
        <svg viewBox="0 0 24 24" width="20" height="20" aria-hidden="true">
          <path d="M4 12l16-8-6 16-2.5-6.5z" fill="currentColor" />
        </svg>
      </button>
    </form>
  );
}
