import { exportPerson } from '../../app/oversight.ts';
import { defineStaffRoute } from '../define.ts';
import { idParam } from '../schemas.ts';

/** GET /webusers/{id}/export: everything stored about one person (GDPR access request), as a JSON file. */
export default defineStaffRoute({ params: idParam }, async ({ params }, req) => ({
  status: 200,
  headers: { 'content-disposition': `attachment; filename="carpeta-export-${params.id}.json"` },
  raw: {
    contentType: 'application/json; charset=utf-8',
    data: JSON.stringify(await exportPerson(req.deps, params.id, req.now), null, 2),
  },
}));
