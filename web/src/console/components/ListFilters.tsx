/** The filters under the status switch: assignee, channel, tag, unanswered only, order. They combine. */
import type { DialogSort } from '../../shared/api-types';
import { useConsole } from '../context';
import { ASSIGNEE_CHOICES, DEFAULT_FILTER } from '../filters';

export function ListFilters() {
  const { state, t } = useConsole();
  const f = state.filter;
  const meId = state.me?.operator.id;
  const others = [...state.operators.values()]
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
  const unknownOperator = !ASSIGNEE_CHOICES.includes(f.assignee as never) && !state.operators.has(f.assignee);
  const unknownChannel = f.channel && !state.channels.some((c) => c.id === f.channel);
  const unknownTag = f.tag && !state.tags.some((x) => x.id === f.tag);

  return (
    <div class="list-filters">
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
          {state.channels.map((c) => (
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
          {state.tags.map((x) => (
            <option key={x.id} value={x.id}>
              {x.archived ? t('filter.tag_archived', { name: x.name }) : x.name}
            </option>
          ))}
          {unknownTag && <option value={f.tag!}>…</option>}
        </select>
      </label>
      <label class="filter">
        <span>{t('filter.sort')}</span>
        <select value={f.sort} onChange={(e) => state.setFilter({ sort: e.currentTarget.value as DialogSort })} data-testid="filter-sort">
          <option value="waiting">{t('filter.sort_waiting')}</option>
          <option value="activity">{t('filter.sort_activity')}</option>
          <option value="due">{t('filter.sort_due')}</option>
        </select>
      </label>
      <label class="filter-check">
        <input
          type="checkbox"
          checked={f.unanswered}
          onChange={(e) => state.setFilter({ unanswered: e.currentTarget.checked })}
          data-testid="filter-unanswered"
        />
        <span>{t('filter.unanswered')}</span>
      </label>
      {!isDefault && (
        <button type="button" class="link filter-reset" onClick={() => state.resetFilter()} data-testid="filter-reset">
          {t('filter.reset')}
        </button>
      )}
    </div>
  );
}
