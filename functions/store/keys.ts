/**
 * The only module that knows the table's key strings (docs/ARCHITECTURE.md,
 * "Data"). Repositories build every PK/SK/GSI key through these functions.
 */
import { KIND_PREFIX, modifiedSortKey, type Phase, type Sort, sizeSortKey } from '../domain/listing.ts';
import { objectKeyOf } from '../domain/model.ts';
import { collationKey, nameKey } from '../domain/names.ts';

/**
 * GSI3 and GSI4 share GSI1's partition key (`CHILD#<parentId>`), so a node leaves all three listings
 * at once when trashing removes `GSI1PK`; their sort keys order a folder's children by modification
 * time and by size.
 */
export const INDEX = { gsi1: 'GSI1', gsi2: 'GSI2', gsi3: 'GSI3', gsi4: 'GSI4' } as const;

export const folderKeys = {
  node: (id: string) => ({ PK: `FOLDER#${id}`, SK: 'META' }),
  /** Present only while the folder is live (not in the trash): that is what lists it. */
  listing: (parentId: string, name: string, id: string) => ({
    GSI1PK: `CHILD#${parentId}`,
    GSI1SK: `1#${collationKey(name)}#${id}`,
  }),
  /** The folder's place in the "modified" order (written with `listing`, rewritten when `updatedAt` changes). */
  sorted: (f: { id: string; updatedAt: string }) => ({
    GSI3SK: `${KIND_PREFIX.folder}${modifiedSortKey(f.updatedAt)}#${f.id}`,
  }),
};

export const fileKeys = {
  node: (id: string) => ({ PK: `FILE#${id}`, SK: 'META' }),
  partition: (id: string) => `FILE#${id}`,
  version: (id: string, versionId: string) => ({ PK: `FILE#${id}`, SK: `V#${versionId}` }),
  versionPrefix: 'V#',
  listing: (folderId: string, name: string, id: string) => ({
    GSI1PK: `CHILD#${folderId}`,
    GSI1SK: `2#${collationKey(name)}#${id}`,
  }),
  /** The file's place in the "modified" and "size" orders (rewritten when a new version changes them). */
  sorted: (f: { id: string; updatedAt: string; size: number }) => ({
    GSI3SK: `${KIND_PREFIX.file}${modifiedSortKey(f.updatedAt)}#${f.id}`,
    GSI4SK: `${KIND_PREFIX.file}${sizeSortKey(f.size)}#${f.id}`,
  }),
  /** The S3 key of a version's bytes (the rule is the domain's: domain/model.ts). */
  objectKey: objectKeyOf,
};

export const childrenKeys = {
  partition: (parentId: string) => `CHILD#${parentId}`,
  folderPrefix: KIND_PREFIX.folder,
  filePrefix: KIND_PREFIX.file,
  /** The index and sort-key attribute that hold one kind of child in one order (`size` lists folders by name). */
  order: (sort: Sort, phase: Phase): { index: string; sortKey: string; prefix: string } => {
    const prefix = KIND_PREFIX[phase];
    if (sort === 'modified') return { index: INDEX.gsi3, sortKey: 'GSI3SK', prefix };
    if (sort === 'size' && phase === 'file') return { index: INDEX.gsi4, sortKey: 'GSI4SK', prefix };
    return { index: INDEX.gsi1, sortKey: 'GSI1SK', prefix };
  },
};

/**
 * The name index: one item per word of a node's name per scope (each folder above it, and a folder
 * itself). `begins_with(SK, <word prefix>)` in a scope's partition finds every node under it by name.
 * Words are letters and digits only, so `#` ends the word.
 */
export const searchKeys = {
  entry: (scope: string, word: string, nodeId: string) => ({ PK: `SEARCH#${scope}`, SK: `${word}#${nodeId}` }),
  partition: (scope: string) => `SEARCH#${scope}`,
  /**
   * A file's membership of each folder above it (no word; `#` sorts before every word): "every file
   * beneath this folder", paged, for downloading a whole subtree.
   */
  member: (scope: string, fileId: string) => ({ PK: `SEARCH#${scope}`, SK: `#${fileId}` }),
  memberPrefix: '#',
};

