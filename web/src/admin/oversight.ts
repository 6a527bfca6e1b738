/**
 * Oversight in the staff chunk: the small pure helpers of the access report ("who can see what",
 * GET /reports/access) and of a web user's GDPR export (GET /webusers/{id}/export).
 */
import type { AccessEntry, AccessStatus } from '../types.ts';

const ORDER: Record<AccessStatus, number> = { live: 0, expired: 1, revoked: 2, disabled: 3, 'folder-gone': 4 };

/** Live access first, then the rest (kept, not hidden); within each, by folder path then person. */
export function sortAccess(entries: AccessEntry[]): AccessEntry[] {
  const key = (e: AccessEntry) => `${e.path.join('\u0000')}\u0001${(e.email ?? '').toLowerCase()}`;
  return [...entries].sort((a, b) => ORDER[a.status] - ORDER[b.status] || key(a).localeCompare(key(b)));
}

/** The file name the API gives the GDPR export (content-disposition), used for the saved file. */
export const exportFileName = (userId: string): string =>
  `carpeta-export-${userId.replace(/[^A-Za-z0-9_-]/g, '_')}.json`;
