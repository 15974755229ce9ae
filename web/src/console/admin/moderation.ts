/**
 * Complaints about visitors and blocks (issue 16), as the console shows them: any operator
 * reports the visitor of a dialog he sees (the visitor card), admins review the complaints
 * (block the visitor, with an address range if they wish, or dismiss) and lift blocks. The pure
 * rules the card and the review page share live here beside the review page's controller
 * (`ModerationState`, `/api/v1/complaints` and `/api/v1/blocks`); the card's own calls are the
 * console state's (`reportVisitor`, `blockVisitor`, `unblockVisitor`).
 *
 * What stays true: a reason, status or refusal is shown in the console's words, never the
 * server's English; a refused field (`reason`, `comment`, `note`, `ip_range`) gets its message
 * beside its input; a decided complaint stays on the page with who decided and when.
 */
import type { Requester } from '../../shared/api';
import type { BlockView, ComplaintReason, ComplaintView, DecisionRequest, Items, VisitorRef } from '../../shared/api-types';
import type { Lang, Translate } from '../../shared/i18n';
import { visitorName } from '../../shared/names';
import { Observable } from '../../shared/store';
import type { Problem } from '../console-state';
import type { ConsoleKey } from '../i18n';
import type { FieldIssue } from './field-issues';
import { issueText } from './issue-text';
import { formatWhen } from './lifecycle';
import { serverIssue } from './server-issues';

type T = Translate<ConsoleKey>;

export type { BlockView, ComplaintReason, ComplaintView };

/** Why an operator complains, in the order the forms offer them. */
export const REASONS: readonly ComplaintReason[] = ['spam', 'abuse', 'other'];
/** The longest comment or note (characters, once trimmed). */
export const COMMENT_MAX = 1000;

/** Which complaints the review page shows. */
export type ComplaintFilter = 'open' | 'blocked' | 'dismissed' | 'all';
export const FILTERS: readonly ComplaintFilter[] = ['open', 'blocked', 'dismissed', 'all'];

const REASON_WORDS: Record<ComplaintReason, ConsoleKey> = {
  spam: 'moderation.reason.spam',
  abuse: 'moderation.reason.abuse',
  other: 'moderation.reason.other',
};

const STATUS_WORDS: Record<string, ConsoleKey> = {
  open: 'moderation.status.open',
  blocked: 'moderation.status.blocked',
  dismissed: 'moderation.status.dismissed',
};

const isReason = (s: string): s is ComplaintReason => (REASONS as readonly string[]).includes(s);

/** A reason in words; one the console does not know (from a later server) as it is. */
export function reasonText(t: T, reason: string): string {
  return isReason(reason) ? t(REASON_WORDS[reason]) : reason;
}

/** A complaint's status in words. */
export function statusText(t: T, status: string): string {
  return STATUS_WORDS[status] ? t(STATUS_WORDS[status]) : status;
}

/** Who a complaint or block is about: his name, else «Посетитель N»; none: the words for it. */
export function visitorLabel(t: T, v: VisitorRef | null | undefined): string {
  return v ? visitorName(v, t('visitor.numbered')) : t('moderation.visitor_unknown');
}

/** "Анна, 6 дек. 2026 г., 14:05": who did it and when (only when, if he is gone). */
export function byWhen(lang: Lang, who: string | null | undefined, at: string | null | undefined): string {
  const when = at ? formatWhen(at, lang) : '';
  const name = who?.trim();
  return name && when ? `${name}, ${when}` : name || when;
}

export const isLive = (b: Pick<BlockView, 'lifted_at'>): boolean => !b.lifted_at;

// ---- the console's own checks, as the server's ---------------------------------------------

/** A comment or note longer than the server keeps (blank is none). */
export function textIssue(field: string, text: string): FieldIssue | null {
  return [...text.trim()].length > COMMENT_MAX ? { field, reason: 'too_long', max: COMMENT_MAX } : null;
}

const v4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})(?:\/(\d{1,2}))?$/;
const v6 = /^[0-9a-f:.]*:[0-9a-f:.]*(?:\/(\d{1,3}))?$/i;

/**
 * Whether a typed address range is one the server takes: an address, or a CIDR block of /8–/32
 * (IPv4) or /16–/128 (IPv6). Blank is none (nothing is blocked by address). An IPv6 address's
 * own shape is left to the server; its prefix is checked here.
 */
export function ipRangeOk(text: string): boolean {
  const s = text.trim();
  if (!s) return true;
  let m = v4.exec(s);
  if (m) {
    if (m.slice(1, 5).some((o) => Number(o) > 255)) return false;
    return m[5] === undefined || (Number(m[5]) >= 8 && Number(m[5]) <= 32);
  }
  m = v6.exec(s);
  if (m) return m[1] === undefined || (Number(m[1]) >= 16 && Number(m[1]) <= 128);
  return false;
}

/** The console's own issues with a block's fields before it is sent. */
export function blockIssues(draft: { reason?: string | null; ip_range?: string; note?: string }): FieldIssue[] {
  const out: FieldIssue[] = [];
  if (draft.reason !== undefined && !draft.reason) out.push({ field: 'reason', reason: 'required' });
  if (draft.ip_range !== undefined && !ipRangeOk(draft.ip_range)) out.push({ field: 'ip_range', reason: 'invalid' });
  const note = draft.note !== undefined ? textIssue('note', draft.note) : null;
  if (note) out.push(note);
  return out;
}

/** A field's issue in words: the reason and the address range have their own. */
export function moderationIssueText(t: T, issue: FieldIssue): string {
  if (issue.field === 'reason') return t('moderation.reason_required');
  if (issue.field === 'ip_range') return t('moderation.ip_range_invalid');
  return issueText(t, issue);
}

