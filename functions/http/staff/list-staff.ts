import { defineRoute, ok } from '../../lib/http.ts';
import { listStaffAccounts } from '../../app/staff.ts';

/** GET /staff (admin): every staff account with role and status. */
export default defineRoute({}, async () => ok(await listStaffAccounts()));
