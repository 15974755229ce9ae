/**
 * Webhooks (admins): the list of endpoints (address, how many events, on or off, and the
 * warning when Frontline switched one off after five failing days, with "Enable again"); the
 * dialog that adds or changes one (address, description, events by group with "all" boxes, the
 * warning that internal notes would leave); and one endpoint's page: its signing secret
 * (shown, copied, rotated), "Send test event", and the delivery log, whose rows open the request
 * sent and every attempt's answer, with "Replay". The secret shows only while this page holds it.
 */
import { Fragment } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import type { Lang } from '../../shared/i18n';
import { useObservable } from '../../shared/store';
import type { Problem } from '../console-state';
import { problemText } from '../context';
import { copyText } from './clipboard';
import { isProblem } from './controllers';
import { FieldNote } from './FieldNote';
import { IntegrationsTabs } from './IntegrationsTabs';
import { formatWhen } from './lifecycle';
import { ModalShell } from './ModalShell';
import { ProblemLine } from './ProblemLine';
import { SaveRefusal } from './SaveBar';
import { useSaveGuard } from './save-guard';
import { useAdmin } from './use-admin';
import {
  deliveryStatus,
  draftChanged,
  endpointHealth,
  eventLabel,
  formatLogTime,
  groupEvents,
  groupLabel,
  groupState,
  isSuccessCode,
  lastAnswer,
  DELIVERIES_PAGE,
  LOG_IDLE_POLL_MS,
  LOG_POLL_MS,
  LOG_WATCH_MS,
  prettyBody,
  previousSecretUntil,
  SECRET_MASK,
  sendsInternal,
  setKinds,
  shownBesideField,
  webhookDraft,
  webhookFieldMessages,
  webhookPatch,
  webhookRequest,
  WEBHOOK_FIELDS,
  type CreatedWebhook,
  type Delivery,
  type DeliveryDetail,
  type DeliveryStatus,
  type EndpointHealth,
  type WebhookDraft,
  type WebhookEndpoint,
} from './webhooks';
import '../account.css';
import './admin-pages.css';
import './webhooks.css';

/** The admin controller's webhooks part, redrawn on its changes. */
function useWebhooks() {
  const env = useAdmin();
  useObservable(env.admin.webhooks);
  return { ...env, hooks: env.admin.webhooks };
}

/**
 * Where the focus was when a modal opened, given back when it closes; when that element is gone
 * (the dialog that opened this one), to `fallback` instead.
 */
function useReturnFocus(fallback?: () => HTMLElement | null): void {
  // Read at the first render: the modal's own effect moves the focus inside before ours would run.
  const [opener] = useState(() => (typeof document === 'undefined' ? null : (document.activeElement as HTMLElement | null)));
  useEffect(
    () => () => {
      if (opener?.isConnected && opener !== document.body) opener.focus();
      else fallback?.()?.focus();
    },
    [opener],
  );
}

type Dialog = { kind: 'new' } | { kind: 'edit'; id: string } | { kind: 'created'; made: CreatedWebhook } | null;

export function WebhooksAdmin() {
  const { hooks } = useWebhooks();
  const [openId, setOpenId] = useState<string | null>(null);
  /** Back from an endpoint's page: the list's title takes the focus (else it would be lost). */
  const [back, setBack] = useState(false);
  const [dialog, setDialog] = useState<Dialog>(null);

  useEffect(() => {
    void hooks.open();
  }, [hooks]);

  const open = (id: string | null) => {
    setBack(id === null && openId !== null);
    setOpenId(id);
    if (id) void hooks.loadDeliveries(id);
  };
  const endpoint = openId ? (hooks.endpoints.find((e) => e.id === openId) ?? null) : null;
  const editing = dialog?.kind === 'edit' ? (hooks.endpoints.find((e) => e.id === dialog.id) ?? null) : null;

  return (
    <section class="admin-section webhooks-page">
      {endpoint ? (
        <WebhookDetail key={endpoint.id} endpoint={endpoint} onBack={() => open(null)} onEdit={() => setDialog({ kind: 'edit', id: endpoint.id })} />
      ) : (
        <WebhookList focusTitle={back} onOpen={open} onAdd={() => setDialog({ kind: 'new' })} />
      )}
      {dialog?.kind === 'new' && (
        <WebhookDialog
          endpoint={null}
          onClose={() => setDialog(null)}
          onCreated={(made) => {
            open(made.endpoint.id);
            setDialog({ kind: 'created', made });
          }}
        />
      )}
      {editing && <WebhookDialog key={editing.id} endpoint={editing} onClose={() => setDialog(null)} onCreated={() => setDialog(null)} />}
      {dialog?.kind === 'created' && <SecretCreated made={dialog.made} onClose={() => setDialog(null)} />}
    </section>
  );
}

// ---- the list ------------------------------------------------------------------------------------

