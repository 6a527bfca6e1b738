/**
 * The Lambda bundles carry no AWS SDK (functions/aws/* speak the APIs with
 * node:crypto + fetch) and stay under the 300 KB budget (docs: DESIGN §7).
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

describe('Lambda bundles', () => {
  for (const name of ['staff-api', 'portal-api', 'link-api']) {
    it(`${name}: no @aws-sdk or @smithy inside, under 300 KB minified`, async () => {
      const out = await build({
        entryPoints: [path.join(root, `functions/lambda/${name}.ts`)],
        bundle: true,
        minify: true,
        format: 'esm',
        platform: 'node',
        target: 'node22',
        write: false,
        metafile: true,
        outfile: `/tmp/${name}.mjs`,
        logLevel: 'silent',
      });
      const inputs = Object.keys(out.metafile.inputs);
      const sdk = inputs.filter((p) => /node_modules\/@(aws-sdk|smithy)\//.test(p));
      assert.deepEqual(sdk, [], `${name} bundles SDK code`);
      const code = out.outputFiles.find((f) => f.path.endsWith('.mjs'))!.contents;
      console.log(`${name}: ${(code.length / 1024).toFixed(1)} KB minified, ${(gzipSync(code).length / 1024).toFixed(1)} KB gzip, ${inputs.length} inputs`);
      assert.ok(code.length < 300 * 1024, `${name} is ${code.length} bytes`);
    });
  }
});
