/**
 * A thin JSON client over fetch for both /api/v1 (cookie) and /widget/v1 (bearer token).
 * Every refusal becomes an ApiError carrying the server's stable `code`; a request that never
 * got an answer has code `network`, so the UI can tell "server said no" from "no connection".
 */
import type { MessageView, Page } from './api-types';

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details: Record<string, unknown> = {},
  ) {
    super(message || code);
    this.name = 'ApiError';
  }
}

export interface RequestOptions {
  body?: unknown;
  token?: string;
  signal?: AbortSignal;
}

export type Requester = <T>(method: string, path: string, options?: RequestOptions) => Promise<T>;

/** Makes a requester for paths relative to `base` (an origin, or '' for the page's own). */
export function createClient(base = '', fetchImpl: typeof fetch = (...a) => fetch(...a)): Requester {
  return async function request<T>(method: string, path: string, options: RequestOptions = {}) {
    const headers: Record<string, string> = { Accept: 'application/json' };
    if (options.body !== undefined) headers['Content-Type'] = 'application/json';
    if (options.token) headers.Authorization = `Bearer ${options.token}`;
    let response: Response;
    try {
      response = await fetchImpl(base + path, {
        method,
        headers,
        body: options.body === undefined ? undefined : JSON.stringify(options.body),
        credentials: 'same-origin',
        signal: options.signal,
      });
    } catch (cause) {
      if ((cause as Error)?.name === 'AbortError') throw cause;
      throw new ApiError(0, 'network', String(cause));
    }
    if (response.status === 204) return undefined as T;
    const text = await response.text();
    let json: unknown = undefined;
    if (text) {
      try {
        json = JSON.parse(text);
      } catch {
        json = undefined;
      }
    }
    if (!response.ok) throw toApiError(response.status, json);
    return json as T;
  };
}

/**
 * A refusal's body as far as it is the server's `ApiErrorBody`: its `code`, and its message and
 * details when they are there; null for anything else (a proxy's page, no body).
 */
export function errorBody(json: unknown): { code: string; message: string; details: Record<string, unknown> } | null {
  if (!json || typeof json !== 'object' || !('code' in json) || typeof json.code !== 'string') return null;
  const message = 'message' in json && typeof json.message === 'string' ? json.message : '';
  const details = 'details' in json && json.details && typeof json.details === 'object' ? { ...json.details } : {};
  return { code: json.code, message, details };
}

/** The ApiError for a refused answer: the server's code when its body has one, else by status. */
export function toApiError(status: number, json: unknown): ApiError {
  const body = errorBody(json);
  if (body) return new ApiError(status, body.code, body.message, body.details);
  const code = status === 401 ? 'unauthenticated' : status === 429 ? 'rate_limited' : status >= 502 ? 'unavailable' : 'internal';
  return new ApiError(status, code, `HTTP ${status}`);
}

/** Builds a query string, leaving out undefined and null values. */
export function query(params: Record<string, string | number | null | undefined>): string {
  const parts: string[] = [];
  for (const [k, v] of Object.entries(params)) {
    if (v === undefined || v === null || v === '') continue;
    parts.push(`${encodeURIComponent(k)}=${encodeURIComponent(String(v))}`);
  }
  return parts.length ? `?${parts.join('&')}` : '';
}

/**
 * Reads every page of a message list that starts after `afterSeq`. Each next page is asked with
 * both the server's `cursor` and the last `after_seq` seen, so it works whichever the server
 * reads; it stops on a null cursor, an empty page or a page that brought nothing new.
 */
export async function fetchAllMessages(
  fetchPage: (params: { after_seq: number; cursor?: string }) => Promise<Page<MessageView>>,
  afterSeq = 0,
): Promise<MessageView[]> {
  const all: MessageView[] = [];
  let last = afterSeq;
  let cursor: string | undefined;
  for (let guard = 0; guard < 1000; guard++) {
    const page = await fetchPage(cursor ? { after_seq: last, cursor } : { after_seq: last });
    const items = page.items ?? [];
    const before = last;
    for (const m of items) {
      all.push(m);
      if (m.seq > last) last = m.seq;
    }
    if (!page.next_cursor || items.length === 0 || last === before) break;
    cursor = page.next_cursor;
  }
  return all;
}
