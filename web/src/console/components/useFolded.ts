/**
 * Whether a row of buttons should fold its words into icons: it folds when, with the words
 * shown, the row overflows or its title is cut (`title` shows less than its text), and unfolds
 * once the row is wide enough again for what it needed with the words. Measured before the
 * browser paints (no flash of a cut title), again on every resize, and from scratch whenever
 * `key` changes (another dialog, other buttons, another language).
 *
 * Without ResizeObserver (jsdom) the words always show.
 */
import type { RefObject } from 'preact';
import { useLayoutEffect, useRef, useState } from 'preact/hooks';

export function useFolded(row: RefObject<HTMLElement | null>, title: RefObject<HTMLElement | null>, key: string): boolean {
  const [folded, setFolded] = useState(false);
  /** The row's width needed with the words shown, learnt when it folded. */
  const needed = useRef(0);

  useLayoutEffect(() => {
    needed.current = 0;
    setFolded(false);
  }, [key]);

  useLayoutEffect(() => {
    const el = row.current;
    if (!el || typeof ResizeObserver === 'undefined') return;
    const check = () => {
      if (!folded) {
        const name = title.current;
        const cut = name ? name.scrollWidth - name.clientWidth : 0;
        const over = el.scrollWidth - el.clientWidth;
        if (cut > 1 || over > 1) {
          needed.current = el.clientWidth + Math.max(0, cut) + Math.max(0, over);
          setFolded(true);
        }
      } else if (needed.current && el.clientWidth >= needed.current) {
        setFolded(false);
      }
    };
    check();
    const observer = new ResizeObserver(check);
    observer.observe(el);
    return () => observer.disconnect();
  }, [folded, key]);

  return folded;
}
