import { defineStaffRoute, ok } from '../define.ts';
import { readSettings } from '../../app/oversight.ts';

/** GET /settings (admin): the company's settings. */
export default defineStaffRoute({}, async (_input, req) => ok(await readSettings(req.deps)));
