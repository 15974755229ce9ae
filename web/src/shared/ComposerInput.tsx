/**
 * The text box of both composers: grows with the text up to `maxHeight`, then scrolls;
 * Enter sends, Shift+Enter starts a new line, and Enter while an input method is composing
 * (e.g. Japanese, Chinese) is left to the input method.
 */
import type { Ref } from 'preact';
import { useEffect } from 'preact/hooks';

interface Props {
  inputRef: Ref<HTMLTextAreaElement> & { current: HTMLTextAreaElement | null };
  value: string;
  placeholder: string;
  rows: number;
  maxHeight: number;
  onInput: (value: string) => void;
  onSubmit: () => void;
}

export function ComposerInput({ inputRef, value, placeholder, rows, maxHeight, onInput, onSubmit }: Props) {
  useEffect(() => {
    const el = inputRef.current;
    if (!el) return;
    el.style.height = 'auto';
    el.style.height = `${Math.min(el.scrollHeight, maxHeight)}px`;
  }, [value, maxHeight]);

  return (
    <textarea
      ref={inputRef}
      rows={rows}
      value={value}
      placeholder={placeholder}
      aria-label={placeholder}
      data-testid="composer-input"
      onInput={(e) => onInput(e.currentTarget.value)}
      onKeyDown={(e) => {
        if (e.key === 'Enter' && !e.shiftKey && !e.isComposing) {
          e.preventDefault();
          onSubmit();
        }
      }}
    />
  );
}
