/**
 * How a `Mailer` tells a definite refusal from an unknown outcome. Sending must never duplicate an email, so
 * the send ledger gives a claim back (and a retry sends again) only when the provider certainly did not accept
 * the message: then the mailer throws `MailNotSentError`. Any other error (a timeout, a dropped connection)
 * leaves the outcome unknown and the claim in place.
 */
export class MailNotSentError extends Error {
  override readonly name = 'MailNotSentError';
  /** The provider's error code, e.g. "Throttling", "MessageRejected". */
  readonly code: string;

  constructor(code: string, message: string, options?: { cause?: unknown }) {
    super(`${code}: ${message}`, options);
    this.code = code;
  }
}

export const isMailNotSent = (e: unknown): e is MailNotSentError =>
  e instanceof MailNotSentError || (e as { name?: unknown } | null)?.name === 'MailNotSentError';
