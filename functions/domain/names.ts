/**
 * Naming rules for folders and files. A name is what a person typed, kept
 * exactly (accents, ñ, emoji) after trimming and NFC normalisation; it never
 * reaches an S3 key, so the rules only keep names unambiguous and printable.
 */
import { Invalid } from '../lib/errors.ts';

export const MAX_NAME_LENGTH = 255;

// C0 and C1 controls and DEL.
// biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is what it is for
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/u;
// Text-direction marks, overrides and isolates (U+200E-U+200F, U+202A-U+202E, U+2066-U+2069, U+061C):
// they can make "gpj.exe" show as "exe.jpg".
const DIRECTION = /[\u200e\u200f\u202a-\u202e\u2066-\u2069\u061c]/u;
// Invisible characters that make two names look the same: zero-width (U+200B-U+200D), BOM, soft hyphen.
// The zero-width joiner is allowed only where it joins emoji (👨‍👩‍👧 is three emoji and two joiners).
const INVISIBLE =
  /[\u200b\u200c\ufeff\u00ad]|(?<!\p{Extended_Pictographic}\uFE0F?)\u200d|\u200d(?!\p{Extended_Pictographic})/u;

/** The name as kept (NFC, trimmed), or a 400 naming the field and the rule it breaks. */
export function normalizeName(raw: string, field = 'name'): string {
  // A lone surrogate is not text at all (and cannot be percent-encoded into a download's filename).
  if (!raw.isWellFormed())
    throw new Invalid(`${field}: a name must be valid text (a lone surrogate is not).`, field, 'malformed');
  const name = raw.normalize('NFC').trim();
  if (name.length === 0) throw new Invalid(`${field}: a name cannot be empty.`, field, 'empty');
  if ([...name].length > MAX_NAME_LENGTH)
    throw new Invalid(`${field}: a name has at most ${MAX_NAME_LENGTH} characters.`, field, 'too_long');
  if (name === '.' || name === '..') throw new Invalid(`${field}: "." and ".." are not names.`, field, 'dot');
  if (/[/\\]/.test(name)) throw new Invalid(`${field}: a name cannot contain "/" or "\\".`, field, 'slash');
  if (CONTROL.test(name)) throw new Invalid(`${field}: a name cannot contain control characters.`, field, 'control');
  if (DIRECTION.test(name))
    throw new Invalid(`${field}: a name cannot contain text-direction characters.`, field, 'direction');
  // Tested on what was typed: trim() would quietly drop a leading byte-order mark.
  if (INVISIBLE.test(raw))
    throw new Invalid(
      `${field}: a name cannot contain invisible characters (zero-width, soft hyphen).`,
      field,
      'invisible',
    );
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