/** One item per (parent, name): the conditional write that makes names unique. */
export const nameClaimKeys = {
  claim: (parentId: string, name: string) => ({ PK: `NAME#${parentId}`, SK: nameKey(name) }),
};

/** One item per tax id and per client code: the conditional write that keeps each unique in the company. */
export const clientIdKeys = {
  claim: (kind: 'taxId' | 'clientCode', value: string) => ({
    PK: kind === 'taxId' ? `TAXID#${value}` : `CLIENTCODE#${value}`,
    SK: 'CLAIM',
  }),
};

export const trashKeys = {
  entry: (trashedAt: string, id: string) => ({ GSI2PK: 'TRASH', GSI2SK: `${trashedAt}#${id}` }),
  partition: 'TRASH',
};

export const userKeys = {
  profile: (sub: string) => ({ PK: `USER#${sub}`, SK: 'PROFILE' }),
  partition: (sub: string) => `USER#${sub}`,
  byEmail: (email: string) => ({ GSI1PK: `EMAIL#${email.toLowerCase()}`, GSI1SK: 'USER' }),
  emailPartition: (email: string) => `EMAIL#${email.toLowerCase()}`,
  /** All web users, newest first, for the staff list. */
  webuserListing: (createdAt: string, sub: string) => ({ GSI2PK: 'WEBUSERS', GSI2SK: `${createdAt}#${sub}` }),
  webuserPartition: 'WEBUSERS',
  /** All staff accounts, newest first, for the admin's staff list. */
  staffListing: (createdAt: string, sub: string) => ({ GSI2PK: 'STAFF', GSI2SK: `${createdAt}#${sub}` }),
  staffPartition: 'STAFF',
};

export const grantKeys = {
  grant: (sub: string, folderId: string) => ({ PK: `USER#${sub}`, SK: `GRANT#${folderId}` }),
  prefix: 'GRANT#',
  byFolder: (folderId: string, sub: string) => ({ GSI1PK: `GRANTS#${folderId}`, GSI1SK: `USER#${sub}` }),
  folderPartition: (folderId: string) => `GRANTS#${folderId}`,
};

export const linkKeys = {
  link: (tokenHash: string) => ({ PK: `LINK#${tokenHash}`, SK: 'META' }),
  byFolder: (folderId: string, createdAt: string) => ({ GSI1PK: `LINKS#${folderId}`, GSI1SK: createdAt }),
  folderPartition: (folderId: string) => `LINKS#${folderId}`,
  /** Downloads through a link with a limit: a counter the link function may write (ACT#), read with the link. */
  uses: (tokenHash: string) => ({ PK: `ACT#LINKUSE#${tokenHash}`, SK: 'COUNT' }),
  /** Staff address a link by its id; this item points from the id to the token hash. */
  pointer: (id: string) => ({ PK: `LINKID#${id}`, SK: 'PTR' }),
  byEmail: (email: string, createdAt: string) => ({ GSI2PK: `LINKTO#${email.toLowerCase()}`, GSI2SK: createdAt }),
  emailPartition: (email: string) => `LINKTO#${email.toLowerCase()}`,
  /**
   * The link's place in the expiry calendar (one partition per UTC day of expiry), which the jobs read to
   * warn senders three days before: no index needed, four small queries a run.
   */
  expiry: (expiresAt: string, id: string) => ({ PK: `LINKEXPIRY#${expiresAt.slice(0, 10)}`, SK: `${expiresAt}#${id}` }),
  expiryDay: (day: string) => `LINKEXPIRY#${day}`,
};

/** Written by the portal and link functions (they may not touch USER# items): last seen, session, activation. */
export const sessionKeys = {
  state: (sub: string) => ({ PK: `SESSION#${sub}`, SK: 'STATE' }),
};

export const inviteKeys = {
  invite: (tokenHash: string) => ({ PK: `INVITE#${tokenHash}`, SK: 'META' }),
};

