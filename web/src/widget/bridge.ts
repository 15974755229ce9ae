/** The frame's side of the page bridge (see shared/bridge.ts). */
import { BRIDGE_SOURCE, readPageMessage, type FrameMessage, type PageMessage } from '../shared/bridge';

export type { TeaserMessage } from '../shared/bridge';
/** What the frame sends to the page (the teaser is shown as text, never as markup). */
export type FrameOut = FrameMessage;

export interface PageBridge {
  /** Whether the frame runs inside a page (not opened on its own). */
  embedded: boolean;
  send(message: FrameOut): void;
  /** Every checked message from the page (panel, identify, reset, attributes, track, start). */
  onPage(listener: (message: PageMessage) => void): void;
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
    onPage(listener) {
      addEventListener('message', (event: MessageEvent) => {
        if (!embedded || event.source !== parentWindow || event.origin !== target) return;
        const message = readPageMessage(event.data);
        if (message) listener(message);
      });
    },
  };
}
