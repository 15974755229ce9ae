/** Supervisors and admins: give the dialog to an operator, or put it back in the queue. */
import { useEffect, useState } from 'preact/hooks';
import type { DialogView } from '../../shared/api-types';
import type { Problem } from '../console-state';
import { problemText, useConsole } from '../context';
import { operatorRefusal } from '../transfer';
import { presenceLabel } from './PresenceSwitch';

const QUEUE = '';

export function AssignMenu({ dialog, onClose }: { dialog: DialogView; onClose: () => void }) {
  const { state, t, lang } = useConsole('lists', 'team');
  // A deactivated operator cannot take dialogs: he is not offered.
  const operators = [...state.team.operators.values()]
    .filter((o) => !o.deactivated)
    .sort((a, b) => a.display_name.localeCompare(b.display_name));
  // Start from someone who can take it now (the server refuses offline and full operators).
  const [choice, setChoice] = useState<string>(
    () => operators.find((o) => o.id !== dialog.assignee?.id && !operatorRefusal(o))?.id ?? (dialog.assignee ? QUEUE : operators[0]?.id ?? QUEUE),
  );
  const [problem, setProblem] = useState<Problem | null>(null);
  const busy = state.lists.acting.has(dialog.id);

  useEffect(() => {
    const esc = (e: KeyboardEvent) => e.key === 'Escape' && onClose();
    addEventListener('keydown', esc);
    return () => removeEventListener('keydown', esc);
  }, [onClose]);

  const submit = async (e: Event) => {
    e.preventDefault();
    setProblem(null);
    const refused = await state.assign(dialog.id, choice === QUEUE ? null : choice);
    if (refused) setProblem(refused);
    else onClose();
  };

  return (
    <form class="popover assign-menu" onSubmit={submit} data-testid="assign-menu">
      <label class="field">
        <span>{t('assign.operator')}</span>
        <select value={choice} onChange={(e) => setChoice(e.currentTarget.value)} data-testid="assign-operator">
          {operators.map((o) => (
            <option key={o.id} value={o.id} disabled={o.id === dialog.assignee?.id}>
              {t('assign.option', { name: o.display_name, presence: presenceLabel(t, o.presence), load: o.active_dialogs, capacity: o.capacity })}
            </option>
          ))}
          {dialog.assignee && <option value={QUEUE}>{t('assign.to_queue')}</option>}
        </select>
      </label>
      {problem && (
        <p class="form-error" role="alert" data-testid="assign-error">
          {problemText(t, lang, problem)}
        </p>
      )}
      <div class="form-actions">
        <button type="button" class="btn btn-ghost" onClick={onClose}>
          {t('assign.cancel')}
        </button>
        <button type="submit" class="btn btn-primary" disabled={busy || (choice === QUEUE && !dialog.assignee)} data-testid="assign-confirm">
          {busy ? t('assign.saving') : t('assign.confirm')}
        </button>
      </div>
    </form>
  );
}
