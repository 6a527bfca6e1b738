import { defineRoute, ok } from '../../lib/http.ts';
import { idParam } from '../schemas.ts';
import { folderLinks } from '../../app/sharing.ts';

/** GET /folders/{id}/links: links sent for this folder, with their status. */
export default defineRoute({ params: idParam }, async ({ params }, req) => ok(await folderLinks(params.id, req.now)));
