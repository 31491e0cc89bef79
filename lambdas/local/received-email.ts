/**
 * Writes an email the SES stand-in received, as SES was given it: the raw message as `.eml`, and its HTML as `.html`
 * with each inline image (`cid:`) written as a file beside it (`<name>.files/…`), so the page opens in a browser
 * with its images and the size of its HTML is the size of the email's.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { simpleParser } from 'mailparser';

export interface WrittenEmail {
  readonly eml: string;
  readonly html: string;
  /** Attachments (not inline images), written beside: e.g. the scorecard's CSV. */
  readonly attachments: readonly string[];
}

const safeName = (s: string): string => s.replace(/[^A-Za-z0-9._-]+/g, '-').replace(/^-+|-+$/g, '') || 'part';

const escapeHtml = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** Writes `<base>.eml`, `<base>.html` and `<base>.files/` from the raw message. */
export async function writeReceivedEmail(base: string, raw: Buffer): Promise<WrittenEmail> {
  await writeFile(`${base}.eml`, raw);
  // keepCidLinks: the parser would otherwise inline each image as a data URI into the HTML.
  const mail = await simpleParser(raw, { keepCidLinks: true });
  const files = `${base}.files`;
  const folder = basename(files);
  let html = typeof mail.html === 'string' ? mail.html : `<pre>${escapeHtml(mail.text ?? '')}</pre>`;
  const attachments: string[] = [];
  if (mail.attachments.length) await mkdir(files, { recursive: true });
  for (const [i, a] of mail.attachments.entries()) {
    const name = `${String(i + 1).padStart(2, '0')}-${safeName(a.filename ?? a.cid ?? 'part')}`;
    await writeFile(join(files, name), a.content);
    if (a.cid && a.contentDisposition !== 'attachment') html = html.split(`cid:${a.cid}`).join(`${folder}/${encodeURIComponent(name)}`);
    else attachments.push(join(files, name));
  }
  await writeFile(`${base}.html`, html);
  return { eml: `${base}.eml`, html: `${base}.html`, attachments };
}
