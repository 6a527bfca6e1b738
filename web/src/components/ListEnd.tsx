/**
 * The end of a paged list (folder listings, trash, web users, activity): the next page loads as the end
 * comes into view, or with "Cargar más"; it says how many are shown, and plainly when there are no more.
 */
import { useEffect, useRef } from 'preact/hooks';
import { t } from '../i18n/index.ts';
import { ErrorMessage, useLang } from './ui.tsx';

export function ListEnd({
  shown,
  hasMore,
  loading,
  onMore,
  error,
}: {
  shown: number;
  hasMore: boolean;
  loading: boolean;
  onMore: () => void;
  error?: unknown;
}) {
  useLang();
  const end = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const el = end.current;
    if (!el || !hasMore || loading || error || typeof IntersectionObserver !== 'function') return;
    const io = new IntersectionObserver((seen) => seen.some((s) => s.isIntersecting) && onMore());
    io.observe(el);
    return () => io.disconnect();
  });
  return (
    <div class="page-end" ref={end} data-testid="page-end">
      <ErrorMessage error={error} />
      {hasMore ? (
        <>
          <span class="hint">{t('browse.shownMore', { n: shown })}</span>
          <button type="button" class="btn" disabled={loading} onClick={onMore}>
            {loading ? t('common.working') : t('common.loadMore')}
          </button>
        </>
      ) : (
        <span class="hint">{t('browse.shownAll', { n: shown })}</span>
      )}
    </div>
  );
}
