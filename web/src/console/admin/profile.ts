/**
 * The profile form's data: the name visitors see, the console's language and the nine pinned
 * saved replies (Ctrl+1…9), as held by the form and sent as `PATCH /api/v1/me` with only what
 * changed. The server's refusals name the same fields (`display_name`, `shortcuts[3]`).
 */
import type { Lang } from '../../shared/i18n';
import type { MePatch, MeView, SavedReplyView } from '../../shared/api-types';
import { shortcutSlots } from '../saved-replies';
import type { FieldIssue } from './field-issues';
import { nameIssue } from './people';

export interface ProfileDraft {
  display_name: string;
  language: Lang;
  /** Nine slots: a saved reply's id or null. */
  shortcuts: (string | null)[];
}

/** The form as his profile stands; the language is the console's own when he chose none. */
export function profileDraft(me: MeView, consoleLang: Lang): ProfileDraft {
  return {
    display_name: me.operator.display_name,
    language: me.profile?.language ?? consoleLang,
    shortcuts: shortcutSlots(me.profile?.shortcuts),
  };
}

export function profileIssues(d: ProfileDraft): FieldIssue[] {
  const name = nameIssue(d.display_name);
  return name ? [name] : [];
}

/** Only what differs from the profile as it stands; null when nothing does. */
export function profilePatch(me: MeView, consoleLang: Lang, d: ProfileDraft): MePatch | null {
  const base = profileDraft(me, consoleLang);
  const patch: MePatch = {};
  const name = d.display_name.trim();
  if (name !== base.display_name) patch.display_name = name;
  if (d.language !== base.language) patch.language = d.language;
  if (d.shortcuts.some((id, i) => id !== base.shortcuts[i])) patch.shortcuts = shortcutSlots(d.shortcuts);
  return Object.keys(patch).length ? patch : null;
}

/** Slot `index`'s server field name. */
export const shortcutField = (index: number) => `shortcuts[${index}]`;

/** The slot (0–8) a server field names (`shortcuts[3]`), or null. */
export function shortcutIndex(field: string): number | null {
  const m = /^shortcuts\[(\d)\]$/.exec(field.trim());
  return m ? Number(m[1]) : null;
}

/** Replies grouped for a slot's picker: his own, each channel's, the shared ones; each by title. */
export function replyGroups(
  replies: readonly SavedReplyView[],
  channels: readonly { id: string; name: string }[],
): { key: string; channel: string | null; scope: SavedReplyView['scope']; items: SavedReplyView[] }[] {
  const byTitle = (a: SavedReplyView, b: SavedReplyView) => a.title.localeCompare(b.title);
  return [
    { key: 'personal', channel: null, scope: 'personal' as const, items: replies.filter((r) => r.scope === 'personal').sort(byTitle) },
    ...channels.map((c) => ({
      key: `channel-${c.id}`,
      channel: c.name,
      scope: 'channel' as const,
      items: replies.filter((r) => r.scope === 'channel' && r.channel_id === c.id).sort(byTitle),
    })),
    { key: 'workspace', channel: null, scope: 'workspace' as const, items: replies.filter((r) => r.scope === 'workspace').sort(byTitle) },
  ].filter((g) => g.items.length > 0);
}
