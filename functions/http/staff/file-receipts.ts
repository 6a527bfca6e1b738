import { fileReceipts } from '../../app/oversight.ts';
import { defineStaffRoute, ok } from '../define.ts';
import { idParam } from '../schemas.ts';

/** GET /files/{id}/receipts: everyone who could reach the file, and whether and when they downloaded it. */
export default defineStaffRoute({ params: idParam }, async ({ params }, req) =>
  ok(await fileReceipts(req.deps, params.id, req.now)),
);
