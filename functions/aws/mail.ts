/** SES v2 behind a thin adapter. A failure is a MailFailed (502) so nothing half-made stays behind. */
import { SESv2Client, SendEmailCommand } from '@aws-sdk/client-sesv2';
import type { Mail } from '../domain/emails.ts';
import { config } from '../lib/config.ts';
import { MailFailed } from '../lib/errors.ts';
import { logger } from '../lib/logger.ts';
import { clientConfig, observeCalls } from './sdk.ts';

// Two attempts: a request that waits on a mail already waited once; after that the caller undoes and answers 502.
const ses = new SESv2Client(clientConfig({ connectionTimeout: 1000, requestTimeout: 5000, maxAttempts: 2 }));
observeCalls(ses, 'ses');

export async function sendMail(to: string, mail: Mail): Promise<void> {
  try {
    await ses.send(
      new SendEmailCommand({
        FromEmailAddress: config.mailFrom,
        Destination: { ToAddresses: [to] },
        ConfigurationSetName: config.mailConfigurationSet || undefined,
        Content: {
          Simple: {
            Subject: { Data: mail.subject, Charset: 'UTF-8' },
            Body: { Text: { Data: mail.text, Charset: 'UTF-8' }, Html: { Data: mail.html, Charset: 'UTF-8' } },
          },
        },
      }),
    );
  } catch (err) {
    logger.error('mail failed', { err });
    throw new MailFailed();
  }
}
