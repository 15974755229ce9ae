import { describe, expect, it } from 'vitest';
import { channel, operator } from '../test/fixtures';
import { channelTargets, operatorRefusal, operatorTargets, transferBody } from './transfer';

describe('transfer targets', () => {
  it('offer online members with a free place; the rest say why not', () => {
    const members = [
      operator('vera', { display_name: 'Вера', presence: 'offline' }),
      operator('boris', { display_name: 'Борис', presence: 'away' }),
      operator('anna', { display_name: 'Анна' }),
      operator('gleb', { display_name: 'Глеб', active_dialogs: 5, capacity: 5 }),
      operator('me', { display_name: 'Я' }),
      operator('dina', { display_name: 'Дина', presence: 'offline' }),
    ];
    // Dina came online since the members were loaded: operator.updated is fresher.
    const live = new Map([['dina', operator('dina', { display_name: 'Дина', presence: 'online' })]]);
    const targets = operatorTargets(members, live, ['me', null]);
    expect(targets.map((x) => [x.operator.id, x.refusal])).toEqual([
      ['anna', null],
      ['dina', null],
      ['boris', 'away'],
      ['vera', 'offline'],
      ['gleb', 'full'],
    ]);
    expect(operatorRefusal(operator('x', { presence: 'online', active_dialogs: 4, capacity: 5 }))).toBeNull();
  });

  it('grey out channels with nobody online and leave out the dialog\'s own', () => {
    const targets = channelTargets(
      [channel('c1', { name: 'Москва' }), channel('c2', { name: 'Сервис', online_members: 0 }), channel('c3', { name: 'Доставка', online_members: 2 })],
      'c1',
    );
    expect(targets.map((x) => [x.channel.id, x.refusal])).toEqual([
      ['c3', null],
      ['c2', 'no_online'],
    ]);
  });

  it('send exactly one target and the comment only when there is one', () => {
    expect(transferBody({ kind: 'operator', id: 'anna' }, '  ')).toEqual({ operator_id: 'anna' });
    expect(transferBody({ kind: 'channel', id: 'c2' }, ' Клиент про доставку ')).toEqual({ channel_id: 'c2', comment: 'Клиент про доставку' });
  });
});
