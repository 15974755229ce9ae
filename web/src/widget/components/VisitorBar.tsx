/** "You are Visitor 42 · Introduce yourself", and the small form to give a name. */
import { useState } from 'preact/hooks';
import { visitorName } from '../../shared/names';
import type { Problem } from '../chat';
import { problemText, useChatEnv } from '../context';

export function VisitorBar() {
  const { chat, t, lang } = useChatEnv();
  const [editing, setEditing] = useState(false);
  const [name, setName] = useState('');
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<Problem | null>(null);
  const current = visitorName(chat.visitor, t('visitor.numbered'));
  const hasName = !!chat.visitor?.name?.trim();

  if (!editing) {
    return (
      <div class="visitor-bar" data-testid="visitor-identity">
        <span>{t('visitor.you_are', { name: current })}</span>
        <button
          type="button"
          class="link"
          data-testid="set-name"
          onClick={() => {
            setName(chat.visitor?.name ?? '');
            setProblem(null);
            setEditing(true);
          }}
        >
          {hasName ? t('visitor.change_name') : t('visitor.set_name')}
        </button>
      </div>
    );
  }

  const save = async (e: Event) => {
    e.preventDefault();
    if (!name.trim() || busy) return;
    setBusy(true);
    const refused = await chat.rename(name);
    setBusy(false);
    setProblem(refused);
    if (!refused) setEditing(false);
  };

  return (
    <form class="name-form" onSubmit={save} data-testid="name-form">
      <label for="visitor-name">{t('visitor.name_label')}</label>
      <div class="name-row">
        <input
          id="visitor-name"
          data-testid="name-input"
          value={name}
          maxLength={80}
          autoComplete="name"
          placeholder={t('visitor.name_placeholder')}
          onInput={(e) => setName(e.currentTarget.value)}
          ref={(el) => el?.focus()}
        />
        <button type="submit" class="btn" disabled={busy || !name.trim()} data-testid="name-save">
          {t('visitor.save_name')}
        </button>
        <button type="button" class="link" onClick={() => setEditing(false)}>
          {t('visitor.cancel')}
        </button>
      </div>
      {problem && (
        <p class="field-error" role="alert">
          {problemText(t, lang, problem)}
        </p>
      )}
    </form>
  );
}
