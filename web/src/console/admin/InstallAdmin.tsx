/**
 * Installing the widget on a site, in four steps: the code to paste (with the site key), the
 * addresses whose pages may show it (saved with one Save), the visitor's properties the site may
 * pass (`window.FrontlineSettings`), and "check installation": when and where the widget was
 * last seen. With several sites, one is shown at a time. Below the steps, the site's user
 * verification (`IdentitySettings.tsx`): the secret its server signs user ids with, and whether
 * the widget's `identify` must carry that hash.
 */
import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import type { SiteView } from '../../shared/api-types';
import type { Problem } from '../console-state';
import { copyText } from './clipboard';
import { FieldNote } from './FieldNote';
import { IdentitySettings } from './IdentitySettings';
import { IntegrationsTabs } from './IntegrationsTabs';
import { issueText } from './issue-text';
import { formatWhen } from './lifecycle';
import { ProblemLine } from './ProblemLine';
import { serverIssue } from './server-issues';
import { inputForField, readOrigins, sameOrigins, settingsSnippet, widgetSnippet } from './sites';
import { formName, useUnsaved } from './unsaved';
import { useAdmin } from './use-admin';
import './admin-pages.css';

export function InstallAdmin() {
  const { state, admin, t, lang } = useAdmin();
  const [siteId, setSiteId] = useState<string | null>(null);

  useEffect(() => {
    void admin.loadSites();
  }, []);

  const sites = admin.sites;
  const site = sites.find((s) => s.id === siteId) ?? sites[0] ?? null;
  const pick = (id: string) => {
    const go = () => setSiteId(id);
    if (state.team.unsaved.mayLeave(go)) go();
  };

  return (
    <section class="admin-section admin-section-wide install-page">
      <IntegrationsTabs current="install" />
      <header class="admin-head">
        <h1>{t('install.title')}</h1>
        <p>{t('install.hint')}</p>
      </header>
      {admin.sitesProblem && sites.length === 0 && (
        <div class="install-load-error">
          <ProblemLine problem={admin.sitesProblem} testid="install-load-error" />
          <button type="button" class="link" onClick={() => void admin.loadSites()}>
            {t('app.retry')}
          </button>
        </div>
      )}
      {admin.sitesLoading && sites.length === 0 && <p class="list-note">{t('admin.loading')}</p>}
      {!admin.sitesLoading && !admin.sitesProblem && sites.length === 0 && <p class="list-note">{t('install.no_sites')}</p>}
      {sites.length > 1 && (
        <nav class="page-tabs" aria-label={t('install.sites')}>
          {sites.map((s) => (
            <a
              key={s.id}
              href="#"
              class={s.id === site?.id ? 'active' : ''}
              aria-current={s.id === site?.id ? 'page' : undefined}
              onClick={(e) => {
                e.preventDefault();
                pick(s.id);
              }}
              data-testid="install-site-tab"
            >
              {s.name}
            </a>
          ))}
        </nav>
      )}
      {site && <SiteInstall key={site.id} site={site} lang={lang} />}
    </section>
  );
}

function SiteInstall({ site, lang }: { site: SiteView; lang: string }) {
  const { t } = useAdmin();
  const snippet = widgetSnippet(location.origin, site.key);
  const settings = settingsSnippet(lang === 'ru' ? { city: 'Москва', plan: 'pro' } : { city: 'London', plan: 'pro' });
  return (
    <div class="install-grid" data-testid="install-site" data-site-id={site.id}>
      <section class="admin-card install-step" data-testid="install-snippet">
        <h2>
          <span class="step-number">1</span> {t('install.step_code')}
        </h2>
        <p class="muted">{t('install.code_hint')}</p>
        <CopyBlock label={t('install.site_key')} value={site.key} testid="install-key" single />
        <CopyBlock label={t('install.snippet')} value={snippet} testid="install-code" />
        <small class="muted">{t('install.attributes_hint')}</small>
      </section>
      <OriginsForm site={site} />
      <section class="admin-card install-step" data-testid="install-settings">
        <h2>
          <span class="step-number">3</span> {t('install.step_settings')}
        </h2>
        <p class="muted">{t('install.settings_hint')}</p>
        <CopyBlock label={t('install.settings_code')} value={settings} testid="install-settings-code" />
        <small class="muted">{t('install.settings_rules')}</small>
      </section>
      <InstallCheck site={site} />
      <IdentitySettings site={site} />
    </div>
  );
}

