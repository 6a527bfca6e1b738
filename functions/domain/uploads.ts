/**
 * How an upload goes to S3: one presigned POST up to the multipart
 * threshold, presigned parts above it, and nothing beyond S3's limits.
 */
import { TooLarge } from '../lib/errors.ts';

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
