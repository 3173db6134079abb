// Two projects: unit tests need nothing running; integration tests
// (*.itg.test.ts) run against the real local control plane, registries and
// Prometheus, which the global setup brings up when they are not up yet.
const tsJest = {
  '^.+\\.ts$': ['ts-jest', { useESM: true, tsconfig: 'tsconfig.test.json' }]
}
const common = {
  testEnvironment: 'node',
  // Only the tests' tree: .cluster/ holds etcd's *.snap files, which jest would take for snapshots.
  roots: ['<rootDir>/__tests__'],
  extensionsToTreatAsEsm: ['.ts'],
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  transform: tsJest
}

export default {
  projects: [
    {
      ...common,
      displayName: 'unit',
      testMatch: ['<rootDir>/__tests__/**/*.test.ts'],
      testPathIgnorePatterns: ['\\.itg\\.test\\.ts$', '/node_modules/']
    },
    {
      ...common,
      displayName: 'itg',
      testMatch: ['<rootDir>/__tests__/**/*.itg.test.ts'],
      globalSetup: '<rootDir>/__tests__/support/global-setup.mjs'
    }
  ]
}
