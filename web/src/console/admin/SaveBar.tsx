/**
 * The foot of an admin form with a save of its own (forms, mail, Telegram): why the last save was
 * refused, that edits are unsaved, "Saved", "Revert" and "Save" (`SaveBar`); and the refusal
 * alone (`SaveRefusal`), which the webhook dialog shows above its own buttons.
 */
import type { ComponentChildren } from 'preact';
import type { Problem } from '../console-state';
import { useConsole } from '../context';
import { ProblemLine } from './ProblemLine';
import type { SaveGuard } from './save-guard';

/** The pages whose own words the bar shows: `<words>.not_saved`, `<words>.unsaved`, `<words>.revert`. */
export type SaveWords = 'forms.admin' | 'mail' | 'telegram' | 'quality';

/**
 * Why a save was refused. With a `title` ("not saved"), shown once the console's own check
 * refused (`failed`) or the server's refusal names a field: the line says so and names each
 * message that has no field on the form to stand beside (`elsewhere`). Without one (a dialog),
 * each such message is a line of its own. A refusal that names no field is the server's
 * (ProblemLine). The parts' test ids are `testid` and `${testid}-field`.
 */
export function SaveRefusal({
  title,
  failed = false,
  fieldRefused,
  elsewhere,
  problem,
  testid,
}: {
  title?: string;
  failed?: boolean;
  fieldRefused: boolean;
  /** The server's name of each field the form has no place for, with its message. */
  elsewhere: readonly [string, string][];
  problem: Problem | null;
  testid: string;
}) {
  const { t } = useConsole();
  const named = (field: string, message: string) => t('automation.field_unknown', { field, message });
  return (
    <>
      {title === undefined
        ? elsewhere.map(([field, text]) => (
            <p key={field} class="form-error" role="alert" data-testid={`${testid}-field`}>
              {named(field, text)}
            </p>
          ))
        : (failed || fieldRefused) && (
            <p class="form-error" role="alert" data-testid={testid}>
              {title}
              {elsewhere.map(([field, text]) => (
                <span key={field} class="form-error-detail" data-testid={`${testid}-field`}>
                  {' '}
                  {named(field, text)}
                </span>
              ))}
            </p>
          )}
      {problem && !fieldRefused && <ProblemLine problem={problem} testid={testid} />}
    </>
  );
}

/**
 * The row under a form: the refusal of its last save (SaveRefusal), the note that the admin's
 * edits are unsaved with "Revert" beside it, "Saved" after a save until the next edit, and "Save"
 * (busy while a save runs; off while nothing changed, unless nothing is saved yet). The parts'
 * test ids are `${testid}-error`, `-saved`, `-revert` and `-save`.
 */
export function SaveBar({
  class: className,
  words,
  testid,
  guard,
  ok,
  dirty,
  unsaved = dirty,
  fresh = false,
  fieldRefused,
  elsewhere,
  onRevert,
  saveLabel,
  note,
  children,
}: {
  /** The page's own class beside `form-actions`. */
  class: string;
  words: SaveWords;
  testid: string;
  guard: SaveGuard;
  /** The console's own check passes. */
  ok: boolean;
  /** The form differs from what is saved. */
  dirty: boolean;
  /** The admin's edits are unsaved (by default, whenever the form is dirty): the note and "Revert" show. */
  unsaved?: boolean;
  /** Nothing is saved yet (a new item): "Save" is on even unchanged. */
  fresh?: boolean;
  /** The server's refusal names a field. */
  fieldRefused: boolean;
  elsewhere: readonly [string, string][];
  /** Left out where there is nothing to go back to. */
  onRevert?: () => void;
  /** "Save" unless the page words it otherwise. */
  saveLabel?: string;
  /** A message of the whole form's, under the refusal. */
  note?: ComponentChildren;
  /** Buttons before "Save" (such as "Close"). */
  children?: ComponentChildren;
}) {
  const { t } = useConsole();
  return (
    <div class={`form-actions ${className}`}>
      <SaveRefusal
        title={t(`${words}.not_saved`)}
        failed={guard.tried && !ok}
        fieldRefused={fieldRefused}
        elsewhere={elsewhere}
        problem={guard.problem}
        testid={`${testid}-error`}
      />
      {note}
      <span class="spacer" />
      {unsaved && <span class="muted">{t(`${words}.unsaved`)}</span>}
      {guard.saved && !dirty && (
        <span class="saved-note" role="status" data-testid={`${testid}-saved`}>
          {t('admin.saved')}
        </span>
      )}
      {unsaved && onRevert && (
        <button type="button" class="btn btn-ghost" onClick={onRevert} data-testid={`${testid}-revert`}>
          {t(`${words}.revert`)}
        </button>
      )}
      {children}
      <button type="submit" class="btn btn-primary" disabled={guard.busy || (!fresh && !dirty)} data-testid={`${testid}-save`}>
        {guard.busy ? t('admin.saving') : (saveLabel ?? t('admin.save'))}
      </button>
    </div>
  );
}
