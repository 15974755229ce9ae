/**
 * The week of business hours: per weekday its open intervals (several allowed), each with
 * its opening and closing time, added and removed; a day without any is closed. The intervals
 * keep their place in the draft, so the server's `week[i]` names the one shown.
 */
import type { Weekday } from '../../shared/api-types';
import { useConsole } from '../context';
import { addInterval, FIELD, WEEKDAYS, type IntervalDraft } from './automation';
import { FieldNote } from './FieldNote';

interface Props {
  week: IntervalDraft[];
  onChange: (week: IntervalDraft[]) => void;
  note: (path: string) => string | null;
}

export function WeekEditor({ week, onChange, note }: Props) {
  const { t } = useConsole();
  const set = (i: number, patch: Partial<IntervalDraft>) => onChange(week.map((w, j) => (j === i ? { ...w, ...patch } : w)));
  const dayName = (day: Weekday) => t(`weekday.${day}`);
  return (
    <div class="week" data-testid="week">
      {WEEKDAYS.map((day) => {
        const items = week.map((w, i) => ({ w, i })).filter(({ w }) => w.day === day);
        return (
          <div class={`week-day${items.length === 0 ? ' closed' : ''}`} key={day} data-testid="week-day" data-day={day}>
            <span class="week-day-name">{dayName(day)}</span>
            <div class="week-intervals">
              {items.length === 0 && <span class="muted">{t('automation.closed_day')}</span>}
              {items.map(({ w, i }) => {
                const openNote = note(FIELD.open(i));
                const closeNote = note(FIELD.close(i));
                const rowNote = note(FIELD.interval(i));
                return (
                  <div class="interval-wrap" key={w.key}>
                    <div class={`interval${rowNote ? ' invalid' : ''}`} data-testid="interval" data-index={i}>
                      <input
                        value={w.open}
                        inputMode="numeric"
                        placeholder="09:00"
                        maxLength={5}
                        aria-label={t('automation.open_of', { day: dayName(day) })}
                        aria-invalid={!!openNote || !!rowNote}
                        onInput={(e) => set(i, { open: e.currentTarget.value })}
                        data-testid="interval-open"
                      />
                      <span aria-hidden="true">–</span>
                      <input
                        value={w.close}
                        inputMode="numeric"
                        placeholder="18:00"
                        maxLength={5}
                        aria-label={t('automation.close_of', { day: dayName(day) })}
                        aria-invalid={!!closeNote || !!rowNote}
                        onInput={(e) => set(i, { close: e.currentTarget.value })}
                        data-testid="interval-close"
                      />
                      <button
                        type="button"
                        class="icon-btn"
                        aria-label={t('automation.remove_interval')}
                        title={t('automation.remove_interval')}
                        onClick={() => onChange(week.filter((_, j) => j !== i))}
                        data-testid="interval-remove"
                      >
                        ×
                      </button>
                    </div>
                    <FieldNote text={openNote} field={FIELD.open(i)} />
                    <FieldNote text={closeNote} field={FIELD.close(i)} />
                    <FieldNote text={rowNote} field={FIELD.interval(i)} />
                  </div>
                );
              })}
            </div>
            <button type="button" class="link week-add" onClick={() => onChange(addInterval(week, day))} data-testid="interval-add" data-day={day}>
              {t('automation.add_interval')}
            </button>
          </div>
        );
      })}
    </div>
  );
}
