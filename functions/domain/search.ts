/**
 * Search by name: case- and accent-insensitive word-prefix matching ("nomina oct" finds
 * "Nómina octubre 2026.pdf"). A name is folded into words; the index holds one entry per word
 * per scope (each folder above the node, and a folder itself), so a search is a key-range Query
 * on the scopes the caller may see, whatever the tree's size (docs/ARCHITECTURE.md, "Data").
 */
import { Invalid } from '../lib/errors.ts';

export const MIN_QUERY = 2;
export const MAX_QUERY = 100;
/** Words of one name the index keeps (the first ones, each once): bounds what one node writes. */
export const MAX_WORDS = 12;

/** Accents folded, lower case, split on anything that is not a letter or a digit. */
export function foldWords(text: string): string[] {
  const folded = text.normalize('NFKD').replace(/\p{M}/gu, '').toLowerCase();
  return folded.split(/[^\p{L}\p{N}]+/u).filter(Boolean);
}

/** The distinct words of a name the index keeps, in the order they appear. */
export function nameWords(name: string): string[] {
  return [...new Set(foldWords(name))].slice(0, MAX_WORDS);
}

/** Every query word is the start of some word of the name. */
export function matches(queryWords: string[], words: string[]): boolean {
  return queryWords.every((q) => words.some((w) => w.startsWith(q)));
}

/** The query word the index is read by: the longest (the most selective). */
export function indexWord(queryWords: string[]): string {
  return queryWords.reduce((best, w) => (w.length > best.length ? w : best), '');
}

/**
 * A node whose name has several words starting with the prefix has one index entry for each; only
 * the first of them in index order counts, so a node is answered once however the pages fall.
 */
export function countsOnce(entryWord: string, words: string[], prefix: string): boolean {
  return !words.some((w) => w !== entryWord && w.startsWith(prefix) && w < entryWord);
}

/** The scopes a node is findable in: each folder above it, and a folder itself. */
export function scopesOf(node: { kind: 'folder' | 'file'; id: string; ancestors: string[] }): string[] {
  return node.kind === 'folder' ? [...node.ancestors, node.id] : [...node.ancestors];
}

/** The index entries of a node: (scope, word) pairs. */
export function searchEntries(node: {
  kind: 'folder' | 'file';
  id: string;
  name: string;
  ancestors: string[];
}): Array<{ scope: string; word: string }> {
  const words = nameWords(node.name);
  return scopesOf(node).flatMap((scope) => words.map((word) => ({ scope, word })));
}

/** The words of a search, or a 400 naming `q` and the rule. */
export function parseQuery(q: string): string[] {
  const trimmed = q.trim();
  if ([...trimmed].length < MIN_QUERY)
    throw new Invalid(`q: a search has at least ${MIN_QUERY} characters.`, 'q', 'too_short');
  if ([...trimmed].length > MAX_QUERY)
    throw new Invalid(`q: a search has at most ${MAX_QUERY} characters.`, 'q', 'too_long');
  return [...new Set(foldWords(trimmed))];
}

/**
 * The path a result shows: from the top folder the caller sees (`viewRoot`) down to the item's
 * parent, each `{ id, name }` (the root is named after the company). Empty for the top folder itself.
 */
export function resultPath(
  ancestors: string[],
  viewRoot: string,
  names: (id: string) => string,
): Array<{ id: string; name: string }> {
  const start = ancestors.indexOf(viewRoot);
  if (start < 0) return [];
  return ancestors.slice(start).map((id) => ({ id, name: names(id) }));
}

/** One index entry as a search reads it. `position` is where it sits in the index (for cursors). */
export interface SearchEntry {
  nodeId: string;
  kind: 'folder' | 'file';
  word: string;
  /** All the node's kept words, so the other query words are checked without another read. */
  words: string[];
  /** The node's ancestors when the entry was written (which folders to read with it). */
  ancestors: string[];
  position: string;
}
