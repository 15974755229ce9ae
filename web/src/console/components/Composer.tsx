/** The reply box under the timeline: Enter sends, Shift+Enter adds a line. */
import { useEffect, useRef, useState } from 'preact/hooks';
import { ComposerInput } from '../../shared/ComposerInput';
import { useConsole } from '../context';

/** Drafts survive switching between dialogs. */
const drafts = new Map<string, string>();

export function Composer({ dialogId }: { dialogId: string }) {
  const { state, t } = useConsole();
  const [text, setText] = useState(() => drafts.get(dialogId) ?? '');
  const input = useRef<HTMLTextAreaElement>(null);

  useEffect(() => {
    setText(drafts.get(dialogId) ?? '');
    input.current?.focus();
    // "Edit" on a refused message puts its text back here.
    const edit = (e: Event) => {
      const { dialogId: target, body } = (e as CustomEvent<{ dialogId: string; body: string }>).detail;
      if (target !== dialogId) return;
      setText(body);
      drafts.set(dialogId, body);
      input.current?.focus();
    };
    addEventListener('frontline:edit', edit);
    return () => removeEventListener('frontline:edit', edit);
  }, [dialogId]);

  const update = (value: string) => {
    setText(value);
    if (value) drafts.set(dialogId, value);
    else drafts.delete(dialogId);
  };

  const submit = () => {
    if (!text.trim()) return;
    state.send(dialogId, text);
    update('');
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
        rows={2}
        maxHeight={200}
        value={text}
        placeholder={t('composer.placeholder')}
        onInput={update}
        onSubmit={submit}
      />
      <div class="composer-foot">
        <span class="composer-hint">{t('composer.hint')}</span>
        <button type="submit" class="btn btn-primary" disabled={!text.trim()} data-testid="composer-send">
          {t('composer.send')}
        </button>
      </div>
    </form>
  );
}
