/**
 * jest (the design card's runner) in ESM mode: the code is ESM throughout (middy 6 is ESM-only,
 * import.meta.url, top-level await), so jest runs under --experimental-vm-modules (scripts/test.mjs)
 * and @swc/jest turns TypeScript into ESM. One project per suite: `npm test -- unit` selects one.
 */
const swc = [
  '@swc/jest',
  {
    jsc: {
      parser: { syntax: 'typescript', tsx: true },
      target: 'es2022',
      transform: { react: { runtime: 'automatic', importSource: 'preact' } },
    },
  },
];

const suite = (name, extra = {}) => ({
  displayName: name,
  testEnvironment: 'node',
  extensionsToTreatAsEsm: ['.ts', '.tsx'],
  transform: { '^.+\\.(t|j)sx?$': swc },
  // middy is ESM-only in node_modules; everything else there runs as published.
  transformIgnorePatterns: ['/node_modules/(?!(@middy)/)'],
  testMatch: [`<rootDir>/test/${name}/**/*.test.ts`],
  setupFiles: ['<rootDir>/test/support/jest-setup.ts'],
  ...extra,
});

export default {
  projects: [
    suite('unit'),
    suite('infra'),
    suite('integration'),
    suite('security'),
    suite('e2e', { globalSetup: '<rootDir>/test/e2e/global-setup.ts' }),
  ],
  // Suites start a whole local stack (and, for e2e, a browser) per file: minutes, not jest's 5 s.
  testTimeout: 180_000,
  maxWorkers: 2,
};
