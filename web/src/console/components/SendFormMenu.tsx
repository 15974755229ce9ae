/**
 * "Send a form" beside the reply box's tools: a small menu of the enabled forms by name
 * (`GET /api/v1/forms`, read each time it opens, as an admin may have changed them). A pick
 * sends the form (`POST /api/v1/dialogs/{id}/forms`); its line comes by the socket like any
 * other. When no form can be sent the menu says why instead: the dialog is closed, the visitor
 * writes from Telegram or by e-mail (only the website widget shows a form), or there are no
 * forms yet. A refusal shows in words and the menu stays open.
 *
 * Keyboard: the button opens the menu and the first form takes the focus; the arrows move, Enter
 * sends, Esc (or a click outside) closes it and the focus goes back to the button.
 */
import { useEffect, useLayoutEffect, useRef, useState } from 'preact/hooks';
import type { DialogView } from '../../shared/api-types';
import { useObservable } from '../../shared/store';
import type { Problem } from '../console-state';
import { problemText, useConsole } from '../context';
import { sendBlock, sendBlockText, sendProblemKey } from '../tickets';
import '../tickets.css';

export function SendFormMenu({ dialog }: { dialog: DialogView }) {
  const { state, t, lang } = useConsole();
  const tickets = state.tickets;
  useObservable(tickets);
  const [open, setOpen] = useState(false);
  const [problem, setProblem] = useState<Problem | null>(null);
  const anchor = useRef<HTMLDivElement>(null);
  const toggle = useRef<HTMLButtonElement>(null);
  const menu = useRef<HTMLDivElement>(null);

  // What is known before the forms are read: a closed dialog, a visitor from elsewhere.
  const early = sendBlock(dialog, null);
  const block = sendBlock(dialog, tickets.forms);
  const forms = tickets.forms ?? [];
  const sending = tickets.sending.has(dialog.id);
  const label = t('forms.send.button');

  const close = (focusBack = true) => {
    setOpen(false);
    setProblem(null);
    if (focusBack) toggle.current?.focus();
  };

  useEffect(() => {
    if (!open) return;
    if (!early) void tickets.loadForms();
    const outside = (e: PointerEvent) => {
      if (anchor.current && e.target instanceof Node && !anchor.current.contains(e.target)) close(false);
    };
    addEventListener('pointerdown', outside);
    return () => removeEventListener('pointerdown', outside);
  }, [open]);

  // Another dialog opened: the menu belongs to the one it was opened for.
  useEffect(() => () => setOpen(false), [dialog.id]);

  // Opened: its first form takes the focus (once the forms are read), else its title.
  useLayoutEffect(() => {
    if (!open || !menu.current) return;
    const active = document.activeElement;
    if (active && menu.current.contains(active) && active !== menu.current.querySelector('h3')) return;
    (menu.current.querySelector<HTMLElement>('[data-testid="send-form-item"]') ?? menu.current.querySelector<HTMLElement>('h3'))?.focus();
  }, [open, tickets.forms, tickets.formsLoading]);

  const send = async (formId: string) => {
    setProblem(null);
    const refused = await tickets.sendForm(dialog.id, formId);
    if (refused) setProblem(refused);
    else close();
  };

  const onKey = (e: KeyboardEvent) => {
    if (e.key === 'Escape') {
      e.preventDefault();
      e.stopPropagation();
      close();
      return;
    }
    if (e.key !== 'ArrowDown' && e.key !== 'ArrowUp' && e.key !== 'Home' && e.key !== 'End') return;
    const items = [...(menu.current?.querySelectorAll<HTMLElement>('[data-testid="send-form-item"]') ?? [])];
    if (items.length === 0) return;
    e.preventDefault();
    const at = items.indexOf(document.activeElement as HTMLElement);
    const next =
      e.key === 'Home' ? 0 : e.key === 'End' ? items.length - 1 : e.key === 'ArrowDown' ? (at + 1) % items.length : (at - 1 + items.length) % items.length;
    items[next].focus();
  };

  const problemWords = (p: Problem) => {
    const key = sendProblemKey(p);
    return key ? t(key) : problemText(t, lang, p);
  };

  return (
    <div class="send-form-anchor" ref={anchor}>
      <button
        type="button"
        ref={toggle}
        class={`icon-btn${open ? ' on' : ''}`}
        aria-label={label}
        title={early ? `${label}: ${sendBlockText(t, early)}` : label}
        aria-haspopup="dialog"
        aria-expanded={open}
        aria-disabled={early ? true : undefined}
        onClick={() => (open ? close() : setOpen(true))}
        data-testid="send-form"
        data-blocked={early ?? ''}
      >
        <svg viewBox="0 0 24 24" width="20" height="20" aria-hidden="true">
          <rect x="5" y="3.5" width="14" height="17" rx="2" fill="none" stroke="currentColor" stroke-width="1.8" />
          <path d="M8.5 8.5h7M8.5 12h7M8.5 15.5h4" fill="none" stroke="currentColor" stroke-width="1.8" stroke-linecap="round" />
        </svg>
      </button>
      {open && (
        <div ref={menu} class="popover send-form-menu" role="dialog" aria-label={label} onKeyDown={onKey} data-testid="send-form-menu">
          <h3 tabIndex={-1}>{label}</h3>
          {block ? (
            <p class="muted send-form-note" data-testid="send-form-reason" data-reason={block}>
              {sendBlockText(t, block)}
            </p>
          ) : tickets.forms === null ? (
            tickets.formsLoading && <p class="muted send-form-note">{t('forms.send.loading')}</p>
          ) : (
            <ul class="send-form-list" aria-label={t('forms.send.list')}>
              {forms.map((f) => (
                <li key={f.id}>
                  <button
                    type="button"
                    class="send-form-item"
                    aria-disabled={sending || undefined}
                    onClick={() => !sending && void send(f.id)}
                    data-testid="send-form-item"
                    data-form-id={f.id}
                  >
                    <span class="send-form-name">{f.name}</span>
                    {f.subject && <span class="muted send-form-subject">{f.subject}</span>}
                  </button>
                </li>
              ))}
            </ul>
          )}
          {tickets.formsProblem && !block && (
            <p class="form-error" role="alert" data-testid="send-form-load-error">
              {problemText(t, lang, tickets.formsProblem)}{' '}
              <button type="button" class="link" onClick={() => void tickets.loadForms()}>
                {t('app.retry')}
              </button>
            </p>
          )}
          {sending && (
            <p class="muted send-form-note" role="status">
              {t('forms.send.sending')}
            </p>
          )}
          {problem && (
            <p class="form-error" role="alert" data-testid="send-form-error" data-code={problem.code}>
              {problemWords(problem)}
            </p>
          )}
        </div>
      )}
    </div>
  );
}
