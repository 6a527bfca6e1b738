/** The company as clients see it: name, colours and (when set) the logo. */
import type { Mail } from '../domain/emails.ts';
import type { CompanySettings } from '../domain/model.ts';
import type { Needs } from './ports.ts';

const logoType = (key: string) => (key.endsWith('.png') ? 'image/png' : 'image/jpeg');

async function logoUrl(deps: Needs<'files'>, s: CompanySettings): Promise<string | undefined> {
  if (!s.logoKey) return undefined;
  return (await deps.files.mintDownloadUrl(s.logoKey, 'logo', logoType(s.logoKey), 'inline')).url;
}

/** For pages: a short-lived URL of the logo itself. */
export async function companyView(
  deps: Needs<'files'>,
  s: CompanySettings,
): Promise<{ name: string; colors: CompanySettings['colors']; logoUrl?: string }> {
  const url = await logoUrl(deps, s);
  return { name: s.name, colors: s.colors, ...(url ? { logoUrl: url } : {}) };
}

/**
 * For mails, which are read days later: a stable URL (GET /branding/logo) that
 * redirects to a fresh short-lived one each time the mail is opened.
 */
export function mailBrand(
  deps: Needs<'config'>,
  s: CompanySettings,
): { company: string; color: string; logoUrl?: string } {
  const version = s.logoKey ? encodeURIComponent(s.logoKey.slice(-30)) : undefined;
  return {
    company: s.name,
    color: s.colors.primary,
    ...(version ? { logoUrl: `${deps.config.apiUrl}/branding/logo?v=${version}` } : {}),
  };
}

/** Sends a mail in the company's colours: `write` gets the brand and the site's address for its links. */
export function sendBranded(
  deps: Needs<'mailer' | 'config'>,
  settings: CompanySettings,
  to: string,
  write: (brand: ReturnType<typeof mailBrand>, siteUrl: string) => Mail,
): Promise<void> {
  return deps.mailer.sendMail(to, write(mailBrand(deps, settings), deps.config.siteUrl));
}

/** GET /branding: what the sign-in page shows before anyone signs in. */
export async function publicBranding(deps: Needs<'settings' | 'files'>) {
  return companyView(deps, await deps.settings.getSettings());
}

/** Where GET /branding/logo sends the browser, or undefined when no logo is set. */
export async function logoLocation(deps: Needs<'settings' | 'files'>): Promise<string | undefined> {
  return logoUrl(deps, await deps.settings.getSettings());
}