/** A read-only value with its copy button (and a word when copied); the label names the field. */
function CopyBlock({ label, value, testid, single = false }: { label: string; value: string; testid: string; single?: boolean }) {
  const { t } = useAdmin();
  const field = useRef<HTMLInputElement & HTMLTextAreaElement>(null);
  const [copied, setCopied] = useState<boolean | null>(null);
  const lines = value.split('\n').length;
  const labelId = `${testid}-label`;
  return (
    <div class="field copy-block">
      <span id={labelId}>{label}</span>
      <div class={`copy-row${single ? '' : ' copy-row-code'}`}>
        {single ? (
          <input ref={field} readOnly value={value} spellcheck={false} aria-labelledby={labelId} onFocus={(e) => e.currentTarget.select()} data-testid={testid} />
        ) : (
          <textarea
            ref={field}
            readOnly
            rows={Math.max(2, lines)}
            value={value}
            spellcheck={false}
            wrap="soft"
            aria-labelledby={labelId}
            onFocus={(e) => e.currentTarget.select()}
            data-testid={testid}
          />
        )}
        <button
          type="button"
          class="btn btn-secondary"
          onClick={async () => setCopied(await copyText(value, field.current))}
          data-testid={`${testid}-copy`}
        >
          {copied ? t('operators.copied') : t('operators.copy')}
        </button>
      </div>
      {copied === false && <small class="field-error">{t('install.copy_failed')}</small>}
    </div>
  );
}

let rowKey = 0;
const keyed = (list: readonly string[]) => list.map((value) => ({ key: ++rowKey, value }));

