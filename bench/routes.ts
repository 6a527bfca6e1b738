/**
 * The hot routes the benchmark measures, with their documented cost
 * (docs/ARCHITECTURE.md, "Access patterns and their cost"): sequential
 * DynamoDB rounds before the response, whether an activity event is written
 * (one more round), and the DynamoDB calls the rounds before it hold (the
 * event is one PutItem per copy: the event, one per folder above its target,
 * one for its type). The share routes also read the brute-force counters in
 * their first round (functions/app/rate-limit.ts). A listing's first page reads
 * the child folders and the first files in parallel (folders first in every order).
 */
export type RouteId =
  | 'portal-folders'
  | 'portal-folder'
  | 'portal-download'
  | 'share-open'
  | 'share-download'
  | 'staff-folder'
  | 'staff-upload'
  | 'activity'
  | 'staff-sorted'
  | 'staff-search'
  | 'share-search';

export interface HotRoute {
  id: RouteId;
  label: string;
  kind: 'client' | 'staff';
  doc: { rounds: number; event: boolean; calls: number; reads: string };
  /** The answer every request must get. */
  status: number;
}

export const HOT_ROUTES: readonly HotRoute[] = [
  {
    id: 'portal-folders',
    label: 'GET /portal/folders',
    kind: 'client',
    status: 200,
    doc: {
      rounds: 2,
      event: false,
      calls: 3,
      reads: 'Query USER# ∥ Update session; BatchGet granted folders + ancestors',
    },
  },
  {
    id: 'portal-folder',
    label: 'GET /portal/folders/{id}',
    kind: 'client',
    status: 200,
    doc: {
      rounds: 2,
      event: true,
      calls: 7,
      reads:
        'Query USER# ∥ Get folder ∥ Update session; ' +
        'BatchGet ancestors ∥ Query child folders ∥ files ∥ Query confirmed here; event',
    },
  },
  {
    id: 'portal-download',
    label: 'GET /portal/files/{id}/download',
    kind: 'client',
    status: 200,
    doc: {
      rounds: 2,
      event: true,
      calls: 4,
      reads: 'Query USER# ∥ Get file ∥ Update session; BatchGet ancestors; event',
    },
  },
  {
    id: 'share-open',
    label: 'GET /share',
    kind: 'client',
    status: 200,
    doc: {
      rounds: 2,
      event: true,
      calls: 7,
      reads:
        'Get link ∥ BatchGet rate counters; ' +
        'BatchGet folder + ancestors ∥ Query child folders ∥ files ∥ Get settings ∥ Query confirmed here; event',
    },
  },
  {
    id: 'share-download',
    label: 'GET /share/files/{id}/download',
    kind: 'client',
    status: 200,
    doc: {
      rounds: 2,
      event: true,
      calls: 4,
      reads: 'Get link ∥ Get file ∥ BatchGet rate counters; BatchGet ancestors; event',
    },
  },
  {
    id: 'staff-folder',
    label: 'GET /folders/{id}',
    kind: 'staff',
    status: 200,
    doc: {
      rounds: 2,
      event: false,
      calls: 5,
      reads: 'Get folder; BatchGet ancestors ∥ Query child folders ∥ files ∥ Get settings',
    },
  },
  {
    id: 'staff-upload',
    label: 'POST /folders/{id}/files',
    kind: 'staff',
    status: 201,
    doc: { rounds: 2, event: false, calls: 3, reads: 'Get folder ∥ Put claim; Put pending version' },
  },
  {
    id: 'activity',
    label: 'GET /activity',
    kind: 'staff',
    status: 200,
    doc: { rounds: 2, event: false, calls: 2, reads: 'Query ACT#<month>; BatchGet the people it names by id' },
  },
  {
    id: 'staff-sorted',
    label: 'GET /folders/{big}?sort=…&order=desc',
    kind: 'staff',
    status: 200,
    doc: {
      rounds: 2,
      event: false,
      calls: 5,
      reads: 'Get folder; BatchGet ancestors ∥ Query GSI3/GSI4/GSI1 folders ∥ files ∥ Get settings',
    },
  },
  {
    id: 'staff-search',
    label: 'GET /search?q=documento',
    kind: 'staff',
    status: 200,
    doc: {
      rounds: 2,
      event: false,
      calls: 4,
      reads: 'Query SEARCH#root ∥ Get settings; BatchGet candidate folders + ancestors ∥ BatchGet files',
    },
  },
  {
    id: 'share-search',
    label: 'GET /share/search?q=documento',
    kind: 'client',
    status: 200,
    doc: {
      rounds: 3,
      event: false,
      calls: 5,
      reads: 'Get link ∥ BatchGet rate counters; Query SEARCH#<link folder>; BatchGet folders ∥ BatchGet files',
    },
  },
];
