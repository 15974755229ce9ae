/**
 * One in-app note in the strip under the top bar (an SLA breach, a mention): one line with a
 * way to the dialog and a × to dismiss it. It goes by itself once it has been in sight for a
 * few seconds (toast-clock.ts), its clock standing still while the pointer or the focus rests
 * on it. The strip takes its own room in the layout, so a note never covers a control.
 */
import type { ComponentChildren } from 'preact';
import { useEffect, useRef } from 'preact/hooks';
import { useConsole } from '../context';
import { focusFirst } from '../focus';
import { SeenClock, TOAST_TICK_MS } from '../toast-clock';

interface Props {
  kind: 'sla' | 'mention';
  onDismiss: () => void;
  children: ComponentChildren;
  testid: string;
  dismissTestid: string;
  dialogId: string;
  target?: string;
}

export function Toast({ kind, onDismiss, children, testid, dismissTestid, dialogId, target }: Props) {
  const { state, t } = useConsole();
  const box = useRef<HTMLDivElement>(null);
  const hovered = useRef(false);
  const focused = useRef(false);
  const dismiss = useRef(onDismiss);
  dismiss.current = onDismiss;

  useEffect(() => {
    const clock = new SeenClock(Date.now());
    const id = setInterval(() => {
      if (clock.tick(Date.now(), !hovered.current && !focused.current && state.looking())) {
        clearInterval(id);
        // A note that goes while the focus is inside it would drop the focus: it never does
        // (focused notes wait), but a note dismissed by × passes the focus on (below).
        dismiss.current();
      }
    }, TOAST_TICK_MS);
    return () => clearInterval(id);
  }, []);

  const close = () => {
    const strip = box.current?.parentElement?.closest('.toasts');
    const others = strip ? [...strip.querySelectorAll<HTMLElement>('.toast-close')].filter((b) => !box.current?.contains(b)) : [];
    onDismiss();
    // The × pressed is gone: the next note's ×, else the reply box or the list.
    if (others[0]) others[0].focus();
    else focusFirst();
  };

  return (
    <div
      ref={box}
      class={`toast toast-${kind}`}
      role="status"
      data-testid={testid}
      data-dialog-id={dialogId}
      data-target={target}
      onMouseEnter={() => (hovered.current = true)}
      onMouseLeave={() => (hovered.current = false)}
      onFocusIn={() => (focused.current = true)}
      onFocusOut={(e) => {
        if (!box.current?.contains(e.relatedTarget as Node | null)) focused.current = false;
      }}
    >
      {children}
      <button type="button" class="toast-close" aria-label={t('toast.close')} title={t('toast.close')} onClick={close} data-testid={dismissTestid}>
        <svg viewBox="0 0 16 16" width="14" height="14" aria-hidden="true">
          <path d="M4 4l8 8M12 4l-8 8" stroke="currentColor" stroke-width="1.8" stroke-linecap="round" />
        </svg>
      </button>
    </div>
  );
}
