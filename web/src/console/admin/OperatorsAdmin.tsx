/**
 * Operators: who is online, how loaded, each one's capacity (1–50), saved row by row, and his
 * access (role, deactivation, password reset; see OperatorAccess). Deactivated ones come last.
 */
import { useState } from 'preact/hooks';
import type { OperatorView } from '../../shared/api-types';
import type { Problem } from '../console-state';
import { presenceLabel } from '../components/PresenceSwitch';
import { CAPACITY_MAX, CAPACITY_MIN, parseCapacity } from './forms';
import { roleLabel, sortOperators } from './lifecycle';
import { OperatorAccessCell, OperatorRoleCell } from './OperatorAccess';
import { OperatorsTabs } from './OperatorsTabs';
import { ProblemLine } from './ProblemLine';
import { useAdmin } from './use-admin';

export function OperatorsAdmin() {
  const { state, t, lang } = useAdmin();
  const operators = sortOperators(state.operators.values(), lang);
  return (
    <section class="admin-section admin-section-wide">
      <OperatorsTabs current="operators" />
      <header class="admin-head">
        <h1>{t('operators.title')}</h1>
        <p>{t('operators.hint')}</p>
      </header>
      <div class="admin-card">
        {operators.length === 0 && <p class="list-note">{t('operators.empty')}</p>}
        {operators.length > 0 && (
          <table class="admin-table operators-table">
            <thead>
              <tr>
                <th>{t('operators.name')}</th>
                <th>{t('operators.role')}</th>
                <th>{t('operators.presence')}</th>
                <th class="num">{t('operators.load')}</th>
                <th>{t('operators.capacity')}</th>
                <th>{t('operators.actions')}</th>
              </tr>
            </thead>
            <tbody>
              {operators.map((o) => (
                <OperatorRow key={o.id} operator={o} />
              ))}
            </tbody>
          </table>
        )}
      </div>
    </section>
  );
}

function OperatorRow({ operator: o }: { operator: OperatorView }) {
  const { admin, state, t } = useAdmin();
  const self = state.me?.operator.id === o.id;
  const [text, setText] = useState(String(o.capacity));
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<Problem | null>(null);
  const [saved, setSaved] = useState(false);
  const capacity = parseCapacity(text);
  const dirty = capacity !== o.capacity;

  const save = async (e: Event) => {
    e.preventDefault();
    if (busy) return;
    if (capacity === null) {
      setProblem({ code: 'validation_failed', details: { field: 'capacity' }, message: t('operators.capacity_invalid') });
      return;
    }
    setBusy(true);
    setProblem(null);
    const refused = await admin.setCapacity(o.id, capacity);
    setBusy(false);
    setProblem(refused);
    setSaved(!refused);
  };

  return (
    <tr
      class={`operator-row${o.deactivated ? ' is-deactivated' : ''}`}
      data-testid="operator-row"
      data-operator-id={o.id}
      data-deactivated={o.deactivated ? 'true' : undefined}
    >
      <td>
        <div class="cell-name">
          {o.display_name}
          {self && <span class="you-mark">({t('operators.you')})</span>}
          {o.deactivated && (
            <span class="operator-mark" data-testid="operator-deactivated">
              {t('operators.deactivated')}
            </span>
          )}
        </div>
        <div class="muted">{o.email}</div>
      </td>
      <td>
        {o.deactivated ? <span data-testid="operator-role">{roleLabel(t, o.role)}</span> : <OperatorRoleCell operator={o} self={self} />}
      </td>
      <td>
        <span class={`presence-dot presence-${o.presence}`} aria-hidden="true" /> {presenceLabel(t, o.presence)}
      </td>
      <td class="num" data-testid="operator-load">
        {o.active_dialogs}
      </td>
      <td>
        <form class="inline-form capacity-form" onSubmit={save}>
          <input
            type="number"
            min={CAPACITY_MIN}
            max={CAPACITY_MAX}
            step={1}
            value={text}
            aria-label={t('operators.capacity')}
            aria-invalid={capacity === null}
            onInput={(e) => {
              setText(e.currentTarget.value);
              setSaved(false);
            }}
            data-testid="operator-capacity"
          />
          <button type="submit" class="btn btn-secondary btn-small" disabled={busy || !dirty} data-testid="operator-capacity-save">
            {busy ? t('admin.saving') : t('admin.save')}
          </button>
          {saved && !dirty && <span class="saved-note">{t('admin.saved')}</span>}
        </form>
        {problem && <ProblemLine problem={problem} fieldLabel={() => t('operators.capacity')} testid="operator-error" />}
      </td>
      <td>
        <OperatorAccessCell operator={o} self={self} />
      </td>
    </tr>
  );
}
