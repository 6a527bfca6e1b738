/**
 * The one translation function, `t(key, params)`, over per-language dictionaries in this folder:
 *   site.es.ts / site.en.ts    the portal's first load (sign-in, portal, share links, invitations, errors)
 *   staff.es.ts / staff.en.ts  the staff site, added when its chunk loads (admin/texts.ts)
 *   mfa.es.ts / mfa.en.ts      the sign-in's code step, added when screens/Mfa.tsx loads
 * Keys are literal strings typed as `Key` (no key is built at run time); each English file has exactly
 * the keys of its Spanish one (the type checks it, and test/unit/web-i18n.test.ts checks that every key
 * the code uses exists in both). Spanish first: the browser's language picks (anything that is not
 * English gets Spanish), the user can switch, and the choice is kept in localStorage. Staff and client
 * texts address the reader as "usted".
 */
import type { MfaKey } from './mfa.es.ts';
import { siteEn } from './site.en.ts';
import { type SiteKey, siteEs } from './site.es.ts';
import type { StaffKey } from './staff.es.ts';

export type Lang = 'es' | 'en';
export const LANGS: readonly Lang[] = ['es', 'en'];
export type { MfaKey, SiteKey, StaffKey };
export type Key = SiteKey | StaffKey | MfaKey;
export type Params = Record<string, string | number>;

const STORE_KEY = 'carpeta.lang';

const dictionaries: Record<Lang, Record<string, string>> = { es: { ...siteEs }, en: { ...siteEn } };

/** Adds a lazily loaded chunk's texts (both languages, the same keys). */
export function addTexts<K extends string>(texts: { es: Record<K, string>; en: Record<K, string> }): void {
  Object.assign(dictionaries.es, texts.es);
  Object.assign(dictionaries.en, texts.en);
}

/** The first of the user's languages we speak; Spanish when none matches. */
export function pickLang(stored: string | null | undefined, browser: readonly string[]): Lang {
  if (stored === 'es' || stored === 'en') return stored;
  for (const l of browser) {
    const base = l.toLowerCase().split('-')[0];
    if (base === 'es' || base === 'en') return base;
  }
  return 'es';
}

function initial(): Lang {
  if (typeof navigator === 'undefined') return 'es';
  let stored: string | null = null;
  try {
    stored = localStorage.getItem(STORE_KEY);
  } catch {
    /* storage blocked */
  }
  return pickLang(stored, navigator.languages?.length ? navigator.languages : [navigator.language]);
}

let current: Lang = initial();
const listeners = new Set<() => void>();

export function lang(): Lang {
  return current;
}

export function setLang(l: Lang): void {
  if (!LANGS.includes(l)) return;
  current = l;
  try {
    localStorage.setItem(STORE_KEY, l);
  } catch {
    /* storage blocked: the choice lasts for this page */
  }
  if (typeof document !== 'undefined') document.documentElement.lang = l;
  for (const fn of listeners) fn();
}

export function onLangChange(fn: () => void): () => void {
  listeners.add(fn);
  return () => listeners.delete(fn);
}

function fill(msg: string, params?: Params): string {
  return params ? msg.replace(/\{(\w+)\}/g, (m, k: string) => (k in params ? String(params[k]) : m)) : msg;
}

/** The text in a given language (tests and mails); `t` is this in the user's language. */
export function translate(l: Lang, key: Key, params?: Params): string {
  return fill(dictionaries[l][key] ?? dictionaries.es[key] ?? key, params);
}

export function t(key: Key, params?: Params): string {
  return translate(current, key, params);
}

/** Names for the languages, in their own language: the switch and the language pickers. */
export const LANG_KEYS: Record<Lang, Key> = { es: 'lang.es', en: 'lang.en' };
