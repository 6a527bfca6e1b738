/**
 * The one source of "now" for request handling and jobs. On the local stack,
 * and only when CARPETA_TEST_CLOCK=1, a request may carry `x-carpeta-now` (and
 * a manual job run a `now`) so tests can let expiries pass without waiting.
 * In AWS both are ignored.
 */
import type { APIGatewayProxyEventV2 } from 'aws-lambda';

const testClock = () => !!process.env.CARPETA_LOCAL && process.env.CARPETA_TEST_CLOCK === '1';

/** `iso` when the test clock is on and it is a date, else the real now. */
function at(iso: string | undefined): Date {
  if (testClock() && iso && !Number.isNaN(Date.parse(iso))) return new Date(iso);
  return new Date();
}

export const clock = {
  now(event?: APIGatewayProxyEventV2): Date {
    return at(event?.headers?.['x-carpeta-now']);
  },
  at,
};

/** The clock of work outside a request (jobs, caches): the machine's time. */
export const systemClock = { now: () => new Date() };
