/**
 * The local stack's own endpoints (sent mail, jobs, fault control) answer only requests addressed to a
 * loopback name: a page on another site that rebinds its DNS name to 127.0.0.1 still sends its own
 * name as Host, so it cannot read invitation tokens out of the local mailbox.
 */
export const isLoopbackHost = (host: string | undefined) =>
  /^(localhost|127\.0\.0\.1|\[::1\])(:\d+)?$/i.test(host ?? '');
