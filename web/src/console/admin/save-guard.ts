/**
 * "Save" on an admin form, alike on every page that has one (forms, mail, Telegram, webhooks):
 * the form says whether its edits are unsaved (unsaved.ts); a press runs the console's own
 * check first, and only what passes is sent; the server's refusal stays until the next edit;
 * either refusal brings the focus to the first field with a message.
 *
 * What stays true: one save at a time; the console's own messages show from a press of "Save"
 * until a save goes through or the page drops the edits (`reset`); "Saved" shows from a save that
 * went through until the next edit.
 */
import type { RefObject } from 'preact';
import { useContext, useEffect, useMemo, useRef, useState } from 'preact/hooks';
import type { Problem } from '../console-state';
import { ConsoleContext } from '../context';
import { isProblem } from './controllers';
import { formName, useUnsaved } from './unsaved';

/** Where the focus goes after a refusal, unless the page says otherwise: the first input marked invalid. */
export const FIRST_INVALID = '[aria-invalid="true"]';

export interface SaveGuard {
  /** The form's name among the unsaved ones, unique on the page (and a prefix for its ids). */
  form: string;
  /** The `<form>` element, where the focus looks for the first field with a message. */
  body: RefObject<HTMLFormElement | null>;
  /** "Save" was pressed since the last save or `reset`: the console's own messages show. */
  tried: boolean;
  /** A save is under way. */
  busy: boolean;
  /** The last save went through, and nothing was edited since. */
  saved: boolean;
  /** The server's refusal of the last save, until the next edit. */
  problem: Problem | null;
  /** The admin edited the form: "Saved" and the server's refusal go. */
  edited: () => void;
  /** The edits are dropped (reverted, or the draft replaced): no message of an earlier press shows. */
  reset: () => void;
  /**
   * A press of "Save" (the form's submit): refused at once when the console's own check did not
   * pass (`result.ok`); else `send` sends what the check made and resolves to the server's
   * refusal (a `Problem`) or to what `onSaved` then gets.
   */
  save: <R extends { ok: boolean }, X>(
    ev: Event,
    result: R,
    send: (checked: Extract<R, { ok: true }>) => Promise<X | Problem>,
    onSaved: (done: X) => void,
  ) => Promise<void>;
  /** A step away from the form (closing it): taken at once while the form holds nothing unsaved, else once the admin says "leave". */
  leave: (step: () => void) => void;
}

/**
 * A form's save, named `${prefix}-N`; `dirty` says whether it holds unsaved edits, `focus` which
 * element takes the focus after a refusal (by default the first input marked invalid).
 */
export function useSaveGuard(prefix: string, dirty: boolean, focus: string = FIRST_INVALID): SaveGuard {
  const unsaved = useContext(ConsoleContext)?.team.unsaved;
  const form = useMemo(() => formName(prefix), []);
  const body = useRef<HTMLFormElement>(null);
  const [tried, setTried] = useState(false);
  const [busy, setBusy] = useState(false);
  const [saved, setSaved] = useState(false);
  const [problem, setProblem] = useState<Problem | null>(null);
  /** Bumped when a save was refused, to bring the focus to the first field with a message. */
  const [refusals, setRefusals] = useState(0);
  useUnsaved(form, dirty);

  useEffect(() => {
    if (refusals) body.current?.querySelector<HTMLElement>(focus)?.focus();
  }, [refusals]);

  const save: SaveGuard['save'] = async (ev, result, send, onSaved) => {
    ev.preventDefault();
    if (busy) return;
    setTried(true);
    if (!result.ok) {
      setRefusals((n) => n + 1);
      return;
    }
    setBusy(true);
    setProblem(null);
    const done = await send(result as Extract<typeof result, { ok: true }>);
    setBusy(false);
    if (isProblem(done)) {
      setProblem(done);
      setRefusals((n) => n + 1);
      return;
    }
    setTried(false);
    setSaved(true);
    onSaved(done);
  };

  return {
    form,
    body,
    tried,
    busy,
    saved,
    problem,
    edited: () => {
      setSaved(false);
      if (problem) setProblem(null);
    },
    reset: () => {
      setTried(false);
      setProblem(null);
    },
    save,
    leave: (step) => {
      if (!dirty || !unsaved || unsaved.mayLeave(step)) step();
    },
  };
}
