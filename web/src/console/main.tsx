/** Entry of the operator console: the invitation's page, or the console (sign-in first). */
import { render } from 'preact';
import { useState } from 'preact/hooks';
import { createClient } from '../shared/api';
import { App } from './components/App';
import { InvitePage } from './components/InvitePage';
import { ConsoleState } from './console-state';
import { ConsoleContext } from './context';
import { BASE, isInvitePath } from './routes';
import './console.css';

const state = new ConsoleState();
/** `/console/invite#<secret>` needs no session: it shows before anything asks who is signed in. */
const inviting = isInvitePath(location.pathname);
/** The invitation's own two calls (preview, accept), made before any session exists. */
const publicApi = createClient('');

addEventListener('popstate', () => {
  if (state.session.auth === 'signed_in') state.followPath(location.pathname);
});
document.addEventListener('visibilitychange', () => state.visibilityChanged());
// Browsers let a page play sound only after a gesture: the first click or key unlocks the tones.
for (const type of ['pointerdown', 'keydown'] as const) {
  addEventListener(type, () => state.alerts.attention.unlock(), { once: true, capture: true });
}

/** The invitation's page until he accepts; then the console, started as after a sign-in (his session cookie is set). */
function Console() {
  const [invite, setInvite] = useState(inviting);
  if (!invite) return <App />;
  return (
    <InvitePage
      api={publicApi}
      onSignedIn={() => {
        history.replaceState(null, '', BASE);
        setInvite(false);
        void state.start();
      }}
    />
  );
}

render(
  <ConsoleContext.Provider value={state}>
    <Console />
  </ConsoleContext.Provider>,
  document.getElementById('app')!,
);

if (!inviting) void state.start();
