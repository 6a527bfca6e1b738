/**
 * A folder listing that reaches its end, in the order the user chose: the server sorts the whole folder
 * (api.ts ListingPage), and `more()` appends the next page with the cursor of that order. A new order
 * starts again from page one.
 */
import { useRef, useState } from 'preact/hooks';
import type { ListingPage, SortKey, SortOrder } from '../api.ts';
import type { Listing } from '../types.ts';
import { useLoad } from './ui.tsx';

export const LISTING_PAGE = 200;

export interface ListingOrder {
  sort: SortKey;
  order: SortOrder;
}

export interface PagedListing<L extends Listing> {
  data?: L;
  error?: unknown;
  loading: boolean;
  reload: () => void;
  order: ListingOrder;
  setOrder: (o: ListingOrder) => void;
  more: () => Promise<void>;
  loadingMore: boolean;
  moreError?: unknown;
}

export function useListing<L extends Listing>(
  /** Undefined: nothing to list here (the page shows something else). */
  load: (p: ListingPage) => Promise<L | undefined>,
  deps: unknown[],
): PagedListing<L> {
  const [order, setOrder] = useState<ListingOrder>({ sort: 'name', order: 'asc' });
  const q = useLoad((signal) => load({ ...order, limit: LISTING_PAGE, signal }), [...deps, order.sort, order.order]);
  const [loadingMore, setLoadingMore] = useState(false);
  const [moreError, setMoreError] = useState<unknown>();
  // The listing a page is asked for: an answer for an older order or folder is dropped.
  const asked = useRef<L | undefined>(undefined);
  const more = async () => {
    const current = q.data;
    if (!current?.nextCursor || asked.current === current) return;
    asked.current = current;
    setLoadingMore(true);
    setMoreError(undefined);
    try {
      const next = await load({ ...order, limit: LISTING_PAGE, cursor: current.nextCursor });
      if (asked.current !== current || !next) return;
      q.set({
        ...current,
        folders: [...current.folders, ...next.folders],
        files: [...current.files, ...next.files],
        nextCursor: next.nextCursor,
      });
    } catch (err) {
      setMoreError(err);
      asked.current = undefined;
    } finally {
      setLoadingMore(false);
    }
  };
  return { ...q, data: q.data ?? undefined, order, setOrder, more, loadingMore, moreError };
}
