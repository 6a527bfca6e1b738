import { defineRoute, ok } from '../../lib/http.ts';
import { pageQuery } from '../schemas.ts';
import { listTrash } from '../../app/documents.ts';

/** GET /trash: what was trashed, by whom and when, newest first. */
export default defineRoute({ query: pageQuery }, async ({ query }) => ok(await listTrash(query)));
