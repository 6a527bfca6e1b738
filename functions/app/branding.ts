/** The company as clients see it: name, colours and (when set) the logo. */
import { config } from '../lib/config.ts';
import { mintDownloadUrl } from '../aws/s3.ts';
import type { CompanySettings } from '../store/settings.ts';

const logoType = (key: string) => (key.endsWith('.png') ? 'image/png' : 'image/jpeg');

/** For pages: a short-lived URL of the logo itself. */
export async function companyView(
  s: CompanySettings,
): Promise<{ name: string; colors: CompanySettings['colors']; logoUrl?: string }> {
  const logoUrl = s.logoKey ? (await mintDownloadUrl(s.logoKey, 'logo', logoType(s.logoKey), 'inline')).url : undefined;
  return { name: s.name, colors: s.colors, ...(logoUrl ? { logoUrl } : {}) };
}

/**
 * For mails, which are read days later: a stable URL (GET /branding/logo) that
 * redirects to a fresh short-lived one each time the mail is opened.
 */
export function mailBrand(s: CompanySettings): { company: string; color: string; logoUrl?: string } {
  return {
    company: s.name,
    color: s.colors.primary,
    ...(s.logoKey ? { logoUrl: `${config.apiUrl}/branding/logo?v=${encodeURIComponent(s.logoKey.slice(-30))}` } : {}),
  };
}

/** Where GET /branding/logo sends the browser, or undefined when no logo is set. */
export async function logoRedirect(s: CompanySettings): Promise<string | undefined> {
  return s.logoKey ? (await mintDownloadUrl(s.logoKey, 'logo', logoType(s.logoKey), 'inline')).url : undefined;
}
