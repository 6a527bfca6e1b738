import * as z from 'zod';
import { writeSettings } from '../../app/oversight.ts';
import { defineStaffRoute, ok } from '../define.ts';
import { language, personName } from '../schemas.ts';

const color = z.string().regex(/^#[0-9a-fA-F]{6}$/, 'must be a colour like #1f4e79');
const body = z.strictObject({
  name: personName(120).trim().min(1),
  colors: z.strictObject({ primary: color, accent: color }),
  defaultLanguage: language,
  linkDefaultDays: z.number().int().min(1).max(365),
  notifications: z.strictObject({ batchMinutes: z.number().int().min(1).max(1440), uploaderReceipts: z.boolean() }),
  retentionMonths: z.number().int().min(0).max(240),
  // Absent: as they are (a client that does not know reminders does not turn them off).
  reminders: z
    .strictObject({ afterDays: z.number().int().min(1).max(365), max: z.number().int().min(0).max(10) })
    .optional(),
  logoKey: z.string().max(200).nullable().optional(),
});

/** PUT /settings (admin): replaces the company's settings; a new logo must have been uploaded first. */
export default defineStaffRoute({ body }, async ({ body }, req) =>
  ok(await writeSettings(req.deps, body, req.caller!.sub, req.now)),
);
