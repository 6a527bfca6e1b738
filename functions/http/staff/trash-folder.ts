import { trashItem } from '../../app/documents.ts';
import { defineStaffRoute, noContent } from '../define.ts';
import { idParam, staffCtx } from '../schemas.ts';

/** DELETE /folders/{id}: the folder and everything under it go to the trash. */
export default defineStaffRoute({ params: idParam }, async ({ params }, req) => {
  await trashItem(req.deps, 'folder', params.id, staffCtx(req));
  return noContent();
});
