/** "Nobody is online right now…" above the composer when nobody answers and there is no contact form. */
import { availabilityNote } from '../availability';
import { useChatEnv } from '../context';

export function AvailabilityNote() {
  const { chat, t, lang } = useChatEnv();
  const text = availabilityNote(chat.availability, chat.offlineForm(), t, lang);
  if (!text) return null;
  return (
    <div class="availability-note" role="status" data-testid="availability-note" data-reason={chat.availability?.reason ?? ''}>
      {text}
    </div>
  );
}
