/**
 * Outgoing mail (invitations, share links, password resets by the app): an SES
 * configuration set and the sender identity (created here, or an existing one),
 * plus the one grant to send from it.
 */
import { Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as ses from 'aws-cdk-lib/aws-ses';
import { Construct, type IConstruct } from 'constructs';
import { acknowledge } from './nag.ts';

export interface MailProps {
  /** The From address of every message (`MAIL_FROM`), e.g. `notificaciones@asesoria.example`. */
  readonly senderEmail: string;
  /**
   * Verify this whole domain (Easy DKIM; publish the three CNAME records the stack outputs)
   * instead of the single sender address. `senderEmail` must be at this domain or a subdomain of it.
   * @default - an email-address identity for `senderEmail` (SES mails a verification link to it)
   */
  readonly mailDomain?: string;
  /**
   * The account is still in the SES sandbox. There SES also authorizes each send against the
   * (verified) recipient identity, so the send grant is widened to `identity/*`.
   * @default false
   */
  readonly sandbox?: boolean;
  /**
   * `create`: the stack creates the SES identity (`mailDomain`, else `senderEmail`). `existing`: the
   * identity is already in SES in this account and region (verified by hand, or created by another
   * stack such as a trial deployment of the same company); the stack only references it, still grants
   * send on it, and never deletes it. Creating one that exists fails the deploy.
   * @default 'create'
   */
  readonly identity?: SenderIdentity;
}

/** The mail domain when none is given: the site's `domain` if `senderEmail` is at it or a subdomain of it. */
export function defaultMailDomain(senderEmail: string, domain: string | undefined): string | undefined {
  const senderDomain = senderEmail.split('@')[1]?.toLowerCase() ?? '';
  const site = domain?.toLowerCase();
  return site && (senderDomain === site || senderDomain.endsWith(`.${site}`)) ? domain : undefined;
}

/** The SES identity the sender is authorized through: the mail domain if there is one, else the address. */
export function senderIdentityName(senderEmail: string, mailDomain: string | undefined): string {
  return mailDomain?.toLowerCase() ?? senderEmail;
}

/** Whether the stack creates the sender's SES identity or uses one that already exists. */
export type SenderIdentity = 'create' | 'existing';
export const SENDER_IDENTITIES: readonly SenderIdentity[] = ['create', 'existing'];

export class Mail extends Construct {
  readonly configurationSet: ses.ConfigurationSet;
  /** The identity the stack created (undefined with `identity: 'existing'`). */
  readonly identity?: ses.EmailIdentity;
  /** The SES identity the sender address is authorized through (an address or a domain). */
  readonly identityName: string;
  /** The From address (`MAIL_FROM`). */
  readonly senderEmail: string;
  private readonly sandbox: boolean;

  constructor(scope: Construct, id: string, props: MailProps) {
    super(scope, id);
    const senderDomain = props.senderEmail.split('@')[1]?.toLowerCase();
    if (!senderDomain) throw new Error(`senderEmail "${props.senderEmail}" is not an email address`);
    const mailDomain = props.mailDomain?.toLowerCase();
    if (mailDomain && senderDomain !== mailDomain && !senderDomain.endsWith(`.${mailDomain}`)) {
      throw new Error(`senderEmail ${props.senderEmail} is not at the verified mail domain ${mailDomain}`);
    }
    this.sandbox = props.sandbox ?? false;
    this.senderEmail = props.senderEmail;
    this.identityName = senderIdentityName(props.senderEmail, mailDomain);

    this.configurationSet = new ses.ConfigurationSet(this, 'ConfigurationSet', {
      reputationMetrics: true,
      sendingEnabled: true,
      tlsPolicy: ses.ConfigurationSetTlsPolicy.REQUIRE,
      suppressionReasons: ses.SuppressionReasons.BOUNCES_AND_COMPLAINTS,
    });
    // The app names the configuration set on every send (MAIL_CONFIGURATION_SET), so an existing identity
    // needs no default configuration set of ours.
    if ((props.identity ?? 'create') === 'create') {
      this.identity = new ses.EmailIdentity(this, 'Identity', {
        identity: mailDomain ? ses.Identity.domain(mailDomain) : ses.Identity.email(props.senderEmail),
        configurationSet: this.configurationSet,
      });
    }
  }

  /** ses:SendEmail / ses:SendRawEmail from the sender identity through the configuration set, nothing else. */
  grantSend(grantee: iam.IGrantable): void {
    const stack = Stack.of(this);
    const identityArn = stack.formatArn({ service: 'ses', resource: 'identity', resourceName: this.identityName });
    const configSetArn = stack.formatArn({
      service: 'ses',
      resource: 'configuration-set',
      resourceName: this.configurationSet.configurationSetName,
    });
    const resources = [identityArn, configSetArn];
    if (this.sandbox) {
      resources.push(stack.formatArn({ service: 'ses', resource: 'identity', resourceName: '*' }));
      acknowledge(
        grantee.grantPrincipal as unknown as IConstruct,
        `IAM5[Resource::arn:<AWS::Partition>:ses:${stack.region}:<AWS::AccountId>:identity/*]`,
        'SES sandbox only (-c sesSandbox=true): SES authorizes sandbox sends against each verified recipient ' +
          'identity as well; production access removes this.',
      );
    }
    iam.Grant.addToPrincipal({ grantee, actions: ['ses:SendEmail', 'ses:SendRawEmail'], resourceArns: resources });
  }
}
