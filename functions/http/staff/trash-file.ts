import { defineRoute, noContent } from '../../lib/http.ts';
import { idParam, staffCtx } from '../schemas.ts';
import { trashItem } from '../../app/documents.ts';

/** DELETE /files/{id}: to the trash (the bytes stay in S3). */
export default defineRoute({ params: idParam }, async ({ params }, req) => {
  await trashItem('file', params.id, staffCtx(req));
  return noContent();
});
