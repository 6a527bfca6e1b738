/**
 * Naming rules for folders and files. A name is what a person typed, kept
 * exactly (accents, ñ, emoji) after trimming and NFC normalisation; it never
 * reaches an S3 key, so the rules only keep names unambiguous and printable.
 */
import { Invalid } from '../lib/errors.ts';

export const MAX_NAME_LENGTH = 255;

// C0 and C1 controls, DEL, and the bidi overrides/isolates that can disguise an extension.
const FORBIDDEN_CHARS = /[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/u;

export function normalizeName(raw: string, field = 'name'): string {
  const name = raw.normalize('NFC').trim();
  if (name.length === 0) throw new Invalid(`${field}: a name cannot be empty.`, field);
  if ([...name].length > MAX_NAME_LENGTH)
    throw new Invalid(`${field}: a name has at most ${MAX_NAME_LENGTH} characters.`, field);
  if (name === '.' || name === '..') throw new Invalid(`${field}: "." and ".." are not names.`, field);
  if (/[/\\]/.test(name)) throw new Invalid(`${field}: a name cannot contain "/" or "\\".`, field);
  if (FORBIDDEN_CHARS.test(name))
    throw new Invalid(`${field}: a name cannot contain control or text-direction characters.`, field);
  return name;
}

/**
 * Sort key for a name: accents folded and lower-cased, so "Árbol" sorts
 * beside "arbol" (DynamoDB orders by UTF-8 bytes, which would put it after "z").
 */
export function collationKey(name: string): string {
  return name.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();
}

/** Uniqueness of a name inside a folder ignores case (and nothing else). */
export function nameKey(name: string): string {
  return name.normalize('NFC').toLowerCase();
}

/** An abandoned claim (a create that crashed between its two writes) is reclaimable after this. */
export const ORPHAN_CLAIM_MS = 60_000;

/**
 * Whether a name claim someone else holds may be taken over: only when it is
 * provably abandoned, and never while its node exists. Either an upload that
 * was never completed past its deadline, or a create whose node was never
 * written, older than ORPHAN_CLAIM_MS.
 */
export function claimIsAbandoned(
  holder: { pendingUntil?: string; claimedAt?: string },
  nodeExists: boolean,
  now: Date,
): boolean {
  if (nodeExists) return false;
  if (holder.pendingUntil) return Date.parse(holder.pendingUntil) < now.getTime();
  return !!holder.claimedAt && Date.parse(holder.claimedAt) + ORPHAN_CLAIM_MS < now.getTime();
}