export const activityKeys = {
  event: (at: string, id: string) => ({ PK: `ACT#${at.slice(0, 7)}`, SK: id }),
  monthPartition: (month: string) => `ACT#${month}`,
  byActor: (actorId: string, id: string) => ({ GSI1PK: `ACTOR#${actorId}`, GSI1SK: id }),
  actorPartition: (actorId: string) => `ACTOR#${actorId}`,
  byTarget: (targetId: string, id: string) => ({ GSI2PK: `TARGET#${targetId}`, GSI2SK: id }),
  targetPartition: (targetId: string) => `TARGET#${targetId}`,
  /**
   * Copies of an event under each folder above its target, and under its type,
   * so "everything beneath this folder" and "all downloads" are one query each.
   * They start with ACT# so the client functions' write permission covers them.
   */
  inFolder: (folderId: string, id: string) => ({ PK: `ACT#IN#${folderId}`, SK: id }),
  folderPartition: (folderId: string) => `ACT#IN#${folderId}`,
  ofType: (type: string, id: string) => ({ PK: `ACT#TYPE#${type}`, SK: id }),
  typePartition: (type: string) => `ACT#TYPE#${type}`,
  /** One per (version, client) that confirmed receipt: the conditional put that makes confirming idempotent. */
  acknowledgement: (fileId: string, versionId: string, actorId: string) => ({
    PK: `ACT#ACK#${fileId}#${versionId}`,
    SK: actorId,
  }),
  /**
   * What one client confirmed in one folder, by file and version: read with the folder's children (same
   * round) so a listing says which files they already confirmed. A hint for the page; the proof is the
   * acknowledgement item and its event.
   */
  acknowledgedIn: (folderId: string, actorId: string, fileId: string, versionId: string) => ({
    PK: `ACT#ACKIN#${folderId}#${actorId}`,
    SK: `${fileId}#${versionId}`,
  }),
  acknowledgedInPartition: (folderId: string, actorId: string) => `ACT#ACKIN#${folderId}#${actorId}`,
};

/**
 * Deliveries: one item per (recipient, file). Listed while unopened through two sparse indexes: per
 * recipient (GSI1) and for the whole company (GSI2), oldest first; opening removes the index keys. The
 * client functions mark them opened, so they start with ACT#, like the log they belong to.
 */
export const deliveryKeys = {
  item: (recipientId: string, fileId: string) => ({ PK: `ACT#DELIVERY#${recipientId}`, SK: fileId }),
  byRecipient: (recipientId: string, deliveredAt: string, fileId: string) => ({
    GSI1PK: `UNOPENED#${recipientId}`,
    GSI1SK: `${deliveredAt}#${fileId}`,
  }),
  recipientPartition: (recipientId: string) => `UNOPENED#${recipientId}`,
  all: (deliveredAt: string, recipientId: string, fileId: string) => ({
    GSI2PK: 'UNOPENED',
    GSI2SK: `${deliveredAt}#${recipientId}#${fileId}`,
  }),
  allPartition: 'UNOPENED',
};

/** Background jobs' bookkeeping (notifications, retention). */
export const jobKeys = {
  checkpoint: (job: string) => ({ PK: `JOB#${job}`, SK: 'CHECKPOINT' }),
  /** One pending document for one recipient; deleted once mailed. */
  pending: (userId: string, fileId: string, versionId: string) => ({
    PK: `NOTIFY#${userId}`,
    SK: `${fileId}#${versionId}`,
  }),
  pendingPartition: (userId: string) => `NOTIFY#${userId}`,
  /** Remembers what was mailed, so no document is ever mailed twice to one person. */
  notified: (userId: string, fileId: string, versionId: string) => ({
    PK: `NOTIFIED#${userId}`,
    SK: `${fileId}#${versionId}`,
  }),
  /** Who has pending documents, and when their batch is due. */
  queue: (userId: string) => ({ PK: 'NOTIFYQ', SK: userId }),
  queuePartition: 'NOTIFYQ',
  receipt: (actorId: string, fileId: string, versionId: string) => ({
    PK: `RECEIPT#${actorId}`,
    SK: `${fileId}#${versionId}`,
  }),
};

export const rateKeys = {
  /** `subject`: `ip:<address>`, `prefix:<first characters of a token>` or `user:<sub>`. */
  window: (scope: string, subject: string, windowStart: number) => ({
    PK: `RATE#${scope}#${subject}`,
    SK: String(windowStart),
  }),
};

export const settingsKeys = {
  company: () => ({ PK: 'SETTINGS', SK: 'COMPANY' }),
};
