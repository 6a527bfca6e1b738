import * as z from 'zod';
import { createFolder } from '../../app/documents.ts';
import { created, defineStaffRoute } from '../define.ts';
import { itemName, staffCtx } from '../schemas.ts';

const body = z.strictObject({ parentId: z.string().min(1).max(64), name: itemName });

/** POST /folders: 201 with the new folder; 409 on a name clash; 404 if the parent is gone. */
export default defineStaffRoute({ body }, async ({ body }, req) =>
  created(await createFolder(req.deps, body, staffCtx(req))),
);
