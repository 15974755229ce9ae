/** Entry of the chat frame: reads its parameters, starts the session, renders the window. */
import { render } from 'preact';
import { pickLang } from '../shared/i18n';
import { parseProperties } from '../shared/properties';
import { connectPage } from './bridge';
import { WidgetChat } from './chat';
import { ChatWindow } from './components/ChatWindow';
import { ChatContext } from './context';
import { makeT } from './i18n';
import './widget.css';

const search = new URLSearchParams(location.search);
const lang = pickLang(search.get('lang') || navigator.language);
const t = makeT(lang);
document.documentElement.lang = lang;
document.title = t('chat.title_fallback');

const bridge = connectPage(search.get('origin') ?? '');
const chat = new WidgetChat(
  {
    key: search.get('key') ?? '',
    origin: search.get('origin') ?? '',
    page: search.get('page') || document.referrer || '',
    pageTitle: search.get('title') || '',
    lang,
    language: navigator.language,
    properties: parseProperties(search.get('props')),
  },
  (count) => bridge.send({ type: 'unread', count }),
);

// The visitor sees the chat when the panel is open and the tab is visible.
let panelOpen = !bridge.embedded;
const updateWatching = () => chat.setWatching(panelOpen && document.visibilityState === 'visible');
bridge.onPanel((open) => {
  panelOpen = open;
  updateWatching();
  if (open) dispatchEvent(new Event('frontline:shown'));
});
document.addEventListener('visibilitychange', updateWatching);
// A proactive message while the panel is folded: the page shows it by the launcher.
chat.onProactive = (trigger) => {
  if (!panelOpen) bridge.send({ type: 'teaser', name: trigger.persona || t('proactive.persona'), text: trigger.message });
};
addEventListener('keydown', (e) => {
  if (e.key === 'Escape') bridge.send({ type: 'close' });
});
updateWatching();

render(
  <ChatContext.Provider value={{ chat, t, lang, close: () => bridge.send({ type: 'close' }), embedded: bridge.embedded }}>
    <ChatWindow />
  </ChatContext.Provider>,
  document.getElementById('app')!,
);

bridge.send({ type: 'ready' });
void chat.start().then(updateWatching);
