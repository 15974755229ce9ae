/**
 * «Монитор» / "Live board", for admins and supervisors (`/console/board`): each channel's queue
 * with its longest wait, the operators online, away and offline with their load against
 * capacity (red when full), and the dialogs due on an SLA target within five minutes or overdue,
 * each with its target in words, a countdown and a link to the dialog. Read every 5 s while the
 * page is visible (board.ts), and within a second of a change the console hears over its socket;
 * waits and countdowns tick each second in between.
 */
import { useEffect, useMemo } from 'preact/hooks';
import { useNow, useObservable } from '../../shared/store';
import { problemText, useConsole } from '../context';
import { countdownText, leftNow, loadLevel, loadShare, presenceCounts, presenceOf, targetLabel, waitNow, BoardState, type Board, type BoardOperator } from '../board';
import { formatWaiting } from '../queue';
import { EMPTY, supervisionHost } from '../reports';
import { pathFor } from '../routes';
import { NotForRole } from './ReportsPage';
import '../account.css';
import '../board.css';

export function BoardPage() {
  const { state } = useConsole();
  if (!state.isSupervisor()) return <NotForRole testid="board-page" />;
  return <LiveBoard />;
}

function LiveBoard() {
  const { state, t, lang } = useConsole();
  const board = useMemo(() => new BoardState(supervisionHost(state)), [state]);
  useObservable(board);
  const now = useNow(1000);

  useEffect(() => {
    board.start();
    return () => board.stop();
  }, [board]);
  // What the socket tells the console (the lists, the team's presence) brings the next read closer.
  useEffect(() => {
    const offLists = state.lists.subscribe(() => board.nudge());
    const offTeam = state.team.subscribe(() => board.nudge());
    return () => {
      offLists();
      offTeam();
    };
  }, [board, state]);

  const data = board.board;
  const updated = data ? new Intl.DateTimeFormat(lang === 'ru' ? 'ru-RU' : 'en-GB', { hour: '2-digit', minute: '2-digit', second: '2-digit' }).format(Date.parse(data.at)) : null;

  return (
    <main class="admin-page board-page" data-testid="board-page">
      <section class="admin-section">
        <header class="admin-head admin-head-row">
          <div>
            <h1>{t('board.title')}</h1>
            <p>{t('board.hint')}</p>
          </div>
          <p class="board-updated" data-testid="board-updated">
            {updated ? t('board.updated', { time: updated }) : t('board.loading')}
          </p>
        </header>
        {board.problem && (
          <p class="form-error" role="alert" data-testid="board-error">
            {data ? t('board.stale') : ''}
            {problemText(t, lang, board.problem)}{' '}
            <button type="button" class="link" onClick={() => void board.refresh()}>
              {t('app.retry')}
            </button>
          </p>
        )}
        {data && (
          <>
            <div class="board-columns">
              <Queues data={data} receivedAt={board.receivedAt} now={now} />
              <Operators operators={data.operators} />
            </div>
            <AtRiskList data={data} receivedAt={board.receivedAt} now={now} />
          </>
        )}
      </section>
    </main>
  );
}

