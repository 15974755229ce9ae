/**
 * Passing a dialog on: to an operator of its channel (only online ones with a free place can
 * be picked; the others say why not) or to another channel (one with nobody online is greyed
 * out), with an optional comment only operators will read. The server's refusal shows here.
 */
import { useEffect, useRef, useState } from 'preact/hooks';
import type { DialogView } from '../../shared/api-types';
import type { Problem } from '../console-state';
import { problemText, useConsole } from '../context';
import { channelTargets, COMMENT_LIMIT, operatorTargets, type OperatorRefusal, type TransferTarget } from '../transfer';
import { Avatar } from './Avatar';

export function TransferDialog({ dialog, onClose }: { dialog: DialogView; onClose: () => void }) {
  const { state, t, lang } = useConsole('lists', 'team');
  const [target, setTarget] = useState<TransferTarget | null>(null);
  const [comment, setComment] = useState('');
  const [problem, setProblem] = useState<Problem | null>(null);
  const [membersLoading, setMembersLoading] = useState(true);
  const box = useRef<HTMLFormElement>(null);
  const busy = state.lists.acting.has(dialog.id);

  useEffect(() => {
    // Fresh presence and online counts: they decide what can be picked.
    void state.loadChannels();
    void state.loadMembers(dialog.channel_id).finally(() => {
      setMembersLoading(false);
      // Still on the title (nothing could be picked at first): the first choice that can be.
      requestAnimationFrame(() => {
        if (document.activeElement === box.current?.querySelector('h2')) box.current?.querySelector<HTMLElement>('input:not([disabled])')?.focus();
      });
    });
    // The focus goes inside the window: on the first choice that can be picked, else on its title.
    (box.current?.querySelector<HTMLElement>('input:not([disabled])') ?? box.current?.querySelector<HTMLElement>('h2'))?.focus();
    const esc = (e: KeyboardEvent) => e.key === 'Escape' && onClose();
    addEventListener('keydown', esc);
    return () => removeEventListener('keydown', esc);
  }, [dialog.channel_id]);

  const members = state.team.members.get(dialog.channel_id) ?? [];
  const operators = operatorTargets(members, state.team.operators, [dialog.assignee?.id, state.session.me?.operator.id]);
  const channels = channelTargets(state.team.channels, dialog.channel_id);

  const reason = (r: OperatorRefusal, load: number, capacity: number) =>
    r === 'offline' ? t('transfer.reason_offline') : r === 'away' ? t('transfer.reason_away') : t('transfer.reason_full', { load, capacity });
  const picked = (kind: TransferTarget['kind'], id: string) => target?.kind === kind && target.id === id;

  const submit = async (e: Event) => {
    e.preventDefault();
    if (!target || busy) return;
    setProblem(null);
    const refused = await state.transfer(dialog.id, target, comment);
    if (refused) setProblem(refused);
    else onClose();
  };

  return (
    <div class="modal-backdrop" onClick={(e) => e.target === e.currentTarget && onClose()}>
      <div class="modal transfer-dialog" role="dialog" aria-modal="true" aria-labelledby="transfer-title" data-testid="transfer-dialog">
        <form ref={box} onSubmit={submit}>
          <h2 id="transfer-title" tabIndex={-1}>{t('transfer.title')}</h2>

          <fieldset class="targets">
            <legend>{t('transfer.to_operator')}</legend>
            {membersLoading && members.length === 0 && <p class="targets-note">{t('transfer.loading')}</p>}
            {!membersLoading && operators.length === 0 && <p class="targets-note">{t('transfer.no_members')}</p>}
            {operators.map(({ operator: o, refusal }) => (
              <label
                key={o.id}
                class={`target${refusal ? ' disabled' : ''}${picked('operator', o.id) ? ' picked' : ''}`}
                aria-disabled={!!refusal}
                data-testid="transfer-operator"
                data-operator-id={o.id}
                data-available={!refusal}
              >
                <input
                  type="radio"
                  name="transfer-target"
                  disabled={!!refusal}
                  checked={picked('operator', o.id)}
                  onChange={() => setTarget({ kind: 'operator', id: o.id })}
                />
                <Avatar name={o.display_name} size="xs" />
                <span class="target-name">{o.display_name}</span>
                <span class={`presence-dot presence-${o.presence}`} aria-hidden="true" />
                <span class="target-note">
                  {refusal ? reason(refusal, o.active_dialogs, o.capacity) : t('transfer.load', { load: o.active_dialogs, capacity: o.capacity })}
                </span>
              </label>
            ))}
          </fieldset>

          <fieldset class="targets">
            <legend>{t('transfer.to_channel')}</legend>
            {channels.length === 0 && <p class="targets-note">{t('transfer.no_channels')}</p>}
            {channels.map(({ channel: c, refusal }) => (
              <label
                key={c.id}
                class={`target${refusal ? ' disabled' : ''}${picked('channel', c.id) ? ' picked' : ''}`}
                aria-disabled={!!refusal}
                data-testid="transfer-channel"
                data-channel-id={c.id}
                data-available={!refusal}
              >
                <input
                  type="radio"
                  name="transfer-target"
                  disabled={!!refusal}
                  checked={picked('channel', c.id)}
                  onChange={() => setTarget({ kind: 'channel', id: c.id })}
                />
                <span class="target-name">{c.name}</span>
                <span class="target-note">{refusal ? t('transfer.reason_no_online') : t('transfer.online_members', { n: c.online_members })}</span>
              </label>
            ))}
          </fieldset>

          <label class="field">
            <span>{t('transfer.comment')}</span>
            <textarea
              rows={3}
              maxLength={COMMENT_LIMIT}
              value={comment}
              onInput={(e) => setComment(e.currentTarget.value)}
              data-testid="transfer-comment"
            />
            <small>{t('transfer.comment_hint')}</small>
          </label>

          {problem && (
            <p class="form-error" role="alert" data-testid="transfer-error" data-code={problem.code}>
              {problemText(t, lang, problem)}
            </p>
          )}

          <div class="form-actions">
            <button type="button" class="btn btn-ghost" onClick={onClose}>
              {t('transfer.cancel')}
            </button>
            <button type="submit" class="btn btn-primary" disabled={!target || busy} data-testid="transfer-confirm">
              {busy ? t('transfer.sending') : t('transfer.confirm')}
            </button>
          </div>
        </form>
      </div>
    </div>
  );
}
