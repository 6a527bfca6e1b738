/**
 * The one DynamoDB document client of a Lambda container (@aws-sdk/lib-dynamodb
 * over @aws-sdk/client-dynamodb): native JS values in and out, undefined
 * attributes dropped. Only the repositories in functions/store/ use it.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { clientConfig, observeCalls } from '../aws/sdk.ts';
import { config } from '../lib/config.ts';

// A GetItem answers in single-digit ms; 3 s without a byte means the attempt is lost, and the retry gets a fresh one.
const base = new DynamoDBClient(clientConfig({ connectionTimeout: 1000, requestTimeout: 3000 }));
observeCalls(base, 'dynamodb');

export const db = DynamoDBDocumentClient.from(base, {
  marshallOptions: { removeUndefinedValues: true, convertClassInstanceToMap: false },
});

export const table = () => config.tableName;
