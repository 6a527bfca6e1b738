/** SES v2 behind a thin adapter. A failure is a MailFailed (502) so nothing half-made stays behind. */
import { awsFetch } from './http.ts';
import { config } from '../lib/config.ts';
import { MailFailed } from '../lib/errors.ts';
import { logger } from '../lib/logger.ts';
import type { Mail } from '../domain/emails.ts';

/** SES v2 SendEmail (REST-JSON). */
async function sendEmail(input: Record<string, unknown>): Promise<void> {
  await awsFetch({
    service: 'ses',
    operation: 'SendEmail',
    method: 'POST',
    url: (config.endpoint('ses') ?? `https://email.${config.region}.amazonaws.com`).replace(/\/$/, '') + '/v2/email/outbound-emails',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(input),
    maxAttempts: 2,
    timeoutMs: 1000 + 5000,
  });
}

export async function sendMail(to: string, mail: Mail): Promise<void> {
  try {
    await sendEmail({
      FromEmailAddress: config.mailFrom,
      Destination: { ToAddresses: [to] },
      ConfigurationSetName: config.mailConfigurationSet || undefined,
      Content: {
        Simple: {
          Subject: { Data: mail.subject, Charset: 'UTF-8' },
          Body: { Text: { Data: mail.text, Charset: 'UTF-8' }, Html: { Data: mail.html, Charset: 'UTF-8' } },
        },
      },
    });
  } catch (err) {
    logger.error('mail failed', { err });
    throw new MailFailed();
  }
}
