import { createHash } from 'node:crypto';

type PartUrl = { partNumber: number; url: string; headers?: Record<string, string> };

/** Uploads bytes the way the site does: presigned POST with FormData, or PUTs of multipart parts. */
export async function uploadWith(
  upload: any,
  bytes: Uint8Array,
  contentType: string,
  /** Part URLs beyond the first page (GET /files/{id}/versions/{versionId}/parts), with their SHA-256s if declared. */
  morePartUrls?: (from: number, to: number, checksums?: string[]) => Promise<PartUrl[]>,
): Promise<Array<{ partNumber: number; etag: string; sha256?: string }> | undefined> {
  if (upload.type === 'post') {
    const form = new FormData();
    for (const [k, v] of Object.entries(upload.fields as Record<string, string>)) form.append(k, v);
    form.append('file', new Blob([bytes as Uint8Array<ArrayBuffer>], { type: contentType }), 'upload.bin');
    const res = await fetch(upload.url, { method: 'POST', body: form });
    if (res.status >= 300) throw new Error(`upload failed: ${res.status} ${await res.text()}`);
    return undefined;
  }
  const parts: Array<{ partNumber: number; etag: string; sha256?: string }> = [];
  const urls: PartUrl[] = [...upload.parts];
  // An upload that declared its SHA-256 gets part URLs only with its parts' SHA-256s, a page at a time.
  const checksummed = upload.checksums === 'sha256';
  const partSha256 = (n: number) =>
    createHash('sha256')
      .update(bytes.subarray((n - 1) * upload.partSize, n * upload.partSize))
      .digest('hex');
  const pageSize = checksummed ? upload.checksumPageMax : 100;
  if (urls.length < upload.partCount) {
    if (!morePartUrls) throw new Error(`${upload.partCount} parts, ${urls.length} URLs: pass morePartUrls`);
    for (let from = urls.length + 1; from <= upload.partCount; from += pageSize) {
      const to = Math.min(upload.partCount, from + pageSize - 1);
      const sums = checksummed ? Array.from({ length: to - from + 1 }, (_, i) => partSha256(from + i)) : undefined;
      urls.push(...(await morePartUrls(from, to, sums)));
    }
  }
  // Four parts at a time, as a browser would (the site sends three).
  let next = 0;
  const sendParts = async () => {
    for (let p = urls[next++]; p; p = urls[next++]) {
      const start = (p.partNumber - 1) * upload.partSize;
      const res = await fetch(p.url, {
        method: 'PUT',
        body: bytes.subarray(start, start + upload.partSize) as Uint8Array<ArrayBuffer>,
        // A part URL that signs its part's SHA-256 is sent with it (S3 checks the body against it).
        ...(p.headers ? { headers: p.headers } : {}),
      });
      if (res.status >= 300) throw new Error(`part upload failed: ${res.status} ${await res.text()}`);
      parts.push({
        partNumber: p.partNumber,
        etag: res.headers.get('etag')!,
        ...(checksummed ? { sha256: partSha256(p.partNumber) } : {}),
      });
    }
  };
  await Promise.all([sendParts(), sendParts(), sendParts(), sendParts()]);
  return parts.sort((a, b) => a.partNumber - b.partNumber);
}

export async function download(url: string): Promise<{ bytes: Buffer; headers: Headers; status: number }> {
  const res = await fetch(url);
  return { bytes: Buffer.from(await res.arrayBuffer()), headers: res.headers, status: res.status };
}
