/**
 * Mail (admins): the support address and the name mail goes out under; the SMTP server mail goes
 * out through and the IMAP mailbox it is read from (each with its host, port, encryption, login
 * and password — a saved password is never shown: its field says «сохранён», left empty it
 * stays, "Remove password" takes it away on save); the IMAP folder; the channel new mail opens
 * dialogs in and the on/off switch; the minutes after which a reply a website visitor has not
 * read in the chat is mailed to him (0: never). "Save" sends the whole setup; a refused field (the console's
 * own check or the server's `validation_failed`, e.g. `smtp.port`) gets its message beside it.
 * "Send a test" mails the support address and reads it back (up to ~20 s, the button busy
 * meanwhile): each leg shows ✓ or the mail server's own words, and the round trip.
 */
import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import type { ChannelView } from '../../shared/api-types';
import { useObservable } from '../../shared/store';
import type { Problem } from '../console-state';
import { problemText } from '../context';
import type { ConsoleKey } from '../i18n';
import { isProblem } from './controllers';
import { FieldNote } from './FieldNote';
import { IntegrationsTabs } from './IntegrationsTabs';
import {
  draftChanged,
  FIELD,
  HOST_EXAMPLE,
  isSecurity,
  LEGS,
  legError,
  legOutcome,
  LIMITS,
  MAIL_FIELDS,
  mailDraft,
  mailFieldMessages,
  mailRequest,
  MARKS,
  notSetUp,
  OFFERED,
  passwordState,
  roundTripText,
  shownBesideField,
  STANDARD_PORTS,
  withSecurity,
  type Leg,
  type LegOutcome,
  type MailDraft,
  type MailSettingsView,
  type MailTestView,
  type PasswordState,
  type Security,
  type ServerDraft,
} from './mail';
import { ProblemLine } from './ProblemLine';
import { SaveBar } from './SaveBar';
import { useSaveGuard } from './save-guard';
import { formName } from './unsaved';
import { useAdmin } from './use-admin';
import '../account.css';
import './admin-pages.css';
import './mail.css';

/** The admin controller's mail part (and the channels), redrawn on their changes. */
function useMail() {
  const env = useAdmin('team');
  useObservable(env.admin.mail);
  return { ...env, mail: env.admin.mail };
}

const LEG_KEYS: Record<Leg, { title: ConsoleKey; hint: ConsoleKey }> = {
  smtp: { title: 'mail.smtp', hint: 'mail.smtp_hint' },
  imap: { title: 'mail.imap', hint: 'mail.imap_hint' },
};

const PASSWORD_HINTS: Record<PasswordState, ConsoleKey> = {
  none: 'mail.password_hint_none',
  saved: 'mail.password_hint_saved',
  new: 'mail.password_hint_new',
  remove: 'mail.password_removing',
};

const defaultChannel = (channels: readonly ChannelView[]) => channels.find((c) => c.is_default) ?? channels[0] ?? null;

type Note = (field: string) => string | null;

export function MailAdmin() {
  const { mail, t, lang } = useMail();

  useEffect(() => {
    void mail.open();
  }, [mail]);

  return (
    <section class="admin-section mail-page">
      <IntegrationsTabs current="mail" />
      <header class="admin-head">
        <h1 data-testid="mail-title">{t('mail.title')}</h1>
        <p>{t('mail.hint')}</p>
      </header>
      {mail.problem && (
        <p class="form-error" role="alert" data-testid="mail-load-error" data-code={mail.problem.code}>
          {problemText(t, lang, mail.problem)}{' '}
          <button type="button" class="link" onClick={() => void mail.load()}>
            {t('app.retry')}
          </button>
        </p>
      )}
      {mail.loading && !mail.loaded && <p class="list-note">{t('mail.loading')}</p>}
      {mail.loaded && <MailForm saved={mail.settings} />}
    </section>
  );
}

// ---- the setup -----------------------------------------------------------------------------------

