/** A refusal tied to one form field, shown next to it (message key translated by the page). */
export class FieldError extends Error {
  constructor(
    public readonly field: string,
    public readonly messageKey: string,
    public readonly values: Record<string, string | number> = {},
  ) {
    super(messageKey);
  }
}