function WebhookList({ focusTitle, onOpen, onAdd }: { focusTitle: boolean; onOpen: (id: string) => void; onAdd: () => void }) {
  const { hooks, t, lang } = useWebhooks();
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    if (focusTitle) heading.current?.focus();
  }, []);
  return (
    <>
      <IntegrationsTabs current="webhooks" />
      <header class="admin-head admin-head-row">
        <div>
          <h1 ref={heading} tabIndex={-1} data-testid="webhooks-title">
            {t('webhooks.title')}
          </h1>
          <p>{t('webhooks.hint')}</p>
        </div>
        <button type="button" class="btn btn-primary" onClick={onAdd} data-testid="webhook-add">
          {t('webhooks.add')}
        </button>
      </header>
      {hooks.problem && (
        <p class="form-error" role="alert" data-testid="webhooks-load-error" data-code={hooks.problem.code}>
          {problemText(t, lang, hooks.problem)}{' '}
          <button type="button" class="link" onClick={() => void hooks.load()}>
            {t('app.retry')}
          </button>
        </p>
      )}
      <div class="admin-card" data-testid="webhooks-list">
        {hooks.loading && !hooks.loaded && <p class="list-note">{t('webhooks.loading')}</p>}
        {hooks.loaded && hooks.endpoints.length === 0 && (
          <p class="list-note" data-testid="webhooks-empty">
            {t('webhooks.empty')}
          </p>
        )}
        {hooks.endpoints.length > 0 && (
          <table class="admin-table webhooks-table" data-testid="webhooks-table">
            <thead>
              <tr>
                <th>{t('webhooks.col_url')}</th>
                <th>{t('webhooks.col_events')}</th>
                <th>{t('webhooks.col_state')}</th>
                <th>
                  <span class="visually-hidden">{t('webhooks.col_actions')}</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {hooks.endpoints.map((e) => (
                <EndpointRow key={e.id} endpoint={e} onOpen={() => onOpen(e.id)} />
              ))}
            </tbody>
          </table>
        )}
      </div>
    </>
  );
}

function EndpointRow({ endpoint: e, onOpen }: { endpoint: WebhookEndpoint; onOpen: () => void }) {
  const { hooks, t } = useWebhooks();
  const health = endpointHealth(e);
  const total = hooks.catalogueLoaded ? groupEvents(hooks.catalogue, e.events).reduce((n, g) => n + g.kinds.length, 0) : 0;
  return (
    <Fragment>
      <tr
        class={`webhook-row is-${health}`}
        onClick={(ev) => !(ev.target as HTMLElement).closest('button, a') && onOpen()}
        data-testid="webhook-row"
        data-webhook-id={e.id}
        data-health={health}
      >
        <td class="webhook-cell-url">
          <div class="webhook-url" data-testid="webhook-row-url">
            {e.url}
          </div>
          <div class="muted">{e.description || t('webhooks.no_description')}</div>
        </td>
        <td class="nowrap" data-testid="webhook-row-events">
          {total ? t('webhooks.events_count', { n: e.events.length, total }) : t('webhooks.events_count_plain', { n: e.events.length })}
        </td>
        <td>
          <HealthMark endpoint={e} />
        </td>
        <td class="webhook-row-actions">
          <button type="button" class="btn btn-secondary btn-small" aria-label={t('webhooks.open_of', { url: e.url })} onClick={onOpen} data-testid="webhook-open">
            {t('webhooks.open')}
          </button>
        </td>
      </tr>
      {health === 'failing_off' && (
        <tr class="webhook-warning-row" data-testid="webhook-row-warning" data-webhook-id={e.id}>
          <td colSpan={4}>
            <FailingNotice endpoint={e} />
          </td>
        </tr>
      )}
    </Fragment>
  );
}

const HEALTH_KEYS = {
  ok: 'webhooks.state_ok',
  off: 'webhooks.state_off',
  failing: 'webhooks.state_failing',
  failing_off: 'webhooks.state_failing_off',
} as const satisfies Record<EndpointHealth, string>;

/** On, off, failing, or switched off by Frontline: a coloured mark with its word. */
function HealthMark({ endpoint }: { endpoint: WebhookEndpoint }) {
  const { t } = useWebhooks();
  const health = endpointHealth(endpoint);
  return (
    <span class={`webhook-health is-${health}`} data-testid="webhook-health" data-health={health}>
      <span class="status-dot" aria-hidden="true" />
      {t(HEALTH_KEYS[health])}
    </span>
  );
}

/**
 * Why an endpoint gets no events, or soon may not: switched off by Frontline after five
 * failing days ("Enable again"), or failing lately while still on.
 */
function FailingNotice({ endpoint: e }: { endpoint: WebhookEndpoint }) {
  const { hooks, t, lang } = useWebhooks();
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<Problem | null>(null);
  const health = endpointHealth(e);
  if (health !== 'failing' && health !== 'failing_off') return null;
  const when = e.failing_since ? formatWhen(e.failing_since, lang) : '';
  const enable = async () => {
    setBusy(true);
    setProblem(null);
    const refused = await hooks.update(e.id, { enabled: true });
    setBusy(false);
    setProblem(refused);
  };
  return (
    <div class={`webhook-warning${health === 'failing_off' ? ' is-off' : ''}`} data-testid="webhook-failing" data-health={health}>
      <p>
        {health === 'failing'
          ? t('webhooks.failing_warning', { when })
          : when
            ? t('webhooks.failing_off_warning', { when })
            : t('webhooks.failing_off_warning_plain')}
      </p>
      {health === 'failing_off' && (
        <button
          type="button"
          class="btn btn-secondary btn-small"
          disabled={busy}
          aria-label={t('webhooks.reenable_of', { url: e.url })}
          onClick={() => void enable()}
          data-testid="webhook-reenable"
        >
          {busy ? t('admin.saving') : t('webhooks.reenable')}
        </button>
      )}
      {problem && <ProblemLine problem={problem} testid="webhook-reenable-error" />}
    </div>
  );
}

