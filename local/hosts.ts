/**
 * The local stack's own endpoints (sent mail, jobs, fault control) answer only requests addressed to a
 * loopback name: a page on another site that rebinds its DNS name to 127.0.0.1 still sends its own
 * name as Host, so it cannot read invitation tokens out of the local mailbox.
 */
import type { Server } from 'node:http';
export const isLoopbackHost = (host: string | undefined) =>
  /^(localhost|127\.0\.0\.1|\[::1\])(:\d+)?$/i.test(host ?? '');

/**
 * Node closes a connection idle for 5 s; AWS's endpoints keep one far longer. A client that reuses a pooled
 * socket just as the server closes it (its event loop busy on a loaded machine, so the FIN not yet read)
 * gets "socket hang up" on a request that never reached the server. Local servers keep idle connections a
 * minute, as a real endpoint would, so that race is not a local-only failure.
 */
export function keepIdleConnections(server: Server): void {
  server.keepAliveTimeout = 60_000;
  server.headersTimeout = 61_000;
}
