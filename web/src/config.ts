/**
 * /config.json: where the API and Cognito are. Served by the local stack, and by CloudFront in AWS.
 * Addresses may be relative ("/api"): they are resolved against the page's own origin, so the site
 * works from whatever name or port serves it (localhost, 127.0.0.1, a forwarded port).
 */
export interface SiteConfig {
  apiUrl: string;
  region: string;
  cognito: { endpoint?: string; userPoolId: string; clientId: string };
}

let config: SiteConfig | undefined;

/** An address from config.json as an absolute URL on this page's origin when it is relative. */
export function absolute(address: string): string {
  const url = /^https?:\/\//i.test(address) ? new URL(address) : new URL(address, location.href);
  return url.href.replace(/\/$/, '');
}

export async function loadConfig(): Promise<SiteConfig> {
  const res = await fetch('/config.json', { cache: 'no-store' });
  if (!res.ok) throw new Error(`config.json: ${res.status}`);
  const c = (await res.json()) as SiteConfig;
  c.apiUrl = absolute(c.apiUrl);
  c.cognito.endpoint = absolute(c.cognito.endpoint ?? `https://cognito-idp.${c.region}.amazonaws.com`);
  config = c;
  return c;
}

export function getConfig(): SiteConfig {
  if (!config) throw new Error('config not loaded');
  return config;
}
