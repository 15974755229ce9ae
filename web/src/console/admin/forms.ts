/**
 * The admin forms' data: a channel's editable fields as the form holds them (text), the PATCH
 * made of only what changed, and an operator's capacity read from its input.
 */
import type { ChannelMode, ChannelPatch, ChannelView, OfflinePolicy } from '../../shared/api-types';

export interface ChannelDraft {
  name: string;
  mode: ChannelMode;
  greeting: string;
  /** As typed; empty means "no alert". */
  wait_alert: string;
  offline_policy: OfflinePolicy;
  /** Close is refused until the dialog has a category. */
  require_category: boolean;
  /** As typed: minutes after a close in which the visitor's message reopens the dialog. */
  reopen_window: string;
}

/** The server's default when a channel does not say. */
export const REOPEN_WINDOW_DEFAULT = 60;

export function channelDraft(c: ChannelView): ChannelDraft {
  return {
    name: c.name,
    mode: c.mode,
    greeting: c.greeting ?? '',
    wait_alert: c.wait_alert_seconds === null || c.wait_alert_seconds === undefined ? '' : String(c.wait_alert_seconds),
    offline_policy: c.offline_policy,
    require_category: c.require_category ?? false,
    reopen_window: String(c.reopen_window_minutes ?? REOPEN_WINDOW_DEFAULT),
  };
}

/** Reopen window from its input: whole minutes, 0 (never) up to a year; else undefined. */
export function parseMinutes(text: string): number | undefined {
  const s = text.trim();
  if (!/^\d{1,6}$/.test(s)) return undefined;
  const n = Number(s);
  return n <= 525_600 ? n : undefined;
}

export const WAIT_ALERT_MIN = 10;
export const WAIT_ALERT_MAX = 86_400;

/** The waiting-alert limit from its input: whole seconds 10–86400 (the server's range), else undefined. */
export function parseSeconds(text: string): number | undefined {
  const s = text.trim();
  if (!/^\d{1,7}$/.test(s)) return undefined;
  const n = Number(s);
  return n >= WAIT_ALERT_MIN && n <= WAIT_ALERT_MAX ? n : undefined;
}

export type PatchResult = { ok: true; patch: ChannelPatch } | { ok: false; field: 'wait_alert_seconds' | 'reopen_window_minutes' };

/** The fields that differ from the channel as loaded (`PATCH` changes only those). */
export function channelPatch(c: ChannelView, d: ChannelDraft): PatchResult {
  const seconds = parseSeconds(d.wait_alert);
  if (seconds === undefined) return { ok: false, field: 'wait_alert_seconds' };
  const minutes = parseMinutes(d.reopen_window);
  if (minutes === undefined) return { ok: false, field: 'reopen_window_minutes' };
  const patch: ChannelPatch = {};
  if (d.name.trim() !== c.name) patch.name = d.name.trim();
  if (d.mode !== c.mode) patch.mode = d.mode;
  if (d.greeting !== (c.greeting ?? '')) patch.greeting = d.greeting;
  if (seconds !== (c.wait_alert_seconds ?? null)) patch.wait_alert_seconds = seconds;
  if (d.offline_policy !== c.offline_policy) patch.offline_policy = d.offline_policy;
  if (d.require_category !== (c.require_category ?? false)) patch.require_category = d.require_category;
  if (minutes !== (c.reopen_window_minutes ?? REOPEN_WINDOW_DEFAULT)) patch.reopen_window_minutes = minutes;
  return { ok: true, patch };
}

export const CAPACITY_MIN = 1;
export const CAPACITY_MAX = 50;

/** A capacity from its input: a whole number 1–50, or null. */
export function parseCapacity(text: string): number | null {
  const s = text.trim();
  if (!/^\d{1,3}$/.test(s)) return null;
  const n = Number(s);
  return n >= CAPACITY_MIN && n <= CAPACITY_MAX ? n : null;
}

/** Whether two id lists hold the same ids, in any order. */
export function sameIds(a: readonly string[], b: readonly string[]): boolean {
  if (a.length !== b.length) return false;
  const set = new Set(a);
  return b.every((id) => set.has(id));
}
