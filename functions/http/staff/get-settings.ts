import { readSettings } from '../../app/oversight.ts';
import { defineStaffRoute, ok } from '../define.ts';

/** GET /settings (admin): the company's settings. */
export default defineStaffRoute({}, async (_input, req) => ok(await readSettings(req.deps)));
