/**
 * Not a Lambda entry (those are the files directly in functions/lambda/): the adapters all three API
 * functions wire (the tree, people, the log, the company, the documents bucket), built once per
 * container. What only some functions need stays in their own entry, so a bundle carries no client
 * its routes never call (the jobs function needs no S3, so it does not use this).
 */

import type { PortalDeps } from '../../app/ports.ts';
import * as files from '../../aws/s3.ts';
import { config } from '../../lib/config.ts';
import * as activity from '../../store/activity.ts';
import * as deliveries from '../../store/deliveries.ts';
import * as nodes from '../../store/nodes.ts';
import * as rateLimits from '../../store/rate.ts';
import * as settings from '../../store/settings.ts';
import * as users from '../../store/users.ts';

export const readAdapters: PortalDeps = {
  nodes,
  users,
  activity,
  deliveries,
  settings,
  files,
  rateLimits,
  config,
};
