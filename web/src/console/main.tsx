/** Entry of the operator console. */
import { render } from 'preact';
import { App } from './components/App';
import { ConsoleState, dialogIdFromPath } from './console-state';
import { ConsoleContext } from './context';
import './console.css';

const state = new ConsoleState();

addEventListener('popstate', () => {
  if (state.auth === 'signed_in') void state.open(dialogIdFromPath(location.pathname), false);
});
document.addEventListener('visibilitychange', () => state.visibilityChanged());

render(
  <ConsoleContext.Provider value={state}>
    <App />
  </ConsoleContext.Provider>,
  document.getElementById('app')!,
);

void state.start();
