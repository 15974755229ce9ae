/**
 * Proactive messages (triggers, docs/api.md "Automation") as the admin form holds them: name,
 * message, how long the visitor has been on the site, the routing-rule conditions that must all
 * hold, and how often one visitor may see it. The form's text is checked and turned into the
 * body of `POST /api/v1/triggers` or `PATCH /api/v1/triggers/{id}`.
 */
import type { TriggerInput, TriggerView } from '../../shared/api-types';
import type { FieldIssue } from './field-issues';
import { conditionDrafts, conditionRequest, type ConditionDraft } from './rules';

export const TIME_ON_SITE_DEFAULT = 25;
export const TIME_ON_SITE_MAX = 86_400;
export const PERIOD_DEFAULT = 24;
export const PERIOD_MAX = 8760;
export const TRIGGER_NAME_MAX = 100;
export const TRIGGER_MESSAGE_MAX = 1000;

export interface TriggerDraft {
  name: string;
  message: string;
  enabled: boolean;
  /** Seconds, as typed. */
  time_on_site: string;
  /** Hours, as typed. */
  period: string;
  conditions: ConditionDraft[];
}

/** The form for a trigger, or for a new one with the server's defaults. */
export function triggerDraft(t: TriggerView | null): TriggerDraft {
  return {
    name: t?.name ?? '',
    message: t?.message ?? '',
    enabled: t?.enabled ?? true,
    time_on_site: String(t?.time_on_site_seconds ?? TIME_ON_SITE_DEFAULT),
    period: String(t?.period_hours ?? PERIOD_DEFAULT),
    conditions: conditionDrafts(t?.conditions ?? []),
  };
}

export type TriggerResult = { ok: true; body: Required<TriggerInput> } | { ok: false; issues: FieldIssue[] };

const whole = (text: string): number | null => (/^\d{1,9}$/.test(text.trim()) ? Number(text.trim()) : null);

export function triggerRequest(d: TriggerDraft): TriggerResult {
  const issues: FieldIssue[] = [];
  const name = d.name.trim();
  const message = d.message.trim();
  if (!name) issues.push({ field: 'name', reason: 'required' });
  else if (name.length > TRIGGER_NAME_MAX) issues.push({ field: 'name', reason: 'too_long', max: TRIGGER_NAME_MAX });
  if (!message) issues.push({ field: 'message', reason: 'required' });
  else if (message.length > TRIGGER_MESSAGE_MAX) issues.push({ field: 'message', reason: 'too_long', max: TRIGGER_MESSAGE_MAX });
  const seconds = whole(d.time_on_site);
  if (seconds === null) issues.push({ field: 'time_on_site_seconds', reason: 'whole_number' });
  else if (seconds > TIME_ON_SITE_MAX) issues.push({ field: 'time_on_site_seconds', reason: 'range', min: 0, max: TIME_ON_SITE_MAX });
  const hours = whole(d.period);
  if (hours === null) issues.push({ field: 'period_hours', reason: 'whole_number' });
  else if (hours < 1 || hours > PERIOD_MAX) issues.push({ field: 'period_hours', reason: 'range', min: 1, max: PERIOD_MAX });
  if (issues.length > 0) return { ok: false, issues };
  return {
    ok: true,
    body: {
      name,
      message,
      enabled: d.enabled,
      time_on_site_seconds: seconds!,
      conditions: d.conditions.map(conditionRequest),
      period_hours: hours!,
    },
  };
}

/** A field the server named in a trigger: its own (`name`) or a condition's (`conditions[0].pattern`). */
export interface TriggerFieldRef {
  condition: number | null;
  field: string | null;
}

export function parseTriggerField(path: string): TriggerFieldRef | null {
  const m = /^(?:conditions\[(\d+)\](?:\.(\w+))?|(\w+))$/.exec(path.trim());
  if (!m) return null;
  if (m[1] !== undefined) return { condition: Number(m[1]), field: m[2] ?? null };
  return { condition: null, field: m[3] };
}
