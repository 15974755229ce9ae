/**
 * The Web API's keys (admins), under Integrations: the form that makes a key (a name and its
 * scopes, all ticked at first; a refused field gets its message beside it; open by itself while
 * there is no key, else behind "New key" so the list comes first), the new key's secret
 * shown this once with "Copy", the warning that it cannot be shown again and a first call to
 * try it, and the list of keys — name and the secret's last characters, scopes in words, who made
 * it and when, when it was last used, and "Revoke" (after asking) or who revoked it and when.
 */
import { useEffect, useRef, useState } from 'preact/hooks';
import { useObservable } from '../../shared/store';
import type { Problem } from '../console-state';
import { problemText } from '../context';
import {
  isRevoked,
  keyDraft,
  keyFieldMessages,
  keyHint,
  keyRequest,
  KEY_FIELDS,
  KEYS_MAX,
  NAME_MAX,
  orderScopes,
  scopeHint,
  scopeLabel,
  SCOPES,
  shownBesideField,
  usageExample,
  type ApiKeyCreated,
  type ApiKeyView,
  type KeyDraft,
} from './api-keys';
import { copyText } from './clipboard';
import { FieldNote } from './FieldNote';
import { IntegrationsTabs } from './IntegrationsTabs';
import { formatWhen } from './lifecycle';
import { ProblemLine } from './ProblemLine';
import { SaveRefusal } from './SaveBar';
import { useSaveGuard } from './save-guard';
import { useAdmin } from './use-admin';
import '../account.css';
import './admin-pages.css';
import './api-keys.css';

/** The admin controller's keys part, redrawn on its changes. */
function useKeys() {
  const env = useAdmin();
  useObservable(env.admin.apiKeys);
  return { ...env, keys: env.admin.apiKeys };
}

export function ApiKeysAdmin() {
  const { keys, t, lang } = useKeys();
  /** The key just made, with its secret: shown until "Done", never again. */
  const [made, setMade] = useState<ApiKeyCreated | null>(null);
  /** "New key" pressed (with no key yet the form is open anyway). */
  const [adding, setAdding] = useState(false);
  const newButton = useRef<HTMLButtonElement>(null);
  const firstKey = keys.loaded && keys.keys.length === 0;
  const formShown = !made && (adding || firstKey);

  useEffect(() => {
    void keys.open();
  }, [keys]);

  const closeSecret = () => {
    setMade(null);
    // The button comes back with the next render: it takes the focus then.
    setTimeout(() => newButton.current?.focus());
  };

  return (
    <section class="admin-section api-keys-page">
      <IntegrationsTabs current="api-keys" />
      <header class="admin-head admin-head-row">
        <div>
          <h1 data-testid="api-keys-title">{t('apikeys.title')}</h1>
          <p>{t('apikeys.hint')}</p>
        </div>
        {!formShown && !made && keys.loaded && (
          <button ref={newButton} type="button" class="btn btn-primary" onClick={() => setAdding(true)} data-testid="api-key-new">
            {t('apikeys.new')}
          </button>
        )}
      </header>
      {keys.problem && (
        <p class="form-error" role="alert" data-testid="api-keys-load-error" data-code={keys.problem.code}>
          {problemText(t, lang, keys.problem)}{' '}
          <button type="button" class="link" onClick={() => void keys.load()}>
            {t('app.retry')}
          </button>
        </p>
      )}
      {made && <SecretCard made={made} onDone={closeSecret} />}
      {formShown && (
        <KeyForm
          focusName={adding}
          onCancel={firstKey ? null : () => setAdding(false)}
          onCreated={(key) => {
            setAdding(false);
            setMade(key);
          }}
        />
      )}
      <KeyList />
    </section>
  );
}

// ---- making a key --------------------------------------------------------------------------------

const sameScopes = (a: readonly string[], b: readonly string[]) => a.length === b.length && a.every((s) => b.includes(s));

