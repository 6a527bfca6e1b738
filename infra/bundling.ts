/**
 * How every Lambda function is bundled, in one place: the CDK stack hands it
 * to NodejsFunction (esbuild's CLI), and the bundle-budget test and the
 * cold-start benchmark build with the same settings through esbuild's API, so
 * what is measured is what deploys.
 *
 * Minified, tree-shaken ESM for the newest Node runtime, with the AWS SDK v3
 * inside (the runtime-provided copy starts slower, and its version is not
 * ours to pin). The one alias drops the SDK credential providers a Lambda
 * function never reaches (functions/aws/lambda-credentials.ts).
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** Lambda's newest Node runtime is what the bundles target (infra/api.ts: NODE_RUNTIME). */
export const BUNDLE_TARGET = 'node24';

/** ESM bundles still meet CommonJS dependencies that call require(): give them one. */
export const BUNDLE_BANNER = "import { createRequire } from 'module'; const require = createRequire(import.meta.url);";

export const BUNDLE_ALIASES: Record<string, string> = {
  '@aws-sdk/credential-provider-node': path.join(ROOT, 'functions/aws/lambda-credentials.ts'),
};

/** esbuild's API options for one function's entry (tests, benchmarks). */
export function esbuildOptions(entry: string) {
  return {
    entryPoints: [entry],
    bundle: true,
    minify: true,
    treeShaking: true,
    format: 'esm' as const,
    platform: 'node' as const,
    target: BUNDLE_TARGET,
    mainFields: ['module', 'main'],
    banner: { js: BUNDLE_BANNER },
    alias: BUNDLE_ALIASES,
    sourcemap: false,
    logLevel: 'silent' as const,
  };
}

/** The same settings as NodejsFunction's esbuild CLI arguments. */
export function esbuildCliArgs(): Record<string, string> {
  return Object.fromEntries(Object.entries(BUNDLE_ALIASES).map(([from, to]) => [`--alias:${from}`, to]));
}

/**
 * Size budgets (KB, minified) per function: the measured size plus a small margin
 * (docs/PERFORMANCE.md). Asserted by test/unit/bundles.test.ts and, on the assets
 * `cdk synth` writes, by test/infra/nag.test.ts.
 */
export const BUNDLE_BUDGET_KB = { 'staff-api': 750, 'portal-api': 558, 'link-api': 607, jobs: 354 } as const;
