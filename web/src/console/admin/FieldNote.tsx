/** The message beside a field of an admin form (nothing when there is none). */
export function FieldNote({ text, field }: { text: string | null | undefined; field: string }) {
  if (!text) return null;
  return (
    <small class="field-error" role="alert" data-testid="field-error" data-field={field}>
      {text}
    </small>
  );
}
