/**
 * Visitor properties a page passes to the widget (`window.FrontlineSettings.properties`, see
 * loader/widget.ts) and the session request carries as `properties` (string → string; routing
 * rules match them, `city` shows in the console). Whatever the page put there, only a small
 * flat map of short strings goes on: numbers and booleans become text, anything else is dropped.
 */
export const MAX_PROPERTIES = 20;
export const MAX_KEY = 64;
export const MAX_VALUE = 256;

export function cleanProperties(input: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (!input || typeof input !== 'object' || Array.isArray(input)) return out;
  let n = 0;
  for (const [rawKey, raw] of Object.entries(input as Record<string, unknown>)) {
    if (n >= MAX_PROPERTIES) break;
    const key = rawKey.trim().slice(0, MAX_KEY);
    if (!key || key === '__proto__') continue;
    if (typeof raw !== 'string' && typeof raw !== 'number' && typeof raw !== 'boolean') continue;
    const value = String(raw).trim().slice(0, MAX_VALUE);
    if (!value) continue;
    out[key] = value;
    n++;
  }
  return out;
}

/** The properties carried in the frame's URL (`props`, JSON); an unreadable value gives none. */
export function parseProperties(json: string | null): Record<string, string> {
  if (!json) return {};
  try {
    return cleanProperties(JSON.parse(json));
  } catch {
    return {};
  }
}
