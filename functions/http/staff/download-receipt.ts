import * as z from 'zod';
import { downloadReceipt, receiptPdf } from '../../app/oversight.ts';
import { defineStaffRoute, ok } from '../define.ts';

const params = z.strictObject({ eventId: z.string().min(1).max(64) });
const query = z.object({ format: z.enum(['json', 'pdf']).default('json') });

/** GET /receipts/{eventId}: a delivery receipt for one download, as JSON or a one-page PDF. */
export default defineStaffRoute({ params, query }, async ({ params, query }, req) => {
  const receipt = await downloadReceipt(req.deps, params.eventId);
  if (query.format === 'json') return ok(receipt.receipt);
  return {
    status: 200,
    headers: { 'content-disposition': `attachment; filename="receipt-${params.eventId}.pdf"` },
    raw: { contentType: 'application/pdf', data: await receiptPdf(req.deps, receipt) },
  };
});
