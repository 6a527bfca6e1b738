import * as z from 'zod';
import { updateFolder } from '../../app/documents.ts';
import { defineStaffRoute, ok } from '../define.ts';
import { idParam, itemName, staffCtx, version } from '../schemas.ts';

const body = z.strictObject({
  name: itemName.optional(),
  parentId: z.string().min(1).max(64).optional(),
  receiptsToUploader: z.boolean().nullable().optional(),
  // Checked (shape, check character) and normalised by the use case, which names the rule in its 400.
  taxId: z.string().max(32).nullable().optional(),
  clientCode: z.string().max(32).nullable().optional(),
  requiresAcknowledgement: z.boolean().nullable().optional(),
  // This folder's reminders instead of the company's (max 0: none beneath); null inherits again.
  reminders: z
    .strictObject({ afterDays: z.number().int().min(1).max(365), max: z.number().int().min(0).max(10) })
    .nullable()
    .optional(),
  version,
});

/**
 * PATCH /folders/{id}: rename, move, set uploader receipts, acknowledgement or reminders (null = inherit), the client's
 * tax id and client code (null clears; each unique in the company, 409 when taken), guarded by the version.
 */
export default defineStaffRoute({ params: idParam, body }, async ({ params, body }, req) =>
  ok(await updateFolder(req.deps, params.id, body, staffCtx(req))),
);
