/**
 * The tickets escalation forms made, beside the dialog: the visitor card's «Заявки» section lists
 * the dialog's tickets (`GET /api/v1/tickets?dialog_id=…`) — number, for whom (the department's
 * address or the client), status, due time and whether it is overdue — with a status select
 * (`PATCH /api/v1/tickets/{id}`) and the ticket's mail opened in place (`GET
 * /api/v1/tickets/{id}`: what went out and what came back, with times). The section reads them
 * again when a line says they changed (a form filled, the department answering) in the open
 * dialog. The status select and the overdue mark serve the tickets page too.
 */
import { useEffect, useRef, useState } from 'preact/hooks';
import { useObservable } from '../../shared/store';
import type { Problem } from '../console-state';
import { problemText, useConsole } from '../context';
import { dueText, entryTime, lastTicketLine, oneStatus, statusLabel, TICKET_STATUSES, whoLabel, type TicketView } from '../tickets';
import '../tickets.css';

/** The dialog's tickets, for the visitor card. */
export function TicketsPanel({ dialogId }: { dialogId: string }) {
  const { state, t, lang } = useConsole('dialog');
  const tickets = state.tickets;
  useObservable(tickets);
  const entry = state.dialog.loaded.get(dialogId);
  const marker = lastTicketLine(entry?.messages.log.list() ?? []);
  const settled = !!entry && !entry.loading;
  /** The newest ticket line the list already reflects, once the dialog's history is in. */
  const seen = useRef<{ dialogId: string; seq: number | null }>({ dialogId, seq: null });
  const loaded = tickets.byDialog.get(dialogId);
  const items = loaded?.value ?? [];

  useEffect(() => {
    seen.current = { dialogId, seq: settled ? marker : null };
    void tickets.loadDialog(dialogId);
  }, [dialogId]);

  // A form filled or the department answering while the dialog is open: read them again. The
  // lines the history brings were in the first answer already.
  useEffect(() => {
    if (!settled || seen.current.dialogId !== dialogId) return;
    if (seen.current.seq === null) {
      seen.current.seq = marker;
      return;
    }
    if (marker > seen.current.seq) {
      seen.current.seq = marker;
      void tickets.loadDialog(dialogId);
    }
  }, [dialogId, marker, settled]);

  const heading = `tickets-panel-title-${dialogId}`;
  return (
    <section class="card-section tickets-panel" aria-labelledby={heading} data-testid="tickets-panel">
      <h4 id={heading}>{t('tickets.panel_title')}</h4>
      {loaded?.loading && !loaded.value && <p class="muted">{t('tickets.loading')}</p>}
      {loaded?.problem && (
        <p class="form-error" role="alert" data-testid="tickets-panel-error">
          {problemText(t, lang, loaded.problem)}{' '}
          <button type="button" class="link" onClick={() => void tickets.loadDialog(dialogId)}>
            {t('app.retry')}
          </button>
        </p>
      )}
      {loaded?.value && items.length === 0 && <p class="muted">{t('tickets.none_in_dialog')}</p>}
      {items.length > 0 && (
        <ul class="ticket-list">
          {items.map((ticket) => (
            <TicketItem key={ticket.id} ticket={ticket} />
          ))}
        </ul>
      )}
    </section>
  );
}

function TicketItem({ ticket }: { ticket: TicketView }) {
  const { t, lang } = useConsole();
  const due = dueText(ticket.due_at, lang);
  return (
    <li
      class={`ticket-item${ticket.overdue ? ' is-overdue' : ''}`}
      data-testid="ticket-row"
      data-ticket-id={ticket.id}
      data-side={ticket.side}
      data-status={ticket.status}
      data-overdue={ticket.overdue}
    >
      <div class="ticket-top">
        <strong class="ticket-number">{t('tickets.number', { number: ticket.number })}</strong>
        <span class="ticket-who" data-testid="ticket-who">
          {whoLabel(t, ticket)}
        </span>
        {ticket.overdue && <OverdueMark />}
      </div>
      {ticket.subject && <div class="ticket-subject muted">{ticket.subject}</div>}
      <div class="ticket-line">
        <TicketStatusSelect ticket={ticket} />
        {due && (
          <span class="ticket-due" data-testid="ticket-due">
            {t('tickets.due', { time: due })}
          </span>
        )}
      </div>
      <TicketMail ticket={ticket} />
    </li>
  );
}

