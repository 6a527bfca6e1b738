/**
 * Stands in for `@aws-sdk/credential-provider-node` inside the Lambda bundles
 * (infra/bundling.ts aliases it here). Lambda hands a function its role's
 * credentials in AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY / AWS_SESSION_TOKEN,
 * and the local runtime does the same, so the SDK's default chain would always
 * end at its first link; the other links (shared ini files, SSO, process,
 * web identity, container and instance metadata, with the STS and SSO clients
 * they bring) are code a function never reaches.
 */
import { fromEnv } from '@aws-sdk/credential-provider-env';

export const defaultProvider = (init?: Parameters<typeof fromEnv>[0]) => fromEnv(init);
