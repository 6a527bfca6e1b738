/** Uploads bytes the way the site does: presigned POST with FormData, or PUTs of multipart parts. */
export async function uploadWith(
  upload: any,
  bytes: Uint8Array,
  contentType: string,
  /** Part URLs beyond the first page (GET /files/{id}/versions/{versionId}/parts). */
  morePartUrls?: (from: number, to: number) => Promise<Array<{ partNumber: number; url: string }>>,
): Promise<Array<{ partNumber: number; etag: string }> | undefined> {
  if (upload.type === 'post') {
    const form = new FormData();
    for (const [k, v] of Object.entries(upload.fields as Record<string, string>)) form.append(k, v);
    form.append('file', new Blob([bytes as Uint8Array<ArrayBuffer>], { type: contentType }), 'upload.bin');
    const res = await fetch(upload.url, { method: 'POST', body: form });
    if (res.status >= 300) throw new Error(`upload failed: ${res.status} ${await res.text()}`);
    return undefined;
  }
  const parts: Array<{ partNumber: number; etag: string }> = [];
  const urls: Array<{ partNumber: number; url: string }> = [...upload.parts];
  if (urls.length < upload.partCount) {
    if (!morePartUrls) throw new Error(`${upload.partCount} parts, ${urls.length} URLs: pass morePartUrls`);
    for (let from = urls.length + 1; from <= upload.partCount; from += 100)
      urls.push(...(await morePartUrls(from, Math.min(upload.partCount, from + 99))));
  }
  // Four parts at a time, as a browser would (the site sends three).
  let next = 0;
  const sendParts = async () => {
    for (let p = urls[next++]; p; p = urls[next++]) {
      const start = (p.partNumber - 1) * upload.partSize;
      const res = await fetch(p.url, {
        method: 'PUT',
        body: bytes.subarray(start, start + upload.partSize) as Uint8Array<ArrayBuffer>,
      });
      if (res.status >= 300) throw new Error(`part upload failed: ${res.status} ${await res.text()}`);
      parts.push({ partNumber: p.partNumber, etag: res.headers.get('etag')! });
    }
  };
  await Promise.all([sendParts(), sendParts(), sendParts(), sendParts()]);
  return parts.sort((a, b) => a.partNumber - b.partNumber);
}

export async function download(url: string): Promise<{ bytes: Buffer; headers: Headers; status: number }> {
  const res = await fetch(url);
  return { bytes: Buffer.from(await res.arrayBuffer()), headers: res.headers, status: res.status };
}
