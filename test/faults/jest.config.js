// The fault-injection suite (`npm run test:faults`): its own Jest config, outside `npm test`'s
// projects. It starts the built stack itself (no global setup) and runs its tests in order.
const path = require('node:path');
const fs = require('node:fs');
const root = path.resolve(__dirname, '../..');
const swc = JSON.parse(fs.readFileSync(path.join(root, '.swcrc.jest.json'), 'utf8'));
module.exports = {
  rootDir: root,
  displayName: 'faults',
  testMatch: ['<rootDir>/test/faults/**/*.faults.ts'],
  testPathIgnorePatterns: ['/node_modules/', '/dist/'],
  transform: { '^.+\\.(t|j)sx?$': ['@swc/jest', { ...swc, swcrc: false }] },
  testEnvironment: 'node',
  moduleFileExtensions: ['ts', 'js', 'json'],
  testTimeout: 300_000,
};
