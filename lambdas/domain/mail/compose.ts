/** Plain-text notices (the ops email about a rejected upload), as raw MIME for SES SendRawEmail. */
import MailComposer from 'nodemailer/lib/mail-composer/index.js';

export interface TextEmail {
  readonly from: string;
  readonly to: readonly string[];
  readonly subject: string;
  readonly text: string;
}

export function composeTextEmail(mail: TextEmail): Promise<Buffer> {
  return new MailComposer({ from: mail.from, to: [...mail.to], subject: mail.subject, text: mail.text }).compile().build();
}
