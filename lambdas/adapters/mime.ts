/**
 * MIME: how an `OutgoingEmail` becomes the raw message SES SendRawEmail takes (and the `.eml` the CLI writes).
 * The scorecard is
 *
 *   multipart/mixed                 (only when there are attachments)
 *   ├─ multipart/alternative
 *   │  ├─ text/plain
 *   │  └─ multipart/related          (only when there are inline images)
 *   │     ├─ text/html
 *   │     └─ image/png  Content-ID: <cid> …
 *   └─ text/csv  Content-Disposition: attachment …
 *
 * Every line ends in CRLF (RFC 5322): nodemailer keeps a body's own line ends unless told otherwise, and a strict
 * receiver refuses a bare LF. Every email the pipeline sends is automatic, so each says so (RFC 3834
 * `Auto-Submitted`, and Exchange's `X-Auto-Response-Suppress`): out-of-office replies do not come back.
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

/** The headers every email of the pipeline carries: it is machine-sent, and automatic replies should stay away. */
export const AUTOMATED_HEADERS: Readonly<Record<string, string>> = {
  'Auto-Submitted': 'auto-generated',
  'X-Auto-Response-Suppress': 'All',
};

const bytes = (c: string | Uint8Array): Buffer =>
  typeof c === 'string' ? Buffer.from(c, 'utf8') : Buffer.from(c.buffer, c.byteOffset, c.byteLength);

/** Every line end as LF, which `newline: 'windows'` writes as CRLF (it leaves a lone CR as it is). */
const lineFeeds = (s: string): string => s.replace(/\r\n?/g, '\n');

/** Composes an email (text, or text + HTML alternatives with images inline by Content-ID, and attachments) as raw MIME. */
export async function composeMime(email: MimeEmail): Promise<Buffer> {
  const images = email.images ?? [];
  const cids = new Set<string>();
  for (const img of images) {
    if (cids.has(img.cid)) throw new ScorecardEmailError(`two inline images share the Content-ID ${img.cid}`);
    cids.add(img.cid);
  }
  const composer = new MailComposer({
    from: email.fromName ? { name: email.fromName, address: email.from } : email.from,
    to: [...email.to],
    ...(email.replyTo ? { replyTo: email.replyTo } : {}),
    subject: email.subject,
    text: lineFeeds(email.text),
    ...(email.html !== undefined ? { html: lineFeeds(email.html) } : {}),
    attachments: [
      ...images.map((img) => ({
        cid: img.cid,
        filename: img.filename,
        contentType: img.contentType,
        contentDisposition: 'inline' as const,
        content: bytes(img.content),
      })),
      ...(email.attachments ?? []).map((a) => ({
        filename: a.filename,
        contentType: a.contentType,
        contentDisposition: 'attachment' as const,
        content: bytes(a.content),
      })),
    ],
    headers: { ...AUTOMATED_HEADERS },
    newline: 'windows',
    ...(email.messageId ? { messageId: email.messageId } : {}),
    ...(email.date ? { date: email.date } : {}),
    ...(email.boundary ? { baseBoundary: email.boundary } : {}),
    // The message is built from memory only: never let a value be read as a path or a URL.
    disableFileAccess: true,
    disableUrlAccess: true,
  });
  return composer.compile().build();
}
