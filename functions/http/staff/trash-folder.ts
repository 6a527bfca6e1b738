import { defineRoute, noContent } from '../../lib/http.ts';
import { idParam, staffCtx } from '../schemas.ts';
import { trashItem } from '../../app/documents.ts';

/** DELETE /folders/{id}: the folder and everything under it go to the trash. */
export default defineRoute({ params: idParam }, async ({ params }, req) => {
  await trashItem('folder', params.id, staffCtx(req));
  return noContent();
});
