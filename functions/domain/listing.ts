/**
 * The orders a folder's children can be listed in, and the sort keys that make
 * each order a range of one index (docs/ARCHITECTURE.md, "Data"): the server
 * sorts the whole folder, never just a loaded page. Folders come first in every
 * order; under `size` (folders have none) they keep name order, A to Z.
 */

export const SORTS = ['name', 'modified', 'size'] as const;
export const ORDERS = ['asc', 'desc'] as const;
export type Sort = (typeof SORTS)[number];
export type Order = (typeof ORDERS)[number];
export interface ListOrder {
  sort: Sort;
  order: Order;
}
export const DEFAULT_ORDER: ListOrder = { sort: 'name', order: 'asc' };

/** Folders before files: the kind prefix of every listing sort key. */
export const KIND_PREFIX = { folder: '1#', file: '2#' } as const;
export type Phase = keyof typeof KIND_PREFIX;

/** Digits of a size in a sort key: 16 covers Number.MAX_SAFE_INTEGER bytes. */
const SIZE_DIGITS = 16;

/** A size as a string that sorts as the number does (zero-padded). */
export function sizeSortKey(size: number): string {
  if (!Number.isSafeInteger(size) || size < 0) throw new RangeError(`size must be a non-negative integer: ${size}`);
  return String(size).padStart(SIZE_DIGITS, '0');
}

/**
 * A modification time as a string that sorts as the time does: ISO 8601 in UTC with milliseconds
 * (what `Date.toISOString` writes) already does, so it is normalised to that shape.
 */
export function modifiedSortKey(at: string): string {
  const t = Date.parse(at);
  if (Number.isNaN(t)) throw new RangeError(`not a date: ${at}`);
  return new Date(t).toISOString();
}

/** Which order the children of one kind are read in: `size` lists folders by name, A to Z. */
export function phaseOrder(order: ListOrder, phase: Phase): ListOrder {
  return order.sort === 'size' && phase === 'folder' ? DEFAULT_ORDER : order;
}

/** The order a request asked for (absent parts take the default). */
export const orderOf = (page: Partial<ListOrder>): ListOrder => ({
  sort: page.sort ?? DEFAULT_ORDER.sort,
  order: page.order ?? DEFAULT_ORDER.order,
});
