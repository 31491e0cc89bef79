/**
 * Builds the raw MIME message of the scorecard for SES SendRawEmail:
 *
 *   multipart/alternative
 *   ├─ text/plain
 *   └─ multipart/related          (only when there are inline images)
 *      ├─ text/html
 *      └─ image/png  Content-ID: <cid> …
 *
 * No network, no file access: nodemailer's MailComposer only encodes what it is given.
 */
import MailComposer from 'nodemailer/lib/mail-composer/index.js';
import type { InlineImage } from './view.ts';

export interface ScorecardEmail {
  readonly from: string;
  readonly to: readonly string[] | string;
  readonly subject: string;
  readonly html: string;
  readonly text: string;
  readonly images: readonly InlineImage[];
  /** Message-ID header (with or without angle brackets); generated when absent. SES may replace it. */
  readonly messageId?: string;
  /** Date header; the current time when absent (pass the injected clock's time for reproducible output). */
  readonly date?: Date;
  /** Shared part of the multipart boundaries; random when absent. For byte-for-byte reproducible output. */
  readonly boundary?: string;
}

/** Thrown when the message cannot be composed (e.g. an image referenced twice under one Content-ID). */
export class ScorecardEmailError extends Error {
  override readonly name = 'ScorecardEmailError';
}

/** Composes the scorecard email (text + HTML alternatives, sparklines inline by Content-ID) as raw MIME. */
export async function composeScorecardEmail(email: ScorecardEmail): Promise<Buffer> {
  const cids = new Set<string>();
  for (const img of email.images) {
    if (cids.has(img.cid)) throw new ScorecardEmailError(`two inline images share the Content-ID ${img.cid}`);
    cids.add(img.cid);
  }
  const composer = new MailComposer({
    from: email.from,
    to: typeof email.to === 'string' ? email.to : [...email.to],
    subject: email.subject,
    text: email.text,
    html: email.html,
    attachments: email.images.map((img) => ({
      cid: img.cid,
      filename: img.filename,
      contentType: img.contentType,
      contentDisposition: 'inline',
      content: Buffer.from(img.content.buffer, img.content.byteOffset, img.content.byteLength),
    })),
    ...(email.messageId ? { messageId: email.messageId } : {}),
    ...(email.date ? { date: email.date } : {}),
    ...(email.boundary ? { baseBoundary: email.boundary } : {}),
    // The message is built from memory only: never let a value be read as a path or a URL.
    disableFileAccess: true,
    disableUrlAccess: true,
  });
  return composer.compile().build();
}
