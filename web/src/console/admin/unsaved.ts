/**
 * Unsaved changes on the admin pages: each form with edits not yet saved says so
 * (`useUnsaved`), and the console asks before anything would throw them away: going to
 * another page or dialog (ConsoleState.navigate), back and forward, picking another item on the
 * same page, or closing the tab (`beforeunload`, see AdminPage).
 *
 * What stays true: while nothing is dirty nothing is asked; while something is, a step away
 * waits in `pending` until the admin says "stay" (dropped) or "leave" (the edits are dropped
 * and the step is taken); only one question is open at a time.
 */
import { useContext, useEffect } from 'preact/hooks';
import { ConsoleContext } from '../context';

export class UnsavedChanges {
  /** The forms with unsaved edits, by a name of their own. */
  private readonly dirty = new Set<string>();
  /** The step away waiting for the admin's answer. */
  pending: (() => void) | null = null;

  constructor(private readonly changed: () => void) {}

  /** A form says whether it holds unsaved edits. */
  set(form: string, dirty: boolean): void {
    const had = this.dirty.has(form);
    if (dirty) this.dirty.add(form);
    else this.dirty.delete(form);
    if (had !== dirty && this.pending && this.dirty.size === 0) this.stay();
  }

  any(): boolean {
    return this.dirty.size > 0;
  }

  /**
   * Whether a step away may be taken now. While edits are unsaved it is kept in `pending` and
   * the question shows; the caller does nothing more.
   */
  mayLeave(step: () => void): boolean {
    if (this.dirty.size === 0) return true;
    this.pending = step;
    this.changed();
    return false;
  }

  /** "Stay on the page": the step is dropped, the edits stay. */
  stay(): void {
    if (!this.pending) return;
    this.pending = null;
    this.changed();
  }

  /** "Leave without saving": the edits are dropped and the step is taken. */
  leave(): void {
    const step = this.pending;
    this.pending = null;
    this.dirty.clear();
    this.changed();
    step?.();
  }

  /** Signed out, or the page may no longer be opened: nothing to keep or ask. */
  clear(): void {
    this.dirty.clear();
    this.pending = null;
  }
}

let forms = 0;
/** A name for a form's entry that no other mounted form has. */
export function formName(prefix: string): string {
  return `${prefix}-${++forms}`;
}

/** Tells the console a form's unsaved state while it is mounted; forgotten when it goes. */
export function useUnsaved(form: string, dirty: boolean): void {
  const state = useContext(ConsoleContext);
  const unsaved = state?.team.unsaved;
  useEffect(() => {
    unsaved?.set(form, dirty);
  }, [unsaved, form, dirty]);
  useEffect(() => () => unsaved?.set(form, false), [unsaved, form]);
}
