import { describe, expect, it } from 'vitest';
import { foldedActive } from './filter-fold';
import { DEFAULT_FILTER } from './filters';

describe('foldedActive', () => {
  it('counts the filters behind the button, not the status or the order', () => {
    expect(foldedActive({ ...DEFAULT_FILTER })).toBe(0);
    expect(foldedActive({ ...DEFAULT_FILTER, status: 'closed', sort: 'due' })).toBe(0);
    expect(foldedActive({ ...DEFAULT_FILTER, assignee: 'mine', unanswered: true })).toBe(2);
    expect(foldedActive({ ...DEFAULT_FILTER, channel: 'c1', tag: 't1', assignee: 'op-7', unanswered: true })).toBe(4);
  });
});
