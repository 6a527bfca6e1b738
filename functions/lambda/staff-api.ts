/** Lambda entry for the staff trust boundary: serves the routes under functions/http/staff/. */
import { createApi } from '../lib/api.ts';
import { staffGuard } from '../app/staff-gate.ts';

export const handler = createApi('staff', (name) => import(`../http/staff/${name}.ts`), { guard: staffGuard });
