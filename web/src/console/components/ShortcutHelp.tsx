/**
 * The keyboard shortcuts' help, opened by `?` (outside text fields) or the top bar's button: a
 * window listing each key and what it does. Esc, the button or a click outside closes it, and
 * the focus goes back where it was.
 */
import { useLayoutEffect, useRef } from 'preact/hooks';
import { useConsole } from '../context';
import { focusFirst } from '../focus';
import type { ConsoleKey } from '../i18n';
import { SHORTCUT_TABLE } from '../shortcuts';

export function ShortcutHelp() {
  const { state, t } = useConsole();
  const done = useRef<HTMLButtonElement>(null);
  const before = useRef<Element | null>(null);

  // A layout effect: the focus moves before paint, so a key pressed right after '?' lands here.
  useLayoutEffect(() => {
    before.current = document.activeElement;
    done.current?.focus();
    const esc = (e: KeyboardEvent) => {
      if (e.key !== 'Escape') return;
      e.preventDefault();
      close();
    };
    addEventListener('keydown', esc);
    return () => removeEventListener('keydown', esc);
  }, []);

  const close = () => {
    state.session.showShortcuts(false);
    const back = before.current as HTMLElement | null;
    requestAnimationFrame(() => {
      if (back && back.isConnected && back !== document.body) back.focus();
      else focusFirst();
    });
  };

  return (
    <div class="modal-backdrop" onClick={(e) => e.target === e.currentTarget && close()}>
      <div class="modal shortcut-help" role="dialog" aria-modal="true" aria-labelledby="shortcut-help-title" data-testid="shortcut-help">
        <h2 id="shortcut-help-title">{t('keys.title')}</h2>
        <p class="muted shortcut-hint">{t('keys.hint')}</p>
        <table class="shortcut-table">
          <tbody>
            {SHORTCUT_TABLE.map((row) => (
              <tr key={row.action} data-action={row.action}>
                <th scope="row">
                  {row.keys.map((combo, i) => (
                    <span key={i} class="shortcut-combo">
                      {i > 0 && <span class="muted"> {t('keys.or')} </span>}
                      {combo.map((k, j) => (
                        <span key={j}>
                          {j > 0 && '+'}
                          <kbd>{k}</kbd>
                        </span>
                      ))}
                    </span>
                  ))}
                </th>
                <td>{t(`keys.${row.action}` as ConsoleKey)}</td>
              </tr>
            ))}
          </tbody>
        </table>
        <div class="form-actions">
          <button ref={done} type="button" class="btn btn-secondary" onClick={close} data-testid="shortcut-help-close">
            {t('keys.done')}
          </button>
        </div>
      </div>
    </div>
  );
}
