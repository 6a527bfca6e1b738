/**
 * The document-client commands we use, with the names and input/output shapes
 * of @aws-sdk/lib-dynamodb (native JS values in and out), spoken over the
 * DynamoDB JSON 1.0 protocol by functions/aws/http.ts. Marshalling follows
 * @aws-sdk/util-dynamodb with { removeUndefinedValues: true,
 * convertClassInstanceToMap: false }.
 */
import type { AwsMetadata } from '../aws/http.ts';

/* eslint-disable @typescript-eslint/no-explicit-any */
export type NativeAttributeValue = any;
export type Item = Record<string, NativeAttributeValue>;
type AttributeValue = Record<string, any>;
type ConsumedCapacity = Record<string, any>;
type ReturnValue = 'NONE' | 'ALL_OLD' | 'UPDATED_OLD' | 'ALL_NEW' | 'UPDATED_NEW';
type ReturnConsumedCapacity = 'INDEXES' | 'TOTAL' | 'NONE';

// ---- marshalling -------------------------------------------------------------

const BINARY = new Set(['ArrayBuffer', 'Buffer', 'DataView', 'Int8Array', 'Uint8Array', 'Uint8ClampedArray', 'Int16Array', 'Uint16Array', 'Int32Array', 'Uint32Array', 'Float32Array', 'Float64Array', 'BigInt64Array', 'BigUint64Array']);
const isBinary = (v: any) => !!v?.constructor && BINARY.has(v.constructor.name);
const toBase64 = (v: ArrayBuffer | ArrayBufferView) => (ArrayBuffer.isView(v) ? Buffer.from(v.buffer, v.byteOffset, v.byteLength) : Buffer.from(v)).toString('base64');

function toN(n: number | bigint): string {
  if (typeof n === 'bigint') return n.toString();
  if (!Number.isFinite(n)) throw new Error(`Special numeric value ${n} is not allowed`);
  if (n > Number.MAX_SAFE_INTEGER || n < Number.MIN_SAFE_INTEGER) throw new Error(`Number ${n} is outside the safe integer range. Use a BigInt.`);
  return n.toString();
}

function toS(v: string): string {
  return v.toString();
}

/** A native value as a wire AttributeValue (binary already base64). */
export function toAttr(v: NativeAttributeValue): AttributeValue {
  if (v === undefined) throw new Error('Pass options.removeUndefinedValues=true to remove undefined values from map/array/set.');
  if (v === null) return { NULL: true };
  if (Array.isArray(v)) return { L: v.filter((x) => typeof x !== 'function' && x !== undefined).map(toAttr) };
  const ctor = v?.constructor?.name;
  if (ctor === 'Set') {
    const items = [...(v as Set<any>)].filter((x) => x !== undefined);
    if (!items.length) throw new Error('Pass a non-empty set, or options.convertEmptyValues=true.');
    const first = items[0];
    if (typeof first === 'number' || typeof first === 'bigint') return { NS: items.map(toN) };
    if (typeof first === 'string') return { SS: items.map(toS) };
    if (isBinary(first)) return { BS: items.map(toBase64) };
    throw new Error('Only Number Set (NS), Binary Set (BS) or String Set (SS) are allowed.');
  }
  if (ctor === 'Map') return { M: toMap((v as Map<string, any>).entries()) };
  if (ctor === 'Object' || (!v.constructor && typeof v === 'object')) return { M: toMap(Object.entries(v)) };
  if (isBinary(v)) return { B: toBase64(v) };
  if (typeof v === 'boolean' || ctor === 'Boolean') return { BOOL: v.valueOf() };
  if (typeof v === 'number' || ctor === 'Number') return { N: toN(v.valueOf()) };
  if (typeof v === 'bigint') return { N: v.toString() };
  if (typeof v === 'string' || ctor === 'String') return { S: v.toString() };
  throw new Error(`Unsupported type passed: ${v}. Pass options.convertClassInstanceToMap=true to marshall typeof object as map attribute.`);
}

function toMap(entries: Iterable<[string, any]>): Record<string, AttributeValue> {
  const out: Record<string, AttributeValue> = {};
  for (const [k, v] of entries) if (v !== undefined && typeof v !== 'function') out[k] = toAttr(v);
  return out;
}

/** An item (or key, or value map) as a wire map. */
export const marshall = (item: Item | undefined) => (item === undefined ? undefined : toMap(Object.entries(item)));

function fromN(s: string): number | bigint {
  const n = Number(s);
  if ((n > Number.MAX_SAFE_INTEGER || n < Number.MIN_SAFE_INTEGER) && Number.isFinite(n)) {
    try {
      return BigInt(s);
    } catch {
      throw new Error(`${s} can't be converted to BigInt. Set options.wrapNumbers to get string value.`);
    }
  }
  return n;
}
const fromB = (b: string) => new Uint8Array(Buffer.from(b, 'base64'));

