import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { defineConfig, type Plugin } from 'vite';

const here = fileURLToPath(new URL('.', import.meta.url));

/** The portal's first load may carry at most this much script, gzip (the staff site is a lazy chunk). */
export const PORTAL_SCRIPT_BUDGET = 35 * 1024;

/**
 * Prints the script a client downloads before the portal draws (the entry chunk and what it imports
 * statically, gzip), and fails the build above the budget.
 */
function portalBudget(): Plugin {
  return {
    name: 'carpeta-portal-budget',
    apply: 'build',
    generateBundle(_options, bundle) {
      const chunks = Object.values(bundle).filter((c) => c.type === 'chunk');
      const entry = chunks.find((c) => c.isEntry);
      if (!entry) return;
      const seen = new Set<string>();
      const walk = (name: string) => {
        if (seen.has(name)) return;
        seen.add(name);
        const c = chunks.find((x) => x.fileName === name);
        for (const i of c?.imports ?? []) walk(i);
      };
      walk(entry.fileName);
      const bytes = [...seen].reduce((s, name) => {
        const c = chunks.find((x) => x.fileName === name);
        return s + (c ? gzipSync(c.code).length : 0);
      }, 0);
      const kb = (n: number) => `${(n / 1024).toFixed(1)} KB`;
      process.stdout.write(`\nportal first load: ${kb(bytes)} gzip of script (budget ${kb(PORTAL_SCRIPT_BUDGET)})\n`);
      if (bytes > PORTAL_SCRIPT_BUDGET) this.error(`the portal's first load is over budget: ${kb(bytes)}`);
    },
  };
}

// The admin site and the client portal: one static app, served by the local
// stack at / and by CloudFront in AWS. Preact's automatic JSX runtime through
// Vite's built-in transformer (oxc), so no framework plugin is needed.
export default defineConfig({
  root: here,
  base: '/',
  publicDir: 'public',
  oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
  plugins: [portalBudget()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    // No inline polyfill script: the CSP is script-src 'self' and every
    // browser we support has modulepreload.
    modulePreload: { polyfill: false },
    assetsInlineLimit: 0,
    sourcemap: false,
    reportCompressedSize: true,
  },
  server: { port: 5173 },
});
