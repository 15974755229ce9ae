/**
 * The text box of both composers: grows with the text up to `maxHeight`, then scrolls;
 * Enter sends, Shift+Enter starts a new line, and Enter while an input method is composing
 * (e.g. Japanese, Chinese) is left to the input method. An owner may take keys first (`onKey`).
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
  /** Sees each key first (a popup's arrows and Enter); returns true when it used the key. */
  onKey?: (e: KeyboardEvent) => boolean;
  /** The caret moved (click, arrows): e.g. to find an `@` mention being typed. */
  onCaret?: () => void;
  onPaste?: (e: ClipboardEvent) => void;
}

export function ComposerInput({ inputRef, value, placeholder, rows, maxHeight, onInput, onSubmit, onKey, onCaret, onPaste }: Props) {
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
      onKeyUp={onCaret}
      onClick={onCaret}
      onPaste={onPaste}
      onKeyDown={(e) => {
        if (onKey?.(e)) return;
        if (e.key === 'Enter' && !e.shiftKey && !e.isComposing) {
          e.preventDefault();
          onSubmit();
        }
      }}
    />
  );
}
