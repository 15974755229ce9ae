/**
 * An item of a list the admin orders by hand (a form's fields, a bot's topics): its ↑, ↓ and ×
 * buttons (`ItemMoves`), and the focus put back once the list is drawn again after an item was
 * added, moved or removed (`useFocusAfter`).
 */
import type { RefObject } from 'preact';
import { useEffect, useState } from 'preact/hooks';

/**
 * ↑ and ↓ (off at either end) and ×, each labelled (and titled) with the page's words; their
 * test ids are `${testid}-up`, `-down` and `-remove`.
 */
export function ItemMoves({
  index: i,
  count,
  up,
  down,
  remove,
  removable = true,
  testid,
  onMove,
  onRemove,
}: {
  index: number;
  count: number;
  up: string;
  down: string;
  remove: string;
  /** × is on (the list may get shorter). */
  removable?: boolean;
  testid: string;
  onMove: (by: -1 | 1) => void;
  onRemove: () => void;
}) {
  return (
    <>
      <button type="button" class="icon-btn" disabled={i === 0} aria-label={up} title={up} onClick={() => onMove(-1)} data-testid={`${testid}-up`}>
        ↑
      </button>
      <button type="button" class="icon-btn" disabled={i === count - 1} aria-label={down} title={down} onClick={() => onMove(1)} data-testid={`${testid}-down`}>
        ↓
      </button>
      <button type="button" class="icon-btn danger" disabled={!removable} aria-label={remove} title={remove} onClick={onRemove} data-testid={`${testid}-remove`}>
        ×
      </button>
    </>
  );
}

/** Where the focus goes: the element with test id `testid` in the item with id `item`, or in the whole list's form (`null`). */
export type FocusAfter = { item: string | null; testid: string };

/**
 * Puts the focus, once the list is drawn again, where the last call of the returned function
 * said. Items are found inside `body` by `attr` (`data-field-id="…"`); `testid` is the items'
 * ItemMoves'. When the focus was to stay on ↑ or ↓ and the item reached that end (the button is
 * off), the other one takes it, else the item's `fallback`.
 */
export function useFocusAfter(
  body: RefObject<HTMLElement | null>,
  { attr, testid, fallback }: { attr: string; testid: string; fallback: string },
): (next: FocusAfter) => void {
  const [after, setAfter] = useState<FocusAfter | null>(null);
  useEffect(() => {
    if (!after) return;
    const item = after.item ? body.current?.querySelector<HTMLElement>(`[${attr}="${after.item}"]`) : body.current;
    const el = item?.querySelector<HTMLElement>(`[data-testid="${after.testid}"]`);
    // Moved to an end, the button it was on is off: the other one takes the focus.
    const other = after.testid === `${testid}-up` ? `${testid}-down` : `${testid}-up`;
    if (el && !(el as HTMLButtonElement).disabled) el.focus();
    else item?.querySelector<HTMLElement>(`[data-testid="${other}"]:not(:disabled), [data-testid="${fallback}"]`)?.focus();
    setAfter(null);
  }, [after]);
  return setAfter;
}
