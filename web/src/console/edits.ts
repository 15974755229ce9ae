/**
 * The earlier texts of a message its author edited where he wrote it (Telegram), as the
 * console shows them under it: each with the time it was written.
 *
 * What stays true: the server gives each earlier text with the time the next one replaced it
 * (`replaced_at`); a text was written when the message was (the first) or when the one before
 * it was replaced, so that is the time shown beside it.
 */
import type { MessageEditView, MessageView } from '../shared/api-types';

export interface EarlierText {
  version: number;
  body: string;
  /** When this text was written (RFC 3339). */
  written_at: string;
}

/** The earlier texts of `message`, oldest first, each with the time it was written. */
export function earlierTexts(message: Pick<MessageView, 'created_at'>, edits: readonly MessageEditView[]): EarlierText[] {
  const sorted = [...edits].sort((a, b) => a.version - b.version);
  return sorted.map((e, i) => ({ version: e.version, body: e.body, written_at: i === 0 ? message.created_at : sorted[i - 1].replaced_at }));
}
