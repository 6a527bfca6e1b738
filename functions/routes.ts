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

  // Documents (staff)
  { method: 'GET', path: '/folders/root', audience: 'staff', handler: 'staff/get-root-folder' },
  { method: 'GET', path: '/folders/{id}', audience: 'staff', handler: 'staff/get-folder' },
  { method: 'POST', path: '/folders', audience: 'staff', handler: 'staff/create-folder' },
  { method: 'PATCH', path: '/folders/{id}', audience: 'staff', handler: 'staff/update-folder' },
  { method: 'DELETE', path: '/folders/{id}', audience: 'staff', handler: 'staff/trash-folder' },
  { method: 'POST', path: '/folders/{id}/files', audience: 'staff', handler: 'staff/start-upload' },
  { method: 'POST', path: '/files/{id}/versions', audience: 'staff', handler: 'staff/start-version' },
  { method: 'POST', path: '/files/{id}/versions/{versionId}/complete', audience: 'staff', handler: 'staff/complete-upload' },
  { method: 'GET', path: '/files/{id}', audience: 'staff', handler: 'staff/get-file' },
  { method: 'GET', path: '/files/{id}/download', audience: 'staff', handler: 'staff/download-file' },
  { method: 'PATCH', path: '/files/{id}', audience: 'staff', handler: 'staff/update-file' },
  { method: 'DELETE', path: '/files/{id}', audience: 'staff', handler: 'staff/trash-file' },
  { method: 'GET', path: '/trash', audience: 'staff', handler: 'staff/list-trash' },
  { method: 'POST', path: '/trash/{id}/restore', audience: 'staff', handler: 'staff/restore-item' },
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
