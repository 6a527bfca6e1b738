/**
 * The one route table. The CDK stack (infra/api.ts) and the local server
 * (local/api-shim.ts) both read it; nothing else lists routes.
 *
 * `handler` names a file under functions/http/: `portal/download-file` is
 * functions/http/portal/download-file.ts. The first segment is the Lambda
 * function (trust boundary) that serves the route, so each bundle only
 * contains its own handlers (see functions/lambda/*.ts).
 */
export type Audience =
  | 'public' // anyone, no token
  | 'link' // a share-link or invitation token in the path/body is the credential
  | 'signedin' // any valid access token from our user pool
  | 'staff' // group staff (admins are also in staff)
  | 'admin' // group admin
  | 'webuser'; // group webusers

export type FunctionName = 'staff' | 'portal' | 'link';

export interface Route {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  path: string;
  audience: Audience;
  handler: `${FunctionName}/${string}`;
}

export const routes: readonly Route[] = [
  { method: 'GET', path: '/health', audience: 'public', handler: 'link/health' },
  { method: 'GET', path: '/me', audience: 'signedin', handler: 'portal/me-any' },
  { method: 'GET', path: '/portal/me', audience: 'webuser', handler: 'portal/me' },
];

export function functionOf(route: Route): FunctionName {
  return route.handler.split('/')[0] as FunctionName;
}

export function routeKey(route: Pick<Route, 'method' | 'path'>): string {
  return `${route.method} ${route.path}`;
}

/** Audiences that need a JWT from the user pool (the HTTP API authorizer runs). */
export function needsJwt(audience: Audience): boolean {
  return audience !== 'public' && audience !== 'link';
}
