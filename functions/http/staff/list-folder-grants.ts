import { defineRoute, ok } from '../../lib/http.ts';
import { idParam } from '../schemas.ts';
import { folderGrants } from '../../app/sharing.ts';

/** GET /folders/{id}/grants: the web users this folder is shared with. */
export default defineRoute({ params: idParam }, async ({ params }) => ok({ grants: await folderGrants(params.id) }));
