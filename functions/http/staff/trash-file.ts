import { trashItem } from '../../app/documents.ts';
import { defineStaffRoute, noContent } from '../define.ts';
import { idParam, staffCtx } from '../schemas.ts';

/** DELETE /files/{id}: to the trash (the bytes stay in S3). */
export default defineStaffRoute({ params: idParam }, async ({ params }, req) => {
  await trashItem(req.deps, 'file', params.id, staffCtx(req));
  return noContent();
});
