/**
 * A client's identity on their folder: the Spanish tax id (NIF, NIE or CIF, with its check character)
 * and an optional client code of the company's own. Pure rules, no I/O: validation and normalisation
 * here, uniqueness across the company in functions/store/client-ids.ts (a claim item per value).
 */
import { Invalid } from '../lib/errors.ts';

export type TaxIdKind = 'nif' | 'nie' | 'cif';

export type TaxIdCheck =
  | { ok: true; taxId: string; kind: TaxIdKind }
  /** `format`: not shaped as a NIF, NIE or CIF; `check_character`: shaped as one, wrong check character. */
  | { ok: false; rule: 'format' | 'check_character' };

const DNI_LETTERS = 'TRWAGMYFPDXBNJZSQVHLCKE';
const CIF_LETTERS = 'JABCDEFGHI';
/** Organisation letters of a CIF; its check is a letter for these... */
const CIF_LETTER_CHECK = 'KPQRSNW';
/** ...a digit for these, and either for the rest. */
const CIF_DIGIT_CHECK = 'ABEH';

const NIF_SHAPE = /^[0-9]{8}[A-Z]$/;
/** NIE (X, Y, Z) and the older K, L, M numbers: a prefix standing for a digit, seven digits, a letter. */
const NIE_SHAPE = /^[XYZKLM][0-9]{7}[A-Z]$/;
const CIF_SHAPE = /^[ABCDEFGHJNPQRSUVW][0-9]{7}[0-9A-J]$/;

/** Upper case, without the spaces, dots and hyphens people write ids with ("12.345.678-z"). */
export const normalizeTaxId = (raw: string) =>
  raw
    .normalize('NFKC')
    .toUpperCase()
    .replace(/[\s.-]/g, '');

function cifControl(digits: string): number {
  let sum = 0;
  for (let i = 0; i < 7; i++) {
    const d = Number(digits[i]);
    if (i % 2 === 1) sum += d;
    else {
      const twice = d * 2;
      sum += Math.floor(twice / 10) + (twice % 10);
    }
  }
  return (10 - (sum % 10)) % 10;
}

/** Checks a tax id as written by a person: its shape, then its check character. */
export function checkTaxId(raw: string): TaxIdCheck {
  const id = normalizeTaxId(raw);
  if (NIF_SHAPE.test(id)) {
    const ok = DNI_LETTERS[Number(id.slice(0, 8)) % 23] === id[8];
    return ok ? { ok, taxId: id, kind: 'nif' } : { ok, rule: 'check_character' };
  }
  if (NIE_SHAPE.test(id)) {
    const prefix = { X: '0', Y: '1', Z: '2', K: '0', L: '0', M: '0' }[id[0] as 'X'];
    const ok = DNI_LETTERS[Number(prefix + id.slice(1, 8)) % 23] === id[8];
    return ok ? { ok, taxId: id, kind: 'nie' } : { ok, rule: 'check_character' };
  }
  if (CIF_SHAPE.test(id)) {
    const control = cifControl(id.slice(1, 8));
    const given = id[8];
    const asDigit = given === String(control);
    const asLetter = given === CIF_LETTERS[control];
    const ok = CIF_LETTER_CHECK.includes(id[0])
      ? asLetter
      : CIF_DIGIT_CHECK.includes(id[0])
        ? asDigit
        : asDigit || asLetter;
    return ok ? { ok, taxId: id, kind: 'cif' } : { ok, rule: 'check_character' };
  }
  return { ok: false, rule: 'format' };
}

/** A tax id from the API, normalised, or a 400 naming the field and the rule it broke. */
export function parseTaxId(raw: string, field = 'taxId'): string {
  const r = checkTaxId(raw);
  if (r.ok) return r.taxId;
  throw r.rule === 'format'
    ? new Invalid(`${field}: not a Spanish NIF, NIE or CIF.`, field, 'format')
    : new Invalid(`${field}: the check character does not match the number.`, field, 'check_character');
}

/** 1 to 20 letters, digits and inner hyphens ("C-0042"), compared in upper case. */
const CLIENT_CODE = /^[A-Z0-9](?:[A-Z0-9-]{0,18}[A-Z0-9])?$/;

export const normalizeClientCode = (raw: string) => raw.normalize('NFKC').trim().toUpperCase();

export function parseClientCode(raw: string, field = 'clientCode'): string {
  const code = normalizeClientCode(raw);
  if (!CLIENT_CODE.test(code))
    throw new Invalid(
      `${field}: 1 to 20 letters, digits and hyphens, starting and ending with a letter or digit.`,
      field,
      'format',
    );
  return code;
}
