/** Downloads: the API mints a short-lived URL (api.ts), the browser fetches the bytes from S3. */

/** Follow the URL; Content-Disposition: attachment makes it a download and the page stays. */
export function saveFrom(url: string): void {
  const a = document.createElement('a');
  a.href = url;
  a.rel = 'noopener';
  a.download = '';
  document.body.appendChild(a);
  a.click();
  a.remove();
}

/** Save a Blob (a PDF receipt, a JSON export) as a file: an object URL on a temporary <a download>. */
export function saveBlob(blob: Blob, fileName: string): void {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}
