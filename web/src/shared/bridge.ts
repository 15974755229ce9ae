/**
 * postMessage between the loader (on the customer's page) and the chat frame (on Frontline).
 * Each side accepts a message only from the other's exact origin and window.
 *
 * frame → page: ready, unread {count}, close, teaser {name, text} (a proactive message while the
 *   panel is folded: the loader shows it as a card by the launcher)
 * page → frame: panel {open}
 */
export const BRIDGE_SOURCE = 'frontline';

export type TeaserMessage = { type: 'teaser'; name: string; text: string };
export type FrameMessage =
  | { type: 'ready' }
  | { type: 'unread'; count: number }
  | { type: 'close' }
  | TeaserMessage;
export type PageMessage = { type: 'panel'; open: boolean };

export type FrameToPage = FrameMessage & { source: typeof BRIDGE_SOURCE };
export type PageToFrame = PageMessage & { source: typeof BRIDGE_SOURCE };

export function isBridgeMessage(data: unknown): data is { source: string; type: string } {
  return !!data && typeof data === 'object' && (data as { source?: unknown }).source === BRIDGE_SOURCE;
}
