// Two projects: `unit` needs nothing running; `integration` gets a real Temporal dev server and a
// real PostgreSQL, started once per `jest` run by test/global-setup.ts on free ports.
const swc = JSON.parse(require('fs').readFileSync(__dirname + '/.swcrc.jest.json', 'utf8'));
const transform = { '^.+\\.(t|j)sx?$': ['@swc/jest', { ...swc, swcrc: false }] };
const common = {
  transform,
  testEnvironment: 'node',
  moduleFileExtensions: ['ts', 'tsx', 'js', 'json'],
  testPathIgnorePatterns: ['/node_modules/', '/dist/'],
};
module.exports = {
  projects: [
    { ...common, displayName: 'unit', testMatch: ['<rootDir>/**/*.spec.ts'] },
    {
      ...common,
      displayName: 'integration',
      testMatch: ['<rootDir>/**/*.itest.ts'],
      testPathIgnorePatterns: ['/node_modules/', '/dist/', process.env.CAUCE_SCRATCH ? '/nothing/' : '/scratch/'],
      globalSetup: '<rootDir>/test/global-setup.ts',
      setupFiles: ['<rootDir>/test/setup-integration.ts'],
      setupFilesAfterEnv: ['<rootDir>/test/timeouts.ts'],
      globalTeardown: '<rootDir>/test/global-teardown.ts',
    },
    {
      // The editor's component tests (React Testing Library in jsdom).
      displayName: 'ui',
      testEnvironment: 'jsdom',
      testMatch: ['<rootDir>/ui/**/*.spec.tsx'],
      testPathIgnorePatterns: ['/node_modules/', '/dist/'],
      moduleFileExtensions: ['ts', 'tsx', 'js', 'json'],
      transform: {
        '^.+\\.(t|j)sx?$': [
          '@swc/jest',
          {
            ...swc,
            swcrc: false,
            jsc: {
              ...swc.jsc,
              parser: { syntax: 'typescript', tsx: true, decorators: true },
              transform: { ...swc.jsc.transform, react: { runtime: 'automatic' } },
            },
          },
        ],
      },
      moduleNameMapper: {
        '\\.css$': '<rootDir>/ui/src/test/style-stub.js',
        // Vite builds the editor's Web Workers; in jsdom it validates and lays out on the main thread.
        '/workers$': '<rootDir>/ui/src/test/no-worker.ts',
      },
      setupFilesAfterEnv: ['<rootDir>/ui/src/test/setup.ts'],
    },
  ],
};
