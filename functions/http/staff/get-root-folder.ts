import { defineRoute, ok } from '../../lib/http.ts';
import { pageQuery } from '../schemas.ts';
import { openFolder } from '../../app/documents.ts';

/** GET /folders/root: the top of the company's tree. */
export default defineRoute({ query: pageQuery }, async ({ query }) => ok(await openFolder('root', query)));
