/**
 * "Please rate the conversation" after an operator closed the dialog: five stars, an optional
 * comment, Send; then the thanks. Never shown after the auto-close (see rating.ts).
 */
import { useState } from 'preact/hooks';
import type { Problem } from '../chat';
import { problemText, useChatEnv } from '../context';
import type { WidgetKey } from '../i18n';
import { MAX_COMMENT, SCORES } from '../rating';

export function RatingForm({ dialogId }: { dialogId: string }) {
  const { chat, t, lang } = useChatEnv();
  const [score, setScore] = useState(0);
  const [hover, setHover] = useState(0);
  const [comment, setComment] = useState('');
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<Problem | null>(null);
  const prompt = chat.ratingPrompt(dialogId);

  if (prompt === 'rated') {
    const given = chat.conversation.dialog(dialogId)?.rating?.score;
    return (
      <div class="rating rating-done" role="status" data-testid="rating-thanks">
        <strong>{t('rating.thanks')}</strong>
        {given ? <span class="rating-given">{t('rating.your_score', { score: given })}</span> : null}
      </div>
    );
  }

  const length = [...comment.trim()].length;
  const submit = async (e: Event) => {
    e.preventDefault();
    if (busy) return;
    setBusy(true);
    const refused = await chat.rate(dialogId, score, comment);
    setBusy(false);
    setProblem(refused);
  };
  const shown = hover || score;

  return (
    <form class="rating" data-testid="rating-form" onSubmit={submit}>
      <strong id={`rating-${dialogId}`}>{t('rating.title')}</strong>
      <div class="stars" role="radiogroup" aria-labelledby={`rating-${dialogId}`} onMouseLeave={() => setHover(0)}>
        {SCORES.map((n) => (
          <button
            key={n}
            type="button"
            role="radio"
            aria-checked={score === n}
            class={`star${n <= shown ? ' star-on' : ''}`}
            aria-label={`${n} · ${t(`rating.score_${n}` as WidgetKey)}`}
            title={t(`rating.score_${n}` as WidgetKey)}
            data-testid="rating-star"
            data-score={n}
            onMouseEnter={() => setHover(n)}
            onClick={() => {
              setScore(n);
              setProblem(null);
            }}
          >
            <svg viewBox="0 0 24 24" width="30" height="30" aria-hidden="true">
              <path d="M12 2.8l2.8 5.8 6.3.9-4.6 4.4 1.1 6.3L12 17.2l-5.6 3 1.1-6.3-4.6-4.4 6.3-.9z" />
            </svg>
          </button>
        ))}
      </div>
      <div class="rating-caption" aria-live="polite">
        {shown ? t(`rating.score_${shown}` as WidgetKey) : '\u00a0'}
      </div>
      <label class="rating-label" for={`rating-comment-${dialogId}`}>
        {t('rating.comment')}
      </label>
      <textarea
        id={`rating-comment-${dialogId}`}
        rows={2}
        value={comment}
        placeholder={t('rating.comment_placeholder')}
        data-testid="rating-comment"
        onInput={(e) => setComment(e.currentTarget.value)}
      />
      {length > MAX_COMMENT * 0.9 && (
        <div class={`rating-count${length > MAX_COMMENT ? ' over' : ''}`}>
          {length} / {MAX_COMMENT}
        </div>
      )}
      {problem && (
        <p class="field-error" role="alert" data-testid="rating-error">
          {problem.code === 'rating_score'
            ? t('rating.pick_score')
            : problem.code === 'rating_comment'
              ? t('rating.comment_too_long', { limit: MAX_COMMENT })
              : problemText(t, lang, problem)}
        </p>
      )}
      <button type="submit" class="btn" disabled={busy || !score} data-testid="rating-send">
        {t('rating.send')}
      </button>
    </form>
  );
}
