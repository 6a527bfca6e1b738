import * as z from 'zod';
import { sendFolder } from '../../app/sharing.ts';
import { created, defineStaffRoute } from '../define.ts';
import { email, freeText, idParam, isoDate, language, personName, staffCtx } from '../schemas.ts';

const body = z.strictObject({
  email,
  name: personName().optional(),
  message: freeText(5000).optional(),
  expiresAt: isoDate.optional(),
  language: language.optional(),
  /** The holder must also give it (8 to 128 characters); stored only as a scrypt hash, never mailed. */
  password: z.string().min(8).max(128).optional(),
  /** After this many downloads the link opens nothing, as if expired. */
  maxDownloads: z.number().int().min(1).max(1000).optional(),
  /** Mail the sender once, when the link is first opened. */
  notifyOnOpen: z.boolean().optional(),
});

/** POST /folders/{id}/send: "Send by email" — a share link, mailed; the token is never returned. */
export default defineStaffRoute({ params: idParam, body }, async ({ params, body }, req) =>
  created(await sendFolder(req.deps, params.id, body, staffCtx(req))),
);
