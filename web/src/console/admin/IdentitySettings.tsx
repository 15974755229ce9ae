/**
 * The installation page's "Site user verification", per site (admins): the site's identity secret
 * (masked until "Show", with "Copy"), whether the widget's `Frontline.identify(userId, {hash})`
 * must carry the hash (a switch, saved at once; a plain warning while it is off: anyone who knows
 * a user id could read that user's chats), "Rotate secret" after a dialog that says what breaks,
 * and what the site's developers need: the hash computed on their server (Node) and the page's call.
 *
 * The section reads `GET /api/v1/sites/{id}/identity` when it is shown (the server makes the
 * secret on first asking) and changes it with `PUT … {required}` or `PUT … {rotate: true}`.
 * The secret stays in this component alone: no controller keeps it, and while masked it is not in
 * the page at all.
 */
import { useEffect, useRef, useState } from 'preact/hooks';
import type { components } from '../../shared/api-schema.gen';
import type { SiteView } from '../../shared/api-types';
import type { Translate } from '../../shared/i18n';
import type { Problem } from '../console-state';
import type { ConsoleKey } from '../i18n';
import { copyText } from './clipboard';
import { ModalShell } from './ModalShell';
import { ProblemLine } from './ProblemLine';
import { useAdmin } from './use-admin';
import '../account.css';
import './identity.css';

export type IdentityView = components['schemas']['IdentityView'];
export type IdentityRequest = components['schemas']['IdentityRequest'];

/** What stands for the secret while it is masked: a dot a character, 8 to 32 of them. */
export function maskSecret(secret: string): string {
  return '•'.repeat(Math.min(Math.max(secret.length, 8), 32));
}

/** The hash on the site's server (Node.js), and the page's call with it. */
export function identitySnippets(t: Translate<ConsoleKey>): { server: string; page: string } {
  return {
    server: [
      `// ${t('identity.code_server_comment')}`,
      "const crypto = require('node:crypto');",
      `const SECRET = process.env.FRONTLINE_IDENTITY_SECRET; // ${t('identity.code_secret_comment')}`,
      '',
      "const hash = crypto.createHmac('sha256', SECRET).update(String(userId)).digest('hex');",
    ].join('\n'),
    page: [`// ${t('identity.code_page_comment')}`, 'Frontline.identify(userId, { hash });'].join('\n'),
  };
}

const identityPath = (siteId: string) => `/api/v1/sites/${encodeURIComponent(siteId)}/identity`;

