/**
 * The search box of the portal, the share page and the admin site: files and folders by name within
 * what the reader can reach (the server decides), each result with its path and the match marked, a
 * page at a time. A result opens its folder (a file: the folder it is in).
 */
import { useEffect, useState } from 'preact/hooks';
import type { SearchAnswer } from '../api.ts';
import { t } from '../i18n/index.ts';
import type { SearchHit } from '../types.ts';
import { Highlight } from './highlight.tsx';
import { A, ErrorMessage, useLang } from './ui.tsx';

export interface SearchProps {
  search: (q: string, cursor?: string, signal?: AbortSignal) => Promise<SearchAnswer>;
  folderHref: (folderId: string) => string;
  /** Where a found file opens (staff: its page); without it, the folder it is in. */
  fileHref?: (fileId: string) => string;
}

export function SearchBox({ search, folderHref, fileHref }: SearchProps) {
  useLang();
  const [text, setText] = useState('');
  const [found, setFound] = useState<{ q: string; items: SearchHit[]; nextCursor?: string }>();
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);
  const q = text.trim();

  useEffect(() => {
    setError(undefined);
    if (q.length < 2) {
      setFound(undefined);
      return;
    }
    const ctl = new AbortController();
    const timer = setTimeout(() => {
      setBusy(true);
      search(q, undefined, ctl.signal)
        .then(
          (r) => !ctl.signal.aborted && setFound({ q, ...r }),
          (err) => !ctl.signal.aborted && setError(err),
        )
        .finally(() => !ctl.signal.aborted && setBusy(false));
    }, 250);
    return () => {
      clearTimeout(timer);
      ctl.abort();
    };
  }, [q]);

  const more = async () => {
    if (!found?.nextCursor) return;
    setBusy(true);
    try {
      const r = await search(found.q, found.nextCursor);
      setFound({ q: found.q, items: [...found.items, ...r.items], nextCursor: r.nextCursor });
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  return (
    <search class="search">
      <label class="search-label">
        <span>{t('search.label')}</span>
        <input
          type="search"
          value={text}
          maxLength={100}
          placeholder={t('search.placeholder')}
          onInput={(e) => setText(e.currentTarget.value)}
        />
      </label>
      <ErrorMessage error={error} />
      {found && (
        <div class="search-results" data-testid="search-results">
          {found.items.length === 0 ? (
            <p class="empty">{t('search.none', { q: found.q })}</p>
          ) : (
            <ul class="items">
              {found.items.map((hit) => (
                <li key={hit.id} class="item search-hit">
                  <span class={hit.kind === 'folder' ? 'icon icon-folder' : 'icon icon-file'} aria-hidden="true" />
                  <A
                    href={
                      hit.kind === 'folder'
                        ? folderHref(hit.id)
                        : fileHref
                          ? fileHref(hit.id)
                          : folderHref(hit.folderId)
                    }
                    class="item-name"
                  >
                    <span>
                      <Highlight text={hit.name} q={found.q} />
                    </span>
                  </A>
                  <span class="item-meta search-path">
                    {hit.path.length ? hit.path.map((p) => p.name).join(' / ') : '—'}
                  </span>
                </li>
              ))}
            </ul>
          )}
          <p class="hint" data-testid="search-count">
            {found.nextCursor
              ? t('search.shownMore', { n: found.items.length })
              : t('search.shownAll', { n: found.items.length })}
          </p>
          {found.nextCursor && (
            <button type="button" class="btn" disabled={busy} onClick={() => void more()}>
              {t('common.loadMore')}
            </button>
          )}
        </div>
      )}
    </search>
  );
}
