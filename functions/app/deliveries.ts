/**
 * "Pendientes": per client, the documents delivered to them (a version within their reach) that they
 * have not opened yet (previewed, downloaded or acknowledged), oldest first. Two rounds: the unopened
 * index (one query), then the files and the web users' profiles (one BatchGet each, together).
 */
import type { Delivery } from '../domain/model.ts';
import type { Needs } from './ports.ts';

export async function unopenedDeliveries(
  deps: Needs<'deliveries' | 'nodes' | 'users'>,
  q: { recipientId?: string; limit: number; cursor?: string },
) {
  const page = await deps.deliveries.listUnopened(q);
  const webusers = page.deliveries.filter((d) => d.recipientKind === 'webuser').map((d) => d.recipientId);
  const [files, profiles] = await Promise.all([
    deps.nodes.getFiles([...new Set(page.deliveries.map((d) => d.fileId))]),
    deps.users.getProfiles([...new Set(webusers)]),
  ]);
  const clients = new Map<
    string,
    { kind: Delivery['recipientKind']; id: string; email: string; name: string | null; documents: unknown[] }
  >();
  for (const d of page.deliveries) {
    const file = files.get(d.fileId);
    // A document trashed since is not waiting for anyone (the reminders job drops it from the index).
    if (!file || file.trashedAt) continue;
    const profile = profiles.get(d.recipientId);
    const client = clients.get(d.recipientId) ?? {
      kind: d.recipientKind,
      id: d.recipientId,
      email: profile?.email ?? d.recipientEmail,
      name: profile?.name ?? d.recipientName ?? null,
      documents: [],
    };
    clients.set(d.recipientId, client);
    client.documents.push({
      fileId: d.fileId,
      name: file.name,
      folderId: file.folderId,
      versionId: d.versionId,
      current: d.versionId === file.currentVersionId,
      deliveredAt: d.deliveredAt,
      reminders: d.reminders ?? 0,
      lastReminderAt: d.lastReminderAt ?? null,
    });
  }
  return { clients: [...clients.values()], ...(page.nextCursor ? { nextCursor: page.nextCursor } : {}) };
}
