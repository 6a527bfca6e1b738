/**
 * The synthesized CloudFormation template the local stack provisions from.
 * Synthesizing loads aws-cdk-lib (seconds), so the result is cached under
 * node_modules/.cache keyed by a hash of everything that shapes it.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Template } from './provision.ts';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

function sourceHash(): string {
  const h = createHash('sha256');
  const files = [
    ...readdirSync(path.join(root, 'infra'))
      .filter((f) => f.endsWith('.ts'))
      .map((f) => path.join(root, 'infra', f)),
    path.join(root, 'functions/routes.ts'),
    path.join(root, 'package-lock.json'),
  ];
  for (const f of files.sort()) if (existsSync(f)) h.update(f).update(readFileSync(f));
  return h.digest('hex').slice(0, 16);
}

export async function loadTemplate(): Promise<Template> {
  const dir = path.join(root, 'node_modules/.cache/carpeta');
  const file = path.join(dir, `template-${sourceHash()}.json`);
  if (existsSync(file)) return JSON.parse(readFileSync(file, 'utf8'));
  const { synthTemplate } = await import('../infra/template.ts');
  const template = (await synthTemplate({ bundle: false })) as Template;
  mkdirSync(dir, { recursive: true });
  writeFileSync(file, JSON.stringify(template));
  return template;
}
