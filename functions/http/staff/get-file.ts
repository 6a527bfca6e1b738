import { defineRoute, ok } from '../../lib/http.ts';
import { idParam } from '../schemas.ts';
import { fileDetails } from '../../app/documents.ts';

/** GET /files/{id}: the file, its breadcrumbs and its versions, newest first. */
export default defineRoute({ params: idParam }, async ({ params }) => ok(await fileDetails(params.id)));
