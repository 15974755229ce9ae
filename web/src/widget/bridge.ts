/** The frame's side of the page bridge (see shared/bridge.ts). */
import { BRIDGE_SOURCE, isBridgeMessage, type FrameMessage, type PageToFrame } from '../shared/bridge';

/**
 * frame → page, besides shared/bridge.ts's: `teaser {name, text}` — a proactive message
 * showed while the panel is folded; the loader shows it in a small card by the launcher
 * (as text, never as markup) until the visitor opens the chat or dismisses the card.
 */
export type TeaserMessage = { type: 'teaser'; name: string; text: string };
export type FrameOut = FrameMessage | TeaserMessage;

export interface PageBridge {
  /** Whether the frame runs inside a page (not opened on its own). */
  embedded: boolean;
  send(message: FrameOut): void;
  onPanel(listener: (open: boolean) => void): void;
}

/** `origin` is the page origin the loader passed; anything unparsable disables the bridge. */
export function connectPage(origin: string): PageBridge {
  const parentWindow = window.parent !== window ? window.parent : null;
  let target: string | null = null;
  try {
    target = origin ? new URL(origin).origin : null;
  } catch {
    target = null;
  }
  const embedded = !!parentWindow && !!target;
  return {
    embedded,
    send(message) {
      if (!embedded) return;
      parentWindow!.postMessage({ ...message, source: BRIDGE_SOURCE }, target!);
    },
    onPanel(listener) {
      addEventListener('message', (event: MessageEvent) => {
        if (!embedded || event.source !== parentWindow || event.origin !== target) return;
        if (!isBridgeMessage(event.data)) return;
        const data = event.data as PageToFrame;
        if (data.type === 'panel') listener(!!data.open);
      });
    },
  };
}
