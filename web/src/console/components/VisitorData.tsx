/**
 * The visitor card's parts about what the site told (the Web API, issue 16): visitor tags — his,
 * not the dialog's, chips the operator removes with × and adds by typing one and Enter —,
 * attributes as a short list of names and values (dates in the operator's time, numbers and
 * yes/no in the console's language), events counted per name with the latest ones folded
 * under "Show recent", each with its properties, and the workspace's segments he is in now. A
 * part with nothing to show is left out; the tags keep a small "add" button so the first one can
 * be given.
 */
import { useEffect, useRef, useState } from 'preact/hooks';
import type { VisitorCardView } from '../../shared/api-types';
import { useConsole } from '../context';
import { attributeText, formatEventTime, normalTag, propertyLines, tagProblemText, tagTrouble, tagTroubleText } from '../visitor-data';

/** Visitor tags: chips with ×, and a small input that adds one on Enter. */
export function VisitorTags({ dialogId, card }: { dialogId: string; card: VisitorCardView }) {
  const { state, t, lang } = useConsole();
  const tags = card.tags ?? [];
  const [adding, setAdding] = useState(false);
  const [text, setText] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const input = useRef<HTMLInputElement>(null);
  const open = adding || tags.length > 0;

  useEffect(() => {
    if (adding) input.current?.focus();
  }, [adding]);

  const change = async (body: { add?: string[]; remove?: string[] }): Promise<boolean> => {
    setBusy(true);
    setError(null);
    const refused = await state.tagVisitor(dialogId, body);
    setBusy(false);
    if (refused) setError(tagProblemText(t, lang, refused));
    return !refused;
  };

  const add = async (ev?: Event) => {
    ev?.preventDefault();
    if (busy) return;
    const trouble = tagTrouble(text);
    if (trouble) {
      setError(tagTroubleText(t, trouble));
      return;
    }
    if (tags.includes(normalTag(text))) {
      setText('');
      setError(null);
      return;
    }
    if (await change({ add: [text.trim()] })) {
      setText('');
      input.current?.focus();
    }
  };

  const remove = async (tag: string) => {
    if (await change({ remove: [tag] })) {
      // The chip is gone with its button: the focus goes to the input, which stays open.
      setAdding(true);
      input.current?.focus();
    }
  };

  return (
    <section class="card-section card-vtags" data-testid="card-visitor-tags" aria-labelledby={`vtags-${dialogId}`}>
      <h4 id={`vtags-${dialogId}`}>{t('card.visitor_tags')}</h4>
      {tags.length > 0 && (
        <ul class="vtag-list" data-testid="card-vtag-list">
          {tags.map((tag) => (
            <li key={tag} class="vtag-chip" data-testid="card-vtag" data-tag={tag}>
              <span>{tag}</span>
              <button
                type="button"
                class="vtag-remove"
                disabled={busy}
                aria-label={t('card.vtag_remove', { name: tag })}
                title={t('card.vtag_remove', { name: tag })}
                onClick={() => void remove(tag)}
                data-testid="card-vtag-remove"
              >
                ×
              </button>
            </li>
          ))}
        </ul>
      )}
      {open ? (
        <form class="vtag-add" onSubmit={add} data-testid="card-vtag-form">
          <input
            ref={input}
            value={text}
            maxLength={120}
            placeholder={t('card.vtag_placeholder')}
            aria-label={t('card.vtag_input')}
            aria-invalid={error ? true : undefined}
            aria-describedby={error ? `vtag-error-${dialogId}` : undefined}
            onInput={(e) => {
              setText(e.currentTarget.value);
              if (error) setError(null);
            }}
            onKeyDown={(e) => {
              if (e.key === 'Escape' && tags.length === 0 && !text) {
                e.stopPropagation();
                setAdding(false);
              }
            }}
            data-testid="card-vtag-input"
          />
        </form>
      ) : (
        <div>
          <button type="button" class="vtag-add-btn" onClick={() => setAdding(true)} data-testid="card-vtag-add">
            {t('card.vtag_add')}
          </button>
        </div>
      )}
      {error && (
        <p id={`vtag-error-${dialogId}`} class="inline-error" role="alert" data-testid="card-vtag-error">
          {error}
        </p>
      )}
    </section>
  );
}