/** The addresses whose pages may show the widget: one input each, one Save. */
function OriginsForm({ site }: { site: SiteView }) {
  const { admin, t } = useAdmin();
  const form = useMemo(() => formName('site-origins'), []);
  const [rows, setRows] = useState(() => keyed(site.allowed_origins.length ? site.allowed_origins : ['']));
  const [tried, setTried] = useState(false);
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<Problem | null>(null);
  /** The inputs each origin of the last request came from. */
  const [sentFrom, setSentFrom] = useState<number[]>([]);
  const [saved, setSaved] = useState(false);

  const read = readOrigins(rows.map((r) => r.value));
  // Edited: the inputs (blank ones aside) are not the site's list as saved.
  const dirty = !sameOrigins(
    rows.map((r) => r.value.trim()).filter(Boolean),
    site.allowed_origins,
  );
  useUnsaved(form, dirty);

  const messages = new Map<number, string>();
  let listNote: string | null = null;
  for (const issue of tried ? read.issues : []) {
    const at = /^allowed_origins\[(\d+)\]$/.exec(issue.field);
    if (at) messages.set(Number(at[1]), issueText(t, issue));
    else listNote = t('install.origins_none');
  }
  const refused = serverIssue(problem);
  const refusedAt = refused ? inputForField(refused.field, sentFrom) : null;
  if (refused && refusedAt !== null) messages.set(refusedAt, issueText(t, refused));
  if (refused && refusedAt === null) listNote = refused.reason === 'too_few' ? t('install.origins_none') : issueText(t, refused);

  const edit = (next: { key: number; value: string }[]) => {
    setRows(next);
    setSaved(false);
    if (problem) setProblem(null);
  };

  const save = async (e: Event) => {
    e.preventDefault();
    if (busy) return;
    setTried(true);
    if (read.issues.length) return;
    setBusy(true);
    setProblem(null);
    setSentFrom(read.inputOf);
    const answer = await admin.patchSite(site.id, { allowed_origins: read.origins });
    setBusy(false);
    setProblem(answer);
    if (!answer) {
      setTried(false);
      setSaved(true);
      const now = admin.sites.find((s) => s.id === site.id)?.allowed_origins ?? read.origins;
      setRows(keyed(now.length ? now : ['']));
    }
  };

  return (
    <form class="admin-card install-step admin-form" onSubmit={save} noValidate data-testid="install-origins">
      <h2>
        <span class="step-number">2</span> {t('install.step_origins')}
      </h2>
      <p class="muted">{t('install.origins_hint')}</p>
      <ul class="origin-list">
        {rows.map((row, i) => {
          const message = messages.get(i) ?? null;
          return (
            <li key={row.key} data-testid="origin-row">
              <div class="origin-row">
                <input
                  value={row.value}
                  placeholder="https://shop.example.com"
                  spellcheck={false}
                  autoComplete="off"
                  inputMode="url"
                  aria-label={t('install.origin_n', { n: i + 1 })}
                  aria-invalid={message ? true : undefined}
                  onInput={(e) => edit(rows.map((r, j) => (j === i ? { ...r, value: e.currentTarget.value } : r)))}
                  data-testid="origin-input"
                />
                <button
                  type="button"
                  class="icon-btn"
                  aria-label={t('install.origin_remove', { n: i + 1 })}
                  title={t('install.origin_remove', { n: i + 1 })}
                  onClick={() => edit(rows.length > 1 ? rows.filter((_, j) => j !== i) : keyed(['']))}
                  data-testid="origin-remove"
                >
                  ×
                </button>
              </div>
              <FieldNote text={message} field={`allowed_origins[${i}]`} />
            </li>
          );
        })}
      </ul>
      <FieldNote text={listNote} field="allowed_origins" />
      {problem && !refused && <ProblemLine problem={problem} testid="install-origins-error" />}
      <div class="form-actions">
        <button type="button" class="link origin-add" onClick={() => edit([...rows, ...keyed([''])])} data-testid="origin-add">
          + {t('install.origin_add')}
        </button>
        <span class="spacer" />
        {dirty && <span class="muted">{t('unsaved.note')}</span>}
        {saved && !dirty && (
          <span class="saved-note" role="status" data-testid="install-origins-saved">
            {t('admin.saved')}
          </span>
        )}
        <button type="submit" class="btn btn-primary" disabled={busy || !dirty} data-testid="install-origins-save">
          {busy ? t('admin.saving') : t('admin.save')}
        </button>
      </div>
    </form>
  );
}

/** When and where the widget was last seen; "check" reads the sites again. */
function InstallCheck({ site }: { site: SiteView }) {
  const { admin, t, lang } = useAdmin();
  const seen = site.widget_seen_at ?? null;
  const checked = admin.sitesCheckedAt;
  return (
    <section class="admin-card install-step install-check" data-testid="install-check">
      <h2>
        <span class="step-number">4</span> {t('install.step_check')}
      </h2>
      {seen ? (
        <p class="install-status ok" role="status" data-testid="install-seen" data-seen="true">
          <span class="status-dot" aria-hidden="true" />
          <span>
            {site.widget_seen_origin
              ? t('install.seen', { origin: site.widget_seen_origin, when: formatWhen(seen, lang) })
              : t('install.seen_plain', { when: formatWhen(seen, lang) })}
          </span>
        </p>
      ) : (
        <p class="install-status" role="status" data-testid="install-seen" data-seen="false">
          <span class="status-dot" aria-hidden="true" />
          <span>{t('install.not_seen')}</span>
        </p>
      )}
      <div class="form-actions install-check-actions">
        {checked && (
          <small class="muted" data-testid="install-checked-at">
            {t('install.checked_at', { when: checked.toLocaleTimeString(lang === 'ru' ? 'ru-RU' : 'en-GB', { hour: '2-digit', minute: '2-digit', second: '2-digit' }) })}
          </small>
        )}
        <span class="spacer" />
        <button type="button" class="btn btn-secondary" disabled={admin.sitesLoading} onClick={() => void admin.loadSites()} data-testid="install-check-button">
          {admin.sitesLoading ? t('install.checking') : t('install.check')}
        </button>
      </div>
      {admin.sitesProblem && <ProblemLine problem={admin.sitesProblem} testid="install-check-error" />}
    </section>
  );
}
