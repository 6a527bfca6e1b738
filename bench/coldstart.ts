/**
 * Cold start: each Lambda entry (functions/lambda/*.ts) bundled as infra/api.ts
 * bundles it (esbuild: bundle, minify, ESM, node target, the createRequire
 * banner, nothing external), its size raw and gzipped, and the time a fresh
 * `node` process takes to import it (what Lambda's INIT phase runs), median
 * of N processes. Route modules inside a bundle are evaluated lazily on their
 * first request, as esbuild bundles `import()` of a template path.
 */
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';
import { median } from './stats.ts';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

export interface BundleResult {
  name: string;
  bytes: number;
  gzipBytes: number;
  inputs: number;
  /** Median over the runs: import() of the bundle, in ms. */
  importMs: number;
  importP90Ms: number;
  /** Median: process start to module loaded (node's own start-up included). */
  processMs: number;
  runs: number;
}

export interface ColdStartResult {
  node: string;
  target: string;
  /** Median start-up of an empty node process to its first line of script, for scale. */
  nodeBootMs: number;
  bundles: BundleResult[];
}

const TARGET = 'node24'; // infra/api.ts: bundling.target

function timeImport(file: string): { importMs: number; processMs: number; bootMs: number } {
  const script = `const t0 = performance.now(); await import(${JSON.stringify(pathToFileURL(file).href)}); const t1 = performance.now(); process.stdout.write(JSON.stringify({ importMs: t1 - t0, processMs: t1, bootMs: t0 }));`;
  // A Lambda-like environment: no NODE_OPTIONS (no tsx), the variables the functions read.
  const env = { PATH: process.env.PATH ?? '', AWS_REGION: 'us-east-1', TABLE_NAME: 'carpeta', BUCKET_NAME: 'carpeta-documents', USER_POOL_ID: 'us-east-1_x', USER_POOL_CLIENT_ID: 'x', AWS_ACCESS_KEY_ID: 'x', AWS_SECRET_ACCESS_KEY: 'x', CARPETA_FUNCTION: path.basename(path.dirname(file)) };
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], { env, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`importing ${file} failed: ${r.stderr}`);
  return JSON.parse(r.stdout);
}

export async function runColdStart(opts: { runs: number; log?: (l: string) => void }): Promise<ColdStartResult> {
  const dir = mkdtempSync(path.join(tmpdir(), 'carpeta-bench-bundles-'));
  try {
    const entries = readdirSync(path.join(root, 'functions/lambda')).filter((f) => f.endsWith('.ts')).sort();
    const bundles: BundleResult[] = [];
    let boots: number[] = [];
    for (const entry of entries) {
      const name = entry.replace(/\.ts$/, '');
      const out = await build({
        entryPoints: [path.join(root, 'functions/lambda', entry)],
        bundle: true,
        minify: true,
        format: 'esm',
        platform: 'node',
        target: TARGET,
        mainFields: ['module', 'main'],
        banner: { js: "import { createRequire } from 'module'; const require = createRequire(import.meta.url);" },
        sourcemap: false,
        write: false,
        metafile: true,
        outfile: path.join(dir, name, 'index.mjs'),
        logLevel: 'silent',
      });
      const code = out.outputFiles.find((f) => f.path.endsWith('.mjs'))!;
      const file = path.join(dir, name, 'index.mjs');
      mkdirSync(path.dirname(file), { recursive: true });
      writeFileSync(file, code.contents);
      const samples = Array.from({ length: opts.runs }, () => timeImport(file));
      boots = boots.concat(samples.map((s) => s.bootMs));
      const imports = samples.map((s) => s.importMs).sort((a, b) => a - b);
      const r2 = (x: number) => Math.round(x * 100) / 100;
      bundles.push({
        name,
        bytes: code.contents.length,
        gzipBytes: gzipSync(code.contents).length,
        inputs: Object.keys(out.metafile.inputs).length,
        importMs: r2(median(imports)),
        importP90Ms: r2(imports[Math.min(imports.length - 1, Math.ceil(imports.length * 0.9) - 1)]),
        processMs: r2(median(samples.map((s) => s.processMs))),
        runs: opts.runs,
      });
      opts.log?.(`[cold start] ${name}: ${(code.contents.length / 1024).toFixed(1)} KB, import ${median(imports).toFixed(1)} ms`);
    }
    return { node: process.version, target: TARGET, nodeBootMs: Math.round(median(boots) * 100) / 100, bundles };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