// ---- one endpoint ----------------------------------------------------------------------------

function WebhookDetail({ endpoint: e, onBack, onEdit }: { endpoint: WebhookEndpoint; onBack: () => void; onEdit: () => void }) {
  const { state, hooks, t } = useWebhooks();
  const heading = useRef<HTMLHeadingElement>(null);
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<Problem | null>(null);
  /** Until when the log is read again while a delivery on it is pending (after a test or a replay). */
  const [watchUntil, setWatchUntil] = useState(0);
  const watch = () => setWatchUntil(Date.now() + LOG_WATCH_MS);
  const health = endpointHealth(e);

  useEffect(() => heading.current?.focus(), []);

  const toggle = async () => {
    setBusy(true);
    setProblem(null);
    setProblem(await hooks.update(e.id, { enabled: !e.enabled }));
    setBusy(false);
  };
  const remove = async () => {
    if (!confirm(t('webhooks.delete_confirm', { url: e.url }))) return;
    setBusy(true);
    setProblem(null);
    const refused = await hooks.remove(e.id);
    setBusy(false);
    if (refused) setProblem(refused);
    else onBack();
  };

  return (
    <div class="webhook-detail" data-testid="webhook-detail" data-webhook-id={e.id}>
      <div>
        <button type="button" class="link webhook-back" onClick={() => state.team.unsaved.mayLeave(onBack) && onBack()} data-testid="webhook-back">
          <span aria-hidden="true">← </span>
          {t('webhooks.back')}
        </button>
      </div>
      <header class="admin-head admin-head-row">
        <div class="webhook-head">
          <h1 ref={heading} tabIndex={-1} class="webhook-url" data-testid="webhook-detail-url">
            {e.url}
          </h1>
          <p>{e.description || t('webhooks.no_description')}</p>
          <div class="webhook-head-state">
            <HealthMark endpoint={e} />
          </div>
        </div>
        <div class="webhook-head-actions">
          {health !== 'failing_off' && (
            <button type="button" class="btn btn-secondary" disabled={busy} onClick={() => void toggle()} data-testid="webhook-toggle">
              {e.enabled ? t('webhooks.disable') : t('webhooks.enable')}
            </button>
          )}
          <button type="button" class="btn btn-secondary" disabled={busy} onClick={onEdit} data-testid="webhook-edit">
            {t('webhooks.edit')}
          </button>
          <button type="button" class="btn btn-ghost danger" disabled={busy} onClick={() => void remove()} data-testid="webhook-delete">
            {t('webhooks.delete')}
          </button>
        </div>
      </header>
      {problem && <ProblemLine problem={problem} testid="webhook-detail-error" />}
      <FailingNotice endpoint={e} />
      <div class="admin-card webhook-subscribed">
        <h2>{t('webhooks.subscribed')}</h2>
        <ul class="webhook-chips" data-testid="webhook-subscribed">
          {e.events.map((k) => (
            <li key={k} class={`channel-chip${sendsInternal([k]) ? ' is-internal' : ''}`}>
              {eventLabel(t, k)}
            </li>
          ))}
        </ul>
      </div>
      <div class="webhook-cards">
        <SecretCard endpoint={e} />
        <TestCard endpoint={e} onSent={watch} />
      </div>
      <DeliveryLog endpoint={e} watchUntil={watchUntil} onReplayed={watch} />
    </div>
  );
}

