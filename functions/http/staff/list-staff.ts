import { listStaffAccounts } from '../../app/staff.ts';
import { defineStaffRoute, ok } from '../define.ts';

/** GET /staff (admin): every staff account with role and status. */
export default defineStaffRoute({}, async (_input, req) => ok(await listStaffAccounts(req.deps)));
