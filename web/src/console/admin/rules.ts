/**
 * The routing rules editor's data: an ordered list of drafts the admin edits on the page and
 * saves whole (`PUT /api/v1/routing-rules`), and the server's field paths
 * (`items[2].conditions[0].pattern`) mapped back to the input they name.
 */
import type { Condition, ConditionType, RoutingRuleInput, RoutingRuleView } from '../../shared/api-types';

export type ConditionDraft = Condition & { key: string };

/**
 * What a routing rule may ask: the page, a visitor property, the language, a Telegram chat's
 * topic, the address a mail was sent to, a segment the visitor is in (segments.ts).
 */
export const RULE_CONDITIONS: readonly ConditionType[] = ['url', 'property', 'language', 'telegram_topic', 'mail_to', 'segment'];

/**
 * What a proactive message may ask. A trigger shows in the widget, where no Telegram topic is
 * ever chosen and no mail arrives: the server refuses a topic or a mail address condition on it
 * (`conditions[j].type`).
 */
export const TRIGGER_CONDITIONS: readonly ConditionType[] = ['url', 'property', 'language', 'segment'];

export interface RuleDraft {
  /** Stable across edits and moves, for rendering. */
  key: string;
  name: string;
  channel_id: string;
  conditions: ConditionDraft[];
}

let counter = 0;
const nextKey = () => `k${++counter}`;

export function newCondition(type: ConditionType): ConditionDraft {
  switch (type) {
    case 'url':
      return { key: nextKey(), type, pattern: '', regex: false };
    case 'property':
      return { key: nextKey(), type, name: '', value: '' };
    case 'language':
    case 'telegram_topic':
    case 'mail_to':
      return { key: nextKey(), type, value: '' };
    case 'segment':
      // The editor puts the first segment in at once (ConditionsEditor): an empty id is not sent.
      return { key: nextKey(), type, segment_id: '' };
  }
}

export function newRule(channelId: string): RuleDraft {
  return { key: nextKey(), name: '', channel_id: channelId, conditions: [newCondition('url')] };
}

export function draftsFrom(rules: readonly RoutingRuleView[]): RuleDraft[] {
  return rules.map((r) => ({
    key: nextKey(),
    name: r.name,
    channel_id: r.channel_id,
    conditions: conditionDrafts(r.conditions),
  }));
}

/** Conditions as the editor holds them (each with a key for rendering). */
export function conditionDrafts(conditions: readonly Condition[]): ConditionDraft[] {
  return conditions.map((c) => ({ ...c, key: nextKey() }));
}

/** A condition as the server takes it: without its key, text trimmed. */
export function conditionRequest(c: ConditionDraft): Condition {
  switch (c.type) {
    case 'url':
      return { type: 'url', pattern: c.pattern.trim(), regex: c.regex };
    case 'property':
      return { type: 'property', name: c.name.trim(), value: c.value.trim() };
    case 'language':
      return { type: 'language', value: c.value.trim() };
    case 'telegram_topic':
      return { type: 'telegram_topic', value: c.value.trim() };
    case 'mail_to':
      return { type: 'mail_to', value: c.value.trim() };
    case 'segment':
      return { type: 'segment', segment_id: c.segment_id };
  }
}

/** The list with item `index` moved by `delta` places (clamped); the same list if it cannot move. */
export function moveItem<T>(list: readonly T[], index: number, delta: number): T[] {
  const to = Math.min(list.length - 1, Math.max(0, index + delta));
  if (index < 0 || index >= list.length || to === index) return [...list];
  const next = [...list];
  const [item] = next.splice(index, 1);
  next.splice(to, 0, item);
  return next;
}

/** A condition of another type, keeping what carries over (a language's value). */
export function retype(c: ConditionDraft, type: ConditionType): ConditionDraft {
  if (c.type === type) return c;
  const fresh = newCondition(type);
  return { ...fresh, key: c.key };
}

/** The body of `PUT /api/v1/routing-rules`: drafts without their keys, text trimmed. */
export function rulesRequest(drafts: readonly RuleDraft[]): { items: RoutingRuleInput[] } {
  return {
    items: drafts.map((d) => ({
      name: d.name.trim(),
      channel_id: d.channel_id,
      conditions: d.conditions.map(conditionRequest),
    })),
  };
}

/** The server's name of a field: `items[2].name`, `items[2].conditions[0].pattern`. */
export function fieldPath(rule: number, field: string, condition?: number): string {
  return condition === undefined ? `items[${rule}].${field}` : `items[${rule}].conditions[${condition}].${field}`;
}

export interface FieldRef {
  rule: number;
  /** null when the field is the rule's own (name, channel_id) or the whole conditions list. */
  condition: number | null;
  /** `name`, `channel_id`, `conditions`, `pattern`, `value`…; null for the item itself. */
  field: string | null;
}

/** Reads a field path back; null for anything that does not name an item. */
export function parseFieldPath(path: string): FieldRef | null {
  const m = /^items\[(\d+)\](?:\.conditions\[(\d+)\])?(?:\.(\w+))?$/.exec(path.trim());
  if (!m) return null;
  return { rule: Number(m[1]), condition: m[2] === undefined ? null : Number(m[2]), field: m[3] ?? null };
}
