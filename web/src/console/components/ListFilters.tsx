/**
 * The filters under the status switch: assignee, channel, tag, segment (once the workspace has
 * one), a custom field's value (once it has a dialog field of choices: one select, the values
 * grouped under each field), unanswered only, order. They
 * combine. Folded into one row by default ("Filters" with the count of those set, the order,
 * and "Reset" when anything differs), so the list keeps its height on a laptop; unfolded they
 * show whole. The choice is kept (ConsoleState.filtersShown).
 */
import { DIALOG_SORTS, oneOf } from '../../shared/api-types';
import { useConsole } from '../context';
import { foldedActive } from '../filter-fold';
import { fieldFilter, filterFields, parseFieldFilter } from '../field-values';
import { ASSIGNEE_CHOICES, DEFAULT_FILTER } from '../filters';
import '../quality.css';

export function ListFilters() {
  const { state, t } = useConsole('lists', 'tools', 'team');
  const f = state.lists.filter;
  const meId = state.session.me?.operator.id;
  const others = [...state.team.operators.values()]
    .filter((o) => o.id !== meId)
    .sort((a, b) => a.display_name.localeCompare(b.display_name));
  const choiceLabel = (c: (typeof ASSIGNEE_CHOICES)[number]) =>
    c === 'any'
      ? t('filter.assignee_any')
      : c === 'mine'
        ? t('filter.assignee_mine')
        : c === 'mine_or_unassigned'
          ? t('filter.assignee_mine_or_unassigned')
          : t('filter.assignee_unassigned');
  const isDefault = JSON.stringify(f) === JSON.stringify(DEFAULT_FILTER);
  // A saved filter may name an operator or a channel this console does not know (yet).
  const unknownOperator = !oneOf(f.assignee, ASSIGNEE_CHOICES) && !state.team.operators.has(f.assignee);
  const unknownChannel = f.channel && !state.team.channels.some((c) => c.id === f.channel);
  const unknownTag = f.tag && !state.tools.tags.some((x) => x.id === f.tag);
  const segments = state.tools.segments;
  const unknownSegment = f.segment && !segments.some((x) => x.id === f.segment);
  const choiceFields = filterFields(state.tools.fields);
  const fieldPicked = parseFieldFilter(f.field);
  const unknownField = f.field && !choiceFields.some((x) => x.key === fieldPicked?.key && x.options.includes(fieldPicked.value));
  const active = foldedActive(f);
  const shown = state.lists.filtersShown;

  return (
    <div class={`list-filters${shown ? ' shown' : ''}`}>
      <div class={`filter-bar${f.sort === 'tone' ? ' filter-bar-long' : ''}`}>
        <button
          type="button"
          class={`filter-toggle${active ? ' has' : ''}`}
          aria-expanded={shown}
          aria-controls="list-filter-panel"
          onClick={() => state.lists.toggleFilters()}
          data-testid="filters-toggle"
        >
          <svg viewBox="0 0 16 16" width="14" height="14" aria-hidden="true">
            <path d="M2 3h12L9.5 8.5V13l-3-1.5V8.5z" fill="none" stroke="currentColor" stroke-width="1.5" stroke-linejoin="round" />
          </svg>
          {t('filters.toggle')}
          {active > 0 && (
            <span class="filter-count" title={t('filters.active', { n: active })} data-testid="filters-count">
              <span class="visually-hidden">{t('filters.active', { n: active })}</span>
              <span aria-hidden="true">{active}</span>
            </span>
          )}
          <svg class="filter-chevron" viewBox="0 0 16 16" width="12" height="12" aria-hidden="true">
            <path d="M4 6l4 4 4-4" fill="none" stroke="currentColor" stroke-width="1.6" stroke-linecap="round" stroke-linejoin="round" />
          </svg>
        </button>
        <select
          class="filter-sort"
          value={f.sort}
          aria-label={t('filter.sort')}
          title={t('filter.sort')}
          onChange={(e) => {
            const sort = oneOf(e.currentTarget.value, DIALOG_SORTS);
            if (sort) state.setFilter({ sort });
          }}
          data-testid="filter-sort"
        >
          <option value="waiting">{t('filter.sort_waiting')}</option>
          <option value="activity">{t('filter.sort_activity')}</option>
          <option value="due">{t('filter.sort_due')}</option>
          <option value="tone">{t('tone.sort')}</option>
        </select>
        {!isDefault && (
          <button type="button" class="link filter-reset" onClick={() => state.resetFilter()} data-testid="filter-reset">
            {t('filter.reset')}
          </button>
        )}
      </div>
      {shown && (
        <div class="filter-panel" id="list-filter-panel">
          <label class="filter filter-wide">
            <span>{t('filter.assignee')}</span>
            <select value={f.assignee} onChange={(e) => state.setFilter({ assignee: e.currentTarget.value })} data-testid="filter-assignee">
              {ASSIGNEE_CHOICES.map((c) => (
                <option key={c} value={c}>
                  {choiceLabel(c)}
                </option>
              ))}
              {others.length > 0 && (
                <optgroup label={t('filter.operators')}>
                  {others.map((o) => (
                    <option key={o.id} value={o.id}>
                      {o.display_name}
                    </option>
                  ))}
                </optgroup>
              )}
              {unknownOperator && <option value={f.assignee}>…</option>}
            </select>
          </label>
          <label class="filter">
            <span>{t('filter.channel')}</span>
            <select value={f.channel ?? ''} onChange={(e) => state.setFilter({ channel: e.currentTarget.value || null })} data-testid="filter-channel">
              <option value="">{t('filter.channel_any')}</option>
              {state.team.channels.map((c) => (
                <option key={c.id} value={c.id}>
                  {c.name}
                </option>
              ))}
              {unknownChannel && <option value={f.channel!}>…</option>}
            </select>
          </label>
          <label class="filter">
            <span>{t('filter.tag')}</span>
            <select value={f.tag ?? ''} onChange={(e) => state.setFilter({ tag: e.currentTarget.value || null })} data-testid="filter-tag">
              <option value="">{t('filter.tag_any')}</option>
              {state.tools.tags.map((x) => (
                <option key={x.id} value={x.id}>
                  {x.archived ? t('filter.tag_archived', { name: x.name }) : x.name}
                </option>
              ))}
              {unknownTag && <option value={f.tag!}>…</option>}
            </select>
          </label>
          {(segments.length > 0 || f.segment) && (
            <label class="filter">
              <span>{t('segments.filter')}</span>
              <select value={f.segment ?? ''} onChange={(e) => state.setFilter({ segment: e.currentTarget.value || null })} data-testid="filter-segment">
                <option value="">{t('segments.filter_any')}</option>
                {segments.map((x) => (
                  <option key={x.id} value={x.id}>
                    {x.name}
                  </option>
                ))}
                {unknownSegment && <option value={f.segment!}>…</option>}
              </select>
            </label>
          )}
          {(choiceFields.length > 0 || f.field) && (
            // The whole width: its options carry the field's name with the value.
            <label class="filter filter-wide">
              <span>{t('fields.filter')}</span>
              <select value={f.field ?? ''} onChange={(e) => state.setFilter({ field: e.currentTarget.value || null })} data-testid="filter-field">
                <option value="">{t('fields.filter_any')}</option>
                {choiceFields.map((x) => (
                  <optgroup key={x.id} label={x.label}>
                    {/* The field's name too: a closed select shows the option alone. */}
                    {x.options.map((o) => (
                      <option key={o} value={fieldFilter(x.key, o)}>
                        {t('fields.filter_option', { field: x.label, value: o })}
                      </option>
                    ))}
                  </optgroup>
                ))}
                {unknownField && <option value={f.field!}>{fieldPicked ? `${fieldPicked.key}: ${fieldPicked.value}` : '…'}</option>}
              </select>
            </label>
          )}
          <label class="filter-check">
            <input
              type="checkbox"
              checked={f.unanswered}
              onChange={(e) => state.setFilter({ unanswered: e.currentTarget.checked })}
              data-testid="filter-unanswered"
            />
            <span>{t('filter.unanswered')}</span>
          </label>
        </div>
      )}
    </div>
  );
}
