/** A Requester stand-in: answers by "METHOD /path" prefix and records every call. */
import { ApiError, type Requester, type RequestOptions } from '../shared/api';

export type Handler = (path: string, options: RequestOptions) => unknown;

export function fakeApi(routes: Record<string, Handler>) {
  const calls: { method: string; path: string; options: RequestOptions }[] = [];
  const request = (async (method: string, path: string, options: RequestOptions = {}) => {
    calls.push({ method, path, options });
    const bare = path.split('?')[0];
    const route = Object.keys(routes)
      .filter((k) => {
        const [m, p] = k.split(' ');
        return m === method && (p === bare || (p.endsWith('*') && bare.startsWith(p.slice(0, -1))));
      })
      .sort((a, b) => b.length - a.length)[0];
    if (!route) throw new ApiError(404, 'not_found', `${method} ${path}`);
    return routes[route](path, options);
  }) as Requester;
  return { request, calls, callsTo: (method: string, prefix: string) => calls.filter((c) => c.method === method && c.path.startsWith(prefix)) };
}

/** Lets queued promises and microtasks run. */
export async function settle(): Promise<void> {
  for (let i = 0; i < 10; i++) await Promise.resolve();
}
