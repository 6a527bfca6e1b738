/**
 * The Carpeta stack as the infra tests synthesize it: no bundling, no CloudFormation validation, a
 * temporary cloud assembly removed after the test file, and a sender and region unless a test says
 * otherwise (cdk.json carries no context).
 */

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll } from '@jest/globals';
import { Template } from 'aws-cdk-lib/assertions';
import { type BuildAppOptions, buildApp } from '../../infra/stack.ts';

type Json = Record<string, any>;

export const TEST_CONTEXT = { senderEmail: 'avisos@lopez.example', region: 'eu-west-1' };

/**
 * A synthesizer for one test file: `synth(context)` gives the stack, its resources and outputs;
 * `synth.outdir` is the file's temporary directory.
 */
export function infraSynth(name: string) {
  const outdir = mkdtempSync(join(tmpdir(), `carpeta-${name}-test-`));
  afterAll(() => rmSync(outdir, { recursive: true, force: true }));
  const synth = (context: Record<string, unknown> = {}, opts: Omit<BuildAppOptions, 'context' | 'outdir'> = {}) => {
    const { app, stack } = buildApp({
      bundle: false,
      validation: false,
      outdir,
      ...opts,
      context: { ...TEST_CONTEXT, ...context },
    });
    const json = Template.fromStack(stack).toJSON();
    return {
      app,
      stack,
      resources: json.Resources as Record<string, Json>,
      outputs: (json.Outputs ?? {}) as Record<string, Json>,
    };
  };
  return Object.assign(synth, { outdir });
}
