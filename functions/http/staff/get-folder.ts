import { defineRoute, ok } from '../../lib/http.ts';
import { idParam, pageQuery } from '../schemas.ts';
import { openFolder } from '../../app/documents.ts';

/** GET /folders/{id}: the folder, its breadcrumbs and a page of its children. */
export default defineRoute({ params: idParam, query: pageQuery }, async ({ params, query }) =>
  ok(await openFolder(params.id, query)),
);
