/** A deactivated operator is not offered where dialogs are given or colleagues called: transfers, mentions. */
import { describe, expect, it } from 'vitest';
import { operator } from '../test/fixtures';
import { matchOperators } from './mentions';
import { operatorTargets } from './transfer';

const boris = operator('b', { display_name: 'Борис' });
const bella = operator('e', { display_name: 'Белла' });
const gone = operator('g', { display_name: 'Богдан', deactivated: true });

describe('deactivated operators', () => {
  it('are not mentioned', () => {
    expect(matchOperators([boris, bella, gone], 'Б', null).map((o) => o.id)).toEqual(['e', 'b']);
  });

  it('are not transfer targets, whichever copy says so', () => {
    const live = new Map([boris, bella, gone].map((o) => [o.id, o]));
    expect(operatorTargets([boris, bella, { ...gone, deactivated: false }], live, []).map((x) => x.operator.id)).toEqual(['e', 'b']);
  });
});
