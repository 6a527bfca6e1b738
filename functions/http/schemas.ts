/** Input schemas shared by route files. Unknown body fields are refused (strictObject). */
import * as z from 'zod';
import type { RequestInfo } from '../lib/http.ts';
import type { Ctx } from '../app/documents.ts';

export const idParam = z.strictObject({ id: z.string().min(1).max(64) });
export const fileVersionParams = z.strictObject({ id: z.string().min(1).max(64), versionId: z.string().min(1).max(64) });

export const pageQuery = z.object({
  limit: z.coerce.number().int().min(1).max(1000).default(200),
  cursor: z.string().max(2048).optional(),
});

export const itemName = z.string().max(4096);
export const contentType = z
  .string()
  .max(255)
  .regex(/^[\w.+-]+\/[\w.+-]+(\s*;\s*[\w.+-]+=[\w.+"-]+)*$/, 'must be a MIME type such as application/pdf');
export const size = z.number().int().min(0).max(Number.MAX_SAFE_INTEGER);
export const version = z.number().int().min(1);

/** The acting staff member, for activity events and "who did what". */
export function staffCtx(req: RequestInfo): Ctx {
  return { actor: { kind: 'staff', id: req.caller!.sub }, now: req.now, ip: req.ip, userAgent: req.userAgent };
}