function MailForm({ saved }: { saved: MailSettingsView | null }) {
  const { state, mail, t } = useMail();
  const channels = state.team.channels;
  const fallback = defaultChannel(channels);
  const [draft, setDraft] = useState<MailDraft>(() => mailDraft(saved));
  /** Bumped on each save: an earlier test's result is of the setup before it. */
  const [saves, setSaves] = useState(0);

  const result = mailRequest(draft);
  const dirty = draftChanged(saved, draft);
  const guard = useSaveGuard('mail-settings', dirty);
  const { form, body, tried, problem } = guard;

  const messages = mailFieldMessages(t, tried && !result.ok ? result.issues : [], problem);
  const note: Note = (field) => messages.get(field) ?? null;
  const elsewhere = [...messages].filter(([field]) => !MAIL_FIELDS.has(field));

  const set = (change: Partial<MailDraft>) => {
    setDraft((d) => ({ ...d, ...change }));
    guard.edited();
  };
  const setServer = (leg: Leg, server: ServerDraft) => set({ [leg]: server } as Partial<MailDraft>);

  const submit = (ev: Event) =>
    guard.save(
      ev,
      result,
      ({ body }) => mail.save(body),
      (made) => {
        setDraft(mailDraft(made));
        setSaves((n) => n + 1);
      },
    );
  const revert = () => {
    setDraft(mailDraft(saved));
    guard.reset();
  };

  const chosen = draft.channel_id || fallback?.id || '';
  const channelKnown = !draft.channel_id || channels.some((c) => c.id === draft.channel_id);

  return (
    <>
      {!saved && (
        <p class="form-note" data-testid="mail-empty">
          {t('mail.not_set_up')}
        </p>
      )}
      <form ref={body} class="mail-form" onSubmit={submit} noValidate data-testid="mail-form" data-saved={saved ? 'true' : 'false'}>
        <div class="admin-card mail-part" data-testid="mail-identity">
          <h2>{t('mail.address_title')}</h2>
          <div class="mail-pair">
            <label class="field">
              <span>{t('mail.address')}</span>
              <input
                type="email"
                inputMode="email"
                value={draft.address}
                placeholder={HOST_EXAMPLE.address}
                maxLength={LIMITS.address + 8}
                autoComplete="off"
                spellcheck={false}
                aria-invalid={note(FIELD.address) ? true : undefined}
                onInput={(e) => set({ address: e.currentTarget.value })}
                data-testid="mail-address"
              />
              {!note(FIELD.address) && <small>{t('mail.address_hint')}</small>}
              <FieldNote text={note(FIELD.address)} field={FIELD.address} />
            </label>
            <label class="field">
              <span>{t('mail.display_name')}</span>
              <input
                value={draft.display_name}
                maxLength={LIMITS.displayName + 8}
                autoComplete="off"
                aria-invalid={note(FIELD.displayName) ? true : undefined}
                onInput={(e) => set({ display_name: e.currentTarget.value })}
                data-testid="mail-display-name"
              />
              {!note(FIELD.displayName) && <small>{t('mail.display_name_hint')}</small>}
              <FieldNote text={note(FIELD.displayName)} field={FIELD.displayName} />
            </label>
          </div>
        </div>

        <div class="mail-servers">
          {LEGS.map((leg) => (
            <ServerFields
              key={leg}
              leg={leg}
              server={draft[leg]}
              savedSet={!!saved?.[leg].password_set}
              note={note}
              onChange={(server) => setServer(leg, server)}
            >
              {leg === 'imap' && (
                <label class="field mail-mailbox">
                  <span>{t('mail.mailbox')}</span>
                  <input
                    value={draft.mailbox}
                    maxLength={LIMITS.mailbox + 8}
                    autoComplete="off"
                    spellcheck={false}
                    aria-invalid={note(FIELD.mailbox) ? true : undefined}
                    onInput={(e) => set({ mailbox: e.currentTarget.value })}
                    data-testid="mail-mailbox"
                  />
                  {!note(FIELD.mailbox) && <small>{t('mail.mailbox_hint')}</small>}
                  <FieldNote text={note(FIELD.mailbox)} field={FIELD.mailbox} />
                </label>
              )}
            </ServerFields>
          ))}
        </div>

        <div class="admin-card mail-part" data-testid="mail-routing">
          <h2>{t('mail.routing_title')}</h2>
          <div class="mail-pair">
            <label class="field">
              <span>{t('mail.channel')}</span>
              <select
                value={chosen}
                disabled={channels.length === 0}
                aria-invalid={note(FIELD.channel) ? true : undefined}
                onChange={(e) => set({ channel_id: e.currentTarget.value })}
                data-testid="mail-channel"
              >
                {!channelKnown && <option value={draft.channel_id}>{t('mail.channel_gone')}</option>}
                {channels.map((c) => (
                  <option key={c.id} value={c.id}>
                    {c.is_default ? t('mail.channel_default', { name: c.name }) : c.name}
                  </option>
                ))}
              </select>
              {!note(FIELD.channel) && <small>{t('mail.channel_hint')}</small>}
              <FieldNote text={note(FIELD.channel)} field={FIELD.channel} />
            </label>
            <div class="field mail-enabled">
              <span id={`${form}-enabled`}>{t('mail.enabled')}</span>
              <label class="mail-switch">
                <input
                  type="checkbox"
                  role="switch"
                  checked={draft.enabled}
                  aria-labelledby={`${form}-enabled`}
                  aria-describedby={`${form}-enabled-hint`}
                  onChange={(e) => set({ enabled: e.currentTarget.checked })}
                  data-testid="mail-enabled"
                />
                <span class="mail-switch-track" aria-hidden="true" />
                <span class="mail-switch-text" aria-hidden="true">
                  {draft.enabled ? t('mail.state_on') : t('mail.state_off')}
                </span>
              </label>
              <small id={`${form}-enabled-hint`}>{t('mail.enabled_hint')}</small>
              <FieldNote text={note(FIELD.enabled)} field={FIELD.enabled} />
            </div>
          </div>
        </div>

        <div class="admin-card mail-part" data-testid="mail-followup-card">
          <h2>{t('mail.followup_title')}</h2>
          <p class="mail-card-hint">{t('mail.followup_intro')}</p>
          <label class="field mail-followup">
            <span>{t('mail.followup')}</span>
            <input
              type="number"
              inputMode="numeric"
              min={LIMITS.followupMin}
              max={LIMITS.followupMax}
              step={1}
              value={draft.followup_minutes}
              aria-invalid={note(FIELD.followup) ? true : undefined}
              onInput={(e) => set({ followup_minutes: e.currentTarget.value })}
              data-testid="mail-followup"
            />
            {!note(FIELD.followup) && <small>{t('mail.followup_hint')}</small>}
            <FieldNote text={note(FIELD.followup)} field={FIELD.followup} />
          </label>
        </div>

        <SaveBar
          class="mail-actions"
          words="mail"
          testid="mail"
          guard={guard}
          ok={result.ok}
          dirty={dirty}
          fresh={!saved}
          fieldRefused={shownBesideField(problem)}
          elsewhere={elsewhere}
          onRevert={saved ? revert : undefined}
        />
      </form>
      <TestCard key={saves} saved={saved} dirty={dirty} />
    </>
  );
}

