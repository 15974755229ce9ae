/** Entry of the operator console. */
import { render } from 'preact';
import { App } from './components/App';
import { ConsoleState } from './console-state';
import { ConsoleContext } from './context';
import './console.css';

const state = new ConsoleState();

addEventListener('popstate', () => {
  if (state.session.auth === 'signed_in') state.followPath(location.pathname);
});
document.addEventListener('visibilitychange', () => state.visibilityChanged());
// Browsers let a page play sound only after a gesture: the first click or key unlocks the tones.
for (const type of ['pointerdown', 'keydown'] as const) {
  addEventListener(type, () => state.alerts.attention.unlock(), { once: true, capture: true });
}

render(
  <ConsoleContext.Provider value={state}>
    <App />
  </ConsoleContext.Provider>,
  document.getElementById('app')!,
);

void state.start();
