/**
 * The Security page's controller: the operator changes his own password and sees and ends his
 * sessions. A changed password ends his other sessions, so the list is read again after it.
 */
import type { Requester } from '../../shared/api';
import type { EndedSessions, Items, SessionView } from '../../shared/api-types';
import { Observable } from '../../shared/store';
import type { Problem } from '../console-state';

export interface SecurityHost {
  api: Requester;
  /** Turns a failure into a Problem (and signs out on 401). */
  guard: (e: unknown) => Problem;
}

/** This session first, then the others as the server orders them (most recently used first). */
export function orderSessions(list: readonly SessionView[]): SessionView[] {
  return [...list].sort((a, b) => Number(b.current) - Number(a.current));
}

export class SecurityState extends Observable {
  sessions: SessionView[] = [];
  /** Whether the list was read since the page opened. */
  loaded = false;
  loading = false;
  problem: Problem | null = null;
  /** Sessions being ended right now, and "end all others" under way. */
  readonly ending = new Set<string>();
  endingOthers = false;
  private request = 0;

  constructor(private readonly host: SecurityHost) {
    super();
  }

  /** The page opened: nothing of an earlier visit (or an earlier operator) shows, then the list. */
  open(): Promise<void> {
    this.sessions = [];
    this.loaded = false;
    return this.loadSessions();
  }

  async loadSessions(): Promise<void> {
    const request = ++this.request;
    this.loading = true;
    this.problem = null;
    this.changed();
    try {
      const list = await this.host.api<Items<SessionView>>('GET', '/api/v1/me/sessions');
      if (request !== this.request) return;
      this.sessions = orderSessions(list.items);
      this.loaded = true;
    } catch (e) {
      if (request === this.request) this.problem = this.host.guard(e);
    } finally {
      if (request === this.request) this.loading = false;
      this.changed();
    }
  }

  /** Ends one of his other sessions; one already gone (404) just leaves the list. */
  async endSession(id: string): Promise<Problem | null> {
    if (this.ending.has(id)) return null;
    this.ending.add(id);
    this.changed();
    let problem: Problem | null = null;
    try {
      await this.host.api<void>('DELETE', `/api/v1/me/sessions/${encodeURIComponent(id)}`);
    } catch (e) {
      problem = this.host.guard(e);
      if (problem.code === 'not_found') problem = null;
    } finally {
      this.ending.delete(id);
    }
    if (!problem) this.sessions = this.sessions.filter((s) => s.id !== id);
    this.changed();
    void this.loadSessions();
    return problem;
  }

  /** Ends every session but this one; resolves to how many ended, or the refusal. */
  async endOthers(): Promise<number | Problem> {
    if (this.endingOthers) return 0;
    this.endingOthers = true;
    this.changed();
    try {
      const done = await this.host.api<EndedSessions>('POST', '/api/v1/me/sessions/end-others');
      this.sessions = this.sessions.filter((s) => s.current);
      return done?.ended ?? 0;
    } catch (e) {
      return this.host.guard(e);
    } finally {
      this.endingOthers = false;
      this.changed();
      void this.loadSessions();
    }
  }

  /** Changes his password (the server checks the current one); his other sessions end. */
  async changePassword(current: string, next: string): Promise<Problem | null> {
    try {
      await this.host.api<void>('PUT', '/api/v1/me/password', { body: { current_password: current, new_password: next } });
      void this.loadSessions();
      return null;
    } catch (e) {
      return this.host.guard(e);
    }
  }
}
