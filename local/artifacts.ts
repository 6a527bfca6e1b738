/**
 * What `cdk synth` produces for the local stack: the cloud assembly (the
 * template and each function's bundled asset), synthesized with bundling as a
 * deploy would, and cached by a hash of everything that shapes it, so a warm
 * start reads it back in milliseconds and a change to infra/ or functions/
 * synthesizes again. Concurrent starts (parallel test files) wait for one
 * synthesis instead of each running their own.
 */
import { createHash } from 'node:crypto';
import {
  closeSync,
  existsSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { LOCAL_REGION, type Template } from './cfn.ts';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const cacheDir = path.join(root, 'node_modules/.cache/carpeta');

/**
 * The context the local deployment is synthesized with (what `-c key=value` gives a real one). The region
 * is the one the local gateway signs and evaluates ARNs in, whatever the developer's AWS configuration says.
 */
export const LOCAL_CONTEXT = { companyName: 'Carpeta', senderEmail: 'no-reply@carpeta.local', region: LOCAL_REGION };

export interface Artifacts {
  /** The cloud assembly directory (what `cdk synth` writes to cdk.out). */
  dir: string;
  template: Template;
  /** The hash the assembly is cached under. */
  hash: string;
  /** Whether this call synthesized (false: read from the cache). */
  synthesized: boolean;
  ms: number;
}

function filesUnder(dir: string, ext: RegExp): string[] {
  return readdirSync(dir, { recursive: true })
    .map((f) => path.join(dir, String(f)))
    .filter((f) => ext.test(f) && statSync(f).isFile());
}

/** A hash of the sources of the assembly: infra/, functions/, the lockfile and the local context. */
export function sourceHash(context: Record<string, unknown> = LOCAL_CONTEXT): string {
  const h = createHash('sha256');
  const files = [
    ...filesUnder(path.join(root, 'infra'), /\.ts$/),
    ...filesUnder(path.join(root, 'functions'), /\.ts$/),
    path.join(root, 'package-lock.json'),
  ].sort();
  for (const f of files) h.update(path.relative(root, f)).update(readFileSync(f));
  h.update(JSON.stringify(context));
  return h.digest('hex').slice(0, 16);
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Holds an exclusive lock file while `work` runs; waits (up to 5 min) for another holder. */
async function withLock<T>(file: string, work: () => Promise<T>): Promise<T> {
  const started = Date.now();
  for (;;) {
    try {
      closeSync(openSync(file, 'wx'));
      break;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      // A holder that died leaves its lock behind: older than 5 minutes is stale.
      if (Date.now() - statSync(file).mtimeMs > 300_000) rmSync(file, { force: true });
      if (Date.now() - started > 300_000) throw new Error(`waited 5 min for ${file}`);
      await sleep(200);
    }
  }
  try {
    return await work();
  } finally {
    rmSync(file, { force: true });
  }
}

/**
 * The cloud assembly for the local deployment, from the cache or synthesized now (with the
 * functions bundled exactly as `cdk deploy` bundles them). Assemblies of other sources are pruned after a day.
 */
export async function loadArtifacts(
  opts: { context?: Record<string, unknown>; log?: (l: string) => void } = {},
): Promise<Artifacts> {
  const context = opts.context ?? LOCAL_CONTEXT;
  const t0 = Date.now();
  const hash = sourceHash(context);
  const dir = path.join(cacheDir, `assembly-${hash}`);
  const templateFile = path.join(dir, 'template.json');
  const read = (synthesized: boolean): Artifacts => ({
    dir,
    template: JSON.parse(readFileSync(templateFile, 'utf8')),
    hash,
    synthesized,
    ms: Date.now() - t0,
  });
  if (existsSync(templateFile)) return read(false);
  mkdirSync(cacheDir, { recursive: true });
  return withLock(path.join(cacheDir, 'synth.lock'), async () => {
    if (existsSync(templateFile)) return read(false);
    opts.log?.('Synthesizing the CDK app with its functions bundled (first start after a change)…');
    const tmp = `${dir}.tmp-${process.pid}`;
    rmSync(tmp, { recursive: true, force: true });
    const { buildApp } = await import('../infra/stack.ts');
    const { app, stack } = buildApp({ bundle: true, validation: false, outdir: tmp, context });
    const assembly = app.synth();
    writeFileSync(
      path.join(tmp, 'template.json'),
      JSON.stringify(assembly.getStackArtifact(stack.artifactId).template),
    );
    renameSync(tmp, dir);
    // Assemblies of other sources go after a day (a stack still running from one may spawn instances).
    for (const old of readdirSync(cacheDir)) {
      const p = path.join(cacheDir, old);
      if (old.startsWith('assembly-') && p !== dir && Date.now() - statSync(p).mtimeMs > 86_400_000) {
        rmSync(p, { recursive: true, force: true });
      }
    }
    return read(true);
  });
}

/** The directory of a Lambda function's bundled code in the assembly (from its `Code.S3Key`). */
export function assetDir(artifacts: Artifacts, code: { S3Key?: unknown }): string {
  const key = typeof code.S3Key === 'string' ? code.S3Key : undefined;
  if (!key) throw new Error('the function has no asset (synthesized without bundling?)');
  const dir = path.join(artifacts.dir, `asset.${key.replace(/\.zip$/, '')}`);
  if (!existsSync(dir)) throw new Error(`asset ${dir} is missing from the assembly`);
  return dir;
}
