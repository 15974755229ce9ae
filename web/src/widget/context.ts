/** What every chat component needs: the session controller and the translator. */
import { createContext } from 'preact';
import { useContext } from 'preact/hooks';
import type { Lang, Translate } from '../shared/i18n';
import type { Problem, WidgetChat } from './chat';
import { errorKey } from '../shared/i18n';
import { tables, type WidgetKey } from './i18n';

export interface ChatEnv {
  chat: WidgetChat;
  t: Translate<WidgetKey>;
  lang: Lang;
  /** Asks the page to close the panel (no-op when the frame is opened on its own). */
  close: () => void;
  embedded: boolean;
}

export const ChatContext = createContext<ChatEnv | null>(null);

export function useChatEnv(): ChatEnv {
  const env = useContext(ChatContext);
  if (!env) throw new Error('ChatContext is missing');
  return env;
}

/** The visitor-facing text for a refusal. */
export function problemText(t: Translate<WidgetKey>, lang: Lang, problem: Problem): string {
  if (problem.code === 'message_too_long') {
    const limit = problem.details.limit;
    return typeof limit === 'number' || typeof limit === 'string'
      ? t('error.message_too_long', { limit })
      : t('error.message_too_long_nolimit');
  }
  if (problem.code === 'rate_limited') {
    const key = `limit.${String(problem.details.limit ?? '')}`;
    if (key in tables[lang]) return t(key as WidgetKey, { wait: waitText(t, Number(problem.details.retry_after) || 0) });
  }
  return t(errorKey(tables[lang], problem.code, 'error.unknown'));
}

/** How long to wait, in words: seconds under two minutes, else minutes (rounded up). */
export function waitText(t: Translate<WidgetKey>, seconds: number): string {
  const s = Math.max(1, Math.ceil(seconds));
  return s < 120 ? t('limit.wait_seconds', { n: s }) : t('limit.wait_minutes', { n: Math.ceil(s / 60) });
}
