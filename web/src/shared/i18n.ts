/**
 * The smallest i18n that does the job: one flat table per language with the same keys,
 * `{name}` placeholders, and a language picked from a BCP 47 tag (Russian if it starts
 * with "ru", English otherwise). Tables live beside each app (console, widget, loader).
 */
export type Lang = 'ru' | 'en';
export const LANGS: readonly Lang[] = ['ru', 'en'];

export type Params = Record<string, string | number>;
export type Translate<K extends string> = (key: K, params?: Params) => string;

/** "ru-RU", "ru", "RU" → ru; anything else (or nothing) → en. */
export function pickLang(tag: string | null | undefined): Lang {
  return (tag ?? '').trim().toLowerCase().startsWith('ru') ? 'ru' : 'en';
}

/** Replaces `{name}` with params.name; unknown placeholders are left as they are. */
export function interpolate(template: string, params?: Params): string {
  if (!params) return template;
  return template.replace(/\{(\w+)\}/g, (whole, name: string) =>
    Object.prototype.hasOwnProperty.call(params, name) ? String(params[name]) : whole,
  );
}

export function translator<K extends string>(table: Record<K, string>): Translate<K> {
  return (key, params) => interpolate(table[key] ?? key, params);
}

/**
 * The table key for a server error code (`error.<code>`), or `fallback` when the table has no
 * text for that code, so a new server code still shows something sensible.
 */
export function errorKey<K extends string>(table: Record<K, string>, code: string, fallback: K): K {
  const key = `error.${code}`;
  return (Object.prototype.hasOwnProperty.call(table, key) ? key : fallback) as K;
}
