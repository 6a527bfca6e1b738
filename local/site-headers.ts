/**
 * The site's response headers as the distribution sends them, read from the template's
 * ResponseHeadersPolicy rather than written a second time here: the local site enforces the
 * deployed Content-Security-Policy (no inline styles or scripts, the same sources per
 * directive), so a page that breaks it fails in the browser tests, not first in production.
 *
 * What differs, and why:
 * - the AWS endpoints the policy names are mapped to their local stand-ins: the documents
 *   bucket's hosts to the AWS gateway (which serves S3 path-style); Cognito's to nothing, as
 *   the local site proxies it on its own origin ('self');
 * - `upgrade-insecure-requests` and Strict-Transport-Security are left out: the local stack is
 *   plain HTTP on loopback, and upgrading would send the browser to an HTTPS port nobody serves.
 * An AWS host the mapping does not know is an error, so a new one is mapped on purpose.
 */
import { type Json, resolve, resourcesOfType } from './cfn.ts';
import type { Deployment } from './deployment.ts';

/** Directives left out locally (see above). */
const HTTPS_ONLY = new Set(['upgrade-insecure-requests']);

/** A CSP source naming an AWS endpoint, as the local stack serves it (undefined: covered by 'self'). */
function localSource(source: string, gatewayUrl: string): string | undefined {
  const host = /^https:\/\/([^/]+\.amazonaws\.com)$/.exec(source)?.[1];
  if (!host) return source;
  if (/^[a-z0-9.-]+\.s3(\.[a-z0-9-]+)?\.amazonaws\.com$/.test(host)) return gatewayUrl;
  if (/^cognito-idp\.[a-z0-9-]+\.amazonaws\.com$/.test(host)) return undefined;
  throw new Error(`the site's CSP names ${source}, which the local stack does not map to a local endpoint`);
}

/** The template's Content-Security-Policy with its AWS endpoints mapped to the local ones. */
export function localContentSecurityPolicy(deployedPolicy: string, gatewayUrl: string): string {
  return deployedPolicy
    .split(';')
    .map((d) => d.trim().split(/\s+/).filter(Boolean))
    .filter(([name]) => name && !HTTPS_ONLY.has(name))
    .map(([name, ...sources]) => {
      const local = [...new Set(sources.map((s) => localSource(s, gatewayUrl)).filter((s) => s !== undefined))];
      return [name, ...local].join(' ');
    })
    .join('; ');
}

/** Every header the distribution's response headers policy adds, for the local site server. */
export function siteResponseHeaders(deployment: Deployment, gatewayUrl: string): Record<string, string> {
  const policies = resourcesOfType(deployment.template, 'AWS::CloudFront::ResponseHeadersPolicy');
  if (policies.length !== 1) throw new Error(`expected one response headers policy, found ${policies.length}`);
  const config = resolve(policies[0][1].Properties?.ResponseHeadersPolicyConfig as Json, deployment.resources);
  const security = config.SecurityHeadersConfig ?? {};
  const headers: Record<string, string> = {};
  const csp = security.ContentSecurityPolicy?.ContentSecurityPolicy;
  if (csp) headers['content-security-policy'] = localContentSecurityPolicy(String(csp), gatewayUrl);
  if (security.ContentTypeOptions) headers['x-content-type-options'] = 'nosniff';
  if (security.FrameOptions) headers['x-frame-options'] = String(security.FrameOptions.FrameOption);
  if (security.ReferrerPolicy) headers['referrer-policy'] = String(security.ReferrerPolicy.ReferrerPolicy);
  if (security.XSSProtection) throw new Error('the local site does not send X-XSS-Protection yet: map it here');
  for (const h of config.CustomHeadersConfig?.Items ?? []) headers[String(h.Header).toLowerCase()] = String(h.Value);
  return headers;
}