function KeyForm({ focusName, onCancel, onCreated }: { focusName: boolean; onCancel: (() => void) | null; onCreated: (made: ApiKeyCreated) => void }) {
  const { keys, t } = useKeys();
  const [draft, setDraft] = useState<KeyDraft>(keyDraft);
  const nameInput = useRef<HTMLInputElement>(null);
  const blank = keyDraft();
  const dirty = draft.name.trim() !== '' || !sameScopes(draft.scopes, blank.scopes);
  // A refused list of scopes brings the focus to its first box.
  const guard = useSaveGuard('api-key-form', dirty, '[aria-invalid="true"], [data-invalid="true"] input');
  const { body, tried, problem } = guard;

  const result = keyRequest(draft);
  const messages = keyFieldMessages(t, tried && !result.ok ? result.issues : [], problem);
  const note = (field: string) => messages.get(field) ?? null;
  const elsewhere = [...messages].filter(([field]) => !KEY_FIELDS.has(field));

  const set = (change: Partial<KeyDraft>) => {
    setDraft((d) => ({ ...d, ...change }));
    guard.edited();
  };
  const tick = (scope: (typeof SCOPES)[number], on: boolean) =>
    set({ scopes: on ? SCOPES.filter((s) => s === scope || draft.scopes.includes(s)) : draft.scopes.filter((s) => s !== scope) });

  const submit = (ev: Event) =>
    guard.save(
      ev,
      result,
      ({ body }) => keys.create(body),
      (made) => {
        setDraft(keyDraft());
        guard.reset();
        onCreated(made);
      },
    );

  // Opened by "New key": the name takes the focus (not when the page opens with no key yet).
  useEffect(() => {
    if (focusName) nameInput.current?.focus();
  }, []);

  const scopesInvalid = !!note('scopes');
  return (
    <form ref={body} class="admin-card api-key-form" onSubmit={submit} noValidate data-testid="api-key-form">
      <h2>{t('apikeys.new_title')}</h2>
      <label class="field api-key-name">
        <span>{t('apikeys.name')}</span>
        <input
          ref={nameInput}
          value={draft.name}
          maxLength={NAME_MAX + 20}
          placeholder={t('apikeys.name_placeholder')}
          autoComplete="off"
          aria-invalid={note('name') ? true : undefined}
          onInput={(ev) => set({ name: ev.currentTarget.value })}
          data-testid="api-key-name"
        />
        {!note('name') && <small>{t('apikeys.name_hint')}</small>}
        <FieldNote text={note('name')} field="name" />
      </label>
      <fieldset class={`field api-key-scopes${scopesInvalid ? ' has-error' : ''}`} data-invalid={scopesInvalid ? 'true' : undefined} data-testid="api-key-scopes">
        <legend>{t('apikeys.scopes')}</legend>
        {SCOPES.map((s) => (
          <label key={s} class="choice api-key-scope">
            <input type="checkbox" checked={draft.scopes.includes(s)} onChange={(ev) => tick(s, ev.currentTarget.checked)} data-testid="api-key-scope" data-scope={s} />
            <span>
              <strong>{scopeLabel(t, s)}</strong> <code>{s}</code>
              <small>{scopeHint(t, s)}</small>
            </span>
          </label>
        ))}
        <FieldNote text={note('scopes')} field="scopes" />
      </fieldset>
      <SaveRefusal elsewhere={elsewhere} problem={problem} fieldRefused={!!problem && shownBesideField(problem)} testid="api-key-form-error" />
      <div class="form-actions">
        {onCancel && (
          <button type="button" class="btn btn-ghost" onClick={() => guard.leave(onCancel)} data-testid="api-key-cancel">
            {t('apikeys.cancel')}
          </button>
        )}
        <button type="submit" class="btn btn-primary" disabled={guard.busy} data-testid="api-key-create">
          {guard.busy ? t('apikeys.creating') : t('apikeys.create')}
        </button>
      </div>
    </form>
  );
}

/** The new key's secret, shown this once: copied, with the warning and a first call to try it. */
function SecretCard({ made, onDone }: { made: ApiKeyCreated; onDone: () => void }) {
  const { t, lang } = useKeys();
  const heading = useRef<HTMLHeadingElement>(null);
  const field = useRef<HTMLInputElement>(null);
  const sample = useRef<HTMLTextAreaElement>(null);
  const [copied, setCopied] = useState<boolean | null>(null);
  const [sampleCopied, setSampleCopied] = useState<boolean | null>(null);
  const example = usageExample(location.origin, made.secret, made.key.scopes, lang);

  useEffect(() => heading.current?.focus(), []);

  return (
    <div class="admin-card api-key-secret" data-testid="api-key-created" data-key-id={made.key.id}>
      <h2 ref={heading} tabIndex={-1}>
        {t('apikeys.created_title', { name: made.key.name })}
      </h2>
      <p class="once-warning" role="note" data-testid="api-key-once">
        <strong>{t('apikeys.once_title')}</strong> {t('apikeys.once_warning')}
      </p>
      <label class="field">
        <span>{t('apikeys.secret')}</span>
        <div class="copy-row api-key-secret-row">
          <input
            ref={field}
            class="api-key-secret-value"
            readOnly
            value={made.secret}
            spellcheck={false}
            autoComplete="off"
            onFocus={(ev) => ev.currentTarget.select()}
            data-testid="api-key-secret"
          />
          <button type="button" class="btn btn-primary" onClick={async () => setCopied(await copyText(made.secret, field.current))} data-testid="api-key-copy">
            {t('apikeys.copy')}
          </button>
        </div>
      </label>
      {copied !== null && (
        <p class={`copy-note${copied ? ' ok' : ' danger'}`} role="status" data-testid="api-key-copied">
          {copied ? t('apikeys.copied') : t('apikeys.copy_failed')}
        </p>
      )}
      <div class="field copy-block api-key-example">
        <span id="api-key-example-label">{t('apikeys.example')}</span>
        <small>{t('apikeys.example_hint')}</small>
        <div class="copy-row copy-row-code">
          <textarea
            ref={sample}
            readOnly
            rows={example.split('\n').length}
            value={example}
            spellcheck={false}
            wrap="off"
            aria-labelledby="api-key-example-label"
            onFocus={(ev) => ev.currentTarget.select()}
            data-testid="api-key-example"
          />
          <button type="button" class="btn btn-secondary" onClick={async () => setSampleCopied(await copyText(example, sample.current))} data-testid="api-key-example-copy">
            {sampleCopied ? t('apikeys.copied') : t('apikeys.copy')}
          </button>
        </div>
        {sampleCopied === false && <small class="field-error">{t('apikeys.copy_failed')}</small>}
      </div>
      <div class="form-actions">
        <button type="button" class="btn btn-secondary" onClick={onDone} data-testid="api-key-done">
          {t('apikeys.done')}
        </button>
      </div>
    </div>
  );
}

