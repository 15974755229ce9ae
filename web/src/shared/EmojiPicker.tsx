/**
 * A small emoji picker for both composers: a fixed, curated set in four groups, our own code
 * (the widget frame must stay under its 40 KB budget). Each app passes its own words.
 * Esc or a click outside closes it; arrow keys move between emoji; Enter or a click picks.
 */
import { useEffect, useRef } from 'preact/hooks';
import './emoji-picker.css';

export type EmojiGroupId = 'smileys' | 'gestures' | 'symbols' | 'objects';

export const EMOJI_GROUPS: readonly { id: EmojiGroupId; emoji: readonly string[] }[] = [
  { id: 'smileys', emoji: [...'😀😃😄😁😆😅😂🤣😊🙂😉😍🥰😘😎🤗🤔😐🙄😴😢😭😱😡'] },
  { id: 'gestures', emoji: ['👍', '👎', '👌', '✌️', '🤝', '👏', '🙌', '🙏', '👋', '💪', '🤞', '👉', '👀', '🤷', '🤦', '✋'] },
  { id: 'symbols', emoji: ['❤️', '🧡', '💛', '💚', '💙', '💜', '💔', '✨', '🔥', '⭐', '✅', '❌', '❗', '❓', '💯', '🎉'] },
  { id: 'objects', emoji: [...'📦🚚🛒💳💰📞📧📅⏰📎📄🔧🏠🎁☕🌸'] },
];

/** Emoji per row of the grid (the arrow keys move by it). */
const COLUMNS = 8;

export interface EmojiPickerLabels {
  /** The picker's accessible name ("Эмодзи"). */
  title: string;
  groups: Record<EmojiGroupId, string>;
}

interface Props {
  onPick: (emoji: string) => void;
  onClose: () => void;
  labels: EmojiPickerLabels;
  /** The button that opens the picker: a click on it is not "outside". */
  toggleRef?: { current: HTMLElement | null };
}

export function EmojiPicker({ onPick, onClose, labels, toggleRef }: Props) {
  const ref = useRef<HTMLDivElement>(null);

  useEffect(() => {
    ref.current?.querySelector<HTMLButtonElement>('button')?.focus();
    const outside = (e: MouseEvent) => {
      const target = e.target as Node | null;
      if (!target || ref.current?.contains(target) || toggleRef?.current?.contains(target)) return;
      onClose();
    };
    document.addEventListener('mousedown', outside);
    return () => document.removeEventListener('mousedown', outside);
  }, []);

  const onKeyDown = (e: KeyboardEvent) => {
    if (e.key === 'Escape') {
      e.preventDefault();
      e.stopPropagation();
      onClose();
      return;
    }
    const step = { ArrowLeft: -1, ArrowRight: 1, ArrowUp: -COLUMNS, ArrowDown: COLUMNS }[e.key];
    if (!step) return;
    const buttons = [...(ref.current?.querySelectorAll<HTMLButtonElement>('button') ?? [])];
    const at = buttons.indexOf(document.activeElement as HTMLButtonElement);
    const next = buttons[Math.max(0, Math.min(buttons.length - 1, at + step))];
    if (next) {
      e.preventDefault();
      next.focus();
    }
  };

  return (
    <div class="emoji-picker" role="dialog" aria-label={labels.title} data-testid="emoji-picker" ref={ref} onKeyDown={onKeyDown}>
      {EMOJI_GROUPS.map((group) => (
        <div key={group.id} role="group" aria-label={labels.groups[group.id]}>
          <div class="emoji-picker-group">{labels.groups[group.id]}</div>
          <div class="emoji-picker-grid">
            {group.emoji.map((emoji) => (
              <button type="button" key={emoji} onClick={() => onPick(emoji)}>
                {emoji}
              </button>
            ))}
          </div>
        </div>
      ))}
    </div>
  );
}

/** Puts `text` into a text box's value at its caret (or in place of its selection). */
export function insertAtCaret(value: string, text: string, start: number | null, end: number | null): { value: string; caret: number } {
  const from = start ?? value.length;
  const to = end ?? from;
  return { value: value.slice(0, from) + text + value.slice(to), caret: from + text.length };
}
