/** Downloads and previews: the API mints a short-lived URL, the browser fetches the bytes from S3. */
import { api } from './api.ts';

export type Disposition = 'attachment' | 'inline';

export async function downloadUrl(
  path: string,
  disposition: Disposition,
  auth = true,
  share?: string,
): Promise<string> {
  const r = await api<{ url: string; expiresAt?: string }>(path, { query: { disposition }, auth, share });
  if (!r?.url || !/^https?:\/\//.test(r.url)) throw new Error('no url');
  return r.url;
}

/** Follow the URL; Content-Disposition: attachment makes it a download and the page stays. */
export function saveFrom(url: string): void {
  const a = document.createElement('a');
  a.href = url;
  a.rel = 'noopener';
  a.download = '';
  document.body.appendChild(a);
  a.click();
  a.remove();
}