/** The signing secret: hidden until asked, copied, rotated (the old one works a while longer). */
function SecretCard({ endpoint: e }: { endpoint: WebhookEndpoint }) {
  const { hooks, t, lang } = useWebhooks();
  const [secret, setSecret] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<Problem | null>(null);
  const [copied, setCopied] = useState<boolean | null>(null);
  const [rotatedUntil, setRotatedUntil] = useState<string | null>(null);
  const field = useRef<HTMLInputElement>(null);
  const previous = previousSecretUntil(e, Date.now());

  const reveal = async (): Promise<string | null> => {
    setBusy(true);
    setProblem(null);
    const got = await hooks.revealSecret(e.id);
    setBusy(false);
    if (isProblem(got)) {
      setProblem(got);
      return null;
    }
    setSecret(got.secret);
    return got.secret;
  };
  const toggle = async () => {
    setCopied(null);
    if (secret) setSecret(null);
    else await reveal();
  };
  const copy = async () => {
    const shown = secret;
    const value = shown ?? (await reveal());
    if (!value) return;
    // The field holds the secret only if it was already shown (else it holds the mask).
    setCopied(await copyText(value, shown ? field.current : null));
  };
  const rotate = async () => {
    if (!confirm(t('webhooks.rotate_confirm', { url: e.url }))) return;
    setBusy(true);
    setProblem(null);
    setCopied(null);
    const done = await hooks.rotateSecret(e.id);
    setBusy(false);
    if (isProblem(done)) {
      setProblem(done);
      return;
    }
    setSecret(done.secret);
    setRotatedUntil(done.previous_valid_until);
  };

  return (
    <div class="admin-card webhook-card" data-testid="webhook-secret-card">
      <h2>{t('webhooks.secret_title')}</h2>
      <p class="webhook-card-hint">{t('webhooks.secret_hint')}</p>
      <label class="field">
        <span>{secret ? t('webhooks.secret_label') : t('webhooks.secret_label_hidden')}</span>
        <div class="copy-row">
          <input
            ref={field}
            readOnly
            value={secret ?? SECRET_MASK}
            spellcheck={false}
            autoComplete="off"
            onFocus={(ev) => secret && ev.currentTarget.select()}
            data-testid="webhook-secret"
            data-shown={secret ? 'true' : 'false'}
          />
          <button type="button" class="btn btn-secondary" disabled={busy} aria-pressed={!!secret} onClick={() => void toggle()} data-testid="webhook-secret-reveal">
            {secret ? t('webhooks.secret_hide') : t('webhooks.secret_reveal')}
          </button>
          <button type="button" class="btn btn-secondary" disabled={busy} onClick={() => void copy()} data-testid="webhook-secret-copy">
            {t('webhooks.secret_copy')}
          </button>
        </div>
      </label>
      {copied !== null && (
        <p class={`copy-note${copied ? ' ok' : ' danger'}`} role="status" data-testid="webhook-secret-copied">
          {copied ? t('webhooks.copied') : t('webhooks.copy_failed')}
        </p>
      )}
      {rotatedUntil ? (
        <p class="once-warning" role="status" data-testid="webhook-secret-rotated">
          {t('webhooks.rotated', { when: formatWhen(rotatedUntil, lang) })}
        </p>
      ) : (
        previous && (
          <p class="webhook-card-hint" data-testid="webhook-secret-previous">
            {t('webhooks.previous_until', { when: formatWhen(previous, lang) })}
          </p>
        )
      )}
      {problem && <ProblemLine problem={problem} testid="webhook-secret-error" />}
      <div>
        <button type="button" class="btn btn-secondary" disabled={busy} onClick={() => void rotate()} data-testid="webhook-secret-rotate">
          {t('webhooks.secret_rotate')}
        </button>
      </div>
    </div>
  );
}

/** "Send test event": a `webhook.test` delivery, then the log is read again. */
function TestCard({ endpoint: e, onSent }: { endpoint: WebhookEndpoint; onSent: () => void }) {
  const { hooks, t } = useWebhooks();
  const [busy, setBusy] = useState(false);
  const [sent, setSent] = useState(false);
  const [problem, setProblem] = useState<Problem | null>(null);
  const send = async () => {
    setBusy(true);
    setSent(false);
    setProblem(null);
    const done = await hooks.sendTest(e.id);
    setBusy(false);
    if (isProblem(done)) setProblem(done);
    else {
      setSent(true);
      onSent();
    }
  };
  return (
    <div class="admin-card webhook-card" data-testid="webhook-test-card">
      <h2>{t('webhooks.test_title')}</h2>
      <p class="webhook-card-hint">{t('webhooks.test_hint')}</p>
      <div>
        <button type="button" class="btn btn-primary" disabled={busy} onClick={() => void send()} data-testid="webhook-test">
          {busy ? t('webhooks.test_sending') : t('webhooks.test_send')}
        </button>
      </div>
      {sent && (
        <p class="ok-note" role="status" data-testid="webhook-test-sent">
          {t('webhooks.test_sent')}
        </p>
      )}
      {problem && <ProblemLine problem={problem} testid="webhook-test-error" />}
    </div>
  );
}

// ---- the delivery log ------------------------------------------------------------------------

const STATUS_KEYS = {
  pending: 'webhooks.status_pending',
  delivered: 'webhooks.status_delivered',
  failed: 'webhooks.status_failed',
} as const satisfies Record<DeliveryStatus, string>;

/** A delivery's status: its colour and, always, its word. */
function StatusMark({ delivery }: { delivery: Delivery }) {
  const { t } = useWebhooks();
  const status = deliveryStatus(delivery);
  return (
    <span class={`delivery-status is-${status}`} data-testid="delivery-status" data-status={status}>
      <span class="status-dot" aria-hidden="true" />
      {t(STATUS_KEYS[status])}
    </span>
  );
}

function HttpCode({ code }: { code: number | null }) {
  const { t } = useWebhooks();
  if (code === null) return <span class="muted">{t('webhooks.none')}</span>;
  return <span class={isSuccessCode(code) ? 'http-ok' : 'http-bad'}>{code}</span>;
}

function Latency({ ms }: { ms: number | null }) {
  const { t } = useWebhooks();
  return ms === null ? <span class="muted">{t('webhooks.none')}</span> : <>{t('webhooks.latency_ms', { n: ms })}</>;
}