/** A wire AttributeValue as a native value. */
export function fromAttr(a: AttributeValue): NativeAttributeValue {
  for (const [k, v] of Object.entries(a)) {
    if (v === undefined) continue;
    switch (k) {
      case 'NULL': return null;
      case 'BOOL': return Boolean(v);
      case 'N': return fromN(v);
      case 'B': return fromB(v);
      case 'S': return v;
      case 'L': return (v as AttributeValue[]).map(fromAttr);
      case 'M': return unmarshall(v);
      case 'NS': return new Set((v as string[]).map(fromN));
      case 'BS': return new Set((v as string[]).map(fromB));
      case 'SS': return new Set(v as string[]);
      default: throw new Error(`Unsupported type passed: ${k}`);
    }
  }
  throw new Error(`No value defined: ${JSON.stringify(a)}`);
}

export function unmarshall(m: Record<string, AttributeValue>): Item {
  const out: Item = {};
  for (const [k, v] of Object.entries(m)) out[k] = fromAttr(v);
  return out;
}
/** Like the SDK's outputs: absent fields are absent, not undefined. */
const compact = <T>(o: Record<string, any>) => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
const unmarshallOpt = (m: Record<string, AttributeValue> | undefined) => (m ? unmarshall(m) : undefined);

// ---- commands ----------------------------------------------------------------

export type OutputMetadata = { $metadata: AwsMetadata };

/** A command: the DynamoDB operation, the native input, and how to translate both ways. */
export abstract class DdbCommand<I, O> {
  declare readonly _output: O;
  abstract readonly operation: string;
  constructor(readonly input: I) {}
  /** The JSON request body. */
  abstract toWire(): Record<string, unknown>;
  /** The native output from the JSON response. */
  abstract fromWire(out: Record<string, any>): O;
}

interface Expressions {
  ExpressionAttributeNames?: Record<string, string>;
  ExpressionAttributeValues?: Record<string, NativeAttributeValue>;
}
interface WriteOptions extends Expressions {
  TableName: string | undefined;
  ConditionExpression?: string;
  ReturnValues?: ReturnValue;
  ReturnConsumedCapacity?: ReturnConsumedCapacity;
  ReturnItemCollectionMetrics?: 'SIZE' | 'NONE';
  ReturnValuesOnConditionCheckFailure?: 'ALL_OLD' | 'NONE';
}

const withValues = <T extends Expressions>(input: T) => ({ ...input, ExpressionAttributeValues: marshall(input.ExpressionAttributeValues) });
const writeOutput = (out: Record<string, any>) =>
  compact<WriteCommandOutput>({
    ...out,
    Attributes: unmarshallOpt(out.Attributes),
    ...(out.ItemCollectionMetrics?.ItemCollectionKey ? { ItemCollectionMetrics: { ...out.ItemCollectionMetrics, ItemCollectionKey: unmarshall(out.ItemCollectionMetrics.ItemCollectionKey) } } : {}),
  });

export interface GetCommandInput {
  TableName: string | undefined;
  Key: Item | undefined;
  ConsistentRead?: boolean;
  ProjectionExpression?: string;
  ExpressionAttributeNames?: Record<string, string>;
  ReturnConsumedCapacity?: ReturnConsumedCapacity;
}
export interface GetCommandOutput extends OutputMetadata {
  Item?: Item;
  ConsumedCapacity?: ConsumedCapacity;
}
export class GetCommand extends DdbCommand<GetCommandInput, GetCommandOutput> {
  readonly operation = 'GetItem';
  toWire() {
    return { ...this.input, Key: marshall(this.input.Key) };
  }
  fromWire(out: Record<string, any>) {
    return compact<GetCommandOutput>({ ...out, Item: unmarshallOpt(out.Item) });
  }
}

export interface PutCommandInput extends WriteOptions {
  Item: Item | undefined;
}
export interface WriteCommandOutput extends OutputMetadata {
  Attributes?: Item;
  ConsumedCapacity?: ConsumedCapacity;
  ItemCollectionMetrics?: Record<string, any>;
}
export type PutCommandOutput = WriteCommandOutput;
export class PutCommand extends DdbCommand<PutCommandInput, PutCommandOutput> {
  readonly operation = 'PutItem';
  toWire() {
    return { ...withValues(this.input), Item: marshall(this.input.Item) };
  }
  fromWire(out: Record<string, any>) {
    return writeOutput(out);
  }
}

export interface UpdateCommandInput extends WriteOptions {
  Key: Item | undefined;
  UpdateExpression?: string;
}
export type UpdateCommandOutput = WriteCommandOutput;
export class UpdateCommand extends DdbCommand<UpdateCommandInput, UpdateCommandOutput> {
  readonly operation = 'UpdateItem';
  toWire() {
    return { ...withValues(this.input), Key: marshall(this.input.Key) };
  }
  fromWire(out: Record<string, any>) {
    return writeOutput(out);
  }
}

