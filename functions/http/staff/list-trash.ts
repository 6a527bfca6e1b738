import { listTrash } from '../../app/documents.ts';
import { defineStaffRoute, ok } from '../define.ts';
import { pageQuery } from '../schemas.ts';

/** GET /trash: what was trashed, by whom and when, newest first. */
export default defineStaffRoute({ query: pageQuery }, async ({ query }, req) => ok(await listTrash(req.deps, query)));
