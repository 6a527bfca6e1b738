/** Lambda entry for the portal trust boundary: serves the routes under functions/http/portal/. */
import { createApi } from '../lib/api.ts';

export const handler = createApi('portal', (name) => import(`../http/portal/${name}.ts`));
