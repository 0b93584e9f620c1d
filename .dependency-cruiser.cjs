// Import layers, checked by `pnpm lint` (depcruise) so a violation fails CI:
//   market-calendar (pure exchange time) ← index-engine (pure core) ← pipeline (the loop, order,
//   ports) ← adapters and packages ← services.
// Services are wiring: they import packages, never another service's code. Tests may import
// anything (they drive services from the outside).
const TESTS = '(^test/|\\.test\\.ts$|/test/|/testing/)';

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment: 'Import cycles make load order and ownership unclear.',
      from: { path: '^(packages|services)/' },
      to: { circular: true },
    },
    {
      name: 'calendar-is-the-base',
      severity: 'error',
      comment: 'packages/market-calendar imports no other workspace package: the engine depends on it.',
      from: { path: '^packages/market-calendar/src/', pathNot: TESTS },
      to: { path: '^(packages|services)/', pathNot: '^packages/market-calendar/' },
    },
    {
      name: 'engine-is-the-core',
      severity: 'error',
      comment:
        'packages/index-engine imports no other workspace package but the pure market calendar ' +
        '(events in, levels out).',
      from: { path: '^packages/index-engine/src/', pathNot: TESTS },
      to: { path: '^(packages|services)/', pathNot: '^packages/(index-engine|market-calendar)/' },
    },
    {
      name: 'pipeline-knows-only-the-engine',
      severity: 'error',
      comment: 'packages/pipeline owns the loop and event order over neutral ports: no adapter, no service.',
      from: { path: '^packages/pipeline/src/', pathNot: TESTS },
      to: { path: '^(packages|services)/', pathNot: '^packages/(pipeline|index-engine|market-calendar)/' },
    },
    {
      name: 'packages-never-import-services',
      severity: 'error',
      comment: 'A package is a library; services are wiring on top of packages.',
      from: { path: '^packages/', pathNot: TESTS },
      to: { path: '^services/' },
    },
    {
      name: 'services-never-import-services',
      severity: 'error',
      comment:
        'Services import packages, never another service. Known exception: embedded runs the ' +
        'gateway in-process (services/gateway exports it), until the desk feed moves into a package.',
      from: { path: '^services/([^/]+)/', pathNot: TESTS },
      to: {
        path: '^services/([^/]+)/',
        pathNot: ['^services/$1/', '^services/gateway/src/(index|in-process-gateway)\\.ts$'],
      },
    },
    {
      name: 'no-test-helpers-in-production',
      severity: 'error',
      comment: 'Production code never imports the test kit or a test helper.',
      from: { path: '^(packages|services)/', pathNot: [TESTS, '^packages/testkit/'] },
      to: { path: ['^packages/testkit/', '/testing/'] },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '(node_modules|\\.ci/|/dist/)' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'default'] },
  },
};
