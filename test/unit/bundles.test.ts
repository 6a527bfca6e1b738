/**
 * The Lambda bundles, built exactly as the stack builds them (infra/bundling.ts):
 * the AWS SDK v3 inside, one copy of each SDK package, none of the credential
 * providers Lambda never reaches, nothing left external for the runtime to
 * load, and each under a size budget (bundle size is deterministic; time is
 * not, so cold starts are the benchmark's to print, never a test's to assert).
 */

import assert from 'node:assert/strict';
import { builtinModules } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { describe, it } from '@jest/globals';
import { build } from 'esbuild';
import { BUNDLE_BUDGET_KB, esbuildOptions } from '../../infra/bundling.ts';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

const builtins = new Set([...builtinModules, ...builtinModules.map((m) => `node:${m}`)]);

describe('Lambda bundles', () => {
  for (const [name, budget] of Object.entries(BUNDLE_BUDGET_KB)) {
    const title = `${name}: the SDK inside, once; no unreachable credential providers; nothing external`;
    it(`${title}; under ${budget} KB`, async () => {
      const out = await build({
        ...esbuildOptions(path.join(root, `functions/lambda/${name}.ts`)),
        write: false,
        metafile: true,
        outfile: `/tmp/carpeta-bundle-${name}.mjs`,
      });
      const inputs = Object.keys(out.metafile.inputs);

      const sdk = inputs.filter((p) => /node_modules\/@aws-sdk\/client-/.test(p));
      assert.ok(sdk.length > 0, `${name} carries no AWS SDK client`);
      // Each package from one folder: a second node_modules/@aws-sdk/x or @smithy/x path is a second copy.
      const copies = new Map<string, Set<string>>();
      for (const p of inputs) {
        const m = /^(.*node_modules\/((?:@aws-sdk|@smithy)\/[^/]+))\//.exec(p);
        if (m) copies.set(m[2], (copies.get(m[2]) ?? new Set()).add(m[1]));
      }
      const twice = [...copies]
        .filter(([, dirs]) => dirs.size > 1)
        .map(([pkg, dirs]) => `${pkg}: ${[...dirs].join(', ')}`);
      assert.deepEqual(twice, [], `${name} bundles a package twice`);

      const providers = [...copies.keys()].filter(
        (pkg) => pkg.startsWith('@aws-sdk/credential-provider-') && pkg !== '@aws-sdk/credential-provider-env',
      );
      assert.deepEqual(providers, [], `${name} bundles credential providers Lambda never reaches`);

      const output = Object.values(out.metafile.outputs)[0];
      const external = output.imports.filter((i) => i.external && !builtins.has(i.path)).map((i) => i.path);
      assert.deepEqual(external, [], `${name} leaves modules for the runtime to load`);

      const code = out.outputFiles.find((f) => f.path.endsWith('.mjs'))!.contents;
      console.log(
        `${name}: ${(code.length / 1024).toFixed(1)} KB minified, ${(gzipSync(code).length / 1024).toFixed(1)} ` +
          `KB gzip, ${inputs.length} inputs`,
      );
      assert.ok(
        code.length <= budget * 1024,
        `${name} is ${(code.length / 1024).toFixed(1)} KB, over its ${budget} KB budget`,
      );
    });
  }
});
