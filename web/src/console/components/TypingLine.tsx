/** Under the timeline: "The visitor is typing…" (or a colleague), for 5 s after his last keystroke frame. */
import { useConsole } from '../context';

export function TypingLine({ dialogId }: { dialogId: string }) {
  const { state, t } = useConsole('typing');
  const typists = state.dialog.typing.typists(dialogId);
  const visitor = typists.some((a) => a.kind === 'visitor');
  const colleague = typists.find((a) => a.kind === 'operator' && a.name);
  const text = visitor ? t('typing.visitor') : colleague ? t('typing.operator', { name: colleague.name! }) : '';
  return (
    <div class="typing-line" aria-live="polite" data-testid="typing-indicator" data-active={!!text} data-who={visitor ? 'visitor' : colleague ? 'operator' : ''}>
      {text && (
        <>
          <span class="typing-dots" aria-hidden="true">
            <i />
            <i />
            <i />
          </span>
          {text}
        </>
      )}
    </div>
  );
}
