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
