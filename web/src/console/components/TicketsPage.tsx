/**
 * «Заявки» / "Tickets", for every operator: the tickets escalation forms made in the dialogs he
 * sees (`GET /api/v1/tickets`, newest first), filtered by status and to the overdue ones. Each
 * row shows the number, the side (the department's or the client's), the linked ticket's
 * number, the subject, the address, the status (changed in place), the due time and an overdue
 * mark, and links to its dialog.
 */
import { useEffect } from 'preact/hooks';
import { useObservable } from '../../shared/store';
import { pathFor } from '../routes';
import { problemText, useConsole } from '../context';
import { dueText, sideLabel, statusLabel, TICKET_STATUSES, type TicketFilter } from '../tickets';
import { OverdueMark, TicketStatusSelect } from './Tickets';
import '../account.css';
import '../tickets.css';

export function TicketsPage() {
  const { state, t, lang } = useConsole();
  const tickets = state.tickets;
  useObservable(tickets);
  const filter = tickets.filter;
  const filtered = filter.status !== 'all' || filter.overdue;

  useEffect(() => {
    void tickets.loadList();
  }, [tickets]);

  const open = (e: MouseEvent, dialogId: string) => {
    if (e.ctrlKey || e.metaKey || e.shiftKey || e.button !== 0) return;
    e.preventDefault();
    void state.open(dialogId);
  };

  return (
    <main class="admin-page tickets-page" data-testid="tickets-page">
      <section class="admin-section">
        <header class="admin-head admin-head-row">
          <div>
            <h1>{t('tickets.title')}</h1>
            <p>{t('tickets.hint')}</p>
          </div>
          <button type="button" class="btn btn-secondary" disabled={tickets.listLoading} onClick={() => void tickets.loadList()} data-testid="tickets-refresh">
            {t('tickets.refresh')}
          </button>
        </header>
        <div class="tickets-filters" role="group" aria-label={t('tickets.filters')}>
          <label class="field tickets-filter">
            <span>{t('tickets.filter_status')}</span>
            <select
              value={filter.status}
              onChange={(e) => tickets.setFilter({ status: e.currentTarget.value as TicketFilter['status'] })}
              data-testid="tickets-filter-status"
            >
              <option value="all">{t('tickets.filter_all')}</option>
              {TICKET_STATUSES.map((s) => (
                <option key={s} value={s}>
                  {statusLabel(t, s)}
                </option>
              ))}
            </select>
          </label>
          <label class="choice tickets-filter">
            <input
              type="checkbox"
              checked={filter.overdue}
              onChange={(e) => tickets.setFilter({ overdue: e.currentTarget.checked })}
              data-testid="tickets-filter-overdue"
            />
            <span>{t('tickets.filter_overdue')}</span>
          </label>
        </div>
        <div class="admin-card">
          {!tickets.listLoaded && tickets.listLoading && <p class="list-note">{t('tickets.loading')}</p>}
          {tickets.listLoaded && tickets.list.length === 0 && (
            <p class="list-note" data-testid="tickets-empty">
              {filtered ? t('tickets.empty_filtered') : t('tickets.empty')}
            </p>
          )}
          {tickets.list.length > 0 && (
            <table class="admin-table tickets-table" data-testid="tickets-table" aria-busy={tickets.listLoading}>
              <thead>
                <tr>
                  <th scope="col">{t('tickets.col_number')}</th>
                  <th scope="col">{t('tickets.col_side')}</th>
                  <th scope="col">{t('tickets.col_linked')}</th>
                  <th scope="col">{t('tickets.col_subject')}</th>
                  <th scope="col">{t('tickets.col_address')}</th>
                  <th scope="col">{t('tickets.col_status')}</th>
                  <th scope="col">{t('tickets.col_due')}</th>
                  <th scope="col">{t('tickets.col_dialog')}</th>
                </tr>
              </thead>
              <tbody>
                {tickets.list.map((ticket) => {
                  const due = dueText(ticket.due_at, lang);
                  return (
                    <tr
                      key={ticket.id}
                      class={ticket.overdue ? 'is-overdue' : ''}
                      data-testid="ticket-row"
                      data-ticket-id={ticket.id}
                      data-side={ticket.side}
                      data-status={ticket.status}
                      data-overdue={ticket.overdue}
                    >
                      <td class="num ticket-number">{t('tickets.number', { number: ticket.number })}</td>
                      <td data-testid="ticket-side">{sideLabel(t, ticket.side)}</td>
                      <td class="num" data-testid="ticket-linked">
                        {ticket.linked_number != null ? t('tickets.number', { number: ticket.linked_number }) : <span class="muted">—</span>}
                      </td>
                      <td class="ticket-subject-cell">{ticket.subject}</td>
                      <td class="ticket-address" data-testid="ticket-address">
                        {ticket.address}
                      </td>
                      <td>
                        <TicketStatusSelect ticket={ticket} />
                      </td>
                      <td>
                        <span class="ticket-due-cell" data-testid="ticket-due">
                          {due ? <time dateTime={ticket.due_at ?? undefined}>{due}</time> : <span class="muted">—</span>}
                          {ticket.overdue && <OverdueMark />}
                        </span>
                      </td>
                      <td>
                        <a
                          class="link"
                          href={pathFor({ view: 'dialogs', dialogId: ticket.dialog_id })}
                          onClick={(e) => open(e, ticket.dialog_id)}
                          aria-label={t('tickets.open_dialog_of', { number: ticket.number })}
                          data-testid="ticket-dialog-link"
                        >
                          {t('tickets.open_dialog')}
                        </a>
                      </td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          )}
          {tickets.listProblem && (
            <p class="form-error" role="alert" data-testid="tickets-error">
              {problemText(t, lang, tickets.listProblem)}{' '}
              <button type="button" class="link" onClick={() => void tickets.loadList()}>
                {t('app.retry')}
              </button>
            </p>
          )}
        </div>
      </section>
    </main>
  );
}
