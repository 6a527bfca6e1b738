/**
 * The SHA-256s an upload declares, so that S3 checks the bytes it receives: the whole file's (streamed in
 * slices through @noble/hashes, because WebCrypto digests only a whole buffer at once) and each part's
 * (WebCrypto, one part in memory at a time, as the part upload itself holds it). Hex, as sha256sum prints.
 */
import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex } from '@noble/hashes/utils.js';

/** Bytes read at a time: small enough for any machine, large enough that reading is not the cost. */
const SLICE = 4 * 1024 * 1024;

/** The whole file's SHA-256, read slice by slice; `onProgress` gets the bytes hashed so far. */
export async function fileSha256(
  file: Blob,
  onProgress?: (hashed: number) => void,
  stopped?: () => boolean,
): Promise<string> {
  const hash = sha256.create();
  for (let at = 0; at < file.size; at += SLICE) {
    if (stopped?.()) throw new DOMException('cancelled', 'AbortError');
    hash.update(new Uint8Array(await file.slice(at, at + SLICE).arrayBuffer()));
    onProgress?.(Math.min(file.size, at + SLICE));
  }
  return bytesToHex(hash.digest());
}

/** One part's SHA-256 (the part is read once for this, and again when it is sent). */
export async function blobSha256(part: Blob): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', await part.arrayBuffer());
  return bytesToHex(new Uint8Array(digest));
}
