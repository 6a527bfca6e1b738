import * as z from 'zod';
import { createWebuser } from '../../app/webusers.ts';
import { created, defineStaffRoute } from '../define.ts';
import { email, language, personName, staffCtx } from '../schemas.ts';

const body = z.strictObject({
  email,
  name: personName(),
  language: language.optional(),
  folderIds: z.array(z.string().min(1).max(64)).max(100).optional(),
});

/** POST /webusers: creates the client, grants folders, emails the invitation. */
export default defineStaffRoute({ body }, async ({ body }, req) =>
  created(await createWebuser(req.deps, body, staffCtx(req))),
);
