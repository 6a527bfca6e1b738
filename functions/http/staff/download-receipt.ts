import * as z from 'zod';
import { defineRoute, ok } from '../../lib/http.ts';
import { downloadReceipt, receiptPdf } from '../../app/oversight.ts';

const params = z.strictObject({ eventId: z.string().min(1).max(64) });
const query = z.object({ format: z.enum(['json', 'pdf']).default('json') });

/** GET /receipts/{eventId}: a delivery receipt for one download, as JSON or a one-page PDF. */
export default defineRoute({ params, query }, async ({ params, query }) => {
  const receipt = await downloadReceipt(params.eventId);
  if (query.format === 'json') return ok(receipt.receipt);
  return {
    status: 200,
    headers: { 'content-disposition': `attachment; filename="receipt-${params.eventId}.pdf"` },
    raw: { contentType: 'application/pdf', data: await receiptPdf(receipt) },
  };
});
