/**
 * Escalation forms and tickets as operators meet them (docs/api.md, "Forms and tickets"): the
 * enabled forms an operator may send into a website visitor's open dialog
 * (`POST /api/v1/dialogs/{id}/forms`), a sent form's answers once the visitor filled it
 * (`GET /api/v1/form-requests/{id}`), and the tickets a filled form made — the department's and
 * the client's, linked — listed by dialog or for the whole workspace with their filters, read
 * with their mail and given a status (`/api/v1/tickets`). The controller (`TicketsState`) holds
 * what was read; the pure helpers below word and order it.
 *
 * What stays true: a ticket changed here (its status) is put in place everywhere it is shown
 * (the dialog's panel, the tickets page, the opened mail); an answer arriving late for a
 * filter or a dialog no longer asked about is dropped.
 */
import type { Requester } from '../shared/api';
import { query } from '../shared/api';
import type { components } from '../shared/api-schema.gen';
import type { DialogView, FormFieldView, FormRequestView, FormView, Items, MessageView } from '../shared/api-types';
import type { Lang, Translate } from '../shared/i18n';
import { Observable } from '../shared/store';
import type { Problem } from './console-state';
import type { ConsoleKey } from './i18n';
import { snoozeTime } from './snooze';

type Schemas = components['schemas'];
type T = Translate<ConsoleKey>;

// ---- the wire --------------------------------------------------------------------------------

/** A form as the API shows it (operators are given the enabled ones, admins every one), one of its fields, one sent into a dialog. */
export type { FormFieldView, FormRequestView, FormView };
export type FormList = Items<FormView>;
export type SendFormRequest = Schemas['SendFormRequest'];
export type TicketView = Schemas['TicketView'];
export type TicketList = Schemas['TicketList'];
export type TicketDetailView = Schemas['TicketDetailView'];
export type TicketEntryView = Schemas['TicketEntryView'];
export type TicketPatch = Schemas['TicketPatch'];

/** `TicketView.status` (the document types it as a bare string). */
export type TicketStatus = 'open' | 'answered' | 'closed';
export const TICKET_STATUSES: readonly TicketStatus[] = ['open', 'answered', 'closed'];
/** A status the console knows, or null. */
export function oneStatus(value: string): TicketStatus | null {
  return TICKET_STATUSES.find((s) => s === value) ?? null;
}

/** `TicketView.side`: the department's ticket or the client's. */
export type TicketSide = 'department' | 'client';

/** The system lines that tell a dialog's tickets changed (made, or answered by the department). */
export const TICKET_LINES: readonly string[] = ['form_submitted', 'ticket_answered'];

// ---- words -----------------------------------------------------------------------------------

export function statusLabel(t: T, status: string): string {
  switch (status) {
    case 'open':
      return t('tickets.status_open');
    case 'answered':
      return t('tickets.status_answered');
    case 'closed':
      return t('tickets.status_closed');
    default:
      return status;
  }
}

export function sideLabel(t: T, side: string): string {
  return side === 'department' ? t('tickets.side_department') : side === 'client' ? t('tickets.side_client') : side;
}

/** Who a ticket is for: "Отдел (service@…)" or "Клиент (maria@…)". */
export function whoLabel(t: T, ticket: Pick<TicketView, 'side' | 'address'>): string {
  const address = ticket.address.trim();
  if (ticket.side === 'department') return address ? t('tickets.who_department', { address }) : t('tickets.side_department');
  if (ticket.side === 'client') return address ? t('tickets.who_client', { address }) : t('tickets.side_client');
  return address || ticket.side;
}

/** The due time as other times of the console show it: "15:30" today, else "7 дек., 15:00". */
export function dueText(iso: string | null | undefined, lang: Lang, now = Date.now()): string {
  return iso && Number.isFinite(Date.parse(iso)) ? snoozeTime(iso, lang, now) : '';
}

/** A mail entry's time: the date too unless it is today. */
export const entryTime = dueText;

export interface AnswerPair {
  key: string;
  label: string;
  value: string;
}

/**
 * A filled form's answers as label–value pairs in the form's order of fields; an answer to a
 * field the request does not list (the form changed since) follows under its key. Nothing when
 * the form is not filled yet.
 */
export function answerPairs(request: Pick<FormRequestView, 'fields' | 'answers'>): AnswerPair[] {
  const answers = request.answers ?? null;
  if (!answers) return [];
  const pairs: AnswerPair[] = request.fields.map((f) => ({ key: f.key, label: f.label, value: String(answers[f.key] ?? '').trim() }));
  const listed = new Set(request.fields.map((f) => f.key));
  for (const [key, value] of Object.entries(answers)) if (!listed.has(key)) pairs.push({ key, label: key, value: String(value ?? '').trim() });
  return pairs;
}

// ---- sending a form --------------------------------------------------------------------------

/** Why no form can be sent into a dialog now, or null when one can. */
export type SendBlock = 'closed' | 'not_widget' | 'no_forms';

