/**
 * "Nobody is online right now…" above the composer when nobody answers and there is no contact
 * form; not in the dialog the form started (its thanks already says when he will hear from us).
 */
import { availabilityNote } from '../availability';
import { useChatEnv } from '../context';

export function AvailabilityNote() {
  const { chat, t, lang } = useChatEnv();
  const thanked = !!chat.offlineSent && chat.hasOpenDialog() && chat.conversation.latest()?.dialogId === chat.offlineSent.dialog_id;
  const text = availabilityNote(chat.availability, chat.offlineForm() || thanked, t, lang);
  if (!text) return null;
  return (
    <div class="availability-note" role="status" data-testid="availability-note" data-reason={chat.availability?.reason ?? ''}>
      {text}
    </div>
  );
}
