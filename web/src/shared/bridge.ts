/**
 * postMessage between the loader (on the customer's page) and the chat frame (on Frontline).
 * Each side accepts a message only from the other's exact origin and window, and reads only
 * what it checked: `readPageMessage` (in the frame) and the loader's reading of the frame's
 * messages drop anything of the wrong type or size.
 *
 * frame → page: ready (the frame is listening), unread {count}, close, teaser {name, text}
 *   (a proactive message while the panel is folded: the loader shows it as a card by the
 *   launcher), started {user} (a session is open, of the site's user `user` or anonymous:
 *   null), message {text, at} (a new operator message), error {code, message, field?},
 *   blocked {code, message} (the server refuses this visitor, `visitor_blocked`, or every
 *   visitor of a suspended workspace, `workspace_suspended`: the loader hides the widget for
 *   the rest of the page's life and the page hears the `error` event with that code)
 * page → frame: panel {open}, identify {id, hash?}, reset, attributes {attributes},
 *   track {name, properties}, start (sent after `ready` and whatever the page asked before:
 *   the frame opens its session then, as the page's user if it named one)
 *
 * The values the page API takes (see loader/widget.ts and docs/widget.md) are checked here,
 * by the same rules on both sides: the loader warns about what it drops, the frame drops it.
 * What the frame says is checked here too (`readFrameMessage`) before the loader acts on it.
 */
export const BRIDGE_SOURCE = 'frontline';

/** Why the server refuses the chat for good (`blocked`). */
export type BlockCode = 'visitor_blocked' | 'workspace_suspended';

/** A refusal's code as a `blocked` code: a block unless it says the workspace is suspended. */
export const blockCode = (code: unknown): BlockCode => (code === 'workspace_suspended' ? 'workspace_suspended' : 'visitor_blocked');

export type TeaserMessage = { type: 'teaser'; name: string; text: string };
export type FrameMessage =
  | { type: 'ready' }
  | { type: 'unread'; count: number }
  | { type: 'close' }
  | TeaserMessage
  | { type: 'started'; user: string | null }
  | { type: 'message'; text: string; at: string }
  | { type: 'error'; code: string; message: string; field?: string }
  | { type: 'blocked'; code: BlockCode; message: string };

/** An attribute's value: `null` removes it (only in `setAttributes`). */
export type AttributeValue = string | number | boolean | null;
export type PropertyValue = string | number | boolean;

export type PageMessage =
  | { type: 'panel'; open: boolean }
  | { type: 'identify'; id: string; hash?: string }
  | { type: 'reset' }
  | { type: 'attributes'; attributes: Record<string, AttributeValue> }
  | { type: 'track'; name: string; properties: Record<string, PropertyValue> }
  | { type: 'start' };

export type FrameToPage = FrameMessage & { source: typeof BRIDGE_SOURCE };
export type PageToFrame = PageMessage & { source: typeof BRIDGE_SOURCE };

export function isBridgeMessage(data: unknown): data is { source: string; type: string } {
  return !!data && typeof data === 'object' && (data as { source?: unknown }).source === BRIDGE_SOURCE;
}

/** The server's limits (issue 16): names of 1–100 characters, texts of at most 1000. */
export const MAX_NAME = 100;
export const MAX_TEXT = 1000;
export const MAX_HASH = 128;
export const MAX_ATTRIBUTES = 100;
export const MAX_EVENT_PROPERTIES = 20;
/** The longest operator message text the page is told (`message` event). */
export const MAX_MESSAGE_TEXT = 4000;
/** The longest error (and `blocked`) message the page is told. */
export const MAX_ERROR_TEXT = 500;

const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;
const chars = (s: string) => [...s].length;

/**
 * A user id, an event's or an attribute's name: a string (or a finite number, as text),
 * trimmed, 1–100 characters, no control characters; null when it is not one.
 */
export function cleanName(value: unknown): string | null {
  const s = typeof value === 'number' && Number.isFinite(value) ? String(value) : typeof value === 'string' ? value.trim() : '';
  return s && chars(s) <= MAX_NAME && !CONTROL.test(s) && s !== '__proto__' ? s : null;
}

/** The identify hash: a string of 1–128 characters, trimmed (the server tells a wrong one); null otherwise. */
export function cleanHash(value: unknown): string | null {
  const s = typeof value === 'string' ? value.trim() : '';
  return s && s.length <= MAX_HASH && !CONTROL.test(s) ? s : null;
}

