/**
 * When the widget asks the visitor to rate a conversation, and what it sends.
 *
 * What stays true: only a dialog an operator closed (`close_reason: "operator"`) and not yet
 * rated is asked about; a dialog closed by the auto-close timer never is (PRODUCT.md §4).
 */
import type { WidgetDialogView } from '../shared/api-types';

export const MAX_COMMENT = 1000;
export const SCORES = [1, 2, 3, 4, 5] as const;

/** `ask`: show the form; `rated`: show the thanks; `none`: say nothing. */
export type RatingPrompt = 'ask' | 'rated' | 'none';

export function ratingPrompt(dialog: WidgetDialogView | undefined): RatingPrompt {
  if (!dialog || dialog.status !== 'closed') return 'none';
  if (dialog.rating) return 'rated';
  return dialog.close_reason === 'operator' ? 'ask' : 'none';
}

/** The body of `POST /widget/v1/rating`, or the reason it cannot be sent yet. */
export function ratingRequest(
  dialogId: string,
  score: number,
  comment: string,
): { ok: true; body: { dialog_id: string; score: number; comment?: string } } | { ok: false; reason: 'score' | 'comment' } {
  if (!Number.isInteger(score) || score < 1 || score > 5) return { ok: false, reason: 'score' };
  const text = comment.trim();
  // Characters as people count them (an emoji is one), like the server's limit.
  if ([...text].length > MAX_COMMENT) return { ok: false, reason: 'comment' };
  return { ok: true, body: text ? { dialog_id: dialogId, score, comment: text } : { dialog_id: dialogId, score } };
}

/**
 * What a refused rating means for the form: `already_rated` is as good as done (another tab
 * rated it), `rating_not_requested` closes the form quietly, anything else keeps it open.
 */
export function ratingRefusal(code: string): 'done' | 'not_asked' | 'retry' {
  if (code === 'already_rated') return 'done';
  if (code === 'rating_not_requested') return 'not_asked';
  return 'retry';
}
