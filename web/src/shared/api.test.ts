import { describe, expect, it } from 'vitest';
import { message } from '../test/fixtures';
import { ApiError, createClient, fetchAllMessages, query } from './api';

describe('fetchAllMessages', () => {
  it('follows next_cursor and passes the last seq along', async () => {
    const asked: unknown[] = [];
    const pages = [
      { items: [message(1), message(2)], next_cursor: 'c2' },
      { items: [message(3)], next_cursor: 'c3' },
      { items: [], next_cursor: null },
    ];
    const all = await fetchAllMessages(async (p) => {
      asked.push(p);
      return pages[asked.length - 1];
    });
    expect(all.map((m) => m.seq)).toEqual([1, 2, 3]);
    expect(asked).toEqual([{ after_seq: 0 }, { after_seq: 2, cursor: 'c2' }, { after_seq: 3, cursor: 'c3' }]);
  });

  it('stops on a page that brings nothing new even if a cursor comes back', async () => {
    let calls = 0;
    const all = await fetchAllMessages(async () => {
      calls++;
      return { items: [message(1)], next_cursor: 'again' };
    });
    expect(calls).toBe(2);
    expect(all).toHaveLength(2); // the caller's store dedups by seq
  });
});

describe('createClient', () => {
  it('turns an error body into ApiError with its code', async () => {
    const request = createClient('', async () =>
      new Response(JSON.stringify({ code: 'workspace_required', message: 'x', details: { field: 'workspace' } }), { status: 400 }),
    );
    const err = (await request('POST', '/api/v1/auth/login', { body: {} }).catch((e: unknown) => e)) as ApiError;
    expect(err).toBeInstanceOf(ApiError);
    expect(err.code).toBe('workspace_required');
    expect(err.details.field).toBe('workspace');
  });

  it('sends JSON and the bearer token', async () => {
    let seen: RequestInit | undefined;
    const request = createClient('http://x', async (_url, init) => {
      seen = init;
      return new Response('{"ok":true}', { status: 200 });
    });
    await request('PATCH', '/widget/v1/visitor', { token: 't0k', body: { name: 'Иван' } });
    const headers = seen?.headers as Record<string, string>;
    expect(headers.Authorization).toBe('Bearer t0k');
    expect(headers['Content-Type']).toBe('application/json');
    expect(seen?.body).toBe('{"name":"Иван"}');
  });

  it('reports a failed fetch as code network', async () => {
    const request = createClient('', async () => {
      throw new TypeError('Failed to fetch');
    });
    await expect(request('GET', '/x')).rejects.toMatchObject({ code: 'network', status: 0 });
  });

  it('builds query strings without empty values', () => {
    expect(query({ status: 'open', cursor: undefined, limit: 50 })).toBe('?status=open&limit=50');
    expect(query({})).toBe('');
  });
});
