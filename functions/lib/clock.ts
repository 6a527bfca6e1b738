/**
 * The one source of "now" for request handling. On the local stack, and only
 * when CARPETA_TEST_CLOCK=1, a request may carry `x-carpeta-now` so tests can
 * let expiries pass without waiting. In AWS the header is ignored.
 */
import type { APIGatewayProxyEventV2 } from 'aws-lambda';

export const clock = {
  now(event?: APIGatewayProxyEventV2): Date {
    if (process.env.CARPETA_LOCAL && process.env.CARPETA_TEST_CLOCK === '1') {
      const header = event?.headers?.['x-carpeta-now'];
      if (header && !Number.isNaN(Date.parse(header))) return new Date(header);
    }
    return new Date();
  },
};

/** The clock of work outside a request (jobs, caches): the machine's time. */
export const systemClock = { now: () => new Date() };
