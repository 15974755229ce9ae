/** How people are named on screen. */
import type { VisitorView } from './api-types';

/** The visitor's own name if given, else the numbered fallback (a template with {n}). */
export function visitorName(visitor: Pick<VisitorView, 'name' | 'number'> | null | undefined, numbered: string): string {
  const name = visitor?.name?.trim();
  if (name) return name;
  return numbered.replace('{n}', String(visitor?.number ?? ''));
}

/** Two letters for an avatar; a numbered fallback name ("Visitor 42") shows its number. */
export function initials(name: string): string {
  const words = name.trim().split(/\s+/).filter(Boolean);
  if (words.length === 0) return '?';
  const last = words[words.length - 1];
  if (/^\d+$/.test(last)) return last.slice(-3);
  if (words.length === 1) return words[0].slice(0, 2).toUpperCase();
  return (words[0][0] + last[0]).toUpperCase();
}

/**
 * The display name in an operator or channel reference of a system line or an error's
 * details, whatever its shape: `{id, display_name}`, `{id, name}` or a bare name.
 */
export function refName(ref: unknown): string | null {
  if (typeof ref === 'string') return ref.trim() || null;
  if (ref && typeof ref === 'object') {
    const name =
      'display_name' in ref && typeof ref.display_name === 'string' ? ref.display_name : 'name' in ref && typeof ref.name === 'string' ? ref.name : '';
    return name.trim() || null;
  }
  return null;
}

/** The id in an operator or channel reference, if it carries one. */
export function refId(ref: unknown): string | null {
  return ref && typeof ref === 'object' && 'id' in ref && typeof ref.id === 'string' ? ref.id : null;
}
