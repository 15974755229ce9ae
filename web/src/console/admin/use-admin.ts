/** The console context plus re-rendering on the admin controller's changes. */
import { useObservable } from '../../shared/store';
import { useConsole } from '../context';

export function useAdmin() {
  const env = useConsole();
  useObservable(env.state.admin);
  return { ...env, admin: env.state.admin };
}
