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
  | 'link' // a share-link token (X-Share-Token header) or an invitation token (body) is the credential
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
  { method: 'POST', path: '/folders/{id}/path', audience: 'staff', handler: 'staff/ensure-path' },
  { method: 'POST', path: '/routing/plan', audience: 'staff', handler: 'staff/plan-routing' },
  { method: 'DELETE', path: '/folders/{id}', audience: 'staff', handler: 'staff/trash-folder' },
  { method: 'POST', path: '/folders/{id}/files', audience: 'staff', handler: 'staff/start-upload' },
  { method: 'POST', path: '/files/{id}/versions', audience: 'staff', handler: 'staff/start-version' },
  {
    method: 'GET',
    path: '/files/{id}/versions/{versionId}/parts',
    audience: 'staff',
    handler: 'staff/upload-part-urls',
  },
  {
    method: 'POST',
    path: '/files/{id}/versions/{versionId}/complete',
    audience: 'staff',
    handler: 'staff/complete-upload',
  },
  {
    method: 'POST',
    path: '/files/{id}/versions/{versionId}/restore',
    audience: 'staff',
    handler: 'staff/restore-version',
  },
  { method: 'GET', path: '/files/{id}', audience: 'staff', handler: 'staff/get-file' },
  { method: 'GET', path: '/files/{id}/download', audience: 'staff', handler: 'staff/download-file' },
  { method: 'PATCH', path: '/files/{id}', audience: 'staff', handler: 'staff/update-file' },
  { method: 'DELETE', path: '/files/{id}', audience: 'staff', handler: 'staff/trash-file' },
  { method: 'GET', path: '/trash', audience: 'staff', handler: 'staff/list-trash' },
  { method: 'POST', path: '/trash/{id}/restore', audience: 'staff', handler: 'staff/restore-item' },
  { method: 'GET', path: '/search', audience: 'staff', handler: 'staff/search' },
  { method: 'POST', path: '/folders/{id}/downloads', audience: 'staff', handler: 'staff/download-folder' },

  // Clients (staff side): web users, grants, share links, activity
  { method: 'POST', path: '/webusers', audience: 'staff', handler: 'staff/create-webuser' },
  { method: 'GET', path: '/webusers', audience: 'staff', handler: 'staff/list-webusers' },
  { method: 'GET', path: '/webusers/{id}', audience: 'staff', handler: 'staff/get-webuser' },
  { method: 'PATCH', path: '/webusers/{id}', audience: 'staff', handler: 'staff/update-webuser' },
  { method: 'POST', path: '/webusers/{id}/invite', audience: 'staff', handler: 'staff/reinvite-webuser' },
  { method: 'DELETE', path: '/webusers/{id}', audience: 'staff', handler: 'staff/erase-webuser' },
  { method: 'GET', path: '/folders/{id}/grants', audience: 'staff', handler: 'staff/list-folder-grants' },
  { method: 'GET', path: '/folders/{id}/sharing', audience: 'staff', handler: 'staff/folder-sharing' },
  { method: 'PUT', path: '/folders/{id}/grants/{userId}', audience: 'staff', handler: 'staff/put-grant' },
  { method: 'DELETE', path: '/folders/{id}/grants/{userId}', audience: 'staff', handler: 'staff/delete-grant' },
  { method: 'POST', path: '/folders/{id}/send', audience: 'staff', handler: 'staff/send-folder' },
  { method: 'GET', path: '/folders/{id}/links', audience: 'staff', handler: 'staff/list-folder-links' },
  { method: 'DELETE', path: '/links/{id}', audience: 'staff', handler: 'staff/revoke-link' },
  { method: 'POST', path: '/links/{id}/extend', audience: 'staff', handler: 'staff/extend-link' },
  { method: 'GET', path: '/activity', audience: 'staff', handler: 'staff/list-activity' },
  { method: 'GET', path: '/activity/export', audience: 'staff', handler: 'staff/export-activity' },
  { method: 'GET', path: '/people', audience: 'staff', handler: 'staff/find-people' },

  // Oversight (staff; settings are admin only)
  { method: 'GET', path: '/files/{id}/receipts', audience: 'staff', handler: 'staff/file-receipts' },
  { method: 'GET', path: '/receipts/{eventId}', audience: 'staff', handler: 'staff/download-receipt' },
  { method: 'GET', path: '/deliveries/unopened', audience: 'staff', handler: 'staff/list-unopened' },
  { method: 'GET', path: '/reports/access', audience: 'staff', handler: 'staff/access-report' },
  { method: 'GET', path: '/webusers/{id}/view', audience: 'staff', handler: 'staff/view-as' },
  { method: 'GET', path: '/webusers/{id}/view/search', audience: 'staff', handler: 'staff/view-as-search' },
  { method: 'GET', path: '/webusers/{id}/export', audience: 'staff', handler: 'staff/export-webuser' },
  { method: 'GET', path: '/settings', audience: 'admin', handler: 'staff/get-settings' },
  { method: 'PUT', path: '/settings', audience: 'admin', handler: 'staff/put-settings' },
  { method: 'POST', path: '/settings/logo', audience: 'admin', handler: 'staff/start-logo-upload' },
  { method: 'GET', path: '/staff', audience: 'admin', handler: 'staff/list-staff' },
  { method: 'POST', path: '/staff', audience: 'admin', handler: 'staff/create-staff' },
  { method: 'PATCH', path: '/staff/{id}', audience: 'admin', handler: 'staff/update-staff' },

  // Two-step verification (any staff member; admins must): each step needs the code mailed to the account
  { method: 'POST', path: '/me/two-step/code', audience: 'staff', handler: 'staff/send-two-step-code' },
  { method: 'POST', path: '/me/two-step/authenticator', audience: 'staff', handler: 'staff/start-authenticator' },
  {
    method: 'POST',
    path: '/me/two-step/authenticator/confirm',
    audience: 'staff',
    handler: 'staff/confirm-authenticator',
  },

  // The client portal (web users)
  { method: 'GET', path: '/portal/folders', audience: 'webuser', handler: 'portal/list-folders' },
  { method: 'GET', path: '/portal/folders/{id}', audience: 'webuser', handler: 'portal/get-folder' },
  { method: 'GET', path: '/portal/files/{id}/download', audience: 'webuser', handler: 'portal/download-file' },
  { method: 'GET', path: '/portal/search', audience: 'webuser', handler: 'portal/search' },
  { method: 'POST', path: '/portal/folders/{id}/downloads', audience: 'webuser', handler: 'portal/download-folder' },
  // A client's one action: confirming receipt of a file that asks for it (an event, never a document change).
  { method: 'POST', path: '/portal/files/{id}/acknowledge', audience: 'webuser', handler: 'portal/acknowledge-file' },

  // Share links and invitations: the token is the credential, sent in the X-Share-Token header (share
  // links) or the body (invitations), never in a path or query string that an access log records.
  { method: 'GET', path: '/share', audience: 'link', handler: 'link/open-share' },
  { method: 'GET', path: '/share/folders/{id}', audience: 'link', handler: 'link/open-share-folder' },
  { method: 'GET', path: '/share/files/{id}/download', audience: 'link', handler: 'link/share-download' },
  { method: 'GET', path: '/share/search', audience: 'link', handler: 'link/share-search' },
  { method: 'POST', path: '/share/folders/{id}/downloads', audience: 'link', handler: 'link/share-download-folder' },
  { method: 'POST', path: '/share/files/{id}/acknowledge', audience: 'link', handler: 'link/share-acknowledge' },
  { method: 'POST', path: '/auth/invitations/accept', audience: 'public', handler: 'link/accept-invitation' },
  {
    method: 'POST',
    path: '/auth/staff-invitations/accept',
    audience: 'public',
    handler: 'staff/accept-staff-invitation',
  },
  { method: 'GET', path: '/branding', audience: 'public', handler: 'link/branding' },
  { method: 'GET', path: '/branding/logo', audience: 'public', handler: 'link/logo' },
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
