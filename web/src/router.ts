/**
 * The History API under the site's one route table (routes.ts): the path is the state, links are real
 * <a href>, `navigate` moves without a reload.
 */
import { useEffect, useState } from 'preact/hooks';

const listeners = new Set<() => void>();

/** `state` travels with the history entry (never in the URL): e.g. the email to prefill at sign-in. */
export function navigate(to: string, opts: { replace?: boolean; state?: Record<string, unknown> } = {}): void {
  if (to === location.pathname + location.search + location.hash && !opts.state) return;
  if (opts.replace) history.replaceState(opts.state ?? null, '', to);
  else history.pushState(opts.state ?? null, '', to);
  for (const fn of listeners) fn();
  if (!opts.replace) window.scrollTo(0, 0);
}

if (typeof window !== 'undefined') {
  window.addEventListener('popstate', () => {
    for (const fn of listeners) fn();
  });
  window.addEventListener('hashchange', () => {
    for (const fn of listeners) fn();
  });
}

export interface Loc {
  path: string;
  query: URLSearchParams;
  /** After "#", decoded: where share links and invitations carry their token (never sent to a server). */
  hash: string;
}

function current(): Loc {
  let hash = location.hash.replace(/^#/, '');
  try {
    hash = decodeURIComponent(hash);
  } catch {
    /* kept as it is */
  }
  return { path: location.pathname.replace(/\/+$/, '') || '/', query: new URLSearchParams(location.search), hash };
}

export function useLocation(): Loc {
  const [loc, setLoc] = useState(current);
  useEffect(() => {
    const fn = () => setLoc(current());
    listeners.add(fn);
    return () => void listeners.delete(fn);
  }, []);
  return loc;
}

/** onClick for <a href>: in-app navigation unless the user asked for a new tab. */
export function linkClick(e: MouseEvent): void {
  const a = e.currentTarget as HTMLAnchorElement;
  if (e.defaultPrevented || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey || a.target === '_blank')
    return;
  const url = new URL(a.href);
  if (url.origin !== location.origin) return;
  e.preventDefault();
  navigate(url.pathname + url.search + url.hash);
}
