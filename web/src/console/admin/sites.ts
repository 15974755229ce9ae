/**
 * The installation page's data: the code a site pastes (the loader reads `data-key`, see
 * loader/widget.ts), the `window.FrontlineSettings` example it reads for visitor properties,
 * and the allowed origins as the form holds them (one input each, blank ones dropped) checked
 * before `PATCH /api/v1/sites/{id}` — with the server's `allowed_origins[i]` mapped back to
 * the input it names.
 */
import type { FieldIssue } from './field-issues';

/** The loader's tag for a site, from this Frontline's own address (on two lines, so it reads whole). */
export function widgetSnippet(origin: string, key: string): string {
  return `<script src="${origin.replace(/\/+$/, '')}/widget.js"\n        data-key="${key}" async></script>`;
}

/** The visitor's properties a site may pass (set before the loader's tag). */
export function settingsSnippet(example: { city: string; plan: string }): string {
  return [
    '<script>',
    '  window.FrontlineSettings = {',
    `    properties: { city: '${example.city}', plan: '${example.plan}' }`,
    '  };',
    '</script>',
  ].join('\n');
}

/**
 * An origin as the server keeps it (`https://shop.example.com`, a port if any), or null for
 * anything else: another scheme, a path, a query, no host.
 */
export function normalizeOrigin(text: string): string | null {
  const s = text.trim();
  if (!/^https?:\/\/[^/?#\s]+\/?$/i.test(s)) return null;
  try {
    const url = new URL(s);
    if (url.username || url.password || !url.hostname) return null;
    return url.origin;
  } catch {
    return null;
  }
}

export interface OriginsResult {
  /** The body's list, normalized, blank inputs left out. */
  origins: string[];
  /** The input each sent origin came from (the server's `allowed_origins[i]` → input). */
  inputOf: number[];
  /** Problems named by input: `allowed_origins[<input index>]`. */
  issues: FieldIssue[];
}

/** Reads the inputs: blank ones dropped, each other one an origin, none twice, at least one (the server's 1–50). */
export function readOrigins(inputs: readonly string[]): OriginsResult {
  const origins: string[] = [];
  const inputOf: number[] = [];
  const issues: FieldIssue[] = [];
  inputs.forEach((text, i) => {
    if (!text.trim()) return;
    const origin = normalizeOrigin(text);
    const field = `allowed_origins[${i}]`;
    if (!origin) issues.push({ field, reason: 'origin' });
    else if (origins.includes(origin)) issues.push({ field, reason: 'duplicate' });
    else {
      origins.push(origin);
      inputOf.push(i);
    }
  });
  if (origins.length === 0 && issues.length === 0) issues.push({ field: 'allowed_origins', reason: 'too_few', min: 1 });
  return { origins, inputOf, issues };
}

/** The input a server field names (`allowed_origins[1]` of the sent list), or null. */
export function inputForField(field: string, inputOf: readonly number[]): number | null {
  const m = /^allowed_origins\[(\d+)\]$/.exec(field.trim());
  if (!m) return null;
  return inputOf[Number(m[1])] ?? null;
}

/** Whether two lists hold the same origins in the same order. */
export function sameOrigins(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}