/** One server: host and port, encryption, login and password (and, for IMAP, the folder after them). */
function ServerFields({
  leg,
  server: s,
  savedSet,
  note,
  onChange,
  children,
}: {
  leg: Leg;
  server: ServerDraft;
  savedSet: boolean;
  note: Note;
  onChange: (server: ServerDraft) => void;
  children?: preact.ComponentChildren;
}) {
  const { t } = useMail();
  const set = (change: Partial<ServerDraft>) => onChange({ ...s, ...change });
  const offered = OFFERED[leg];
  const securityShown = offered.includes(s.security as Security);
  const label = (security: string): string => {
    if (!isSecurity(security)) return security;
    if (security === 'none') return t('mail.security_none');
    if (security === 'starttls' && !offered.includes('starttls')) return t('mail.security_starttls_imap');
    return t(security === 'tls' ? 'mail.security_tls' : 'mail.security_starttls', { port: STANDARD_PORTS[leg][security] });
  };
  const hostNote = note(FIELD.host(leg));
  const portNote = note(FIELD.port(leg));
  const securityNote = note(FIELD.security(leg)) ?? (securityShown ? null : t('mail.issue_security'));
  const usernameNote = note(FIELD.username(leg));
  const groupNote = note(leg);
  return (
    <fieldset class="admin-card mail-server" data-testid={`mail-${leg}`}>
      <legend class="mail-legend">{t(LEG_KEYS[leg].title)}</legend>
      <div class="mail-part mail-server-body">
        <p class="mail-card-hint">{t(LEG_KEYS[leg].hint)}</p>
        <div class="mail-host-row">
          <label class="field">
            <span>{t('mail.host')}</span>
            <input
              value={s.host}
              placeholder={HOST_EXAMPLE[leg]}
              maxLength={LIMITS.host + 8}
              autoComplete="off"
              spellcheck={false}
              aria-invalid={hostNote ? true : undefined}
              onInput={(e) => set({ host: e.currentTarget.value })}
              data-testid={`mail-${leg}-host`}
            />
            <FieldNote text={hostNote} field={FIELD.host(leg)} />
          </label>
          <label class="field mail-port">
            <span>{t('mail.port')}</span>
            <input
              type="number"
              inputMode="numeric"
              min={LIMITS.portMin}
              max={LIMITS.portMax}
              step={1}
              value={s.port}
              aria-invalid={portNote ? true : undefined}
              onInput={(e) => set({ port: e.currentTarget.value })}
              data-testid={`mail-${leg}-port`}
            />
            <FieldNote text={portNote} field={FIELD.port(leg)} />
          </label>
        </div>
        <label class="field">
          <span>{t('mail.security')}</span>
          <select
            value={s.security}
            aria-invalid={securityNote ? true : undefined}
            onChange={(e) => {
              const v = e.currentTarget.value;
              onChange(isSecurity(v) ? withSecurity(leg, s, v) : { ...s, security: v });
            }}
            data-testid={`mail-${leg}-security`}
          >
            {!securityShown && (
              <option value={s.security} disabled>
                {label(s.security)}
              </option>
            )}
            {offered.map((security) => (
              <option key={security} value={security}>
                {label(security)}
              </option>
            ))}
          </select>
          {s.security === 'none' && !securityNote && (
            <small class="field-warning" data-testid={`mail-${leg}-plain-warning`}>
              {t('mail.security_none_warning')}
            </small>
          )}
          <FieldNote text={securityNote} field={FIELD.security(leg)} />
        </label>
        <label class="field">
          <span>{t('mail.username')}</span>
          <input
            value={s.username}
            maxLength={LIMITS.username + 8}
            autoComplete="off"
            spellcheck={false}
            aria-invalid={usernameNote ? true : undefined}
            onInput={(e) => set({ username: e.currentTarget.value })}
            data-testid={`mail-${leg}-username`}
          />
          {!usernameNote && <small>{t('mail.username_hint')}</small>}
          <FieldNote text={usernameNote} field={FIELD.username(leg)} />
        </label>
        <PasswordField leg={leg} server={s} savedSet={savedSet} note={note(FIELD.password(leg))} onChange={onChange} />
        {children}
        <FieldNote text={groupNote} field={leg} />
      </div>
    </fieldset>
  );
}

