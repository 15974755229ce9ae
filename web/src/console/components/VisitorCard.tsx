/**
 * Beside the dialog: who the visitor is (name, e-mail and phone editable in place, his id on the
 * site when it told one), his city, language and other properties, the page he is on and his time
 * on the site (ticking), his custom fields (VisitorFields.tsx), his visitor tags and the segments he is in, the attributes and events
 * the site sent (VisitorData.tsx), the pages he visited and his other dialogs (a click opens one), the
 * tickets the dialog's filled forms made (Tickets.tsx), and at its foot reporting him to the
 * admins (everyone) or blocking him (admins); a blocked visitor's card opens with a banner saying
 * so, from which admins lift the block (VisitorModeration.tsx).
 */
import { useEffect, useRef, useState } from 'preact/hooks';
import type { DialogView, VisitorCardView } from '../../shared/api-types';
import { safeHref } from '../../shared/links';
import { visitorName } from '../../shared/names';
import { useNow } from '../../shared/store';
import { formatClock, formatDay } from '../../shared/time';
import type { Problem } from '../console-state';
import { problemText, useConsole } from '../context';
import type { ConsoleKey } from '../i18n';
import { shortUrl, timeOnSite, visitorPatch, type CardField } from '../tools';
import { Avatar } from './Avatar';
import { TicketsPanel } from './Tickets';
import { VisitorAttributes, VisitorEvents, VisitorSegments, VisitorTags } from './VisitorData';
import { VisitorFields, visitorFieldKeys } from './VisitorFields';
import { BlockedBanner, VisitorModeration } from './VisitorModeration';

