/**
 * A client folder's tax id and client code, unique across the company: the new value is claimed
 * (a conditional write) before the folder is written, and the old one released after; a folder
 * write that fails gives the new claim back. Shared by the use cases that change folders.
 */
import type { ClientIdClaim, ClientIdKind, FolderNode } from '../domain/model.ts';
import { Conflict } from '../lib/errors.ts';
import type { RequestCtx } from './access.ts';
import type { Needs } from './ports.ts';

/** A claim whose folder never got the value (a change that crashed half-way) may be taken after this. */
const ORPHAN_CLIENT_ID_MS = 60_000;

const TAKEN: Record<ClientIdKind, { code: string; what: string }> = {
  taxId: { code: 'tax_id_taken', what: 'This tax id' },
  clientCode: { code: 'client_code_taken', what: 'This client code' },
};

export interface ClientIdChange {
  /** After the folder is written: frees the values it no longer has. */
  release(): Promise<void>;
  /** When the folder write fails: gives back the values just claimed. */
  undo(): Promise<void>;
}

async function claimOne(deps: Needs<'nodes' | 'clientIds'>, claim: ClientIdClaim, now: Date): Promise<void> {
  if (await deps.clientIds.claimClientId(claim)) return;
  const [holder] = await deps.clientIds.getClientIdClaims([{ kind: claim.kind, value: claim.value }]);
  if (!holder) {
    if (await deps.clientIds.claimClientId(claim)) return;
  } else {
    const folder = await deps.nodes.getFolder(holder.folderId);
    const orphan =
      (!folder || folder[claim.kind] !== claim.value) &&
      Date.parse(holder.claimedAt) + ORPHAN_CLIENT_ID_MS < now.getTime();
    if (orphan && (await deps.clientIds.replaceClientIdClaim(claim, holder.folderId))) return;
    if (folder) {
      const { code, what } = TAKEN[claim.kind];
      throw new Conflict(`${what} already belongs to the folder "${folder.name}".`, code);
    }
  }
  const { code, what } = TAKEN[claim.kind];
  throw new Conflict(`${what} already belongs to another folder.`, code);
}

/**
 * Claims the values `input` gives the folder (normalised already; `null` clears, undefined keeps), all
 * or none: if one is taken, the others just claimed are given back and the 409 is thrown.
 */
export async function claimClientIds(
  deps: Needs<'nodes' | 'clientIds'>,
  folder: FolderNode,
  input: { taxId?: string | null; clientCode?: string | null },
  ctx: RequestCtx,
): Promise<ClientIdChange> {
  const kinds = (['taxId', 'clientCode'] as const).filter(
    (k) => input[k] !== undefined && (input[k] ?? undefined) !== folder[k],
  );
  const claims = kinds
    .filter((k) => input[k])
    .map(
      (k): ClientIdClaim => ({
        kind: k,
        value: input[k]!,
        folderId: folder.id,
        ancestors: [...folder.ancestors],
        claimedAt: ctx.now.toISOString(),
      }),
    );
  const results = await Promise.allSettled(claims.map((c) => claimOne(deps, c, ctx.now)));
  const giveBack = () =>
    Promise.all(
      claims
        .filter((_, i) => results[i].status === 'fulfilled')
        .map((c) => deps.clientIds.releaseClientId(c.kind, c.value, folder.id)),
    ).then(() => undefined);
  const failure = results.find((r) => r.status === 'rejected');
  if (failure) {
    await giveBack();
    throw (failure as PromiseRejectedResult).reason;
  }
  return {
    undo: giveBack,
    release: () =>
      Promise.all(
        kinds.filter((k) => folder[k]).map((k) => deps.clientIds.releaseClientId(k, folder[k]!, folder.id)),
      ).then(() => undefined),
  };
}
