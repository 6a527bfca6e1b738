import { mailTwoStepCode } from '../../app/two-step.ts';
import { accepted, defineStaffRoute } from '../define.ts';
import { staffCtx, twoStepSession } from '../schemas.ts';

/** POST /me/two-step/code: mails a one-time code to the signed-in staff member, to turn on two-step verification. */
export default defineStaffRoute({}, async (_input, req) =>
  accepted(await mailTwoStepCode(req.deps, twoStepSession(req), staffCtx(req))),
);