/**
 * A password never shown: «сохранён» while one is kept and the field is left empty (it stays);
 * typed, it replaces the kept one; "Remove password" has it removed on save ("Keep it" undoes that).
 */
function PasswordField({
  leg,
  server: s,
  savedSet,
  note,
  onChange,
}: {
  leg: Leg;
  server: ServerDraft;
  savedSet: boolean;
  note: string | null;
  onChange: (server: ServerDraft) => void;
}) {
  const { t } = useMail();
  const id = useMemo(() => formName(`mail-${leg}-password`), [leg]);
  const input = useRef<HTMLInputElement>(null);
  const [refocus, setRefocus] = useState(0);
  const pw = passwordState(savedSet, s);
  const hint = pw === 'new' && savedSet ? 'mail.password_hint_replace' : PASSWORD_HINTS[pw];
  const what = t(LEG_KEYS[leg].title);

  useEffect(() => {
    if (refocus) input.current?.focus();
  }, [refocus]);

  return (
    <div class={`field mail-password is-${pw}`} data-testid={`mail-${leg}-password-field`} data-state={pw}>
      <label for={id}>
        <span>{t('mail.password')}</span>
      </label>
      <div class="mail-password-row">
        <input
          id={id}
          ref={input}
          type="password"
          value={s.removePassword ? '' : s.password}
          placeholder={pw === 'saved' ? t('mail.password_saved') : ''}
          disabled={s.removePassword}
          maxLength={LIMITS.password + 8}
          // Never the browser's saved password of the console itself.
          autoComplete="new-password"
          aria-invalid={note ? true : undefined}
          aria-describedby={`${id}-hint`}
          onInput={(e) => onChange({ ...s, password: e.currentTarget.value })}
          data-testid={`mail-${leg}-password`}
        />
        {savedSet && !s.removePassword && (
          <button
            type="button"
            class="btn btn-ghost btn-small danger"
            aria-label={t('mail.password_remove_of', { leg: what })}
            onClick={() => onChange({ ...s, password: '', removePassword: true })}
            data-testid={`mail-${leg}-password-remove`}
          >
            {t('mail.password_remove')}
          </button>
        )}
        {s.removePassword && (
          <button
            type="button"
            class="btn btn-secondary btn-small"
            aria-label={t('mail.password_keep_of', { leg: what })}
            onClick={() => {
              onChange({ ...s, removePassword: false });
              setRefocus((n) => n + 1);
            }}
            data-testid={`mail-${leg}-password-keep`}
          >
            {t('mail.password_keep')}
          </button>
        )}
      </div>
      <small id={`${id}-hint`} data-testid={`mail-${leg}-password-hint`}>
        {t(hint)}
      </small>
      <FieldNote text={note} field={FIELD.password(leg)} />
    </div>
  );
}

// ---- the test ------------------------------------------------------------------------------------

