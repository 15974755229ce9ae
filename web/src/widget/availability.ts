/**
 * Whether someone answers now (`availability` of the session answer, docs/api.md
 * "Automation"): the small note above the composer when nobody does and there is no contact
 * form, and when the team is back, in the visitor's own time zone.
 */
import type { WidgetAvailability } from '../shared/api-types';
import type { Lang, Translate } from '../shared/i18n';
import { parseTime } from '../shared/time';
import type { WidgetKey } from './i18n';

const locale = (lang: Lang) => (lang === 'ru' ? 'ru-RU' : 'en-GB');

/**
 * The note's words, or null for none: none while someone is online, and none where the
 * contact form shows (it says so itself).
 */
export function availabilityNote(
  availability: WidgetAvailability | null,
  formShown: boolean,
  t: Translate<WidgetKey>,
  lang: Lang,
  now = Date.now(),
): string | null {
  if (!availability || availability.online || formShown) return null;
  if (availability.reason === 'outside_hours') {
    const when = availability.next_open_at ? whenText(availability.next_open_at, now, t, lang) : '';
    return when ? t('availability.outside_hours_at', { when }) : t('availability.outside_hours');
  }
  return t('availability.nobody_online');
}

/** "today at 09:00", "tomorrow at 09:00", "on 12 January at 09:00" in the browser's time zone; '' if unparsable. */
export function whenText(iso: string, now: number, t: Translate<WidgetKey>, lang: Lang): string {
  const at = parseTime(iso);
  if (!at) return '';
  const time = new Intl.DateTimeFormat(locale(lang), { hour: '2-digit', minute: '2-digit' }).format(at);
  const day = (ms: number) => {
    const d = new Date(ms);
    return new Date(d.getFullYear(), d.getMonth(), d.getDate()).getTime();
  };
  const today = day(now);
  const target = day(at);
  if (target === today) return t('when.today', { time });
  const tomorrow = new Date(today);
  tomorrow.setDate(tomorrow.getDate() + 1);
  if (target === tomorrow.getTime()) return t('when.tomorrow', { time });
  const sameYear = new Date(at).getFullYear() === new Date(now).getFullYear();
  const date = new Intl.DateTimeFormat(locale(lang), sameYear ? { day: 'numeric', month: 'long' } : { day: 'numeric', month: 'long', year: 'numeric' }).format(at);
  return t('when.date', { date, time });
}
