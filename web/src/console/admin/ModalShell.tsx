/**
 * The frame of a small modal on an admin page: a backdrop, a titled dialog box, Escape and a
 * click beside it to close (unless `locked`: a password shown once closes only by its button),
 * and the first button or input focused.
 */
import type { ComponentChildren } from 'preact';
import { useEffect, useRef } from 'preact/hooks';

export function ModalShell({
  title,
  testid,
  onClose,
  locked = false,
  children,
}: {
  title: string;
  testid: string;
  onClose: () => void;
  locked?: boolean;
  children: ComponentChildren;
}) {
  const box = useRef<HTMLDivElement>(null);
  const titleId = `${testid}-title`;
  useEffect(() => {
    box.current?.querySelector<HTMLElement>('[data-autofocus], input:not([disabled]), button:not([disabled])')?.focus();
  }, []);
  useEffect(() => {
    if (locked) return;
    const esc = (e: KeyboardEvent) => e.key === 'Escape' && onClose();
    addEventListener('keydown', esc);
    return () => removeEventListener('keydown', esc);
  }, [locked, onClose]);
  return (
    <div class="modal-backdrop" onClick={(e) => !locked && e.target === e.currentTarget && onClose()}>
      <div ref={box} class="modal modal-body" role="dialog" aria-modal="true" aria-labelledby={titleId} data-testid={testid}>
        <h2 id={titleId}>{title}</h2>
        {children}
      </div>
    </div>
  );
}

/** Who a modal is about: his name and e-mail. */
export function ModalPerson({ name, email }: { name: string; email: string }) {
  return (
    <div class="modal-person" data-testid="modal-person">
      <strong>{name}</strong>
      <span>{email}</span>
    </div>
  );
}
