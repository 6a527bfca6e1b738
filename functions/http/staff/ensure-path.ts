import * as z from 'zod';
import { ensurePath } from '../../app/routing.ts';
import { defineStaffRoute, ok } from '../define.ts';
import { idParam, staffCtx } from '../schemas.ts';

const body = z.strictObject({ path: z.string().min(1).max(1024) });

/** POST /folders/{id}/path: the folder at `path` under this one ("Nóminas/2026/11"), made where missing, once. */
export default defineStaffRoute({ params: idParam, body }, async ({ params, body }, req) =>
  ok(await ensurePath(req.deps, params.id, body, staffCtx(req))),
);
