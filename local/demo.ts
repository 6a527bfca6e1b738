/**
 * The demo company a newcomer sees after the first `npm start`: client folders
 * with a few documents, a web user who can sign in to the portal, and a share link.
 * Everything goes through the same app functions the API uses.
 */

import { createHash } from 'node:crypto';
import type { StaffCtx as Ctx } from '../functions/app/access.ts';
import { completeUpload, createFolder, startUpload, updateFolder } from '../functions/app/documents.ts';
import { sendFolder } from '../functions/app/sharing.ts';
import { createWebuser } from '../functions/app/webusers.ts';
import { setPassword } from '../functions/aws/cognito.ts';
import { textPdf } from '../functions/domain/pdf.ts';
import { deps } from '../functions/lambda/staff-api.ts';
import { logger } from '../functions/lib/logger.ts';
import { markActivated } from '../functions/store/users.ts';

async function upload(folderId: string, name: string, ctx: Ctx): Promise<void> {
  // The receipt writer makes the demo documents too: one page with the document's name.
  const bytes = textPdf([{ text: name, size: 18 }], { title: name });
  // Declared as the site declares it: S3 checks it, and receipts show it.
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  const input = { name, size: bytes.length, contentType: 'application/pdf', sha256 };
  const started = await startUpload(deps, folderId, input, ctx);
  if (started.upload.type !== 'post') throw new Error('demo files are small');
  const form = new FormData();
  for (const [k, v] of Object.entries(started.upload.fields)) form.append(k, v);
  form.append('file', new Blob([bytes as Uint8Array<ArrayBuffer>], { type: 'application/pdf' }), name);
  const res = await fetch(started.upload.url, { method: 'POST', body: form });
  if (res.status >= 300) throw new Error(`demo upload failed: ${res.status}`);
  await completeUpload(deps, started.file.id, started.versionId, {}, ctx);
}

export interface DemoAccounts {
  client: { email: string; password: string };
}

export async function seedDemo(opts: { adminId: string; clientPassword: string }): Promise<DemoAccounts> {
  const ctx: Ctx = {
    actor: { kind: 'staff', id: opts.adminId },
    now: new Date(),
    ip: '127.0.0.1',
    userAgent: 'carpeta-demo-seed',
    log: logger,
  };
  const clients = await createFolder(deps, { parentId: 'root', name: 'Clientes' }, ctx);
  const garcia = await createFolder(deps, { parentId: clients.id, name: 'García López, S.L.' }, ctx);
  const y2025 = await createFolder(deps, { parentId: garcia.id, name: '2025' }, ctx);
  await upload(y2025.id, 'Modelo 303 - 1T.pdf', ctx);
  await upload(y2025.id, 'Modelo 303 - 2T.pdf', ctx);
  await upload(garcia.id, 'Escrituras de constitución.pdf', ctx);
  const clinic = await createFolder(deps, { parentId: clients.id, name: 'Dr. Martín (radiología)' }, ctx);
  await upload(clinic.id, 'Estudio TAC - paciente 0142.pdf', ctx);
  await createFolder(deps, { parentId: 'root', name: 'Plantillas internas' }, ctx);
  // Client folders carry their tax ids: "Repartir a clientes" routes files named with them.
  await updateFolder(deps, garcia.id, { taxId: 'B12345674', version: garcia.version }, ctx);
  await updateFolder(deps, clinic.id, { taxId: '12345678Z', version: clinic.version }, ctx);

  const email = 'cliente@carpeta.local';
  const user = await createWebuser(deps, { email, name: 'María García', language: 'es', folderIds: [garcia.id] }, ctx);
  await setPassword(email, opts.clientPassword);
  await markActivated(user.id, ctx.now.toISOString());
  await sendFolder(
    deps,
    clinic.id,
    {
      email: 'dr.martin@example.com',
      name: 'Dr. Martín',
      message: 'Le dejamos aquí el estudio. Un saludo.',
      language: 'es',
    },
    ctx,
  );
  return { client: { email, password: opts.clientPassword } };
}
