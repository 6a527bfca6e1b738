/**
 * Lambda entry for the staff trust boundary: serves the routes under functions/http/staff/.
 * The adapters are built once per container, here, and reach every route as `req.deps`.
 */

import type { StaffDeps } from '../app/ports.ts';
import { staffGuard } from '../app/staff-gate.ts';
import * as identity from '../aws/cognito.ts';
import * as mailer from '../aws/mail.ts';
import { createApi } from '../lib/api.ts';
import { systemClock } from '../lib/clock.ts';
import { config } from '../lib/config.ts';
import * as clientIds from '../store/client-ids.ts';
import * as links from '../store/links.ts';
import * as nodes from '../store/nodes.ts';
import * as twoStep from '../store/two-step.ts';
import { readAdapters } from './wiring/read-adapters.ts';

/** Exported for the local demo seed, which goes through the same use cases. */
export const deps: StaffDeps = {
  ...readAdapters,
  // Staff may change the tree; the client functions wire only its reads (their roles write no node items).
  nodeWrites: nodes,
  clientIds,
  links,
  invitations: links,
  mailer,
  identity,
  twoStep,
  clock: systemClock,
  config,
};

export const handler = createApi('staff', (name) => import(`../http/staff/${name}.ts`), { deps, guard: staffGuard });
