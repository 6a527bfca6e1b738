import { defineRoute, ok } from '../../lib/http.ts';
import { idParam } from '../schemas.ts';
import { getWebuser } from '../../app/webusers.ts';

/** GET /webusers/{id}: the client, their grants with paths, the links sent to them. */
export default defineRoute({ params: idParam }, async ({ params }, req) => ok(await getWebuser(params.id, req.now)));
