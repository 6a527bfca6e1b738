import * as z from 'zod';
import { startAuthenticator } from '../../app/two-step.ts';
import { defineStaffRoute, ok } from '../define.ts';
import { sixDigits, staffCtx, twoStepSession } from '../schemas.ts';

const body = z.strictObject({ emailCode: sixDigits });

/** POST /me/two-step/authenticator: with the mailed code, a new secret for the authenticator app. */
export default defineStaffRoute({ body }, async ({ body }, req) =>
  ok(await startAuthenticator(req.deps, twoStepSession(req), body.emailCode, staffCtx(req))),
);
