/**
 * How an `ObjectStore` says "there is no such object", as opposed to any other failure. A caller may carry on
 * without an object that is missing (the KPI run leaves out an upload whose stored records were deleted), but
 * never without one it could not read for another reason (throttling, a dropped connection, a denied grant):
 * those fail the run, and Lambda retries it.
 */
export class NotFoundError extends Error {
  override readonly name = 'NotFoundError';
  /** The key that is missing. */
  readonly key: string;

  constructor(key: string, options?: { cause?: unknown }) {
    super(`no object at ${key}`, options);
    this.key = key;
  }
}

export const isNotFound = (e: unknown): e is NotFoundError =>
  e instanceof NotFoundError || (e as { name?: unknown } | null)?.name === 'NotFoundError';