/** "Overdue": past its due time and not closed (the server says so). */
export function OverdueMark() {
  const { t } = useConsole();
  return (
    <span class="ticket-overdue" data-testid="ticket-overdue">
      {t('tickets.overdue')}
    </span>
  );
}

/** The ticket's status, changed at once; a refusal puts the select back and says why. */
export function TicketStatusSelect({ ticket }: { ticket: TicketView }) {
  const { state, t, lang } = useConsole();
  const tickets = state.tickets;
  const [problem, setProblem] = useState<Problem | null>(null);
  const saving = tickets.saving.has(ticket.id);
  const known = oneStatus(ticket.status);

  const change = async (e: Event) => {
    const select = e.currentTarget as HTMLSelectElement;
    const next = oneStatus(select.value);
    if (!next || next === ticket.status) return;
    setProblem(null);
    const refused = await tickets.setStatus(ticket.id, next);
    if (refused) {
      select.value = ticket.status;
      setProblem(refused);
    }
  };

  return (
    <span class="ticket-status-field">
      <select
        class={`ticket-status ticket-status-${ticket.status}`}
        value={ticket.status}
        aria-label={t('tickets.status_of', { number: ticket.number })}
        aria-invalid={!!problem}
        disabled={saving}
        onChange={change}
        data-testid="ticket-status"
      >
        {!known && <option value={ticket.status}>{ticket.status}</option>}
        {TICKET_STATUSES.map((s) => (
          <option key={s} value={s}>
            {statusLabel(t, s)}
          </option>
        ))}
      </select>
      {problem && (
        <span class="inline-error" role="alert" data-testid="ticket-status-error">
          {problemText(t, lang, problem)}
        </span>
      )}
    </span>
  );
}

/** "Mail": what was mailed for the ticket and the answers, each with its time, opened in place. */
export function TicketMail({ ticket }: { ticket: TicketView }) {
  const { state, t, lang } = useConsole();
  const tickets = state.tickets;
  const [open, setOpen] = useState(false);
  const loaded = tickets.details.get(ticket.id);
  const entries = loaded?.value?.entries ?? [];
  const panel = `ticket-mail-${ticket.id}`;

  const toggle = () => {
    if (!open) void tickets.loadDetail(ticket.id);
    setOpen(!open);
  };

  return (
    <div class="ticket-mail">
      <button type="button" class="link" aria-expanded={open} aria-controls={panel} onClick={toggle} data-testid="ticket-mail">
        {open ? t('tickets.mail_hide') : t('tickets.mail')}
      </button>
      {open && (
        <div id={panel} class="ticket-mail-panel" data-testid="ticket-mail-panel">
          {loaded?.loading && !loaded.value && <p class="muted">{t('tickets.mail_loading')}</p>}
          {loaded?.problem && (
            <p class="form-error" role="alert" data-testid="ticket-mail-error">
              {problemText(t, lang, loaded.problem)}{' '}
              <button type="button" class="link" onClick={() => void tickets.loadDetail(ticket.id)}>
                {t('app.retry')}
              </button>
            </p>
          )}
          {loaded?.value && entries.length === 0 && <p class="muted">{t('tickets.mail_none')}</p>}
          {entries.length > 0 && (
            <ol class="ticket-entries" aria-label={t('tickets.mail_of', { number: ticket.number })}>
              {entries.map((e, i) => (
                <li key={`${e.at}-${i}`} class={`ticket-entry entry-${e.direction}`} data-testid="ticket-entry" data-direction={e.direction}>
                  <span class="ticket-entry-head">
                    <span>{e.direction === 'in' ? t('tickets.entry_in') : t('tickets.entry_out')}</span>
                    <time dateTime={e.at}>{entryTime(e.at, lang)}</time>
                  </span>
                  <span class="ticket-entry-text">{e.text}</span>
                </li>
              ))}
            </ol>
          )}
        </div>
      )}
    </div>
  );
}
