/** The console context plus re-rendering on the admin controller's changes. */
import { useObservable } from '../../shared/store';
import { useConsole, type SliceName } from '../context';

/** `useConsole(...slices)` plus the admin pages' controller, redrawn on its changes too. */
export function useAdmin(...slices: SliceName[]) {
  const env = useConsole(...slices);
  useObservable(env.state.admin);
  return { ...env, admin: env.state.admin };
}
