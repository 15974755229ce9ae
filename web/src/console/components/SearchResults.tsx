/**
 * What the search found, newest first: dialog number, visitor, and the snippet with the
 * matched words marked (`[`…`]` from the server become <mark>, as text, never HTML). A
 * click opens the dialog.
 */
import { visitorName } from '../../shared/names';
import { formatDay } from '../../shared/time';
import { problemText, useConsole } from '../context';
import { snippetParts } from '../tools';

export function SearchResults() {
  const { state, t, lang } = useConsole('dialog', 'tools');
  const { hits, loading, problem, query } = state.tools.search;
  return (
    <div class="dialog-list-body search-results" data-testid="search-results">
      {loading && !hits && <p class="list-note">{t('search.loading')}</p>}
      {problem && (
        <p class="list-note list-error" role="alert">
          {problemText(t, lang, problem)}{' '}
          <button type="button" class="link" onClick={() => void state.searchFor(query)}>
            {t('app.retry')}
          </button>
        </p>
      )}
      {hits && hits.length === 0 && (
        <p class="list-note" data-testid="search-none">
          {t('search.none')}
        </p>
      )}
      {hits && hits.length > 0 && <p class="search-count">{t('search.results', { n: hits.length })}</p>}
      <ul>
        {(hits ?? []).map((hit, i) => {
          const d = hit.dialog;
          const name = visitorName(d.visitor, t('visitor.numbered'));
          const snippet = hit.message?.snippet;
          return (
            <li key={`${d.id}-${hit.message?.seq ?? 'v'}-${i}`}>
              <a
                href={`/console/dialogs/${encodeURIComponent(d.id)}`}
                class={`search-hit${state.dialog.selectedId === d.id ? ' selected' : ''}`}
                data-testid="search-hit"
                data-dialog-id={d.id}
                onClick={(e) => {
                  if (e.ctrlKey || e.metaKey || e.shiftKey || e.button !== 0) return;
                  e.preventDefault();
                  state.openHit(hit);
                }}
              >
                <span class="search-hit-top">
                  <span class="search-hit-number">{t('dialog.number', { n: d.number })}</span>
                  <span class="search-hit-name">{name}</span>
                  {hit.message?.audience === 'operators' && <span class="note-chip">{t('search.note')}</span>}
                  <time class="search-hit-date">{formatDay(hit.message?.created_at ?? d.updated_at, lang)}</time>
                </span>
                <span class="search-hit-snippet" data-testid="search-hit-snippet">
                  {snippet
                    ? snippetParts(snippet).map((p, j) => (p.mark ? <mark key={j}>{p.text}</mark> : p.text))
                    : t('search.visitor_match')}
                </span>
              </a>
            </li>
          );
        })}
      </ul>
    </div>
  );
}