// ---- the list ------------------------------------------------------------------------------------

function KeyList() {
  const { keys, t } = useKeys();
  return (
    <div class="admin-card api-key-list" data-testid="api-keys-list">
      <div class="api-key-list-head">
        <h2 id="api-keys-list-title">{t('apikeys.list_title')}</h2>
        {keys.loaded && keys.keys.length > 0 && (
          <span class="muted" data-testid="api-keys-live">
            {t('apikeys.live_count', { n: keys.live(), max: KEYS_MAX })}
          </span>
        )}
      </div>
      {keys.loading && !keys.loaded && <p class="list-note">{t('apikeys.loading')}</p>}
      {keys.loaded && keys.keys.length === 0 && (
        <p class="list-note" data-testid="api-keys-empty">
          {t('apikeys.empty')}
        </p>
      )}
      {keys.keys.length > 0 && (
        <table class="admin-table api-keys-table" aria-labelledby="api-keys-list-title" data-testid="api-keys-table">
          <thead>
            <tr>
              <th>{t('apikeys.col_name')}</th>
              <th>{t('apikeys.col_scopes')}</th>
              <th>{t('apikeys.col_created')}</th>
              <th>{t('apikeys.col_used')}</th>
              <th>{t('apikeys.col_state')}</th>
            </tr>
          </thead>
          <tbody>
            {keys.keys.map((k) => (
              <KeyRow key={k.id} apiKey={k} />
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}

function KeyRow({ apiKey: k }: { apiKey: ApiKeyView }) {
  const { keys, t, lang } = useKeys();
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<Problem | null>(null);
  const revoked = isRevoked(k);

  const revoke = async () => {
    if (!confirm(t('apikeys.revoke_confirm', { name: k.name }))) return;
    setBusy(true);
    setProblem(null);
    setProblem(await keys.revoke(k.id));
    setBusy(false);
  };

  return (
    <tr class={`api-key-row${revoked ? ' is-revoked' : ''}`} data-testid="api-key-row" data-key-id={k.id} data-revoked={String(revoked)}>
      <td>
        <div class="cell-name" data-testid="api-key-row-name">
          {k.name}
        </div>
        <code class="api-key-hint" title={t('apikeys.hint_title')} data-testid="api-key-row-hint">
          {keyHint(k)}
        </code>
      </td>
      <td>
        <ul class="api-key-chips" data-testid="api-key-row-scopes">
          {orderScopes(k.scopes).map((s) => (
            <li key={s} class="channel-chip" title={s}>
              {scopeLabel(t, s)}
            </li>
          ))}
        </ul>
      </td>
      <td data-testid="api-key-row-created">
        <div class="nowrap">{formatWhen(k.created_at, lang)}</div>
        {k.created_by && <div class="muted">{k.created_by}</div>}
      </td>
      <td data-testid="api-key-row-used" data-used={k.last_used_at ? 'true' : 'false'}>
        {k.last_used_at ? <span class="nowrap">{formatWhen(k.last_used_at, lang)}</span> : <span class="muted">{t('apikeys.never_used')}</span>}
      </td>
      <td class="api-key-state">
        {revoked ? (
          <div data-testid="api-key-row-revoked">
            <span class="api-key-revoked-mark">{t('apikeys.revoked')}</span>
            <div class="muted">
              {k.revoked_by
                ? t('apikeys.revoked_by', { when: formatWhen(k.revoked_at ?? '', lang), name: k.revoked_by })
                : formatWhen(k.revoked_at ?? '', lang)}
            </div>
          </div>
        ) : (
          <>
            <span class="api-key-live-mark">
              <span class="status-dot" aria-hidden="true" />
              {t('apikeys.live')}
            </span>
            <button
              type="button"
              class="btn btn-ghost btn-small danger"
              disabled={busy}
              aria-label={t('apikeys.revoke_of', { name: k.name })}
              onClick={() => void revoke()}
              data-testid="api-key-revoke"
            >
              {busy ? t('apikeys.revoking') : t('apikeys.revoke')}
            </button>
          </>
        )}
        {problem && <ProblemLine problem={problem} testid="api-key-revoke-error" />}
      </td>
    </tr>
  );
}