/** The workspace's segments he is in now, as chips (nothing when none). */
export function VisitorSegments({ card }: { card: VisitorCardView }) {
  const { t } = useConsole();
  const segments = card.segments ?? [];
  if (segments.length === 0) return null;
  return (
    <section class="card-section" data-testid="card-segments" aria-labelledby={`card-segments-${card.id}`}>
      <h4 id={`card-segments-${card.id}`}>{t('segments.card_title')}</h4>
      <ul class="seg-chip-list">
        {segments.map((s) => (
          <li key={s.id} class="seg-chip" data-testid="card-segment" data-segment-id={s.id}>
            {s.name}
          </li>
        ))}
      </ul>
    </section>
  );
}

/**
 * Attributes as a short list: name, then the value in the console's words. Those `hidden` (the
 * visitor's custom fields, shown and edited in their own section) are left out.
 */
export function VisitorAttributes({ card, hidden }: { card: VisitorCardView; hidden?: ReadonlySet<string> }) {
  const { t, lang } = useConsole();
  const attributes = (card.attributes ?? []).filter((a) => !hidden?.has(a.name));
  if (attributes.length === 0) return null;
  return (
    <section class="card-section" data-testid="card-attributes">
      <h4>{t('card.attributes')}</h4>
      <dl class="card-attrs">
        {attributes.map((a) => (
          <div key={a.name} class="card-attr" data-testid="card-attribute" data-name={a.name} data-kind={a.kind}>
            <dt title={a.name}>{a.name}</dt>
            <dd>{attributeText(t, lang, a)}</dd>
          </div>
        ))}
      </dl>
    </section>
  );
}

/** Events per name (how many times, when last), and the latest ones folded under "Show recent". */
export function VisitorEvents({ card }: { card: VisitorCardView }) {
  const { t, lang } = useConsole();
  const [shown, setShown] = useState(false);
  const events = card.events ?? [];
  const recent = card.recent_events ?? [];
  if (events.length === 0 && recent.length === 0) return null;
  const listId = `recent-events-${card.id}`;
  return (
    <section class="card-section" data-testid="card-events">
      <h4>{t('card.events')}</h4>
      {events.length > 0 && (
        <ul class="card-events">
          {events.map((e) => (
            <li key={e.name} class="card-event" data-testid="card-event" data-name={e.name}>
              <span class="card-event-name">{e.name}</span>
              <span class="card-event-count" title={t('card.event_count', { n: e.count })}>
                <span aria-hidden="true">×{e.count}</span>
                <span class="visually-hidden">{t('card.event_count', { n: e.count })}</span>
              </span>
              <time class="card-event-time" dateTime={e.last_at} title={t('card.event_last', { when: formatEventTime(e.last_at, lang) })}>
                {formatEventTime(e.last_at, lang)}
              </time>
            </li>
          ))}
        </ul>
      )}
      {recent.length > 0 && (
        <>
          <div>
            <button type="button" class="link card-recent-toggle" aria-expanded={shown} aria-controls={listId} onClick={() => setShown(!shown)} data-testid="card-recent-toggle">
              {shown ? t('card.recent_hide') : t('card.recent_show', { n: recent.length })}
            </button>
          </div>
          {shown && (
            <ol id={listId} class="card-recent" data-testid="card-recent">
              {recent.map((e, i) => {
                const lines = propertyLines(t, lang, e.properties);
                return (
                  <li key={`${e.at}-${i}`} class="card-recent-item" data-testid="card-recent-event" data-name={e.name}>
                    <div class="card-recent-top">
                      <span class="card-event-name">{e.name}</span>
                      <time dateTime={e.at}>{formatEventTime(e.at, lang)}</time>
                    </div>
                    {lines.length > 0 && (
                      <ul class="card-recent-props" data-testid="card-recent-props">
                        {lines.map((line) => (
                          <li key={line}>{line}</li>
                        ))}
                      </ul>
                    )}
                  </li>
                );
              })}
            </ol>
          )}
        </>
      )}
    </section>
  );
}
