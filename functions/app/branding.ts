/** The company as clients see it: name, colours and (when set) a short-lived logo URL. */
import { mintDownloadUrl } from '../aws/s3.ts';
import type { CompanySettings } from '../store/settings.ts';

export async function companyView(s: CompanySettings): Promise<{ name: string; colors: CompanySettings['colors']; logoUrl?: string }> {
  const logoUrl = s.logoKey ? (await mintDownloadUrl(s.logoKey, 'logo', s.logoKey.endsWith('.png') ? 'image/png' : 'image/jpeg', 'inline')).url : undefined;
  return { name: s.name, colors: s.colors, ...(logoUrl ? { logoUrl } : {}) };
}
