/**
 * How an upload goes to S3: one presigned POST up to the multipart
 * threshold, presigned parts above it, and nothing beyond S3's limits.
 */
import { Conflict, Invalid, TooLarge } from '../lib/errors.ts';
import type { ChecksumCheck } from './model.ts';

export interface UploadLimits {
  multipartThreshold: number;
  maxSinglePutSize: number;
  maxMultipartSize: number;
}

export function uploadPlan(size: number, limits: UploadLimits): { multipart: boolean } {
  if (size > limits.maxMultipartSize) throw new TooLarge(`size: at most ${limits.maxMultipartSize} bytes.`, 'size');
  const multipart = size > limits.multipartThreshold;
  if (!multipart && size > limits.maxSinglePutSize)
    throw new TooLarge(`size: at most ${limits.maxSinglePutSize} bytes in one upload.`, 'size');
  return { multipart };
}

/**
 * The slowest office line an upload URL is sized for: 256 KiB/s (about 2 Mbit/s up, an ADSL line or a
 * busy shared fibre). A URL lives as long as its bytes take at that rate, plus five minutes of slack, and
 * never longer than the deployment's cap: a policy or part URL is useless (and unusable to replace
 * anything) soon after its upload could have finished.
 */
export const SLOWEST_UPLOAD_BYTES_PER_SECOND = 256 * 1024;
const SLACK_SECONDS = 300;

export function uploadUrlSeconds(bytes: number, capSeconds: number): number {
  return Math.min(capSeconds, SLACK_SECONDS + Math.ceil(bytes / SLOWEST_UPLOAD_BYTES_PER_SECOND));
}

/**
 * How long a pending upload holds its name in the folder: the whole file at the slowest rate, plus slack,
 * at most a day (the bucket aborts multipart uploads left incomplete for a day).
 */
export function uploadWindowSeconds(size: number): number {
  return Math.min(86_400, SLACK_SECONDS + Math.ceil(size / SLOWEST_UPLOAD_BYTES_PER_SECOND));
}

/** Part URLs are handed out in pages of at most this many (one response stays small whatever the size). */
export const PART_PAGE_MAX = 100;
/** The first page, in the answer that starts the upload. */
export const FIRST_PART_PAGE = 10;

/** Bytes of part `n` (1-based) of a file of `size` in parts of `partSize`. */
export const partBytes = (size: number, partSize: number, n: number) =>
  Math.max(0, Math.min(partSize, size - (n - 1) * partSize));

/** Checks a requested page of parts; returns the part numbers. */
export function partPage(from: number, to: number, partCount: number): number[] {
  if (from < 1 || from > partCount) throw new Invalid(`from: must be between 1 and ${partCount}.`, 'from', 'range');
  if (to < from || to > partCount) throw new Invalid(`to: must be between from and ${partCount}.`, 'to', 'range');
  if (to - from + 1 > PART_PAGE_MAX)
    throw new Invalid(`to: at most ${PART_PAGE_MAX} parts per request.`, 'to', 'too_many');
  return Array.from({ length: to - from + 1 }, (_, i) => from + i);
}

/** S3 wants the 32 bytes of a SHA-256 in base64; our API speaks lower-case hex (what `sha256sum` prints). */
export const sha256Base64 = (hex: string): string => Buffer.from(hex, 'hex').toString('base64');

/** Pages of parts with their SHA-256s stay this small: 50 × 65 characters of query, within API Gateway's 10 KB. */
export const CHECKSUM_PART_PAGE_MAX = 50;

/**
 * What a completed version records of its content hash. A declared hash was enforced by S3 (the upload
 * could not have succeeded otherwise); a hash S3 reports of an object it checked counts too; without
 * either, nothing is recorded (never a made-up value). S3 reporting a different hash than the one
 * declared cannot happen with S3 itself: it is refused rather than recorded.
 */
export function recordedChecksum(
  version: { declaredSha256?: string; uploadId?: string },
  stored: { sha256?: string },
): { sha256?: string; verifiedBy?: ChecksumCheck } {
  const declared = version.declaredSha256;
  if (declared) {
    if (stored.sha256 && stored.sha256 !== declared)
      throw new Conflict('Storage reports another SHA-256 than the one declared for this upload.', 'checksum_mismatch');
    return { sha256: declared, verifiedBy: version.uploadId ? 's3-parts' : 's3' };
  }
  return stored.sha256 ? { sha256: stored.sha256, verifiedBy: 's3' } : {};
}

/** Checks the SHA-256s sent with a page of part numbers: one per part, when (and only when) the upload declared one. */
export function partChecksums(declared: boolean, partNumbers: number[], checksums: string[] | undefined): string[] {
  if (!declared) {
    if (checksums?.length)
      throw new Invalid(
        'checksums: this upload declared no sha256, so its parts carry none.',
        'checksums',
        'not_declared',
      );
    return [];
  }
  if (!checksums)
    throw new Invalid(
      "checksums: this upload declared a sha256; each part URL is signed with its part's SHA-256.",
      'checksums',
      'required',
    );
  if (checksums.length !== partNumbers.length)
    throw new Invalid(
      `checksums: one SHA-256 per part, ${partNumbers.length} for parts ${partNumbers[0]} to ${partNumbers.at(-1)}.`,
      'checksums',
      'count',
    );
  if (partNumbers.length > CHECKSUM_PART_PAGE_MAX)
    throw new Invalid(`to: at most ${CHECKSUM_PART_PAGE_MAX} parts per request with checksums.`, 'to', 'too_many');
  return checksums;
}
