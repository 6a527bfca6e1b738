/**
 * Lambda entry for the portal trust boundary: serves the routes under functions/http/portal/.
 * Web users only read and download: no mail, no user pool, no writes beyond activity and session state.
 */
import { createApi } from '../lib/api.ts';
import { readAdapters } from './wiring/read-adapters.ts';

export const handler = createApi('portal', (name) => import(`../http/portal/${name}.ts`), { deps: readAdapters });
