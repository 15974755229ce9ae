/**
 * The visitor tokens this browser keeps for a site (localStorage, per widget key), and who
 * they are of. Two places, so that a page that does not say who is signed in never shows a
 * signed-in user's chat:
 *
 * - `frontline.visitor.<key>`: the anonymous visitor's token (the widget's token before
 *   identify existed; still so).
 * - `frontline.user.<key>`: `{user_id, token}`, the session of the site's user the page named
 *   last (`identify`). Used only when the page names that same user again.
 *
 * An identify sends the user's own token when this browser has one, else the anonymous one:
 * the server then lets the anonymous visitor become that user when nobody is him yet (with
 * his dialogs), or answers with the user's visitor and a new token. When the anonymous
 * visitor became the user, his token is forgotten as anonymous. A refused identify forgets the
 * user's token; `reset()` (the user signed out) forgets everything of both.
 */
import { ApiError } from '../shared/api';
import { local } from '../shared/storage';

/** The site's user as the page names him (`Frontline.identify(id, {hash})`). */
export interface PageUser {
  id: string;
  /** Lowercase hex HMAC-SHA256 of `id` under the site's identity secret. */
  hash?: string;
}

export const anonymousKey = (key: string) => `frontline.visitor.${key}`;
export const userKey = (key: string) => `frontline.user.${key}`;
/** What else the widget keeps of the visitor: the last message he saw, his e-mail and phone. */
export const seenKey = (key: string) => `frontline.seen.${key}`;
export const contactKey = (key: string) => `frontline.contact.${key}`;

export class TokenStore {
  constructor(private readonly key: string) {}

  /** The token to open a session with, as `user` (null: anonymously); undefined: none, a new visitor. */
  tokenFor(user: string | null): string | undefined {
    const anonymous = local.get(anonymousKey(this.key)) ?? undefined;
    if (user === null) return anonymous;
    const saved = this.saved();
    return saved && saved.user_id === user ? saved.token : anonymous;
  }

  /** Keeps the token the server answered for a session as `user` (null: anonymous). */
  keep(user: string | null, token: string): void {
    if (user === null) {
      local.set(anonymousKey(this.key), token);
      return;
    }
    local.set(userKey(this.key), JSON.stringify({ user_id: user, token }));
    // The anonymous visitor became this user: his token is the user's now, never to open an anonymous chat.
    if (local.get(anonymousKey(this.key)) === token) local.remove(anonymousKey(this.key));
  }

  /** The page's identify was refused: this browser keeps no token of a signed-in user. */
  forgetUser(): void {
    local.remove(userKey(this.key));
  }

  /** The site's user signed out: nothing of any visitor stays. */
  forgetAll(): void {
    for (const k of [userKey, anonymousKey, seenKey, contactKey]) local.remove(k(this.key));
  }

  private saved(): { user_id: string; token: string } | null {
    try {
      const v = JSON.parse(local.get(userKey(this.key)) ?? 'null') as { user_id?: unknown; token?: unknown } | null;
      return v && typeof v.user_id === 'string' && typeof v.token === 'string' ? { user_id: v.user_id, token: v.token } : null;
    } catch {
      return null;
    }
  }
}

/** Whether a session refusal is about the page's identify (wrong or missing hash, a bad user id). */
export function identityRefused(e: unknown): e is ApiError {
  if (!(e instanceof ApiError)) return false;
  if (e.code === 'identity_refused') return true;
  const field = e.details.field;
  return e.code === 'validation_failed' && (field === 'user_id' || field === 'user_hash');
}