/** Only a website visitor's open dialog takes a form (Telegram and e-mail contacts cannot fill a card). */
export function sendBlock(dialog: Pick<DialogView, 'status' | 'visitor'>, forms: readonly FormView[] | null): SendBlock | null {
  if (dialog.status !== 'open') return 'closed';
  if (dialog.visitor.source !== 'widget') return 'not_widget';
  if (forms && forms.length === 0) return 'no_forms';
  return null;
}

export function sendBlockText(t: T, block: SendBlock): string {
  return block === 'closed' ? t('forms.send.closed') : block === 'not_widget' ? t('forms.send.not_widget') : t('forms.send.none');
}

/** The forms an operator may send: the enabled ones, by name. */
export function sendableForms(forms: readonly FormView[]): FormView[] {
  return forms.filter((f) => f.enabled !== false).sort((a, b) => a.name.localeCompare(b.name));
}

/**
 * A refused send in words, or null when the console has none of its own (then the general
 * `problemText` speaks): the visitor is no website visitor (`400` naming `form_id`), the form is
 * gone or switched off (`404`), the dialog was closed meanwhile (`409 dialog_closed`).
 */
export function sendProblemKey(problem: Problem): ConsoleKey | null {
  if (problem.code === 'validation_failed' && problem.details.field === 'form_id') return 'forms.send.not_widget';
  if (problem.code === 'not_found') return 'forms.send.gone';
  if (problem.code === 'dialog_closed') return 'forms.send.closed';
  if (problem.code === 'form_sent_already') return 'forms.send.already';
  return null;
}

// ---- the dialog's lines ----------------------------------------------------------------------

/** The seq of the newest line saying the dialog's tickets changed (0: none): the panel reloads when it grows. */
export function lastTicketLine(messages: readonly Pick<MessageView, 'seq' | 'event'>[]): number {
  let last = 0;
  for (const m of messages) {
    const kind = m.event && typeof m.event === 'object' ? m.event.kind : null;
    if (typeof kind === 'string' && TICKET_LINES.includes(kind) && m.seq > last) last = m.seq;
  }
  return last;
}

// ---- the list's filters ------------------------------------------------------------------------

export interface TicketFilter {
  status: TicketStatus | 'all';
  overdue: boolean;
}

export const DEFAULT_TICKET_FILTER: TicketFilter = { status: 'all', overdue: false };

/** `GET /api/v1/tickets`'s query for a filter (and a dialog). */
export function ticketsQuery(filter: TicketFilter, dialogId?: string | null): string {
  return query({
    status: filter.status === 'all' ? undefined : filter.status,
    overdue: filter.overdue ? 'true' : undefined,
    dialog_id: dialogId ?? undefined,
  });
}

// ---- the controller --------------------------------------------------------------------------

export interface TicketsHost {
  api: Requester;
  /** Turns a failure into a Problem (and signs out on 401). */
  guard: (e: unknown) => Problem;
}

/** Something read on demand: what came, whether it is being read, why it could not be. */
export interface Loaded<V> {
  value: V | null;
  loading: boolean;
  problem: Problem | null;
}

const FORMS = '/api/v1/forms';
const TICKETS = '/api/v1/tickets';

export class TicketsState extends Observable {
  /** The forms an operator may send (enabled), null until read. */
  forms: FormView[] | null = null;
  formsLoading = false;
  formsProblem: Problem | null = null;
  /** Dialogs a form is being sent into. */
  readonly sending = new Set<string>();

  /** Form requests' answers, by request id. */
  readonly requests = new Map<string, Loaded<FormRequestView>>();
  /** Each dialog's tickets, by dialog id. */
  readonly byDialog = new Map<string, Loaded<TicketView[]>>();
  /** A ticket with its mail, by ticket id. */
  readonly details = new Map<string, Loaded<TicketDetailView>>();
  /** Tickets whose status is being set. */
  readonly saving = new Set<string>();

  /** The tickets page. */
  filter: TicketFilter = { ...DEFAULT_TICKET_FILTER };
  list: TicketView[] = [];
  listLoaded = false;
  listLoading = false;
  listProblem: Problem | null = null;

  private listRequest = 0;
  private readonly dialogRequest = new Map<string, number>();
  private formsRequest = 0;

  constructor(private readonly host: TicketsHost) {
    super();
  }

  /** Signed out: nothing read stays. */
  clear(): void {
    this.forms = null;
    this.formsProblem = null;
    this.sending.clear();
    this.requests.clear();
    this.byDialog.clear();
    this.details.clear();
    this.saving.clear();
    this.filter = { ...DEFAULT_TICKET_FILTER };
    this.list = [];
    this.listLoaded = false;
    this.listProblem = null;
    this.changed();
  }

  // ---- forms ---------------------------------------------------------------------------------

  /** Reads the forms anew (an admin may have added or switched one off since). */
  async loadForms(): Promise<void> {
    const request = ++this.formsRequest;
    this.formsLoading = true;
    this.formsProblem = null;
    this.changed();
    try {
      const list = await this.host.api<FormList>('GET', FORMS);
      if (request !== this.formsRequest) return;
      this.forms = sendableForms(list.items);
    } catch (e) {
      if (request === this.formsRequest) this.formsProblem = this.host.guard(e);
    } finally {
      if (request === this.formsRequest) this.formsLoading = false;
      this.changed();
    }
  }

