/** /config.json: where the API and Cognito are. Served by the local stack, and by CloudFront in AWS. */
export interface SiteConfig {
  apiUrl: string;
  region: string;
  cognito: { endpoint?: string; userPoolId: string; clientId: string };
}

let config: SiteConfig | undefined;

export async function loadConfig(): Promise<SiteConfig> {
  const res = await fetch('/config.json', { cache: 'no-store' });
  if (!res.ok) throw new Error(`config.json: ${res.status}`);
  const c = (await res.json()) as SiteConfig;
  if (!c.cognito.endpoint) c.cognito.endpoint = `https://cognito-idp.${c.region}.amazonaws.com`;
  config = c;
  return c;
}

export function getConfig(): SiteConfig {
  if (!config) throw new Error('config not loaded');
  return config;
}
