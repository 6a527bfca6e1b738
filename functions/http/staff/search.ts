import { searchDocuments } from '../../app/documents.ts';
import { defineStaffRoute, ok } from '../define.ts';
import { searchQuery } from '../schemas.ts';

/** GET /search?q=: files and folders by name anywhere in the tree, with their paths. */
export default defineStaffRoute({ query: searchQuery }, async ({ query }, req) =>
  ok(await searchDocuments(req.deps, query.q, query)),
);
