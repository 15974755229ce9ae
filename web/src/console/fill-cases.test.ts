/** The console fills a saved reply's variables as the server fills a greeting's: the same cases. */
import { describe, expect, it } from 'vitest';
import cases from '../../../crates/domain/src/fill_cases.json';
import { fillReply } from './saved-replies';

describe('fillReply against the server’s cases (crates/domain/src/fill_cases.json)', () => {
  it('has the cases', () => expect(cases.length).toBeGreaterThanOrEqual(10));
  for (const c of cases) {
    it(JSON.stringify(c.body), () => {
      expect(fillReply(c.body, { visitorName: c.visitor, operatorName: c.operator })).toBe(c.want);
    });
  }
});
