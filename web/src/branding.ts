/**
 * The company's name, colours and logo. GET /api/branding (public) once per
 * page load; "Carpeta" and our own colours until it answers. Colours are applied as CSS custom properties, only
 * when they are plain hex colours, with a text colour chosen for contrast.
 */
import { useEffect, useState } from 'preact/hooks';
import * as api from './api.ts';
import type { Company } from './types.ts';

const DEFAULT: Company = { name: 'Carpeta' };
let company: Company = DEFAULT;
let loading: Promise<Company> | undefined;
const listeners = new Set<(c: Company) => void>();

const HEX = /^#(?:[0-9a-f]{3}|[0-9a-f]{6})$/i;

function channel(c: number): number {
  const s = c / 255;
  return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
}

export function luminance(hex: string): number {
  let h = hex.slice(1);
  if (h.length === 3) h = [...h].map((c) => c + c).join('');
  const n = parseInt(h, 16);
  return 0.2126 * channel((n >> 16) & 255) + 0.7152 * channel((n >> 8) & 255) + 0.0722 * channel(n & 255);
}

export function contrast(a: string, b: string): number {
  const [x, y] = [luminance(a), luminance(b)].sort((p, q) => q - p);
  return (x + 0.05) / (y + 0.05);
}

/** White or near-black, whichever reads better on the background. */
export function textOn(bg: string): string {
  return contrast(bg, '#ffffff') >= contrast(bg, '#111111') ? '#ffffff' : '#111111';
}

/** The site's own colour (styles.css --brand), used when the company's does not read well on white. */
export const DEFAULT_BRAND = '#0b5cad';

/**
 * Whether a company colour can be the brand colour: it is also the link colour on white, so it must
 * reach AA (4.5:1) there. `ratio` is its contrast on white, rounded down to one decimal.
 */
export function brandCheck(hex: string): { usable: boolean; ratio: number } {
  if (!HEX.test(hex)) return { usable: false, ratio: 0 };
  const ratio = contrast(hex, '#ffffff');
  return { usable: ratio >= 4.5, ratio: Math.floor(ratio * 10) / 10 };
}

function apply(c: Company): void {
  const root = document.documentElement;
  const primary = c.colors?.primary;
  if (primary && brandCheck(primary).usable) {
    root.style.setProperty('--brand', primary);
    root.style.setProperty('--on-brand', textOn(primary));
  } else {
    root.style.removeProperty('--brand');
    root.style.removeProperty('--on-brand');
  }
}

export function setCompany(c: Partial<Company> | undefined): void {
  if (!c || typeof c.name !== 'string' || !c.name) return;
  company = { name: c.name, logoUrl: c.logoUrl, colors: c.colors };
  apply(company);
  for (const fn of listeners) fn(company);
}

export function loadBranding(): Promise<Company> {
  loading ??= api.getBranding().then(
    (c) => {
      setCompany(c);
      return company;
    },
    () => company,
  );
  return loading;
}

export function useCompany(): Company {
  const [c, setC] = useState(company);
  useEffect(() => {
    listeners.add(setC);
    void loadBranding();
    return () => void listeners.delete(setC);
  }, []);
  return c;
}
