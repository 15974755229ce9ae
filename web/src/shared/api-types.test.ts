/**
 * The hand-written names over the generated API types: `oneOf` at run time, and (checked by
 * `npm run typecheck`, which compiles this file) that the generic shapes and the enum lists
 * still match the server's document.
 */
import { describe, expect, it } from 'vitest';
import type { components } from './api-schema.gen';
import {
  oneOf,
  PRESENCES,
  ROLES,
  type AuditView,
  type ChannelView,
  type DialogView,
  type Items,
  type MessageView,
  type OperatorView,
  type Page,
  type Presence,
  type Role,
} from './api-types';

type Schemas = components['schemas'];
/** True when each of A and B is assignable to the other. */
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;

// Page<T> and Items<T> are the shapes of the document's lists; a change there fails here.
const shapes: [
  Same<Page<DialogView>, Schemas['DialogPageView']>,
  Same<Page<MessageView>, Schemas['MessagePageView']>,
  Same<Page<AuditView>, Schemas['AuditPage']>,
  Same<Items<OperatorView>['items'][number], OperatorView>,
  Same<Items<Schemas['ChannelView']>, Schemas['ChannelList']>,
  // The narrowed views still fit where the generated ones go.
  OperatorView extends Schemas['OperatorView'] ? true : false,
  ChannelView extends Schemas['ChannelView'] ? true : false,
] = [true, true, true, true, true, true, true];

describe('oneOf', () => {
  it('takes a word the server documents and nothing else', () => {
    const role: Role | null = oneOf('supervisor', ROLES);
    expect(role).toBe('supervisor');
    expect(oneOf('owner', ROLES)).toBeNull();
    expect(oneOf(null, ROLES)).toBeNull();
    expect(oneOf(undefined, ROLES)).toBeNull();
    const presence: Presence | null = oneOf('away', PRESENCES);
    expect(presence).toBe('away');
    expect(shapes.every(Boolean)).toBe(true);
  });

  it('lists the enums of the document', () => {
    expect([...ROLES].sort()).toEqual(['admin', 'operator', 'supervisor']);
    expect(PRESENCES).toEqual(['online', 'away', 'offline']);
  });
});