function cleanValue(value: unknown, nullable: boolean): AttributeValue | undefined {
  if (value === null) return nullable ? null : undefined;
  if (value instanceof Date) return Number.isFinite(value.getTime()) ? value.toISOString() : undefined;
  if (typeof value === 'string') return chars(value) <= MAX_TEXT ? value : undefined;
  if (typeof value === 'number') return Number.isFinite(value) ? value : undefined;
  return typeof value === 'boolean' ? value : undefined;
}

/**
 * A flat map as the page gave it, keeping what the server takes: names by `cleanName`, values
 * strings (≤ 1000 characters), finite numbers, booleans (a Date becomes its ISO time), `null`
 * when `nullable`; at most `max` entries. `dropped` names what was left out.
 */
export function cleanMap<V extends AttributeValue>(
  input: unknown,
  max: number,
  nullable: boolean,
): { values: Record<string, V>; dropped: string[] } {
  const values: Record<string, V> = {};
  const dropped: string[] = [];
  if (!input || typeof input !== 'object' || Array.isArray(input)) return { values, dropped };
  let n = 0;
  for (const [raw, v] of Object.entries(input as Record<string, unknown>)) {
    const key = cleanName(raw);
    const value = cleanValue(v, nullable);
    if (!key || value === undefined || n >= max) dropped.push(raw);
    else {
      values[key] = value as V;
      n++;
    }
  }
  return { values, dropped };
}

/** What the frame accepts from the page: a checked message, or null for anything else. */
export function readPageMessage(data: unknown): PageMessage | null {
  if (!isBridgeMessage(data)) return null;
  const m = data as Record<string, unknown>;
  switch (m.type) {
    case 'panel':
      return { type: 'panel', open: m.open === true };
    case 'reset':
    case 'start':
      return { type: m.type };
    case 'identify': {
      const id = cleanName(m.id);
      if (!id) return null;
      const hash = cleanHash(m.hash);
      return hash ? { type: 'identify', id, hash } : { type: 'identify', id };
    }
    case 'attributes': {
      const attributes = cleanMap<AttributeValue>(m.attributes, MAX_ATTRIBUTES, true).values;
      return Object.keys(attributes).length ? { type: 'attributes', attributes } : null;
    }
    case 'track': {
      const name = cleanName(m.name);
      return name ? { type: 'track', name, properties: cleanMap<PropertyValue>(m.properties, MAX_EVENT_PROPERTIES, false).values } : null;
    }
    default:
      return null;
  }
}

/**
 * What the loader accepts from the frame: a checked message, or null for anything else.
 * Texts are cut to their limits; an unknown error code becomes `internal`; a teaser needs a
 * text; a message needs its text and time.
 */
export function readFrameMessage(data: unknown): FrameMessage | null {
  if (!isBridgeMessage(data)) return null;
  const m = data as Record<string, unknown>;
  const text = (v: unknown, max: number) => (typeof v === 'string' ? v.slice(0, max) : null);
  switch (m.type) {
    case 'ready':
    case 'close':
      return { type: m.type };
    case 'unread': {
      const n = Number(m.count);
      return { type: 'unread', count: Number.isFinite(n) && n > 0 ? Math.floor(n) : 0 };
    }
    case 'started':
      return { type: 'started', user: text(m.user, MAX_NAME) };
    case 'message': {
      const body = text(m.text, MAX_MESSAGE_TEXT);
      const at = text(m.at, 40);
      return body !== null && at !== null ? { type: 'message', text: body, at } : null;
    }
    case 'teaser': {
      const body = text(m.text, MAX_TEXT);
      return body?.trim() ? { type: 'teaser', name: text(m.name, MAX_NAME) ?? '', text: body } : null;
    }
    case 'error': {
      const code = typeof m.code === 'string' && /^[a-z_]{1,64}$/.test(m.code) ? m.code : 'internal';
      const message = text(m.message, MAX_ERROR_TEXT) ?? '';
      const field = text(m.field, 200);
      return field ? { type: 'error', code, message, field } : { type: 'error', code, message };
    }
    case 'blocked':
      return {
        type: 'blocked',
        // Spelled out, not `blockCode`: the loader's bundle has a size budget.
        code: m.code === 'workspace_suspended' ? 'workspace_suspended' : 'visitor_blocked',
        message: text(m.message, MAX_ERROR_TEXT) ?? '',
      };
    default:
      return null;
  }
}
