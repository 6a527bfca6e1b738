/**
 * How a document is handed to a browser. Only PDFs and raster images may be
 * shown inline; everything else (HTML, SVG, unknown types) is an attachment,
 * so a document can never run script in anybody's browser.
 */
export type Disposition = 'attachment' | 'inline';

const INLINE_TYPES = new Set(['application/pdf', 'image/png', 'image/jpeg', 'image/gif', 'image/webp']);

export function canShowInline(contentType: string): boolean {
  return INLINE_TYPES.has(contentType.split(';')[0].trim().toLowerCase());
}

/** RFC 6266 / RFC 5987: an ASCII fallback plus the exact UTF-8 name. */
export function contentDisposition(
  name: string,
  contentType: string,
  wanted: Disposition,
): { header: string; contentType: string } {
  const inline = wanted === 'inline' && canShowInline(contentType);
  const fallback = name.replace(/[^\x20-\x7e]|["\\;%]/g, '_').trim() || 'download';
  // A name stored before names had to be well-formed text: its lone surrogates become U+FFFD here
  // rather than an URIError after the download was recorded.
  const encoded = encodeURIComponent(name.toWellFormed()).replace(
    /['()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
  return {
    header: `${inline ? 'inline' : 'attachment'}; filename="${fallback}"; filename*=UTF-8''${encoded}`,
    contentType: inline ? contentType.split(';')[0].trim().toLowerCase() : 'application/octet-stream',
  };
}

/** Images small enough to show as a thumbnail in a listing (the whole image is fetched, shown small). */
export const THUMBNAIL_MAX_BYTES = 5 * 1024 * 1024;
/** At most this many thumbnails per page of a listing. */
export const THUMBNAILS_PER_PAGE = 60;

export function canThumbnail(f: { contentType: string; size: number }): boolean {
  const ct = f.contentType.split(';')[0].trim().toLowerCase();
  return ct.startsWith('image/') && canShowInline(ct) && f.size <= THUMBNAIL_MAX_BYTES;
}
