/**
 * The DynamoDB document client: `db.send(new GetCommand(...))` as with
 * @aws-sdk/lib-dynamodb, but over our own signed fetch (functions/aws/http.ts):
 * explicit timeouts, bounded retries, and the `awsCallObserver` hook the
 * benchmark uses to count round trips.
 */
import { awsFetch } from '../aws/http.ts';
import { config } from '../lib/config.ts';
import type { DdbCommand } from './ddb.ts';

export { awsCallObserver } from '../aws/http.ts';

const endpoint = () => (config.endpoint('dynamodb') ?? `https://dynamodb.${config.region}.amazonaws.com`).replace(/\/$/, '');

export const db = {
  async send<I, O>(command: DdbCommand<I, O>): Promise<O> {
    const res = await awsFetch({
      service: 'dynamodb',
      operation: command.operation,
      method: 'POST',
      url: endpoint() + '/',
      headers: { 'content-type': 'application/x-amz-json-1.0', 'x-amz-target': `DynamoDB_20120810.${command.operation}` },
      body: JSON.stringify(command.toWire()),
      maxAttempts: config.isLocal ? 2 : 3,
      timeoutMs: 1000 + 3000,
    });
    return { ...command.fromWire(res.text ? JSON.parse(res.text) : {}), $metadata: res.$metadata };
  },
};

export const table = () => config.tableName;
