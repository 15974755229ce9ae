/** The visitor's rating of a closed dialog: five stars, the score and his comment. */
import type { RatingView } from '../../shared/api-types';
import { useConsole } from '../context';

export function RatingStars({ rating }: { rating: RatingView }) {
  const { t } = useConsole();
  const score = Math.max(0, Math.min(5, Math.round(rating.score)));
  return (
    <span class="rating" data-testid="dialog-rating" data-score={score} title={t('rating.label')}>
      <span class="meta-label">{t('rating.label')}:</span>
      <span class="stars" aria-label={t('rating.score', { n: score })} role="img">
        {'★★★★★'.slice(0, score)}
        <span class="stars-off">{'★★★★★'.slice(score)}</span>
      </span>
      <span class="rating-score">{t('rating.score', { n: score })}</span>
      {rating.comment?.trim() && <q class="rating-comment">{rating.comment.trim()}</q>}
    </span>
  );
}