  /** Sends a form into a dialog; its line comes by the socket. Resolves to the refusal or null. */
  async sendForm(dialogId: string, formId: string): Promise<Problem | null> {
    if (this.sending.has(dialogId)) return null;
    this.sending.add(dialogId);
    this.changed();
    try {
      const body: SendFormRequest = { form_id: formId };
      await this.host.api<FormRequestView>('POST', `/api/v1/dialogs/${encodeURIComponent(dialogId)}/forms`, { body });
      return null;
    } catch (e) {
      const problem = this.host.guard(e);
      // Gone or switched off meanwhile: the list is read again.
      if (problem.code === 'not_found') void this.loadForms();
      return problem;
    } finally {
      this.sending.delete(dialogId);
      this.changed();
    }
  }

  /** A sent form with its answers (read once; `again` reads it anew). */
  async loadRequest(id: string, again = false): Promise<void> {
    const held = this.requests.get(id);
    if (held?.loading || (held?.value && !again)) return;
    const entry: Loaded<FormRequestView> = { value: held?.value ?? null, loading: true, problem: null };
    this.requests.set(id, entry);
    this.changed();
    try {
      entry.value = await this.host.api<FormRequestView>('GET', `/api/v1/form-requests/${encodeURIComponent(id)}`);
    } catch (e) {
      entry.problem = this.host.guard(e);
    } finally {
      entry.loading = false;
      this.changed();
    }
  }

  // ---- tickets -------------------------------------------------------------------------------

  /** A dialog's tickets, read anew (what was shown stays until the answer). */
  async loadDialog(dialogId: string): Promise<void> {
    const request = (this.dialogRequest.get(dialogId) ?? 0) + 1;
    this.dialogRequest.set(dialogId, request);
    const held = this.byDialog.get(dialogId);
    const entry: Loaded<TicketView[]> = { value: held?.value ?? null, loading: true, problem: null };
    this.byDialog.set(dialogId, entry);
    this.changed();
    const latest = () => this.dialogRequest.get(dialogId) === request;
    try {
      const list = await this.host.api<TicketList>('GET', `${TICKETS}${ticketsQuery(DEFAULT_TICKET_FILTER, dialogId)}`);
      if (latest()) entry.value = list.items;
    } catch (e) {
      if (latest()) entry.problem = this.host.guard(e);
    } finally {
      if (latest()) entry.loading = false;
      this.changed();
    }
  }

  /** Changes the page's filters; the list is read anew. */
  setFilter(patch: Partial<TicketFilter>): void {
    const next = { ...this.filter, ...patch };
    if (next.status === this.filter.status && next.overdue === this.filter.overdue) return;
    this.filter = next;
    void this.loadList();
  }

  /** The tickets page's list for the current filters, newest first. */
  async loadList(): Promise<void> {
    const request = ++this.listRequest;
    this.listLoading = true;
    this.listProblem = null;
    this.changed();
    try {
      const list = await this.host.api<TicketList>('GET', `${TICKETS}${ticketsQuery(this.filter)}`);
      if (request !== this.listRequest) return;
      this.list = list.items;
      this.listLoaded = true;
    } catch (e) {
      if (request === this.listRequest) this.listProblem = this.host.guard(e);
    } finally {
      if (request === this.listRequest) this.listLoading = false;
      this.changed();
    }
  }

  /** A ticket with what was mailed to the department and its answers, read anew. */
  async loadDetail(id: string): Promise<void> {
    const held = this.details.get(id);
    if (held?.loading) return;
    const entry: Loaded<TicketDetailView> = { value: held?.value ?? null, loading: true, problem: null };
    this.details.set(id, entry);
    this.changed();
    try {
      entry.value = await this.host.api<TicketDetailView>('GET', `${TICKETS}/${encodeURIComponent(id)}`);
      this.put(entry.value.ticket);
    } catch (e) {
      entry.problem = this.host.guard(e);
    } finally {
      entry.loading = false;
      this.changed();
    }
  }

  /** Sets a ticket's status; resolves to the refusal or null. */
  async setStatus(id: string, status: TicketStatus): Promise<Problem | null> {
    if (this.saving.has(id)) return null;
    this.saving.add(id);
    this.changed();
    try {
      const body: TicketPatch = { status };
      this.put(await this.host.api<TicketView>('PATCH', `${TICKETS}/${encodeURIComponent(id)}`, { body }));
      return null;
    } catch (e) {
      return this.host.guard(e);
    } finally {
      this.saving.delete(id);
      this.changed();
    }
  }

  /** A newer version of a ticket, put in place wherever it is held. */
  private put(ticket: TicketView): void {
    const swap = (items: TicketView[]) => (items.some((x) => x.id === ticket.id) ? items.map((x) => (x.id === ticket.id ? ticket : x)) : items);
    this.list = swap(this.list);
    for (const entry of this.byDialog.values()) if (entry.value) entry.value = swap(entry.value);
    const detail = this.details.get(ticket.id)?.value;
    if (detail) detail.ticket = ticket;
  }
}
