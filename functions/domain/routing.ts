/**
 * Drop-and-route ("Repartir a clientes"): which client folder a file belongs in, read from its name.
 * A file goes to a client when exactly one client folder is named by it: through a valid tax id in the
 * name, or the client's code as a word of the name. Pure: the lookup of who holds which id is passed in.
 */
import { checkTaxId } from './client-ids.ts';
import { normalizeName } from './names.ts';

/** What a name offers to match on. */
export interface NameCandidates {
  /** Valid tax ids found in the name, normalised. */
  taxIds: string[];
  /** Shaped as a tax id, with a wrong check character. */
  invalid: string[];
  /** Words (and hyphen-joined runs of words) that could be a client code, upper case. */
  codes: string[];
}

export type RouteReason = 'no-match' | 'ambiguous' | 'invalid';
export type RouteDecision =
  | { folderId: string; taxId: string | null; clientCode: string | null }
  | { folderId: null; reason: RouteReason };

/** At most this many client-code candidates are looked up for one name. */
export const MAX_CODES_PER_NAME = 16;

/** A NIF (optionally "12345678-Z"), NIE or CIF standing alone: not inside a longer run of letters and digits. */
const TAX_ID_IN_NAME =
  /(?<![A-Z0-9])(?:[0-9]{8}-?[A-Z]|[XYZKLM][0-9]{7}-?[A-Z]|[ABCDEFGHJNPQRSUVW][0-9]{7}[0-9A-J])(?![A-Z0-9])/g;
const CLIENT_CODE = /^[A-Z0-9](?:[A-Z0-9-]{0,18}[A-Z0-9])?$/;

const stem = (name: string) => {
  const upper = name.normalize('NFKC').toUpperCase();
  const dot = upper.lastIndexOf('.');
  return dot > 0 ? upper.slice(0, dot) : upper;
};

export function candidatesIn(name: string): NameCandidates {
  const text = stem(name);
  const taxIds: string[] = [];
  const invalid: string[] = [];
  const shaped = new Set<string>();
  for (const m of text.matchAll(TAX_ID_IN_NAME)) {
    shaped.add(m[0]);
    const r = checkTaxId(m[0]);
    if (r.ok) {
      if (!taxIds.includes(r.taxId)) taxIds.push(r.taxId);
    } else invalid.push(m[0].replace(/-/g, ''));
  }
  const codes: string[] = [];
  for (const token of text.split(/[^A-Z0-9-]+/)) {
    const parts = token.split('-').filter(Boolean);
    // Every run of consecutive parts, so "C-0042" is found inside "NOMINA-C-0042".
    for (let i = 0; i < parts.length && i < 8; i++)
      for (let j = i + 1; j <= parts.length && j <= i + 8; j++) {
        const code = parts.slice(i, j).join('-');
        if (CLIENT_CODE.test(code) && !shaped.has(code) && !codes.includes(code)) codes.push(code);
      }
  }
  return { taxIds, invalid, codes: codes.slice(0, MAX_CODES_PER_NAME) };
}

/**
 * The client folder for a name, given who holds each tax id and client code (live client folders only).
 * Exactly one folder named, by any of its ids: that folder (an unknown id or a wrong check character
 * beside it does not matter: a payslip names the employer and the employee). Two folders named:
 * ambiguous. None: invalid when a tax id with a wrong check character was there, else no match.
 */
export function decideRoute(
  c: NameCandidates,
  taxIdOwners: Map<string, string>,
  codeOwners: Map<string, string>,
): RouteDecision {
  const byFolder = new Map<string, { taxId: string | null; clientCode: string | null }>();
  for (const t of c.taxIds) {
    const folderId = taxIdOwners.get(t);
    if (folderId) byFolder.set(folderId, { taxId: t, clientCode: byFolder.get(folderId)?.clientCode ?? null });
  }
  for (const code of c.codes) {
    const folderId = codeOwners.get(code);
    if (folderId) byFolder.set(folderId, { taxId: byFolder.get(folderId)?.taxId ?? null, clientCode: code });
  }
  if (byFolder.size === 1) {
    const [[folderId, ids]] = [...byFolder];
    return { folderId, ...ids };
  }
  if (byFolder.size > 1) return { folderId: null, reason: 'ambiguous' };
  return { folderId: null, reason: c.invalid.length ? 'invalid' : 'no-match' };
}

/** A year and month in a name (2026-11, 202611, 2026_11, 11-2026), once its tax ids are taken out. */
export function dateIn(name: string): { yyyy: string; mm: string } | undefined {
  const text = stem(name).replace(TAX_ID_IN_NAME, ' ');
  const ymd = /(?<![0-9])(20[0-9]{2})(0[1-9]|1[0-2])(?:0[1-9]|[12][0-9]|3[01])(?![0-9])/.exec(text);
  if (ymd) return { yyyy: ymd[1], mm: ymd[2] };
  const ym = /(?<![0-9])(20[0-9]{2})[-_. ]?(0[1-9]|1[0-2])(?![0-9])/.exec(text);
  if (ym) return { yyyy: ym[1], mm: ym[2] };
  const my = /(?<![0-9])(0[1-9]|1[0-2])[-_. ](20[0-9]{2})(?![0-9])/.exec(text);
  if (my) return { yyyy: my[2], mm: my[1] };
  return undefined;
}

/**
 * The folders under the client's folder a file goes in: the template's segments with `{yyyy}` and `{mm}`
 * from the name's date, else today's (UTC). Each segment must be a valid folder name (400 on `field`).
 */
export function expandSubPath(template: string, name: string, today: Date, field = 'subPath'): string[] {
  const date = dateIn(name) ?? {
    yyyy: String(today.getUTCFullYear()),
    mm: String(today.getUTCMonth() + 1).padStart(2, '0'),
  };
  return splitPath(template.replace(/\{yyyy\}/g, date.yyyy).replace(/\{mm\}/g, date.mm), field);
}

/** A path of folder names ("Nóminas/2026/11"): each segment a valid name, empty segments ignored. */
export function splitPath(path: string, field = 'path'): string[] {
  return path
    .split('/')
    .map((s) => s.trim())
    .filter(Boolean)
    .map((s) => normalizeName(s, field));
}
