/**
 * Lambda entry for the link trust boundary: serves the routes under functions/http/link/.
 * Share links and invitations: the user pool only to set a password, no mail.
 */

import type { LinkDeps } from '../app/ports.ts';
import * as identity from '../aws/cognito.ts';
import { createApi } from '../lib/api.ts';
import { config } from '../lib/config.ts';
import * as links from '../store/links.ts';
import * as rateLimits from '../store/rate.ts';
import { readAdapters } from './wiring/read-adapters.ts';

const deps: LinkDeps = { ...readAdapters, links, invitations: links, rateLimits, identity, config };

export const handler = createApi('link', (name) => import(`../http/link/${name}.ts`), { deps });
