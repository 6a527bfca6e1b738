import { defineRoute, ok } from '../../lib/http.ts';

/** GET /health: the stack answers. Touches no dependency, so it is cheap to poll. */
export default defineRoute({}, async (_input, req) => ok({ status: 'ok', time: req.now.toISOString() }));
