import * as z from 'zod';
import { MAX_PLAN_NAMES, planRouting } from '../../app/routing.ts';
import { defineStaffRoute, ok } from '../define.ts';
import { itemName, staffCtx } from '../schemas.ts';

const body = z.strictObject({
  names: z.array(itemName).min(1).max(MAX_PLAN_NAMES),
  subPath: z.string().max(1024).optional(),
});

/**
 * POST /routing/plan ("Repartir a clientes"): for each file name, in order, the client folder it goes in
 * (a valid tax id in the name, or the client code) and its path under `subPath` ("Nóminas/{yyyy}/{mm}"),
 * or why not: no-match, ambiguous, invalid. Reads only.
 */
export default defineStaffRoute({ body }, async ({ body }, req) =>
  ok(await planRouting(req.deps, body, staffCtx(req))),
);
