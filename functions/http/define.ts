/**
 * `defineRoute` for each function's routes: a route under http/<fn>/ uses its function's, so `req.deps`
 * is typed as what functions/lambda/<fn>-api.ts wires, and a route cannot call a use case that needs an
 * adapter its function does not have (the portal and link functions wire no mailer, the portal no user pool).
 */
import type { LinkDeps, PortalDeps, StaffDeps } from '../app/ports.ts';
import { routesWith } from '../lib/http.ts';

export { accepted, created, noContent, ok } from '../lib/http.ts';

export const defineStaffRoute = routesWith<StaffDeps>();
export const definePortalRoute = routesWith<PortalDeps>();
export const defineLinkRoute = routesWith<LinkDeps>();
