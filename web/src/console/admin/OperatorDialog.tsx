/**
 * Adding an operator, or changing one: his name (the one visitors see), e-mail and role (when
 * adding), his channels and his capacity, one Save. A new operator's first password is made in
 * the browser and shown once, with a copy button and the word to pass it on and change it.
 * A field the form or the server refuses (`email_taken` too) gets its message beside it.
 * Closing with unsaved edits is asked about first.
 */
import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { oneOf, type OperatorView } from '../../shared/api-types';
import type { Problem } from '../console-state';
import { CAPACITY_MAX, CAPACITY_MIN, parseCapacity } from './forms';
import { copyText } from './clipboard';
import { FieldNote } from './FieldNote';
import { fieldMessages } from './issue-text';
import { ROLES, roleLabel } from './lifecycle';
import { ModalPerson, ModalShell } from './ModalShell';
import { editOperatorDraft, membershipChanges, newOperatorDraft, operatorIssues, operatorPatch, type OperatorDraft } from './people';
import { ProblemLine } from './ProblemLine';
import { formName, useUnsaved } from './unsaved';
import { useAdmin } from './use-admin';

/** The fields the form shows a message beside (others go under it). */
const SHOWN = new Set(['display_name', 'email', 'role', 'capacity', 'password']);

export function OperatorDialog({ operator, onClose }: { operator: OperatorView | null; onClose: () => void }) {
  const { state, admin, t } = useAdmin('team');
  const adding = operator === null;
  const channels = state.team.channels;
  const form = useMemo(() => formName('operator-dialog'), []);
  // The channels he is in, once every channel's members are read (editing only).
  const loading = !adding && channels.some((c) => !admin.members.has(c.id));
  const inChannels = useMemo(
    () => (operator ? channels.filter((c) => admin.members.get(c.id)?.includes(operator.id)).map((c) => c.id) : []),
    [operator, channels, loading],
  );
  const [draft, setDraft] = useState<OperatorDraft>(() =>
    operator ? editOperatorDraft(operator, inChannels) : newOperatorDraft(channels.filter((c) => c.is_default).map((c) => c.id)),
  );
  const [touchedChannels, setTouchedChannels] = useState(false);
  const [tried, setTried] = useState(false);
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<Problem | null>(null);
  const [added, setAdded] = useState<{ operator: OperatorView; password: string; followUp: Problem | null } | null>(null);

  useEffect(() => {
    if (adding) return;
    for (const c of channels) if (!admin.members.has(c.id) && !admin.membersLoading.has(c.id)) void admin.loadMembers(c.id);
  }, [adding, channels.length]);
  // His channels arrive after the form opened: taken in unless the admin already ticked some.
  useEffect(() => {
    if (!adding && !loading && !touchedChannels) setDraft((d) => ({ ...d, channelIds: inChannels }));
  }, [loading]);

  const issues = operatorIssues(draft, adding);
  const emailTaken = problem?.code === 'email_taken';
  const messages = fieldMessages(t, tried ? issues : [], problem?.code === 'validation_failed' ? problem : null);
  if (emailTaken) messages.set('email', t('error.email_taken'));
  const note = (field: string) => messages.get(field) ?? null;
  const elsewhere = [...messages].filter(([field]) => !SHOWN.has(field));

  const patch = operator ? operatorPatch(operator, draft) : null;
  const moves = operator && !loading ? membershipChanges(inChannels, draft.channelIds) : { join: [], leave: [] };
  const dirty = added
    ? false
    : adding
      ? draft.display_name.trim() !== '' || draft.email.trim() !== ''
      : patch !== null || moves.join.length > 0 || moves.leave.length > 0;
  useUnsaved(form, dirty);

  const close = () => {
    if (!dirty || state.team.unsaved.mayLeave(onClose)) onClose();
  };

  const set = (change: Partial<OperatorDraft>) => {
    setDraft({ ...draft, ...change });
    if (problem) setProblem(null);
  };

  const submit = async (e: Event) => {
    e.preventDefault();
    if (busy) return;
    setTried(true);
    if (issues.length) return;
    const capacity = parseCapacity(draft.capacity)!;
    setBusy(true);
    setProblem(null);
    if (adding) {
      const done = await admin.addOperator({
        email: draft.email,
        display_name: draft.display_name,
        role: draft.role,
        capacity,
        channelIds: draft.channelIds,
      });
      setBusy(false);
      if ('password' in done) setAdded(done);
      else setProblem(done);
      return;
    }
    let refused: Problem | null = null;
    if (patch) refused = await admin.patchOperator(operator!.id, patch);
    if (!refused && (moves.join.length || moves.leave.length)) refused = await admin.changeMembership(operator!.id, moves.join, moves.leave);
    setBusy(false);
    if (refused) setProblem(refused);
    else onClose();
  };

  if (added) return <PasswordShown added={added} onClose={onClose} />;

  return (
    <ModalShell title={adding ? t('people.add_title') : t('people.edit_title')} testid="operator-dialog" onClose={close}>
      {operator && <ModalPerson name={operator.display_name} email={operator.email} />}
      <form class="operator-form" onSubmit={submit} noValidate data-testid="operator-form">
        <label class="field">
          <span>{t('people.name')}</span>
          <input
            value={draft.display_name}
            maxLength={120}
            autoComplete="off"
            aria-invalid={note('display_name') ? true : undefined}
            onInput={(e) => set({ display_name: e.currentTarget.value })}
            data-testid="operator-form-name"
          />
          {!note('display_name') && <small>{t('people.name_hint')}</small>}
          <FieldNote text={note('display_name')} field="display_name" />
        </label>
        {adding && (
          <div class="operator-form-row">
            <label class="field">
              <span>{t('people.email')}</span>
              <input
                type="email"
                value={draft.email}
                autoComplete="off"
                spellcheck={false}
                aria-invalid={note('email') ? true : undefined}
                onInput={(e) => set({ email: e.currentTarget.value })}
                data-testid="operator-form-email"
              />
              <FieldNote text={note('email')} field="email" />
            </label>
            <label class="field">
              <span>{t('operators.role')}</span>
              <select value={draft.role} onChange={(e) => set({ role: oneOf(e.currentTarget.value, ROLES) ?? draft.role })} data-testid="operator-form-role">
                {ROLES.map((r) => (
                  <option key={r} value={r}>
                    {roleLabel(t, r)}
                  </option>
                ))}
              </select>
              <FieldNote text={note('role')} field="role" />
            </label>
          </div>
        )}
        <fieldset class="field operator-form-channels">
          <legend>{t('people.channels')}</legend>
          {loading && <span class="muted">{t('admin.loading')}</span>}
          {!loading && channels.length === 0 && <span class="muted">{t('people.no_channels')}</span>}
          {!loading && (
            <div class="channel-checks">
              {channels.map((c) => (
                <label key={c.id} class="choice">
                  <input
                    type="checkbox"
                    checked={draft.channelIds.includes(c.id)}
                    onChange={(e) => {
                      setTouchedChannels(true);
                      const on = e.currentTarget.checked;
                      set({ channelIds: on ? [...draft.channelIds, c.id] : draft.channelIds.filter((id) => id !== c.id) });
                    }}
                    data-testid="operator-form-channel"
                    data-channel-id={c.id}
                  />
                  <span>{c.name}</span>
                </label>
              ))}
            </div>
          )}
          <small>{t('people.channels_hint')}</small>
        </fieldset>
        <label class="field field-narrow">
          <span>{t('operators.capacity')}</span>
          <input
            type="number"
            min={CAPACITY_MIN}
            max={CAPACITY_MAX}
            step={1}
            value={draft.capacity}
            aria-invalid={note('capacity') ? true : undefined}
            onInput={(e) => set({ capacity: e.currentTarget.value })}
            data-testid="operator-form-capacity"
          />
          {!note('capacity') && <small>{t('people.capacity_hint')}</small>}
          <FieldNote text={note('capacity')} field="capacity" />
        </label>
        {adding && <p class="form-note">{t('people.password_note')}</p>}
        {elsewhere.map(([field, text]) => (
          <p key={field} class="form-error" role="alert" data-testid="operator-form-error-field">
            {t('automation.field_unknown', { field, message: text })}
          </p>
        ))}
        {problem && problem.code !== 'validation_failed' && !emailTaken && <ProblemLine problem={problem} testid="operator-form-error" />}
        <div class="form-actions">
          <button type="button" class="btn btn-ghost" onClick={close} data-testid="operator-form-cancel">
            {t('operators.cancel')}
          </button>
          <button type="submit" class="btn btn-primary" disabled={busy || (!adding && !dirty)} data-testid="operator-form-save">
            {busy ? t('admin.saving') : adding ? t('people.add_submit') : t('admin.save')}
          </button>
        </div>
      </form>
    </ModalShell>
  );
}

