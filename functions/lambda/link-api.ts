/** Lambda entry for the link trust boundary: serves the routes under functions/http/link/. */
import { createApi } from '../lib/api.ts';

export const handler = createApi('link', (name) => import(`../http/link/${name}.ts`));