export function IdentitySettings({ site }: { site: SiteView }) {
  const { state, t } = useAdmin();
  // The console's requester and its 401 guard (the admin controller keeps its own private).
  const host = state.supervision;
  const [view, setView] = useState<IdentityView | null>(null);
  const [loading, setLoading] = useState(true);
  const [loadProblem, setLoadProblem] = useState<Problem | null>(null);
  const [shown, setShown] = useState(false);
  const [copied, setCopied] = useState<boolean | null>(null);
  const [saving, setSaving] = useState(false);
  const [saved, setSaved] = useState(false);
  const [saveProblem, setSaveProblem] = useState<Problem | null>(null);
  const [asking, setAsking] = useState(false);
  const [rotating, setRotating] = useState(false);
  const [rotated, setRotated] = useState(false);
  const [rotateProblem, setRotateProblem] = useState<Problem | null>(null);
  const field = useRef<HTMLInputElement>(null);
  const rotateButton = useRef<HTMLButtonElement>(null);
  const alive = useRef(true);
  useEffect(() => () => void (alive.current = false), []);

  const load = async () => {
    setLoading(true);
    setLoadProblem(null);
    try {
      const got = await host.api<IdentityView>('GET', identityPath(site.id));
      if (alive.current) setView(got);
    } catch (e) {
      const problem = host.guard(e);
      if (alive.current) setLoadProblem(problem);
    } finally {
      if (alive.current) setLoading(false);
    }
  };
  useEffect(() => void load(), [site.id]);

  const put = (body: IdentityRequest) => host.api<IdentityView>('PUT', identityPath(site.id), { body });

  const setRequired = async (required: boolean) => {
    if (saving || !view) return;
    setSaving(true);
    setSaved(false);
    setSaveProblem(null);
    try {
      const got = await put({ required });
      if (!alive.current) return;
      setView(got);
      setSaved(true);
    } catch (e) {
      const problem = host.guard(e);
      if (alive.current) setSaveProblem(problem);
    } finally {
      if (alive.current) setSaving(false);
    }
  };

  const rotate = async () => {
    if (rotating) return;
    setRotating(true);
    setRotateProblem(null);
    try {
      const got = await put({ rotate: true });
      if (!alive.current) return;
      setView(got);
      setRotated(true);
      setShown(true);
      setCopied(null);
      setAsking(false);
      // The dialog is gone: the new secret takes the focus (and is selected, to copy).
      setTimeout(() => field.current?.focus());
    } catch (e) {
      const problem = host.guard(e);
      if (alive.current) setRotateProblem(problem);
    } finally {
      if (alive.current) setRotating(false);
    }
  };

  const closeAsk = () => {
    setAsking(false);
    setRotateProblem(null);
    setTimeout(() => rotateButton.current?.focus());
  };

  const copy = async () => {
    if (!view) return;
    // The old copy command copies what the field shows: while masked that would be the dots.
    const ok = await copyText(view.secret, shown ? field.current : null);
    if (!alive.current) return;
    setCopied(ok);
    // Could not copy: the secret is shown and selected for copying by hand.
    if (!ok && !shown) {
      setShown(true);
      setTimeout(() => field.current?.select());
    }
  };

  const code = identitySnippets(t);
  const titleId = `identity-title-${site.id}`;
  const requiredId = `identity-required-${site.id}`;

  return (
    <section class="admin-card identity-section" aria-labelledby={titleId} data-testid="identity-section" data-site-id={site.id}>
      <header class="identity-head">
        <h2 id={titleId}>{t('identity.title')}</h2>
        <p class="muted">{t('identity.hint')}</p>
      </header>

      {loading && !view && (
        <p class="list-note" role="status" data-testid="identity-loading">
          {t('identity.loading')}
        </p>
      )}
      {loadProblem && !view && (
        <div class="install-load-error">
          <ProblemLine problem={loadProblem} testid="identity-load-error" />
          <button type="button" class="link" onClick={() => void load()} data-testid="identity-retry">
            {t('app.retry')}
          </button>
        </div>
      )}

      {view && (
        <div class="identity-body">
          <div class="field copy-block identity-secret-block">
            <span id={`${titleId}-secret`}>{t('identity.secret')}</span>
            <div class="copy-row identity-secret-row">
              <input
                ref={field}
                readOnly
                value={shown ? view.secret : maskSecret(view.secret)}
                spellcheck={false}
                autoComplete="off"
                aria-labelledby={`${titleId}-secret`}
                aria-describedby={`${titleId}-secret-hint`}
                class={shown ? 'identity-secret' : 'identity-secret is-masked'}
                data-masked={shown ? 'false' : 'true'}
                onFocus={(e) => shown && e.currentTarget.select()}
                data-testid="identity-secret"
              />
              <button type="button" class="btn btn-secondary" aria-pressed={shown} onClick={() => setShown(!shown)} data-testid="identity-show">
                {shown ? t('identity.hide') : t('identity.show')}
              </button>
              <button type="button" class="btn btn-secondary" onClick={() => void copy()} data-testid="identity-copy">
                {copied ? t('identity.copied') : t('identity.copy')}
              </button>
            </div>
            {copied === false && (
              <small class="field-error" role="alert" data-testid="identity-copy-failed">
                {t('identity.copy_failed')}
              </small>
            )}
            <small id={`${titleId}-secret-hint`} data-testid="identity-secret-hint">
              {t('identity.secret_hint')}
            </small>
          </div>
          <div class="identity-rotate">
            <button
              ref={rotateButton}
              type="button"
              class="btn btn-secondary"
              onClick={() => {
                setRotateProblem(null);
                setAsking(true);
              }}
              data-testid="identity-rotate"
            >
              {t('identity.rotate')}
            </button>
            <small class="muted">{t('identity.rotate_hint')}</small>
          </div>
          {rotated && (
            <p class="ok-note identity-rotated" role="status" data-testid="identity-rotated">
              {t('identity.rotated')}
            </p>
          )}

          <div class="field identity-required">
            <label class="identity-switch">
              <input
                type="checkbox"
                role="switch"
                checked={view.required}
                disabled={saving}
                aria-describedby={`${requiredId}-hint`}
                onChange={(e) => {
                  const want = e.currentTarget.checked;
                  // The switch shows what the server has until it answers.
                  e.currentTarget.checked = view.required;
                  void setRequired(want);
                }}
                data-testid="identity-required"
              />
              <span class="identity-switch-track" aria-hidden="true" />
              <span class="identity-switch-label">{t('identity.required')}</span>
              <span class={`identity-switch-state${view.required ? ' on' : ''}`} aria-hidden="true" data-testid="identity-required-state">
                {saving ? t('admin.saving') : view.required ? t('identity.on') : t('identity.off')}
              </span>
              {saved && !saving && (
                <span class="saved-note" role="status" data-testid="identity-saved">
                  {t('admin.saved')}
                </span>
              )}
            </label>
            <small id={`${requiredId}-hint`}>{t('identity.required_hint')}</small>
            {saveProblem && <ProblemLine problem={saveProblem} testid="identity-save-error" />}
          </div>
          {!view.required && (
            <p class="identity-warning" role="note" data-testid="identity-warning">
              <span class="identity-warning-mark" aria-hidden="true">
                !
              </span>
              <span>{t('identity.warning_off')}</span>
            </p>
          )}

          <div class="identity-code">
            <h3>{t('identity.code_title')}</h3>
            <SnippetBlock label={t('identity.code_server')} value={code.server} testid="identity-code-server" />
            <SnippetBlock label={t('identity.code_page')} value={code.page} testid="identity-code-page" />
            <p class="identity-more muted" data-testid="identity-more">
              {t('identity.more')}
            </p>
          </div>
        </div>
      )}

      {asking && (
        <ModalShell title={t('identity.rotate_title', { site: site.name })} testid="identity-rotate-dialog" onClose={closeAsk}>
          <ul class="modal-effects identity-effects">
            <li>{t('identity.rotate_now')}</li>
            <li>{t('identity.rotate_users')}</li>
            <li>{t('identity.rotate_then')}</li>
          </ul>
          {rotateProblem && <ProblemLine problem={rotateProblem} testid="identity-rotate-error" />}
          <div class="form-actions">
            <button type="button" class="btn btn-ghost" onClick={closeAsk} data-autofocus data-testid="identity-rotate-cancel">
              {t('identity.cancel')}
            </button>
            <button type="button" class="btn btn-danger" disabled={rotating} onClick={() => void rotate()} data-testid="identity-rotate-confirm">
              {rotating ? t('identity.rotating') : t('identity.rotate_confirm')}
            </button>
          </div>
        </ModalShell>
      )}
    </section>
  );
}

/** Code for the site's developers, read-only, with its copy button. */
function SnippetBlock({ label, value, testid }: { label: string; value: string; testid: string }) {
  const { t } = useAdmin();
  const box = useRef<HTMLTextAreaElement>(null);
  const [copied, setCopied] = useState<boolean | null>(null);
  const labelId = `${testid}-label`;
  return (
    <div class="field copy-block">
      <span id={labelId}>{label}</span>
      <div class="copy-row copy-row-code">
        <textarea
          ref={box}
          readOnly
          rows={Math.max(2, value.split('\n').length)}
          value={value}
          spellcheck={false}
          wrap="soft"
          aria-labelledby={labelId}
          onFocus={(e) => e.currentTarget.select()}
          data-testid={testid}
        />
        <button type="button" class="btn btn-secondary" onClick={async () => setCopied(await copyText(value, box.current))} data-testid={`${testid}-copy`}>
          {copied ? t('identity.copied') : t('identity.copy')}
        </button>
      </div>
      {copied === false && <small class="field-error">{t('identity.copy_failed')}</small>}
    </div>
  );
}
