import { defineLinkRoute, ok } from '../define.ts';

/** GET /health: the stack answers. Touches no dependency, so it is cheap to poll. */
export default defineLinkRoute({}, async (_input, req) => ok({ status: 'ok', time: req.now.toISOString() }));