function DeliveryLog({ endpoint: e, watchUntil, onReplayed }: { endpoint: WebhookEndpoint; watchUntil: number; onReplayed: () => void }) {
  const { hooks, t, lang } = useWebhooks();
  const log = hooks.log?.webhookId === e.id ? hooks.log : null;
  const [openId, setOpenId] = useState<string | null>(null);
  const opened = openId ? (log?.items.find((d) => d.id === openId) ?? null) : null;
  const pending = !!log?.items.some((d) => deliveryStatus(d) === 'pending');

  // After a test or a replay: read again while something on the log is still pending.
  useEffect(() => {
    if (!log || log.loading || !pending || Date.now() >= watchUntil) return;
    const timer = setTimeout(() => void hooks.loadDeliveries(e.id), LOG_POLL_MS);
    return () => clearTimeout(timer);
  }, [log, pending, watchUntil]);

  // Otherwise the first page follows new deliveries by itself while the tab is in view, unless
  // the admin paged further or has a delivery open (nothing moves under his eyes then).
  useEffect(() => {
    if (!log || log.loading || openId !== null || log.items.length > DELIVERIES_PAGE) return;
    const timer = setTimeout(() => {
      if (document.visibilityState === 'visible') void hooks.loadDeliveries(e.id);
    }, LOG_IDLE_POLL_MS);
    return () => clearTimeout(timer);
  }, [log, openId]);

  return (
    <div class="admin-card webhook-log" data-testid="delivery-log">
      <div class="webhook-log-head">
        <div>
          <h2 id="delivery-log-title">{t('webhooks.log_title')}</h2>
          <p class="webhook-card-hint">{t('webhooks.log_hint')}</p>
        </div>
        <button
          type="button"
          class="btn btn-secondary btn-small"
          disabled={!!log?.loading}
          onClick={() => void hooks.loadDeliveries(e.id)}
          data-testid="delivery-log-refresh"
        >
          {t('webhooks.log_refresh')}
        </button>
      </div>
      {(!log || (!log.loaded && log.loading)) && <p class="list-note">{t('webhooks.log_loading')}</p>}
      {log?.loaded && log.items.length === 0 && (
        <p class="list-note" data-testid="delivery-log-empty">
          {t('webhooks.log_empty')}
        </p>
      )}
      {log && log.items.length > 0 && (
        <table class="admin-table delivery-table" aria-labelledby="delivery-log-title" data-testid="delivery-table">
          <thead>
            <tr>
              <th>{t('webhooks.col_time')}</th>
              <th>{t('webhooks.col_event')}</th>
              <th>{t('webhooks.col_status')}</th>
              <th class="num">{t('webhooks.col_attempts')}</th>
              <th class="num">{t('webhooks.col_http')}</th>
              <th class="num">{t('webhooks.col_latency')}</th>
            </tr>
          </thead>
          <tbody>
            {log.items.map((d) => {
              const answer = lastAnswer(d);
              const when = formatLogTime(d.created_at, lang);
              return (
                <tr
                  key={d.id}
                  class="delivery-row"
                  onClick={(ev) => !(ev.target as HTMLElement).closest('button') && setOpenId(d.id)}
                  data-testid="delivery-row"
                  data-delivery-id={d.id}
                >
                  <td class="nowrap">
                    <button
                      type="button"
                      class="link"
                      aria-label={t('webhooks.delivery_open', { event: eventLabel(t, d.event_kind), when })}
                      onClick={() => setOpenId(d.id)}
                      data-testid="delivery-open"
                    >
                      <time dateTime={d.created_at}>{when}</time>
                    </button>
                  </td>
                  <td>
                    <div>{eventLabel(t, d.event_kind)}</div>
                    <code class="muted">{d.event_kind}</code>
                  </td>
                  <td>
                    <StatusMark delivery={d} />
                    {/* "Retry at" only after a try (one never tried waits its turn), to the second like the log's times. */}
                    {deliveryStatus(d) === 'pending' && d.attempts > 0 && d.next_attempt_at && (
                      <div class="muted" data-testid="delivery-next-attempt">
                        {t('webhooks.next_attempt', { when: formatLogTime(d.next_attempt_at, lang) })}
                      </div>
                    )}
                  </td>
                  <td class="num">{d.attempts}</td>
                  <td class="num">
                    <HttpCode code={answer.statusCode} />
                  </td>
                  <td class="num nowrap">
                    <Latency ms={answer.latencyMs} />
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
      {log?.problem && <ProblemLine problem={log.problem} testid="delivery-log-error" />}
      {log?.nextCursor && (
        <div class="audit-foot">
          <button type="button" class="btn btn-secondary" disabled={log.loading} onClick={() => void hooks.loadDeliveries(e.id, true)} data-testid="delivery-log-more">
            {log.loading ? t('admin.loading') : t('webhooks.log_more')}
          </button>
        </div>
      )}
      {opened && <DeliveryDialog endpointId={e.id} delivery={opened} onClose={() => setOpenId(null)} onReplayed={onReplayed} />}
    </div>
  );
}

/** One delivery: what it is, the request body as sent, each attempt's answer or error, and "Replay". */
function DeliveryDialog({ endpointId, delivery, onClose, onReplayed }: { endpointId: string; delivery: Delivery; onClose: () => void; onReplayed: () => void }) {
  const { hooks, t, lang } = useWebhooks();
  useReturnFocus();
  const [detail, setDetail] = useState<DeliveryDetail | null>(null);
  const [problem, setProblem] = useState<Problem | null>(null);
  const [replaying, setReplaying] = useState(false);
  const [replayed, setReplayed] = useState(false);
  const [replayProblem, setReplayProblem] = useState<Problem | null>(null);

  useEffect(() => {
    let live = true;
    void hooks.loadDelivery(endpointId, delivery.id).then((got) => {
      if (!live) return;
      if (isProblem(got)) setProblem(got);
      else setDetail(got);
    });
    return () => {
      live = false;
    };
  }, [endpointId, delivery.id]);

  const replay = async () => {
    setReplaying(true);
    setReplayed(false);
    setReplayProblem(null);
    const done = await hooks.replay(endpointId, delivery.id);
    setReplaying(false);
    if (isProblem(done)) setReplayProblem(done);
    else {
      setReplayed(true);
      onReplayed();
    }
  };

  const d = detail?.delivery ?? delivery;
  const next = deliveryStatus(d) === 'pending' ? d.next_attempt_at : null;
  return (
    <ModalShell title={t('webhooks.delivery_title')} testid="delivery-dialog" onClose={onClose}>
      <div class="delivery-detail">
        <dl class="webhook-facts">
          <dt>{t('webhooks.delivery_event')}</dt>
          <dd>
            {eventLabel(t, d.event_kind)} <code>{d.event_kind}</code>
          </dd>
          <dt>{t('webhooks.delivery_status')}</dt>
          <dd>
            <StatusMark delivery={d} />
          </dd>
          <dt>{t('webhooks.delivery_created')}</dt>
          <dd>{formatLogTime(d.created_at, lang)}</dd>
          {next && (
            <>
              <dt>{t('webhooks.delivery_next')}</dt>
              <dd>{formatLogTime(next, lang)}</dd>
            </>
          )}
          <dt>{t('webhooks.delivery_webhook_id')}</dt>
          <dd>
            <code data-testid="delivery-webhook-id">{d.webhook_id}</code>
          </dd>
          <dt>{t('webhooks.delivery_event_id')}</dt>
          <dd>
            <code>{d.event_id}</code>
          </dd>
        </dl>
        {!detail && !problem && <p class="list-note">{t('webhooks.delivery_loading')}</p>}
        {problem && <ProblemLine problem={problem} testid="delivery-error" />}
        {detail && <DeliveryRequest detail={detail} lang={lang} />}
        {replayed && (
          <p class="ok-note" role="status" data-testid="delivery-replayed">
            {t('webhooks.replayed')}
          </p>
        )}
        {replayProblem && <ProblemLine problem={replayProblem} testid="delivery-replay-error" />}
        {/* "Close" comes first: the modal focuses its first button, and a stray Enter should not replay. */}
        <div class="form-actions">
          <button type="button" class="btn btn-secondary" onClick={onClose} data-testid="delivery-close">
            {t('webhooks.close')}
          </button>
          <button type="button" class="btn btn-primary" disabled={replaying} onClick={() => void replay()} data-testid="delivery-replay">
            {replaying ? t('webhooks.replaying') : t('webhooks.replay')}
          </button>
        </div>
      </div>
    </ModalShell>
  );
}

function DeliveryRequest({ detail, lang }: { detail: DeliveryDetail; lang: Lang }) {
  const { t } = useWebhooks();
  return (
    <>
      <h3 id="delivery-body-title">{t('webhooks.request_body')}</h3>
      <pre class="webhook-body" tabIndex={0} aria-labelledby="delivery-body-title" data-testid="delivery-body">
        {prettyBody(detail.request_body)}
      </pre>
      <h3 id="delivery-attempts-title">{t('webhooks.attempts_title')}</h3>
      {detail.attempts.length === 0 ? (
        <p class="muted" data-testid="delivery-no-attempts">
          {t('webhooks.attempts_empty')}
        </p>
      ) : (
        <table class="admin-table attempts-table" aria-labelledby="delivery-attempts-title" data-testid="delivery-attempts">
          <thead>
            <tr>
              <th class="num">{t('webhooks.col_attempt')}</th>
              <th>{t('webhooks.col_time')}</th>
              <th class="num">{t('webhooks.col_http')}</th>
              <th class="num">{t('webhooks.col_latency')}</th>
              <th>{t('webhooks.col_answer')}</th>
            </tr>
          </thead>
          <tbody>
            {detail.attempts.map((a) => {
              // No status: the request never got an answer (refused, timed out, not allowed), a
              // connection error. With a status the server still says why it failed ("the endpoint
              // answered 500 …", which the code beside already tells); only a redirect's (where
              // to) is worth a line, and it is no connection error.
              const connection = a.error && a.status_code === null ? a.error : null;
              const redirect = a.error && a.status_code !== null && a.status_code >= 300 && a.status_code < 400 ? a.error : null;
              return (
                <tr key={a.attempt} data-testid="delivery-attempt">
                  <td class="num">{a.attempt}</td>
                  <td class="nowrap">{formatLogTime(a.at, lang)}</td>
                  <td class="num">
                    <HttpCode code={a.status_code} />
                  </td>
                  <td class="num nowrap">
                    <Latency ms={a.latency_ms} />
                  </td>
                  <td class="attempt-answer">
                    {connection && (
                      <div class="danger" data-testid="delivery-attempt-error">
                        {t('webhooks.attempt_error')}: <code>{connection}</code>
                      </div>
                    )}
                    {redirect && (
                      <div class="danger" data-testid="delivery-attempt-redirect">
                        <code>{redirect}</code>
                      </div>
                    )}
                    {a.response_excerpt && <pre class="webhook-excerpt">{a.response_excerpt}</pre>}
                    {!connection && !redirect && !a.response_excerpt && <span class="muted">{t('webhooks.none')}</span>}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
    </>
  );
}

// ---- adding and changing an endpoint ---------------------------------------------------------

/**
 * Adding an endpoint, or changing one: address, description, on or off, and the events. Its own
 * checks and the server's refusals land beside their field; closing with unsaved edits is asked
 * about first.
 */
function WebhookDialog({ endpoint, onClose, onCreated }: { endpoint: WebhookEndpoint | null; onClose: () => void; onCreated: (made: CreatedWebhook) => void }) {
  const { hooks, t } = useWebhooks();
  useReturnFocus();
  const [draft, setDraft] = useState<WebhookDraft>(() => webhookDraft(endpoint));
  const dirty = draftChanged(webhookDraft(endpoint), draft);
  // A refused list of events brings the focus to its first box.
  const guard = useSaveGuard('webhook-dialog', dirty, '[aria-invalid="true"], [data-invalid="true"] input');
  const { body, tried, problem } = guard;

  const result = webhookRequest(draft, hooks.catalogue);
  const messages = webhookFieldMessages(t, tried && !result.ok ? result.issues : [], problem);
  const note = (field: string) => messages.get(field) ?? null;
  const elsewhere = [...messages].filter(([field]) => !WEBHOOK_FIELDS.has(field));

  const close = () => guard.leave(onClose);
  const set = (change: Partial<WebhookDraft>) => {
    setDraft({ ...draft, ...change });
    guard.edited();
  };

  const submit = (ev: Event) =>
    guard.save(
      ev,
      result,
      async ({ body }) => {
        if (!endpoint) return hooks.create(body);
        const patch = webhookPatch(endpoint, body);
        return Object.keys(patch).length ? hooks.update(endpoint.id, patch) : null;
      },
      // A new endpoint's secret shows next; a changed one's dialog just closes.
      (made) => (made ? onCreated(made) : onClose()),
    );

  return (
    <ModalShell title={endpoint ? t('webhooks.edit_title') : t('webhooks.new_title')} testid="webhook-dialog" onClose={close}>
      <form ref={body} class="webhook-form" onSubmit={submit} noValidate data-testid="webhook-form">
        <label class="field">
          <span>{t('webhooks.url')}</span>
          <input
            type="url"
            inputMode="url"
            value={draft.url}
            placeholder={t('webhooks.url_placeholder')}
            autoComplete="off"
            spellcheck={false}
            aria-invalid={note('url') ? true : undefined}
            onInput={(ev) => set({ url: ev.currentTarget.value })}
            data-testid="webhook-form-url"
          />
          {!note('url') && <small>{t('webhooks.url_hint')}</small>}
          <FieldNote text={note('url')} field="url" />
        </label>
        <label class="field">
          <span>{t('webhooks.description')}</span>
          <input
            value={draft.description}
            autoComplete="off"
            aria-invalid={note('description') ? true : undefined}
            onInput={(ev) => set({ description: ev.currentTarget.value })}
            data-testid="webhook-form-description"
          />
          {!note('description') && <small>{t('webhooks.description_hint')}</small>}
          <FieldNote text={note('description')} field="description" />
        </label>
        <label class="choice">
          <input type="checkbox" checked={draft.enabled} onChange={(ev) => set({ enabled: ev.currentTarget.checked })} data-testid="webhook-form-enabled" />
          <span>{t('webhooks.enabled')}</span>
        </label>
        <FieldNote text={note('enabled')} field="enabled" />
        <EventPicker chosen={draft.events} note={note('events')} onChange={(events) => set({ events })} />
        <SaveRefusal elsewhere={elsewhere} problem={problem} fieldRefused={!!problem && shownBesideField(problem)} testid="webhook-form-error" />
        <div class="form-actions">
          <button type="button" class="btn btn-ghost" onClick={close} data-testid="webhook-form-cancel">
            {t('webhooks.cancel')}
          </button>
          <button type="submit" class="btn btn-primary" disabled={guard.busy || (!!endpoint && !dirty)} data-testid="webhook-form-save">
            {guard.busy ? t('admin.saving') : endpoint ? t('admin.save') : t('webhooks.create')}
          </button>
        </div>
      </form>
    </ModalShell>
  );
}

/** A box that ticks or unticks several events at once: ticked, mixed (some), or empty. */
function AllBox({ label, name, state, onChange, testid }: { label: string; name?: string; state: 'all' | 'some' | 'none'; onChange: (on: boolean) => void; testid: string }) {
  const box = useRef<HTMLInputElement>(null);
  useEffect(() => {
    if (box.current) box.current.indeterminate = state === 'some';
  }, [state]);
  return (
    <label class="choice webhook-all">
      <input ref={box} type="checkbox" checked={state === 'all'} aria-label={name} onChange={(ev) => onChange(ev.currentTarget.checked)} data-testid={testid} data-state={state} />
      <span>{label}</span>
    </label>
  );
}

/** The events by group (dialog., message., …), each group with its "all" box, and one for everything. */
function EventPicker({ chosen, note, onChange }: { chosen: string[]; note: string | null; onChange: (events: string[]) => void }) {
  const { hooks, t, lang } = useWebhooks();
  const groups = groupEvents(hooks.catalogue, chosen);
  const every = groups.flatMap((g) => g.kinds);
  const invalid = !!note;
  return (
    <fieldset class={`field webhook-events${invalid ? ' has-error' : ''}`} data-invalid={invalid ? 'true' : undefined} data-testid="webhook-form-events">
      <legend>{t('webhooks.events')}</legend>
      {!hooks.catalogueLoaded && !hooks.catalogueProblem && <p class="muted">{t('webhooks.catalogue_loading')}</p>}
      {hooks.catalogueProblem && (
        <p class="form-error" role="alert" data-testid="webhook-catalogue-error">
          {problemText(t, lang, hooks.catalogueProblem)}{' '}
          <button type="button" class="link" onClick={() => void hooks.loadCatalogue()}>
            {t('app.retry')}
          </button>
        </p>
      )}
      {every.length > 0 && (
        <div class="webhook-events-head">
          <AllBox label={t('webhooks.events_all')} state={groupState(every, chosen)} onChange={(on) => onChange(setKinds(chosen, every, on))} testid="webhook-events-all" />
          <span class="muted" aria-live="polite">
            {t('webhooks.events_chosen', { n: chosen.length, total: every.length })}
          </span>
        </div>
      )}
      <div class="webhook-groups">
        {groups.map((g) => (
          <fieldset key={g.name} class="webhook-group" data-testid="webhook-group" data-group={g.name}>
            <legend>
              <AllBox
                label={groupLabel(t, g.name)}
                name={t('webhooks.group_all', { group: groupLabel(t, g.name) })}
                state={groupState(g.kinds, chosen)}
                onChange={(on) => onChange(setKinds(chosen, g.kinds, on))}
                testid="webhook-group-all"
              />
            </legend>
            {g.kinds.map((k) => (
              <label key={k} class="choice webhook-kind">
                <input
                  type="checkbox"
                  checked={chosen.includes(k)}
                  onChange={(ev) => onChange(setKinds(chosen, [k], ev.currentTarget.checked))}
                  data-testid="webhook-event"
                  data-kind={k}
                />
                <span>
                  {eventLabel(t, k)} <code>{k}</code>
                </span>
              </label>
            ))}
          </fieldset>
        ))}
      </div>
      {sendsInternal(chosen) && (
        <p class="once-warning" role="note" data-testid="webhook-internal-warning">
          {t('webhooks.internal_warning')}
        </p>
      )}
      <FieldNote text={note} field="events" />
    </fieldset>
  );
}

/** The new endpoint's secret, with a copy button; the dialog closes only by its button. */
function SecretCreated({ made, onClose }: { made: CreatedWebhook; onClose: () => void }) {
  const { t } = useWebhooks();
  // The dialog that opened this one is gone: the focus goes to the new endpoint's page.
  useReturnFocus(() => document.querySelector<HTMLElement>('[data-testid="webhook-detail-url"]'));
  const [copied, setCopied] = useState<boolean | null>(null);
  const field = useRef<HTMLInputElement>(null);
  return (
    <ModalShell title={t('webhooks.created_title')} testid="webhook-created-dialog" onClose={onClose} locked>
      <div class="modal-person">
        <strong class="webhook-url">{made.endpoint.url}</strong>
        {made.endpoint.description && <span>{made.endpoint.description}</span>}
      </div>
      <label class="field">
        <span>{t('webhooks.secret_title')}</span>
        <div class="copy-row">
          <input ref={field} class="webhook-secret-value" readOnly value={made.secret} spellcheck={false} autoComplete="off" onFocus={(ev) => ev.currentTarget.select()} data-testid="webhook-created-secret" />
          <button type="button" class="btn btn-secondary" onClick={async () => setCopied(await copyText(made.secret, field.current))} data-testid="webhook-created-copy">
            {t('webhooks.secret_copy')}
          </button>
        </div>
      </label>
      {copied !== null && (
        <p class={`copy-note${copied ? ' ok' : ' danger'}`} role="status" data-testid="webhook-created-copied">
          {copied ? t('webhooks.copied') : t('webhooks.copy_failed')}
        </p>
      )}
      <p class="modal-text">{t('webhooks.created_note')}</p>
      <div class="form-actions">
        <button type="button" class="btn btn-primary" onClick={onClose} data-testid="webhook-created-done">
          {t('webhooks.done')}
        </button>
      </div>
    </ModalShell>
  );
}