/** The new operator's first password, shown this once; the dialog closes only by its button. */
function PasswordShown({ added, onClose }: { added: { operator: OperatorView; password: string; followUp: Problem | null }; onClose: () => void }) {
  const { t } = useAdmin();
  const [copied, setCopied] = useState<boolean | null>(null);
  const input = useRef<HTMLInputElement>(null);
  const o = added.operator;
  return (
    <ModalShell key="shown" title={t('people.added_title')} testid="operator-added-dialog" onClose={onClose} locked>
      <ModalPerson name={o.display_name} email={o.email} />
      <label class="field">
        <span>{t('people.first_password')}</span>
        <div class="secret-row">
          <input
            ref={input}
            readOnly
            value={added.password}
            spellcheck={false}
            autoComplete="off"
            onFocus={(e) => e.currentTarget.select()}
            data-testid="operator-added-password"
          />
          <button
            type="button"
            class="btn btn-secondary"
            onClick={async () => setCopied(await copyText(added.password, input.current))}
            data-testid="operator-added-copy"
          >
            {t('operators.copy')}
          </button>
        </div>
      </label>
      {copied !== null && (
        <p class={`copy-note${copied ? ' ok' : ' danger'}`} role="status" data-testid="operator-added-copied">
          {copied ? t('operators.copied') : t('operators.copy_failed')}
        </p>
      )}
      <p class="once-warning" role="note" data-testid="operator-added-once">
        {t('people.password_once')}
      </p>
      {added.followUp && (
        <div data-testid="operator-added-followup">
          <p class="modal-text">{t('people.followup_failed')}</p>
          <ProblemLine problem={added.followUp} />
        </div>
      )}
      <div class="form-actions">
        <button type="button" class="btn btn-primary" onClick={onClose} data-testid="operator-added-done">
          {t('operators.done')}
        </button>
      </div>
    </ModalShell>
  );
}
