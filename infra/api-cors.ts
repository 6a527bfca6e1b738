/**
 * The HTTP API answers CORS for the site's own origin only (issue 14 item 9; it used to allow `*`).
 *
 * With a custom domain the origin (`https://<domain>`) is known at synth and goes into the API's
 * template. Without one the origin is the distribution's generated `*.cloudfront.net` domain, and the
 * API cannot name it: the distribution's CSP names the API (connect-src), so API -> distribution ->
 * response-headers policy -> API would be a circular dependency, which CloudFormation refuses. Then a
 * custom resource sets the API's CORS configuration (apigatewayv2 UpdateApi) once the distribution
 * exists. It runs again when the origin changes and whenever the API's own template properties change
 * (an update of the API by CloudFormation could otherwise reset what it set), and does nothing on
 * delete (removing it, e.g. when a custom domain is added, must not clear the template's configuration).
 */
import { createHash } from 'node:crypto';
import { type CfnResource, Lazy, Stack, Token } from 'aws-cdk-lib';
import type * as apigwv2 from 'aws-cdk-lib/aws-apigatewayv2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as cr from 'aws-cdk-lib/custom-resources';
import { Construct } from 'constructs';
import { acknowledgeDeploymentHandler, acknowledgeHipaa } from './nag.ts';

/** What the browser may send and read: the API's CORS configuration, in CloudFormation's and the SDK's shape. */
export function apiCorsConfiguration(origin: string) {
  return {
    AllowOrigins: [origin],
    AllowMethods: ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'],
    AllowHeaders: ['authorization', 'content-type', 'x-share-token', 'x-share-password'],
    ExposeHeaders: ['x-request-id'],
    // Requests carry a bearer token or a capability token, never cookies.
    AllowCredentials: false,
    MaxAge: 3600,
  };
}

export interface ApiCorsProps {
  readonly httpApi: apigwv2.HttpApi;
  /** The site's origin, `https://<domain>` or `https://<distribution domain>` (no trailing slash). */
  readonly origin: string;
  /**
   * Retention of the custom resource handler's log group (only without a custom domain).
   * @default logs.RetentionDays.ONE_MONTH
   */
  readonly logRetention?: logs.RetentionDays;
}

export class ApiCors extends Construct {
  /** The custom resource that sets the configuration (undefined when the origin is known at synth). */
  readonly setter?: cr.AwsCustomResource;

  constructor(scope: Construct, id: string, props: ApiCorsProps) {
    super(scope, id);
    const cfnApi = props.httpApi.node.defaultChild as apigwv2.CfnApi;
    const configuration = apiCorsConfiguration(props.origin);
    if (!Token.isUnresolved(props.origin)) {
      cfnApi.addPropertyOverride('CorsConfiguration', configuration);
      return;
    }
    const stack = Stack.of(this);
    const update: cr.AwsSdkCall = {
      service: '@aws-sdk/client-apigatewayv2',
      action: 'UpdateApi',
      parameters: { ApiId: props.httpApi.apiId, CorsConfiguration: configuration },
      physicalResourceId: cr.PhysicalResourceId.of(`${props.httpApi.apiId}-cors`),
    };
    const logGroup = new logs.LogGroup(this, 'HandlerLogs', {
      retention: props.logRetention ?? logs.RetentionDays.ONE_MONTH,
    });
    acknowledgeHipaa(
      logGroup,
      'CloudWatchLogGroupEncrypted',
      'CloudWatch Logs encrypts every log group at rest by default; the rule asks for a customer-managed KMS ' +
        "key on top. This group holds only the CORS custom resource handler's output (the API id and the " +
        'UpdateApi call), no customer data.',
    );
    this.setter = new cr.AwsCustomResource(this, 'Setter', {
      onCreate: update,
      onUpdate: update,
      policy: cr.AwsCustomResourcePolicy.fromStatements([
        new iam.PolicyStatement({
          // UpdateApi is PATCH /v2/apis/{apiId}: IAM authorizes it as apigateway:PATCH on that API only.
          actions: ['apigateway:PATCH'],
          resources: [`arn:${stack.partition}:apigateway:${stack.region}::/apis/${props.httpApi.apiId}`],
        }),
      ]),
      installLatestAwsSdk: false,
      logGroup,
      resourceType: 'Custom::ApiCors',
    });
    // Runs again whenever CloudFormation changes the API itself: a fingerprint of its template properties.
    const fingerprint = Lazy.string({
      produce: () =>
        createHash('sha256')
          .update(JSON.stringify(stack.resolve(cfnApi._toCloudFormation())))
          .digest('hex')
          .slice(0, 16),
    });
    const resource = this.setter.node.defaultChild as Construct;
    (resource.node.defaultChild as CfnResource).addPropertyOverride('ApiFingerprint', fingerprint);

    // The singleton function behind every AwsCustomResource of the stack: the scope of its role.
    const handler = (this.setter.grantPrincipal as iam.Role).node.scope as Construct;
    acknowledgeDeploymentHandler(
      handler,
      'CDK AwsCustomResource handler (aws-cdk-lib singleton, runs only during deployments, here to set the ' +
        "API's CORS origin): ",
      'API Gateway',
    );
    acknowledgeHipaa(
      this.setter,
      'IAMNoInlinePolicy',
      "aws-cdk-lib writes the custom resource's one statement (apigateway:PATCH on this API) as an inline " +
        'policy of the handler role; it lives and dies with this custom resource.',
    );
  }
}
