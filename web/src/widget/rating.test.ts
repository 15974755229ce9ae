import { describe, expect, it } from 'vitest';
import type { WidgetDialogView } from '../shared/api-types';
import { MAX_COMMENT, ratingPrompt, ratingRefusal, ratingRequest } from './rating';

const dialog = (over: Partial<WidgetDialogView> = {}): WidgetDialogView => ({
  id: 'd1',
  number: 7,
  status: 'closed',
  last_seq: 4,
  close_reason: 'operator',
  rating: null,
  operator_read_seq: 4,
  ...over,
});

describe('ratingPrompt', () => {
  it('asks after an operator closed the dialog and nobody rated it', () => {
    expect(ratingPrompt(dialog())).toBe('ask');
  });

  it('never asks after the auto-close, nor while the dialog is open', () => {
    expect(ratingPrompt(dialog({ close_reason: 'auto' }))).toBe('none');
    expect(ratingPrompt(dialog({ status: 'open', close_reason: null }))).toBe('none');
    expect(ratingPrompt(dialog({ close_reason: null }))).toBe('none');
    expect(ratingPrompt(undefined)).toBe('none');
  });

  it('thanks instead of asking once the dialog has a rating', () => {
    expect(ratingPrompt(dialog({ rating: { score: 5, comment: null } }))).toBe('rated');
  });
});

describe('ratingRequest', () => {
  it('sends the score and a trimmed comment, or no comment at all', () => {
    expect(ratingRequest('d1', 5, '  Быстро помогли  ')).toEqual({ ok: true, body: { dialog_id: 'd1', score: 5, comment: 'Быстро помогли' } });
    expect(ratingRequest('d1', 3, '   ')).toEqual({ ok: true, body: { dialog_id: 'd1', score: 3 } });
  });

  it('wants a score from 1 to 5', () => {
    for (const score of [0, 6, 2.5, NaN]) expect(ratingRequest('d1', score, '')).toEqual({ ok: false, reason: 'score' });
  });

  it('counts the comment limit in characters, not UTF-16 units', () => {
    expect(ratingRequest('d1', 4, '😀'.repeat(MAX_COMMENT)).ok).toBe(true);
    expect(ratingRequest('d1', 4, 'я'.repeat(MAX_COMMENT + 1))).toEqual({ ok: false, reason: 'comment' });
  });
});

describe('ratingRefusal', () => {
  it('takes already_rated as done and rating_not_requested as nothing to ask', () => {
    expect(ratingRefusal('already_rated')).toBe('done');
    expect(ratingRefusal('rating_not_requested')).toBe('not_asked');
    expect(ratingRefusal('network')).toBe('retry');
    expect(ratingRefusal('validation_failed')).toBe('retry');
  });
});