export interface DeleteCommandInput extends WriteOptions {
  Key: Item | undefined;
}
export type DeleteCommandOutput = WriteCommandOutput;
export class DeleteCommand extends DdbCommand<DeleteCommandInput, DeleteCommandOutput> {
  readonly operation = 'DeleteItem';
  toWire() {
    return { ...withValues(this.input), Key: marshall(this.input.Key) };
  }
  fromWire(out: Record<string, any>) {
    return writeOutput(out);
  }
}

export interface QueryCommandInput extends Expressions {
  TableName: string | undefined;
  IndexName?: string;
  KeyConditionExpression?: string;
  FilterExpression?: string;
  ProjectionExpression?: string;
  Select?: 'ALL_ATTRIBUTES' | 'ALL_PROJECTED_ATTRIBUTES' | 'SPECIFIC_ATTRIBUTES' | 'COUNT';
  ScanIndexForward?: boolean;
  ConsistentRead?: boolean;
  Limit?: number;
  ExclusiveStartKey?: Item;
  ReturnConsumedCapacity?: ReturnConsumedCapacity;
}
export interface QueryCommandOutput extends OutputMetadata {
  Items?: Item[];
  Count?: number;
  ScannedCount?: number;
  LastEvaluatedKey?: Item;
  ConsumedCapacity?: ConsumedCapacity;
}
export class QueryCommand extends DdbCommand<QueryCommandInput, QueryCommandOutput> {
  readonly operation = 'Query';
  toWire() {
    return { ...withValues(this.input), ExclusiveStartKey: marshall(this.input.ExclusiveStartKey) };
  }
  fromWire(out: Record<string, any>) {
    return compact<QueryCommandOutput>({ ...out, Items: out.Items?.map(unmarshall), LastEvaluatedKey: unmarshallOpt(out.LastEvaluatedKey) });
  }
}

interface KeysAndAttributes {
  Keys: Item[] | undefined;
  ConsistentRead?: boolean;
  ProjectionExpression?: string;
  ExpressionAttributeNames?: Record<string, string>;
}
export interface BatchGetCommandInput {
  RequestItems: Record<string, KeysAndAttributes> | undefined;
  ReturnConsumedCapacity?: ReturnConsumedCapacity;
}
export interface BatchGetCommandOutput extends OutputMetadata {
  Responses?: Record<string, Item[]>;
  UnprocessedKeys?: Record<string, KeysAndAttributes>;
  ConsumedCapacity?: ConsumedCapacity[];
}
const mapValues = <A, B>(o: Record<string, A> | undefined, f: (a: A) => B) => (o ? Object.fromEntries(Object.entries(o).map(([k, v]) => [k, f(v)])) : undefined);
export class BatchGetCommand extends DdbCommand<BatchGetCommandInput, BatchGetCommandOutput> {
  readonly operation = 'BatchGetItem';
  toWire() {
    return { ...this.input, RequestItems: mapValues(this.input.RequestItems, (r) => ({ ...r, Keys: r.Keys?.map((k) => marshall(k)) })) };
  }
  fromWire(out: Record<string, any>) {
    return compact<BatchGetCommandOutput>({
      ...out,
      Responses: mapValues(out.Responses as Record<string, any[]> | undefined, (items) => items.map(unmarshall)),
      UnprocessedKeys: mapValues(out.UnprocessedKeys as Record<string, any> | undefined, (r) => ({ ...r, Keys: r.Keys?.map(unmarshall) })),
    });
  }
}

type WriteRequest = { PutRequest?: { Item: Item | undefined }; DeleteRequest?: { Key: Item | undefined } };
export interface BatchWriteCommandInput {
  RequestItems: Record<string, WriteRequest[]> | undefined;
  ReturnConsumedCapacity?: ReturnConsumedCapacity;
  ReturnItemCollectionMetrics?: 'SIZE' | 'NONE';
}
export interface BatchWriteCommandOutput extends OutputMetadata {
  UnprocessedItems?: Record<string, WriteRequest[]>;
  ConsumedCapacity?: ConsumedCapacity[];
  ItemCollectionMetrics?: Record<string, any>;
}
const writeRequests = (rs: any[], f: (m: any) => any) =>
  rs.map((r) => ({
    ...r,
    ...(r.PutRequest ? { PutRequest: { ...r.PutRequest, Item: f(r.PutRequest.Item) } } : {}),
    ...(r.DeleteRequest ? { DeleteRequest: { ...r.DeleteRequest, Key: f(r.DeleteRequest.Key) } } : {}),
  }));
export class BatchWriteCommand extends DdbCommand<BatchWriteCommandInput, BatchWriteCommandOutput> {
  readonly operation = 'BatchWriteItem';
  toWire() {
    return { ...this.input, RequestItems: mapValues(this.input.RequestItems, (rs) => writeRequests(rs, marshall)) };
  }
  fromWire(out: Record<string, any>) {
    return compact<BatchWriteCommandOutput>({ ...out, UnprocessedItems: mapValues(out.UnprocessedItems as Record<string, any[]> | undefined, (rs) => writeRequests(rs, unmarshallOpt)) });
  }
}
