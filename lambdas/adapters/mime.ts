/**
 * MIME: how an `OutgoingEmail` becomes the raw message SES SendRawEmail takes (and the `.eml` the CLI writes).
 * The scorecard is
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
import type { OutgoingEmail } from '../domain/model.ts';

/** An email and the MIME details tests pin down for byte-for-byte reproducible output. */
export interface MimeEmail extends OutgoingEmail {
  /** Message-ID header (with or without angle brackets); generated when absent. SES may replace it. */
  readonly messageId?: string;
  /** Shared part of the multipart boundaries; random when absent. */
  readonly boundary?: string;
}

/** Thrown when the message cannot be composed (e.g. an image referenced twice under one Content-ID). */
export class ScorecardEmailError extends Error {
  override readonly name = 'ScorecardEmailError';
}

/** Composes an email (text, or text + HTML alternatives with images inline by Content-ID) as raw MIME. */
export async function composeMime(email: MimeEmail): Promise<Buffer> {
  const images = email.images ?? [];
  const cids = new Set<string>();
  for (const img of images) {
    if (cids.has(img.cid)) throw new ScorecardEmailError(`two inline images share the Content-ID ${img.cid}`);
    cids.add(img.cid);
  }
  const composer = new MailComposer({
    from: email.from,
    to: [...email.to],
    subject: email.subject,
    text: email.text,
    ...(email.html !== undefined ? { html: email.html } : {}),
    attachments: images.map((img) => ({
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
