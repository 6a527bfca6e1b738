#!/usr/bin/env node
/**
 * Lines of source stay within 120 columns (the formatter wraps code; this
 * catches the strings and comments it leaves alone). Prints each long line
 * and fails when there is one. Markdown and generated files are not source.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

const MAX = 120;
const files = execFileSync('git', ['ls-files', '--cached', '--others', '--exclude-standard'], { encoding: 'utf8' })
  .split('\n')
  .filter((f) => /\.(ts|tsx|js|mjs|css)$/.test(f));
const long = [];
for (const f of files) {
  let text;
  try {
    text = readFileSync(f, 'utf8');
  } catch {
    continue; // listed but deleted in the working tree
  }
  text.split('\n').forEach((line, i) => {
    if ([...line].length > MAX) long.push(`${f}:${i + 1}: ${[...line].length} columns`);
  });
}
if (long.length) {
  console.error(`${long.length} line(s) over ${MAX} columns:\n${long.join('\n')}`);
  process.exit(1);
}
