/** "Анна печатает…" under the last message while an operator types (5 s after his last sign). */
import { useChatEnv } from '../context';

export function TypingLine() {
  const { chat, t } = useChatEnv();
  const typists = chat.typists();
  if (typists.length === 0) return null;
  const name = typists.map((a) => a.name?.trim()).find(Boolean);
  return (
    <div class="typing" role="status" data-testid="typing-indicator">
      <span class="typing-dots" aria-hidden="true">
        <i />
        <i />
        <i />
      </span>
      {name ? t('typing.named', { name }) : t('typing.operator')}
    </div>
  );
}
