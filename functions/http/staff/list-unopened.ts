import * as z from 'zod';
import { unopenedDeliveries } from '../../app/deliveries.ts';
import { defineStaffRoute, ok } from '../define.ts';

const query = z.object({
  recipientId: z.string().min(1).max(64).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
  cursor: z.string().max(2048).optional(),
});

/**
 * GET /deliveries/unopened ("Pendientes"): per client (web user or link), the documents delivered and not
 * yet opened, oldest first; `recipientId` narrows it to one client.
 */
export default defineStaffRoute({ query }, async ({ query }, req) => ok(await unopenedDeliveries(req.deps, query)));
