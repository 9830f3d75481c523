/** Browser tests of the admin panel: Debian's chromium driven by playwright-core, against a built panel. */
const base = require('../../jest.config.js');

module.exports = {
  ...base,
  rootDir: require('path').resolve(__dirname, '../..'),
  roots: ['<rootDir>/tests/browser'],
  testPathIgnorePatterns: ['/node_modules/', '/dist/'],
  globalSetup: '<rootDir>/tests/browser/global-setup.ts',
  testTimeout: 180000,
};
