/** Lambda entry for the staff trust boundary: serves the routes under functions/http/staff/. */
import { createApi } from '../lib/api.ts';
import { requireAdminMfa } from '../app/mfa.ts';

export const handler = createApi('staff', (name) => import(`../http/staff/${name}.ts`), { beforeAdmin: requireAdminMfa });
