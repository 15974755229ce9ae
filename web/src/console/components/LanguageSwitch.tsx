/** RU / EN toggle; the choice is kept in localStorage. */
import { LANGS } from '../../shared/i18n';
import { useConsole } from '../context';

export function LanguageSwitch() {
  const { state, t } = useConsole();
  return (
    <div class="segmented segmented-small" role="group" aria-label={t('header.language')}>
      {LANGS.map((lang) => (
        <button
          key={lang}
          type="button"
          class={lang === state.session.lang ? 'active' : ''}
          aria-pressed={lang === state.session.lang}
          onClick={() => state.setLang(lang)}
          data-testid={`lang-${lang}`}
        >
          {lang.toUpperCase()}
        </button>
      ))}
    </div>
  );
}