export function VisitorCard({ dialog }: { dialog: DialogView }) {
  const { state, t, lang } = useConsole('dialog', 'tools');
  const loaded = state.dialog.cards.get(dialog.id);
  const card = loaded?.card ?? null;
  const now = useNow(1000);
  // Where the focus goes once a block is placed (its banner) or lifted (the "Block" button).
  const [focus, setFocus] = useState<'banner' | 'block' | null>(null);

  useEffect(() => {
    void state.loadCard(dialog.id);
    setFocus(null);
  }, [dialog.id]);

  const name = visitorName(card ?? dialog.visitor, t('visitor.numbered'));
  const spent = timeOnSite(card?.visit_started_at, now, { hm: t('card.time_hm'), ms: t('card.time_ms'), s: t('card.time_s') });
  const properties = Object.entries(card?.properties ?? {}).filter(([k]) => k !== 'city');
  // A contact from Telegram or e-mail was never on the site: no page, time on site or pages.
  const onSite = (card?.source ?? dialog.visitor.source) === 'widget';

  return (
    <aside class="visitor-card" data-testid="visitor-card" aria-label={t('card.title')}>
      <header class="card-head">
        <Avatar name={name} size="lg" />
        <div>
          <h3 data-testid="card-title">{name}</h3>
          <span class="muted">{t('visitor.numbered', { n: card?.number ?? dialog.visitor.number })}</span>
        </div>
      </header>
      {card?.block && <BlockedBanner key={`blocked-${dialog.id}`} dialogId={dialog.id} card={card} block={card.block} focus={focus === 'banner'} onLifted={() => setFocus('block')} />}
      {loaded?.loading && !card && <p class="card-note">{t('card.loading')}</p>}
      {loaded?.problem && (
        <p class="form-error" role="alert">
          {problemText(t, lang, loaded.problem)}{' '}
          <button type="button" class="link" onClick={() => void state.loadCard(dialog.id)}>
            {t('app.retry')}
          </button>
        </p>
      )}
      {card && (
        <>
          <dl class="card-fields">
            <EditableField dialogId={dialog.id} card={card} field="name" label="card.name" />
            <EditableField dialogId={dialog.id} card={card} field="email" label="card.email" />
            <EditableField dialogId={dialog.id} card={card} field="phone" label="card.phone" />
            {card.user_id && (
              <Field label={t('card.user_id')} testid="card-user-id">
                <code class="card-user-id">{card.user_id}</code>
              </Field>
            )}
            <Field label={t('card.city')} testid="card-city">
              {card.city || <span class="muted">{t('card.not_given')}</span>}
            </Field>
            {onSite && (
              <Field label={t('card.page')} testid="card-page">
                {card.page_url ? <PageLink url={card.page_url} /> : <span class="muted">{t('card.not_given')}</span>}
              </Field>
            )}
            {onSite && (
              <Field label={t('card.time_on_site')} testid="card-time-on-site">
                {spent ?? <span class="muted">{t('card.not_given')}</span>}
              </Field>
            )}
            {card.language && (
              <Field label={t('card.language')} testid="card-language">
                {card.language}
              </Field>
            )}
            <Field label={t('card.first_seen')} testid="card-first-seen">
              {formatDay(card.first_seen_at, lang)}
            </Field>
            {properties.map(([k, v]) => (
              <Field key={k} label={k} testid="card-property">
                {v}
              </Field>
            ))}
          </dl>
          <VisitorFields dialogId={dialog.id} card={card} />
          {/* Keyed by the dialog: a half-typed tag or unfolded events do not follow to the next one. */}
          <VisitorTags key={`tags-${dialog.id}`} dialogId={dialog.id} card={card} />
          <VisitorSegments card={card} />
          <VisitorAttributes card={card} hidden={visitorFieldKeys(state.tools.fields)} />
          <VisitorEvents key={`events-${dialog.id}`} card={card} />
          {card.telegram.length > 0 && (
            <section class="card-section" data-testid="card-telegram">
              <h4>{t('card.telegram')}</h4>
              {card.telegram.map((c) => (
                <dl class="card-fields" key={c.bot}>
                  {c.unreachable_since && (
                    <p class="form-error" role="status" data-testid="card-telegram-unreachable">
                      {t('card.telegram_unreachable', { date: formatDay(c.unreachable_since, lang) })}
                    </p>
                  )}
                  <Field label={t('card.telegram_bot')} testid="card-telegram-bot">
                    @{c.bot}
                    {c.stage !== 'live' && c.stage !== 'closed' && <span class="muted"> · {t('card.telegram_with_bot')}</span>}
                  </Field>
                  <Field label={t('card.telegram_username')} testid="card-telegram-username">
                    {c.username ? `@${c.username}` : <span class="muted">{t('card.not_given')}</span>}
                  </Field>
                  {c.language && (
                    <Field label={t('card.telegram_language')} testid="card-telegram-language">
                      {c.language}
                    </Field>
                  )}
                  {c.topic && (
                    <Field label={t('card.telegram_topic')} testid="card-telegram-topic">
                      {c.topic}
                    </Field>
                  )}
                </dl>
              ))}
            </section>
          )}
          {onSite && (
          <section class="card-section">
            <h4>{t('card.pages')}</h4>
            {card.pages.length === 0 ? (
              <p class="muted">{t('card.no_pages')}</p>
            ) : (
              <ol class="card-pages" data-testid="card-pages">
                {card.pages.map((p, i) => (
                  <li key={`${p.at}-${i}`}>
                    <PageLink url={p.url} title={p.title} />
                    <time dateTime={p.at}>{formatClock(p.at, lang)}</time>
                  </li>
                ))}
              </ol>
            )}
          </section>
          )}
          <section class="card-section">
            <h4>{t('card.dialogs')}</h4>
            {card.dialogs.length === 0 ? (
              <p class="muted">{t('card.no_dialogs')}</p>
            ) : (
              <ul class="card-dialogs">
                {card.dialogs.map((d) => (
                  <li key={d.id}>
                    <button type="button" class="card-dialog" onClick={() => void state.open(d.id)} data-testid="card-dialog" data-dialog-id={d.id}>
                      <span class="card-dialog-top">
                        <span>{t('card.dialog_line', { n: d.number, date: formatDay(d.created_at, lang) })}</span>
                        <span class={`status-chip status-${d.status}`}>{d.status === 'open' ? t('dialog.status_open') : t('dialog.status_closed')}</span>
                      </span>
                      {d.preview && <span class="card-dialog-preview">{d.preview}</span>}
                    </button>
                  </li>
                ))}
              </ul>
            )}
          </section>
        </>
      )}
      {/* Only a website visitor fills a form, so only his dialogs have tickets. */}
      {onSite && <TicketsPanel dialogId={dialog.id} />}
      {/* Keyed by the dialog: a half-filled report does not follow to the next one. */}
      {card && !card.block && <VisitorModeration key={`mod-${dialog.id}`} dialogId={dialog.id} focusBlock={focus === 'block'} onBlocked={() => setFocus('banner')} />}
    </aside>
  );
}

