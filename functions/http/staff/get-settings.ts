import { defineRoute, ok } from '../../lib/http.ts';
import { readSettings } from '../../app/oversight.ts';

/** GET /settings (admin): the company's settings. */
export default defineRoute({}, async () => ok(await readSettings()));
