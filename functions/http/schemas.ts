/** Input schemas shared by route files. Unknown body fields are refused (strictObject). */
import * as z from 'zod';
import type { LinkCtx, PortalCtx, StaffCtx } from '../app/access.ts';
import type { ActivityFilter } from '../app/activity.ts';
import type { TwoStepSession } from '../app/two-step.ts';
import { ORDERS, SORTS } from '../domain/listing.ts';
import { EVENT_TYPES, LANGUAGES } from '../domain/model.ts';
import { Unauthorized } from '../lib/errors.ts';
import type { RequestInfo } from '../lib/http.ts';

export const idParam = z.strictObject({ id: z.string().min(1).max(64) });
export const fileVersionParams = z.strictObject({
  id: z.string().min(1).max(64),
  versionId: z.string().min(1).max(64),
});

export const pageQuery = z.object({
  limit: z.coerce.number().int().min(1).max(1000).default(200),
  cursor: z.string().max(2048).optional(),
});

/** A folder listing's page and order: the server sorts the whole folder (folders first in every order). */
export const listingQuery = pageQuery.extend({
  sort: z.enum(SORTS, 'must be one of name, modified, size').default('name'),
  order: z.enum(ORDERS, 'must be asc or desc').default('asc'),
});

/** A search by name: `q` of 2..100 characters, a page of results. */
export const searchQuery = z.object({
  q: z.string().trim().min(2, 'must have at least 2 characters').max(100, 'must have at most 100 characters'),
  limit: z.coerce.number().int().min(1).max(100).default(25),
  cursor: z.string().max(2048).optional(),
});

/** "Download all" or a selection: up to 100 file ids, or a whole folder a page (cursor) at a time. */
export const downloadsBody = z
  .strictObject({
    fileIds: z.array(z.string().min(1).max(64)).min(1).max(100).optional(),
    cursor: z.string().max(2048).optional(),
  })
  .refine((b) => !(b.fileIds && b.cursor), {
    message: 'a cursor pages a whole folder; send it without fileIds',
    path: ['cursor'],
  });

export const itemName = z.string().max(4096);
/** RFC 9110 media type: type "/" subtype *( OWS ";" OWS parameter ), OWS being spaces and tabs only. */
const TOKEN = "[!#$%&'*+.^_`|~0-9A-Za-z-]+";
const QUOTED = '"(?:[\\t \\x21\\x23-\\x5b\\x5d-\\x7e]|\\\\[\\t \\x21-\\x7e])*"';
export const MEDIA_TYPE = new RegExp(`^${TOKEN}/${TOKEN}(?:[ \\t]*;[ \\t]*${TOKEN}=(?:${TOKEN}|${QUOTED}))*$`);
export const contentType = z
  .string()
  .max(255)
  .regex(MEDIA_TYPE, 'must be a media type such as application/pdf (type/subtype, optional ;parameters)');
export const size = z.number().int().min(0).max(Number.MAX_SAFE_INTEGER);
export const version = z.number().int().min(1);
/** A SHA-256 as `sha256sum` prints it: 64 hexadecimal characters (kept in lower case). */
export const sha256Hex = z
  .string()
  .regex(/^[0-9a-fA-F]{64}$/, 'must be 64 hexadecimal characters (a SHA-256, as sha256sum prints it)')
  .transform((s) => s.toLowerCase());

/** The acting staff member, for activity events and "who did what". */
export function staffCtx(req: RequestInfo): StaffCtx {
  return { ...anonCtx(req), actor: { kind: 'staff', id: req.caller!.sub } };
}

/** The signed-in staff member's own session, for the calls that act on the token's own user. */
export function twoStepSession(req: RequestInfo): TwoStepSession {
  const caller = req.caller!;
  if (!caller.accessToken) throw new Unauthorized();
  return { sub: caller.sub, username: caller.username, accessToken: caller.accessToken };
}

/** A six-digit one-time code, as typed (spaces allowed, as mails and apps group them). */
export const sixDigits = z
  .string()
  .max(20)
  .transform((s) => s.replace(/\s+/g, ''))
  .pipe(z.string().regex(/^\d{6}$/, 'must be the 6 digits'));

export const email = z.string().trim().max(254).email('must be an email address');
/**
 * A person's or company's name as typed (any script), but no control or text-direction characters that could disguise
 * who is who.
 */
export const personName = (max = 200) =>
  z
    .string()
    .max(max)
    .regex(
      // biome-ignore lint/suspicious/noControlCharactersInRegex: refusing control characters is the point
      /^[^\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]*$/,
      'cannot contain control or text-direction characters',
    );
/** Free text a person wrote (a "Send by email" message): line breaks and tabs, no other control characters. */
export const freeText = (max: number) =>
  z
    .string()
    .max(max)
    // biome-ignore lint/suspicious/noControlCharactersInRegex: refusing control characters is the point
    .regex(/^[^\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]*$/, 'cannot contain control characters');
export const language = z.enum(LANGUAGES);
export const isoDate = z
  .string()
  .max(40)
  .refine(
    (v) =>
      /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/.test(v) && !Number.isNaN(Date.parse(v)),
    'must be an ISO 8601 date-time with a time zone, e.g. 2026-12-31T23:59:00Z',
  );
export const userFolderParams = z.strictObject({ id: z.string().min(1).max(64), userId: z.string().min(1).max(64) });
/**
 * A share link's token: in the `X-Share-Token` header, never in the path or query string, which
 * CloudFront, S3 and API Gateway access logs record (issue 14). Other headers are not read.
 */
export const shareTokenHeader = z.object({
  'x-share-token': z.string().min(1).max(512),
  /** A password-protected link's password (never in a URL). */
  'x-share-password': z.string().max(128).optional(),
});
export const dispositionQuery = z.object({ disposition: z.enum(['attachment', 'inline']).default('attachment') });

/** A signed-in web user, as the portal's access decisions need them. */
export function portalCtx(req: RequestInfo): PortalCtx {
  return { ...anonCtx(req), caller: req.caller! };
}
/** A request with no account (share links, invitations). */
export function anonCtx(req: RequestInfo): LinkCtx {
  return { now: req.now, ip: req.ip, userAgent: req.userAgent, log: req.log };
}

/** A share route's request: the link's password, when sent, travels with it. */
export function shareCtx(req: RequestInfo, headers: { 'x-share-password'?: string }): LinkCtx {
  return {
    ...anonCtx(req),
    ...(headers['x-share-password'] !== undefined ? { password: headers['x-share-password'] } : {}),
  };
}

const EVENT_TYPE_NAMES = EVENT_TYPES as unknown as [string, ...string[]];
export const activityFilter = z.object({
  actorId: z.string().min(1).max(64).optional(),
  folderId: z.string().min(1).max(64).optional(),
  fileId: z.string().min(1).max(64).optional(),
  type: z.enum(EVENT_TYPE_NAMES).optional(),
  from: isoDate.optional(),
  to: isoDate.optional(),
});
export const activityQuery = activityFilter.extend({
  cursor: z.string().max(2048).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(50),
});

/** The API calls a target `fileId` (kept: it is the contract); the log filters by any target's id. */
export function activityFilterOf<T extends { fileId?: string }>({ fileId, ...rest }: T) {
  return { ...rest, targetId: fileId } satisfies ActivityFilter;
}