function Field({ label, testid, children }: { label: string; testid: string; children: preact.ComponentChildren }) {
  return (
    <div class="card-field" data-testid={testid}>
      <dt>{label}</dt>
      <dd>{children}</dd>
    </div>
  );
}

function PageLink({ url, title }: { url: string; title?: string | null }) {
  const href = safeHref(url);
  const text = title?.trim() || shortUrl(url);
  return href ? (
    <a href={href} target="_blank" rel="noopener noreferrer nofollow" title={url}>
      {text}
    </a>
  ) : (
    <span title={url}>{text}</span>
  );
}

/** A field the operator can correct in place: the pencil opens an input; Enter saves, Esc cancels. */
function EditableField({ dialogId, card, field, label }: { dialogId: string; card: VisitorCardView; field: CardField; label: ConsoleKey }) {
  const { state, t, lang } = useConsole();
  const value = card[field] ?? '';
  const [editing, setEditing] = useState(false);
  const [draft, setDraft] = useState(value);
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<Problem | null>(null);
  const input = useRef<HTMLInputElement>(null);

  useEffect(() => {
    if (editing) input.current?.select();
  }, [editing]);

  const start = () => {
    setDraft(value);
    setProblem(null);
    setEditing(true);
  };
  const save = async (e?: Event) => {
    e?.preventDefault();
    if (draft.trim() === value) {
      setEditing(false);
      return;
    }
    setBusy(true);
    const refused = await state.saveVisitor(dialogId, visitorPatch(field, draft));
    setBusy(false);
    setProblem(refused);
    if (!refused) setEditing(false);
  };

  return (
    <div class="card-field card-editable" data-testid={`card-${field}`}>
      <dt>{t(label)}</dt>
      <dd>
        {editing ? (
          <form class="card-edit" onSubmit={save}>
            <input
              ref={input}
              type={(field === 'email' ? 'email' : field === 'phone' ? 'tel' : 'text') as 'text'}
              value={draft}
              maxLength={200}
              aria-label={t(label)}
              aria-invalid={!!problem}
              onInput={(e) => setDraft(e.currentTarget.value)}
              onKeyDown={(e) => {
                if (e.key === 'Escape') {
                  e.stopPropagation();
                  setEditing(false);
                }
              }}
              data-testid={`card-${field}-input`}
            />
            <button type="submit" class="btn btn-primary btn-small" disabled={busy} data-testid={`card-${field}-save`}>
              {t('card.save')}
            </button>
            <button type="button" class="btn btn-ghost btn-small" onClick={() => setEditing(false)}>
              {t('card.cancel')}
            </button>
            {problem && (
              <span class="inline-error" role="alert">
                {problemText(t, lang, problem)}
              </span>
            )}
          </form>
        ) : (
          <span class="card-value">
            <span data-testid={`card-${field}-value`}>{value || <span class="muted">{t('card.not_given')}</span>}</span>
            <button type="button" class="card-edit-btn" aria-label={t('card.edit', { field: t(label) })} title={t('card.edit', { field: t(label) })} onClick={start} data-testid={`card-${field}-edit`}>
              ✎
            </button>
          </span>
        )}
      </dd>
    </div>
  );
}
