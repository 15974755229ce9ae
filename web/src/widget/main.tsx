/**
 * Entry of the chat frame: reads its parameters, waits for the page's `start` (the page API's
 * calls come first: see host.ts), then shows the chat of the visitor the page named.
 */
import { render } from 'preact';
import { pickLang } from '../shared/i18n';
import { parseProperties } from '../shared/properties';
import { useObservables } from '../shared/store';
import { connectPage } from './bridge';
import { WidgetChat, type FrameParams } from './chat';
import { ChatWindow } from './components/ChatWindow';
import { ChatContext } from './context';
import { FrameHost, START_WAIT_MS } from './host';
import { makeT } from './i18n';
import { TokenStore } from './identity';
import './widget.css';

const search = new URLSearchParams(location.search);
const lang = pickLang(search.get('lang') || navigator.language);
const t = makeT(lang);
document.documentElement.lang = lang;
document.title = t('chat.title_fallback');

const bridge = connectPage(search.get('origin') ?? '');
const params: FrameParams = {
  key: search.get('key') ?? '',
  origin: search.get('origin') ?? '',
  page: search.get('page') || document.referrer || '',
  pageTitle: search.get('title') || '',
  lang,
  language: navigator.language,
  properties: parseProperties(search.get('props')),
};
const host = new FrameHost({
  make: (user) => new WidgetChat({ ...params, user }),
  send: (message) => bridge.send(message),
  tokens: new TokenStore(params.key),
});

// The visitor sees the chat when the panel is open and the tab is visible.
let panelOpen = !bridge.embedded;
const updateWatching = () => host.setWatching(panelOpen && document.visibilityState === 'visible');
bridge.onPage((message) => {
  if (message.type !== 'panel') return host.receive(message);
  panelOpen = message.open;
  updateWatching();
  if (message.open) dispatchEvent(new Event('frontline:shown'));
});
document.addEventListener('visibilitychange', updateWatching);
// A proactive message while the panel is folded: the page shows it by the launcher.
host.onProactive = (trigger) => {
  if (!panelOpen) bridge.send({ type: 'teaser', name: trigger.persona || t('proactive.persona'), text: trigger.message });
};
addEventListener('keydown', (e) => {
  if (e.key === 'Escape') bridge.send({ type: 'close' });
});

const close = () => bridge.send({ type: 'close' });

/**
 * The window of the chat shown now; another visitor's chat is drawn anew (its `generation`).
 * Root follows the chat too: a new chat may open its session before the window's own
 * subscription is made, and `useObservables` sees a change made in between.
 */
function Root() {
  useObservables([host, host.chat]);
  return (
    <ChatContext.Provider value={{ chat: host.chat, t, lang, close, embedded: bridge.embedded }}>
      <ChatWindow key={host.generation} />
    </ChatContext.Provider>
  );
}

render(<Root />, document.getElementById('app')!);

bridge.send({ type: 'ready' });
// In a page the loader answers `ready` with `start`; an older loader never does: start anyway.
if (bridge.embedded) setTimeout(() => host.start(), START_WAIT_MS);
else host.start();
updateWatching();
