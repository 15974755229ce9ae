/**
 * Where a dialog can be transferred, and why a target cannot take it. The server has the
 * last word (docs/api.md: `operator_unavailable`, `not_channel_member`, `capacity_reached`,
 * `channel_unavailable`); this only greys out what it would refuse, from what the console
 * knows now.
 */
import type { ChannelView, OperatorView, TransferRequest } from '../shared/api-types';

/** Why an operator cannot take the dialog now. */
export type OperatorRefusal = 'offline' | 'away' | 'full';

export interface OperatorTarget {
  operator: OperatorView;
  refusal: OperatorRefusal | null;
}

export interface ChannelTarget {
  channel: ChannelView;
  /** The channel has no member online: it refuses transfers. */
  refusal: 'no_online' | null;
}

export function operatorRefusal(o: OperatorView): OperatorRefusal | null {
  if (o.presence === 'offline') return 'offline';
  if (o.presence === 'away') return 'away';
  if (o.active_dialogs >= o.capacity) return 'full';
  return null;
}

/**
 * The members of the dialog's channel other than its holder and the caller, the ones who can
 * take it first, then by name. `live` holds fresher presence from `operator.updated`.
 */
export function operatorTargets(
  members: readonly OperatorView[],
  live: ReadonlyMap<string, OperatorView>,
  exclude: readonly (string | null | undefined)[],
): OperatorTarget[] {
  return members
    .filter((m) => !exclude.includes(m.id) && !(live.get(m.id) ?? m).deactivated)
    .map((m) => {
      const operator = live.get(m.id) ?? m;
      return { operator, refusal: operatorRefusal(operator) };
    })
    .sort(
      (a, b) =>
        Number(a.refusal !== null) - Number(b.refusal !== null) ||
        a.operator.display_name.localeCompare(b.operator.display_name),
    );
}

/** Every channel but the dialog's own; those with nobody online are refused. */
export function channelTargets(channels: readonly ChannelView[], currentChannelId: string): ChannelTarget[] {
  return channels
    .filter((c) => c.id !== currentChannelId)
    .map((channel) => ({ channel, refusal: channel.online_members > 0 ? null : ('no_online' as const) }))
    .sort((a, b) => Number(a.refusal !== null) - Number(b.refusal !== null) || a.channel.name.localeCompare(b.channel.name));
}

export type TransferTarget = { kind: 'operator'; id: string } | { kind: 'channel'; id: string };

/** The request body: exactly one target, and the comment when there is one. */
export function transferBody(target: TransferTarget, comment: string): TransferRequest {
  const text = comment.trim();
  const body: TransferRequest = target.kind === 'operator' ? { operator_id: target.id } : { channel_id: target.id };
  if (text) body.comment = text;
  return body;
}

/** The longest comment the server takes. */
export const COMMENT_LIMIT = 1000;
