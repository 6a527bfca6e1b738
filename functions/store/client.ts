/**
 * The DynamoDB document client: one per process, explicit timeouts, and a
 * hook the benchmark uses to count round trips.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { config } from '../lib/config.ts';

const raw = new DynamoDBClient({
  region: config.region,
  endpoint: config.endpoint('dynamodb'),
  maxAttempts: config.isLocal ? 2 : 3,
  requestHandler: { connectionTimeout: 1000, requestTimeout: 3000 },
});

export const db = DynamoDBDocumentClient.from(raw, {
  marshallOptions: { removeUndefinedValues: true, convertClassInstanceToMap: false },
});

export const table = () => config.tableName;
