import path from 'node:path';

/** Where everything of the e2e harness lives. All run state is under .e2e/ (gitignored). */
export const REPO_ROOT = path.resolve(__dirname, '../../..');
export const E2E_DIR = path.join(REPO_ROOT, '.e2e');
/** Wiped at the start of every e2e run: profiles, logs, results, bundles. */
export const RUN_DIR = path.join(E2E_DIR, 'run');
/** Wiped at the start of every e2e run: screenshots and log copies saved when a test fails. */
export const ARTIFACTS_DIR = path.join(E2E_DIR, 'artifacts');
/** Kept between `npm start` runs, so sign-in and settings survive restarts. */
export const START_DIR = path.join(E2E_DIR, 'start');

export const VSIX_PATH = path.join(REPO_ROOT, 'dist', 'contexten-codegen.vsix');
/** The extension id of the product under test (publisher.name from package.json). */
export const EXTENSION_ID = 'contexten.contexten-codegen';
/** The test-only extension that hosts the in-host suites (extensionDevelopmentPath). */
export const TEST_EXTENSION_DIR = path.join(REPO_ROOT, 'test', 'e2e', 'testExtension');
export const SUITE_SOURCE_DIR = path.join(REPO_ROOT, 'test', 'e2e', 'suite');
/** Copied to a fresh folder for every run; tests may edit the copy freely. */
export const FIXTURE_WORKSPACE = path.join(REPO_ROOT, 'test', 'fixtures', 'e2e-workspace');
/** The second folder of the multi-root workspace (the first is the run's copy of FIXTURE_WORKSPACE). */
export const FIXTURE_SECOND_FOLDER = path.join(REPO_ROOT, 'test', 'fixtures', 'e2e-second-folder');

export const CHROMIUM_PATH = process.env['CONTEXTEN_CHROMIUM'] ?? '/usr/bin/chromium';

/** Run-directory layout, shared by the session, the in-host runner and the leak check. */
export const RUN_LAYOUT = {
  /** One code-server profile per server of the run: profiles/<name>/{user-data,extensions,config.yaml}. */
  profiles: path.join(RUN_DIR, 'profiles'),
  workspace: path.join(RUN_DIR, 'workspace'),
  secondFolder: path.join(RUN_DIR, 'second-folder'),
  /** A multi-root workspace: the run's workspace ("shop") and secondFolder ("warehouse"). */
  multiRootWorkspace: path.join(RUN_DIR, 'multi-root.code-workspace'),
  logs: path.join(RUN_DIR, 'logs'),
  build: path.join(RUN_DIR, 'build'),
  inHostResults: path.join(RUN_DIR, 'in-host-results.json'),
  /** Everything the test runner printed, for the secrets-leak check. */
  capturedOutput: path.join(RUN_DIR, 'logs', 'e2e-output.log'),
  /** Process-group ids of the servers started, one per line: scripts/e2e.sh kills them in its trap. */
  processGroups: path.join(RUN_DIR, 'process-groups'),
} as const;
