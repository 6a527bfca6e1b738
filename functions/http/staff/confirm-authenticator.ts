import * as z from 'zod';
import { confirmAuthenticator } from '../../app/two-step.ts';
import { defineStaffRoute, ok } from '../define.ts';
import { personName, sixDigits, staffCtx, twoStepSession } from '../schemas.ts';

const body = z.strictObject({
  emailCode: sixDigits,
  code: sixDigits,
  deviceName: personName(60).default('Authenticator'),
});

/**
 * POST /me/two-step/authenticator/confirm: the app's current code turns two-step verification on and ends
 * every session of the account (the next sign-in asks for the app's code).
 */
export default defineStaffRoute({ body }, async ({ body }, req) =>
  ok(await confirmAuthenticator(req.deps, twoStepSession(req), body, staffCtx(req))),
);