function Queues({ data, receivedAt, now }: { data: Board; receivedAt: number; now: number }) {
  const { t } = useConsole();
  const waiting = data.channels.reduce((sum, c) => sum + c.waiting, 0);
  return (
    <section class="admin-card board-card" aria-labelledby="board-queues-title" data-testid="board-queues">
      <div class="board-card-head">
        <h2 id="board-queues-title">{t('board.queues')}</h2>
        <span class={`board-total${waiting > 0 ? ' is-waiting' : ''}`} data-testid="board-waiting-total">
          {t('board.waiting_total', { n: waiting })}
        </span>
      </div>
      {data.channels.length === 0 ? (
        <p class="list-note">{t('board.no_channels')}</p>
      ) : (
        <table class="admin-table board-table">
          <thead>
            <tr>
              <th scope="col">{t('board.col_channel')}</th>
              <th scope="col" class="num">
                {t('board.col_waiting')}
              </th>
              <th scope="col" class="num">
                {t('board.col_longest')}
              </th>
              <th scope="col" class="num">
                {t('board.col_online')}
              </th>
            </tr>
          </thead>
          <tbody>
            {data.channels.map((c) => {
              const wait = waitNow(c, receivedAt, now);
              return (
                <tr key={c.id} class={c.waiting > 0 ? 'is-waiting' : ''} data-testid="board-channel" data-channel-id={c.id}>
                  <th scope="row" class="board-channel-name">
                    {c.name}
                  </th>
                  <td class="num board-waiting" data-testid="board-channel-waiting">
                    {countText(c.waiting)}
                  </td>
                  <td class="num" data-testid="board-channel-longest">
                    {wait === null ? <span class="muted">{EMPTY}</span> : formatWaiting(wait, t('time.days'))}
                  </td>
                  <td class={`num${c.online === 0 ? ' board-none-online' : ''}`} data-testid="board-channel-online">
                    {c.online}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
    </section>
  );
}

function Operators({ operators }: { operators: BoardOperator[] }) {
  const { t } = useConsole();
  const counts = presenceCounts(operators);
  return (
    <section class="admin-card board-card" aria-labelledby="board-operators-title" data-testid="board-operators">
      <div class="board-card-head">
        <h2 id="board-operators-title">{t('board.operators')}</h2>
        <span class="board-total" data-testid="board-presence-counts">
          {t('board.presence_counts', { online: counts.online, away: counts.away, offline: counts.offline })}
        </span>
      </div>
      {operators.length === 0 ? (
        <p class="list-note">{t('board.no_operators')}</p>
      ) : (
        <ul class="board-operators">
          {operators.map((o) => {
            const presence = presenceOf(o.presence);
            const level = loadLevel(o);
            return (
              <li key={o.id} class={`board-operator presence-is-${presence}`} data-testid="board-operator" data-presence={presence} data-level={level}>
                <span class="board-operator-who">
                  <span class={`presence-dot presence-${presence}`} aria-hidden="true" />
                  <span class="board-operator-name">{o.name}</span>
                  <span class="board-operator-presence">{t(`presence.${presence}`)}</span>
                </span>
                <span class="board-load">
                  <span class={`board-load-bar load-${level}`} aria-hidden="true">
                    <span style={{ width: `${loadShare(o)}%` }} />
                  </span>
                  <span class="board-load-text" data-testid="board-operator-load">
                    <span aria-hidden="true">{t('board.load_short', { load: o.load, capacity: o.capacity })}</span>
                    <span class="visually-hidden">{t('board.load_label', { load: o.load, capacity: o.capacity })}</span>
                  </span>
                  {level === 'full' && <span class="board-full">{t('board.full')}</span>}
                </span>
              </li>
            );
          })}
        </ul>
      )}
    </section>
  );
}

function AtRiskList({ data, receivedAt, now }: { data: Board; receivedAt: number; now: number }) {
  const { state, t } = useConsole();
  const channelName = (id: string) => data.channels.find((c) => c.id === id)?.name ?? EMPTY;
  const operatorName = (id: string | null | undefined) => (id ? (data.operators.find((o) => o.id === id)?.name ?? EMPTY) : null);
  const open = (e: MouseEvent, dialogId: string) => {
    if (e.ctrlKey || e.metaKey || e.shiftKey || e.button !== 0) return;
    e.preventDefault();
    void state.open(dialogId);
  };
  return (
    <section class="admin-card board-card" aria-labelledby="board-risk-title" data-testid="board-risk">
      <div class="board-card-head">
        <h2 id="board-risk-title">{t('board.at_risk')}</h2>
        <span class="board-total">{t('board.at_risk_hint')}</span>
      </div>
      {data.at_risk.length === 0 ? (
        <p class="list-note" data-testid="board-risk-empty">
          {t('board.no_risk')}
        </p>
      ) : (
        <table class="admin-table board-table board-risk-table">
          <thead>
            <tr>
              <th scope="col">{t('board.col_dialog')}</th>
              <th scope="col">{t('board.col_target')}</th>
              <th scope="col">{t('board.col_left')}</th>
              <th scope="col">{t('board.col_channel')}</th>
              <th scope="col">{t('board.col_operator')}</th>
            </tr>
          </thead>
          <tbody>
            {data.at_risk.map((r) => {
              const { text, overdue } = countdownText(leftNow(r, receivedAt, now), t);
              const who = operatorName(r.operator_id);
              return (
                <tr key={`${r.dialog_id}-${r.target}`} class={overdue ? 'is-overdue' : ''} data-testid="board-risk-row" data-dialog-id={r.dialog_id} data-overdue={overdue}>
                  <td>
                    <a
                      class="link"
                      href={pathFor({ view: 'dialogs', dialogId: r.dialog_id })}
                      onClick={(e) => open(e, r.dialog_id)}
                      aria-label={t('board.open_dialog', { number: r.number })}
                      data-testid="board-risk-link"
                    >
                      {t('board.dialog_number', { number: r.number })}
                    </a>
                  </td>
                  <td data-testid="board-risk-target">{targetLabel(t, r.target)}</td>
                  <td>
                    <time class={`board-countdown${overdue ? ' overdue' : ''}`} dateTime={r.due_at} data-testid="board-risk-left">
                      {text}
                    </time>
                  </td>
                  <td>{channelName(r.channel_id)}</td>
                  <td>{who ?? <span class="muted">{t('board.unassigned')}</span>}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
    </section>
  );
}

/** The server counts a queue up to 1000: a longer one reads «1000+». */
export function countText(n: number): string {
  return n >= 1000 ? '1000+' : String(n);
}