/** Whole seconds since `running` became true (0 while it is not). */
function useElapsed(running: boolean): number {
  const [seconds, setSeconds] = useState(0);
  useEffect(() => {
    setSeconds(0);
    if (!running) return;
    const started = Date.now();
    const timer = setInterval(() => setSeconds(Math.floor((Date.now() - started) / 1000)), 1000);
    return () => clearInterval(timer);
  }, [running]);
  return seconds;
}

const OK_TEXT: Record<Leg, ConsoleKey> = { smtp: 'mail.test_smtp_ok', imap: 'mail.test_imap_ok' };

function TestCard({ saved, dirty }: { saved: MailSettingsView | null; dirty: boolean }) {
  const { mail, t } = useMail();
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState<MailTestView | null>(null);
  const [problem, setProblem] = useState<Problem | null>(null);
  const seconds = useElapsed(busy);
  const blocked = !saved || dirty;
  const shown = useRef<HTMLDivElement>(null);

  // The answer may land below the fold: bring it into view.
  useEffect(() => {
    if (result || problem) shown.current?.scrollIntoView?.({ block: 'nearest', behavior: 'smooth' });
  }, [result, problem]);

  const run = async () => {
    if (busy) return;
    setBusy(true);
    setResult(null);
    setProblem(null);
    const done = await mail.test();
    setBusy(false);
    if (isProblem(done)) setProblem(done);
    else setResult(done);
  };

  return (
    <section class="admin-card mail-part mail-test" aria-busy={busy} data-testid="mail-test-card">
      <h2>{t('mail.test_title')}</h2>
      <p class="mail-card-hint">{t('mail.test_hint')}</p>
      <div class="mail-test-row">
        <button type="button" class="btn btn-primary" disabled={busy || blocked} onClick={() => void run()} data-testid="mail-test">
          {busy && <span class="mail-spinner" aria-hidden="true" />}
          {busy ? t('mail.testing') : t('mail.test')}
        </button>
        {busy && (
          <span class="mail-test-progress" data-testid="mail-test-progress">
            <span role="status">{t('mail.testing_status')}</span>{' '}
            <span class="mail-test-elapsed" aria-hidden="true">
              {t('mail.seconds', { n: seconds })}
            </span>
          </span>
        )}
        {!busy && blocked && (
          <span class="muted" data-testid="mail-test-blocked">
            {saved ? t('mail.test_unsaved') : t('mail.test_save_first')}
          </span>
        )}
      </div>
      <div ref={shown} aria-live="polite">
        {result && <TestResult result={result} />}
        {problem && notSetUp(problem) && (
          <p class="form-error" role="alert" data-testid="mail-test-error" data-code={problem.code}>
            {t('mail.test_not_set_up')}
          </p>
        )}
      </div>
      {problem && !notSetUp(problem) && <ProblemLine problem={problem} testid="mail-test-error" />}
    </section>
  );
}

function TestResult({ result }: { result: MailTestView }) {
  const { t, lang } = useMail();
  const ms = result.round_trip_ms;
  return (
    <dl class="mail-test-result" data-testid="mail-test-result">
      {LEGS.map((leg) => (
        <LegLine key={leg} leg={leg} outcome={legOutcome(leg, result)} error={legError(result[leg])} />
      ))}
      {typeof ms === 'number' && (
        <div class="mail-test-line" data-testid="mail-test-time">
          <dt>{t('mail.test_time')}</dt>
          <dd>
            <span class="mail-test-mark" aria-hidden="true" />
            {roundTripText(t, lang, ms)}
          </dd>
        </div>
      )}
    </dl>
  );
}

function LegLine({ leg, outcome, error }: { leg: Leg; outcome: LegOutcome; error: string | null }) {
  const { t } = useMail();
  const text =
    outcome === 'ok' ? t(OK_TEXT[leg]) : outcome === 'not_looked' ? t('mail.test_imap_not_looked') : error ? t('mail.test_failed') : t('mail.test_failed_plain');
  return (
    <div class={`mail-test-line is-${outcome}`} data-testid={`mail-test-${leg}`} data-outcome={outcome}>
      <dt>{t(LEG_KEYS[leg].title)}</dt>
      <dd>
        <span class="mail-test-mark" aria-hidden="true">
          {outcome === 'failed' ? MARKS.failed : MARKS.ok}
        </span>
        <span data-testid={`mail-test-${leg}-text`}>{text}</span>
        {outcome === 'failed' && error && (
          <code class="mail-test-error" data-testid={`mail-test-${leg}-error`}>
            {error}
          </code>
        )}
      </dd>
    </div>
  );
}
