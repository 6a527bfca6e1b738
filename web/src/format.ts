/** File sizes and dates in the user's language. */
import { lang } from './i18n/index.ts';

const locale = () => (lang() === 'es' ? 'es-ES' : 'en-GB');

export function formatSize(bytes: number | undefined): string {
  if (bytes === undefined || bytes === null || !Number.isFinite(bytes)) return '';
  const units = ['B', 'KB', 'MB', 'GB', 'TB'];
  let v = bytes;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  const n = new Intl.NumberFormat(locale(), { maximumFractionDigits: i === 0 || v >= 100 ? 0 : 1 }).format(v);
  return `${n} ${units[i]}`;
}

export function formatDate(iso: string | undefined | null, withTime = true): string {
  if (!iso) return '';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return '';
  return new Intl.DateTimeFormat(
    locale(),
    withTime ? { dateStyle: 'medium', timeStyle: 'short' } : { dateStyle: 'medium' },
  ).format(d);
}

/** yyyy-mm-dd for <input type=date>, in local time. */
export function dateInputValue(d: Date): string {
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}`;
}

/** End of the chosen local day, as ISO 8601 UTC. */
export function endOfDayIso(dateInput: string): string | undefined {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(dateInput)) return undefined;
  const [y, m, d] = dateInput.split('-').map(Number);
  return new Date(y, m - 1, d, 23, 59, 59).toISOString();
}

export function isPreviewable(contentType: string | undefined, name = ''): 'pdf' | 'image' | undefined {
  const ct = (contentType ?? '').toLowerCase();
  if (ct.split(';')[0].trim() === 'application/pdf' || (!ct && /\.pdf$/i.test(name))) return 'pdf';
  if (/^image\/(png|jpeg|gif|webp)$/.test(ct.split(';')[0].trim())) return 'image';
  return undefined;
}

/** For matching what a person types: accents folded and lower-cased ("María" → "maria"). */
export const fold = (s: string): string => s.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();

/** "45 s", "3 min", "1 h 5 min": a time left, rounded up. */
export function formatDuration(seconds: number): string {
  const s = Math.ceil(seconds);
  if (s < 60) return `${s} s`;
  const m = Math.ceil(s / 60);
  if (m < 60) return `${m} min`;
  return `${Math.floor(m / 60)} h ${m % 60} min`;
}
