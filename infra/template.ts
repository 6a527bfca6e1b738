/**
 * The synthesized CloudFormation template as a plain object, built in-process.
 * The local stack (local/provision.ts) creates its emulator table, user pool,
 * groups, client and bucket CORS from it, so the two cannot drift.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildApp } from './stack.ts';

export interface SynthTemplateOptions {
  /** Bundle the Lambda code with esbuild (slow). @default false */
  readonly bundle?: boolean;
  /**
   * Extra CDK context (companyName, senderEmail, domain, ...). @default cdk.json's defaults are NOT read; senderEmail
   * defaults to no-reply@example.com
   */
  readonly context?: Record<string, unknown>;
}

export function synthTemplate(opts: SynthTemplateOptions = {}): Record<string, any> {
  const outdir = mkdtempSync(join(tmpdir(), 'carpeta-synth-'));
  try {
    const { app, stack } = buildApp({
      bundle: opts.bundle ?? false,
      validation: false,
      outdir,
      context: { companyName: 'Carpeta', senderEmail: 'no-reply@example.com', ...opts.context },
    });
    const assembly = app.synth();
    return assembly.getStackArtifact(stack.artifactId).template;
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
}
