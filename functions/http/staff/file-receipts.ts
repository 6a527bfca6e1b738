import { defineRoute, ok } from '../../lib/http.ts';
import { idParam } from '../schemas.ts';
import { fileReceipts } from '../../app/oversight.ts';

/** GET /files/{id}/receipts: everyone who could reach the file, and whether and when they downloaded it. */
export default defineRoute({ params: idParam }, async ({ params }, req) => ok(await fileReceipts(params.id, req.now)));