/** What to show beside each field: the console's own issues, then the server's refusal of one. */
export function moderationMessages(t: T, issues: readonly FieldIssue[], problem: Problem | null): Map<string, string> {
  const out = new Map<string, string>();
  for (const issue of issues) if (!out.has(issue.field)) out.set(issue.field, moderationIssueText(t, issue));
  const refused = serverIssue(problem);
  if (refused) out.set(refused.field, moderationIssueText(t, refused));
  return out;
}

/** Whether the refusal is of a field the form shows (then it is told there, not under the form). */
export function refusedAt(problem: Problem | null, fields: readonly string[]): boolean {
  const issue = serverIssue(problem);
  return !!issue && fields.includes(issue.field);
}

/** Trimmed text, or undefined when blank (the server takes none for blank anyway). */
export const optional = (s: string): string | undefined => s.trim() || undefined;

// ---- the review page's controller ----------------------------------------------------------

export interface ModerationHost {
  api: Requester;
  guard: (e: unknown) => Problem;
}

export class ModerationState extends Observable {
  filter: ComplaintFilter = 'open';
  complaints: ComplaintView[] = [];
  complaintsLoaded = false;
  complaintsLoading = false;
  complaintsProblem: Problem | null = null;
  /** Only the live blocks (`?live=true`), or lifted ones too. */
  liveOnly = false;
  blocks: BlockView[] = [];
  blocksLoaded = false;
  blocksLoading = false;
  blocksProblem: Problem | null = null;
  private complaintsRequest = 0;
  private blocksRequest = 0;

  constructor(private readonly host: ModerationHost) {
    super();
  }

  /** The page opened: the open complaints and every block, nothing of an earlier visit. */
  open(): Promise<void> {
    this.filter = 'open';
    this.liveOnly = false;
    this.complaints = [];
    this.complaintsLoaded = false;
    this.blocks = [];
    this.blocksLoaded = false;
    return Promise.all([this.loadComplaints(), this.loadBlocks()]).then(() => undefined);
  }

  setFilter(filter: ComplaintFilter): Promise<void> {
    if (filter === this.filter && this.complaintsLoaded) return Promise.resolve();
    this.filter = filter;
    this.complaints = [];
    this.complaintsLoaded = false;
    return this.loadComplaints();
  }

  setLiveOnly(liveOnly: boolean): Promise<void> {
    this.liveOnly = liveOnly;
    return this.loadBlocks();
  }

  async loadComplaints(): Promise<void> {
    const request = ++this.complaintsRequest;
    this.complaintsLoading = true;
    this.complaintsProblem = null;
    this.changed();
    try {
      const got = await this.host.api<Items<ComplaintView>>('GET', `/api/v1/complaints?status=${this.filter}`);
      if (request !== this.complaintsRequest) return;
      this.complaints = got.items ?? [];
      this.complaintsLoaded = true;
    } catch (e) {
      if (request === this.complaintsRequest) this.complaintsProblem = this.host.guard(e);
    } finally {
      if (request === this.complaintsRequest) this.complaintsLoading = false;
      this.changed();
    }
  }

  async loadBlocks(): Promise<void> {
    const request = ++this.blocksRequest;
    this.blocksLoading = true;
    this.blocksProblem = null;
    this.changed();
    try {
      const got = await this.host.api<Items<BlockView>>('GET', `/api/v1/blocks${this.liveOnly ? '?live=true' : ''}`);
      if (request !== this.blocksRequest) return;
      this.blocks = got.items ?? [];
      this.blocksLoaded = true;
    } catch (e) {
      if (request === this.blocksRequest) this.blocksProblem = this.host.guard(e);
    } finally {
      if (request === this.blocksRequest) this.blocksLoading = false;
      this.changed();
    }
  }

  /**
   * Blocks the complaint's visitor or dismisses it. The decided complaint stays where it is,
   * with its decision, until the filter is changed; a block shows in the blocks at once. A
   * complaint decided already (`409 complaint_decided`, another admin was first) is refused and
   * shown as it was decided.
   */
  async decide(id: string, body: DecisionRequest): Promise<Problem | null> {
    try {
      const decided = await this.host.api<ComplaintView>('POST', `/api/v1/complaints/${encodeURIComponent(id)}/decision`, { body });
      this.replace(decided);
      if (decided.status === 'blocked') void this.loadBlocks();
      return null;
    } catch (e) {
      const problem = this.host.guard(e);
      if (problem.code === 'complaint_decided') void this.refresh(id);
      return problem;
    } finally {
      this.changed();
    }
  }

  /** Lifts a block at once (again: nothing changes); it stays listed, lifted. */
  async lift(id: string): Promise<Problem | null> {
    try {
      const lifted = await this.host.api<BlockView>('POST', `/api/v1/blocks/${encodeURIComponent(id)}/lift`);
      this.blocks = this.liveOnly ? this.blocks.filter((b) => b.id !== id) : this.blocks.map((b) => (b.id === id ? lifted : b));
      return null;
    } catch (e) {
      return this.host.guard(e);
    } finally {
      this.changed();
    }
  }

  private replace(c: ComplaintView): void {
    this.complaints = this.complaints.map((x) => (x.id === c.id ? c : x));
  }

  /** Reads one complaint again (as decided elsewhere) and shows it in its place. */
  private async refresh(id: string): Promise<void> {
    try {
      const got = await this.host.api<Items<ComplaintView>>('GET', '/api/v1/complaints?status=all');
      const now = got.items?.find((c) => c.id === id);
      if (now) this.replace(now);
      if (now?.status === 'blocked') void this.loadBlocks();
    } catch {
      // The refusal is already told; the row stays as it was.
    } finally {
      this.changed();
    }
  }
}
