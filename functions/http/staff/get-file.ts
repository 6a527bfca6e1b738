import { fileDetails } from '../../app/documents.ts';
import { defineStaffRoute, ok } from '../define.ts';
import { idParam } from '../schemas.ts';

/** GET /files/{id}: the file, its breadcrumbs and its versions, newest first. */
export default defineStaffRoute({ params: idParam }, async ({ params }, req) =>
  ok(await fileDetails(req.deps, params.id)),
);
