/**
 * `Mailer` over SES v1 SendRawEmail (which takes a complete MIME message with inline images, composed by mime.ts).
 *
 * Throttling ("Maximum sending rate exceeded", or the account's daily quota) is retried here with exponential
 * backoff and full jitter, then reported as `MailNotSentError`, as is every other error SES answered with: SES
 * refused, so a later retry may send. An error without an answer from SES (timeout, connection reset) is
 * rethrown as it is, because SES may have accepted the message and sending again could duplicate it.
 */
import { SendRawEmailCommand, type SESClient } from '@aws-sdk/client-ses';
import { MailNotSentError, type Mailer, type OutgoingEmail } from '../ports/index.ts';
import { composeMime } from './mime.ts';

export interface SesRetryPolicy {
  /** Attempts in all, the first included. */
  readonly maxAttempts: number;
  /** The first backoff ceiling; it doubles per attempt. */
  readonly baseDelayMs: number;
  readonly maxDelayMs: number;
}

/** Short enough for a 2-minute function sending to a few dozen recipients; SES's rate limit resets every second. */
export const SES_RETRY: SesRetryPolicy = { maxAttempts: 5, baseDelayMs: 100, maxDelayMs: 2_000 };

const THROTTLING = new Set(['Throttling', 'ThrottlingException', 'TooManyRequestsException']);

type AwsError = { name?: string; message?: string; $metadata?: { httpStatusCode?: number } };

/** SES answered and asked us to slow down. */
export const isThrottling = (e: unknown): boolean => {
  const err = e as AwsError | null;
  return THROTTLING.has(err?.name ?? '') || err?.$metadata?.httpStatusCode === 429;
};

/** SES answered with an error: the message was not accepted. */
const answered = (e: unknown): boolean => {
  const status = (e as AwsError | null)?.$metadata?.httpStatusCode;
  return isThrottling(e) || (typeof status === 'number' && status >= 400);
};

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

export class SesMailer implements Mailer {
  constructor(
    private readonly ses: SESClient,
    private readonly retry: SesRetryPolicy = SES_RETRY,
    private readonly wait: (ms: number) => Promise<void> = sleep,
    private readonly random: () => number = Math.random,
  ) {}

  async send(email: OutgoingEmail): Promise<string> {
    return this.sendRaw(await composeMime(email), email.from, email.to);
  }

  /** Sends a complete MIME message; returns SES's message id. */
  async sendRaw(message: Uint8Array, from: string, to: readonly string[]): Promise<string> {
    for (let attempt = 1; ; attempt++) {
      try {
        const r = await this.ses.send(new SendRawEmailCommand({ RawMessage: { Data: message }, Source: from, Destinations: [...to] }));
        return r.MessageId ?? '';
      } catch (e) {
        if (isThrottling(e) && attempt < this.retry.maxAttempts) {
          await this.wait(Math.floor(this.random() * Math.min(this.retry.maxDelayMs, this.retry.baseDelayMs * 2 ** (attempt - 1))));
          continue;
        }
        if (answered(e)) {
          const err = e as AwsError;
          throw new MailNotSentError(err.name ?? 'Error', `${err.message ?? 'SES refused the message'}${attempt > 1 ? ` (after ${attempt} attempts)` : ''}`, { cause: e });
        }
        throw e;
      }
    }
  }
}
