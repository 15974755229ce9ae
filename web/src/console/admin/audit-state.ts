/** The audit log page's controller: pages of `GET /api/v1/audit-log`, newest first, "load more" by cursor. */
import type { Requester } from '../../shared/api';
import { query } from '../../shared/api';
import type { AuditPage, AuditView } from '../../shared/api-types';
import { Observable } from '../../shared/store';
import type { Problem } from '../console-state';

export const AUDIT_PAGE = 50;

export interface AuditHost {
  api: Requester;
  guard: (e: unknown) => Problem;
}

export class AuditLogState extends Observable {
  items: AuditView[] = [];
  nextCursor: string | null = null;
  loaded = false;
  loading = false;
  problem: Problem | null = null;
  private request = 0;

  constructor(private readonly host: AuditHost) {
    super();
  }

  /** The first page (anew: what was shown goes), or the next one after `nextCursor` with `more`. */
  async load(more = false): Promise<void> {
    if (more && (!this.nextCursor || this.loading)) return;
    const request = ++this.request;
    const cursor = more ? this.nextCursor : null;
    if (!more) {
      this.items = [];
      this.nextCursor = null;
      this.loaded = false;
    }
    this.loading = true;
    this.problem = null;
    this.changed();
    try {
      const page = await this.host.api<AuditPage>('GET', `/api/v1/audit-log${query({ limit: AUDIT_PAGE, cursor })}`);
      if (request !== this.request) return;
      const seen = new Set(this.items.map((e) => e.id));
      this.items = [...this.items, ...page.items.filter((e) => !seen.has(e.id))];
      this.nextCursor = page.next_cursor ?? null;
      this.loaded = true;
    } catch (e) {
      if (request === this.request) this.problem = this.host.guard(e);
    } finally {
      if (request === this.request) this.loading = false;
      this.changed();
    }
  }
}
