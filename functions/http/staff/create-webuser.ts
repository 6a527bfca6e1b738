import * as z from 'zod';
import { created, defineRoute } from '../../lib/http.ts';
import { email, language, personName, staffCtx } from '../schemas.ts';
import { createWebuser } from '../../app/webusers.ts';

const body = z.strictObject({
  email,
  name: personName(),
  language: language.optional(),
  folderIds: z.array(z.string().min(1).max(64)).max(100).optional(),
});

/** POST /webusers: creates the client, grants folders, emails the invitation. */
export default defineRoute({ body }, async ({ body }, req) => created(await createWebuser(body, staffCtx(req))));
