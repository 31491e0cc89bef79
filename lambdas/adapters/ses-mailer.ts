/** `Mailer` over SES v1 SendRawEmail (which takes a complete MIME message with inline images). */
import { SendRawEmailCommand, type SESClient } from '@aws-sdk/client-ses';
import type { Mailer } from '../ports/index.ts';

export class SesMailer implements Mailer {
  constructor(private readonly ses: SESClient) {}

  async sendRaw(message: Uint8Array, from: string, to: readonly string[]): Promise<string> {
    const r = await this.ses.send(new SendRawEmailCommand({ RawMessage: { Data: message }, Source: from, Destinations: [...to] }));
    return r.MessageId ?? '';
  }
}
