/**
 * Environment variables the harness sets on the code-server process. code-server passes its
 * environment to the extension host, so both the product and the in-host suites read them there.
 * This module is bundled into the in-host suite too: keep it free of Node-only imports.
 */
export const HOST_ENV = {
  /** Always "1" under the e2e harness. */
  marker: 'CONTEXTEN_E2E',
  /** Absolute path where the in-host suite writes its per-test results (JSON). */
  results: 'CONTEXTEN_E2E_RESULTS',
  /** Absolute path of the extensions dir the .vsix was installed into. */
  extensionsDir: 'CONTEXTEN_E2E_EXTENSIONS_DIR',
  /** Absolute path of the workspace folder the window opens. */
  workspace: 'CONTEXTEN_E2E_WORKSPACE',
  /** Optional mocha grep for the in-host suites (passed through from the driver's environment). */
  grep: 'CONTEXTEN_E2E_GREP',
  /** Origin (http://127.0.0.1:N) of the OpenAI-compatible contract server, for its /__admin/ endpoints. */
  openAiServer: 'CONTEXTEN_E2E_OPENAI_URL',
} as const;

/** Inherited variables removed from code-server's environment, so a developer's real credentials never reach a test. */
export const SCRUBBED_ENV_PREFIXES = ['CODEGEN_', 'CONTEXTEN_', 'OPENAI_'] as const;

/** Reads a harness variable inside the extension host; fails loudly when the harness did not set it. */
export function requireHostEnv(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set: run the in-host suites through scripts/e2e.sh`);
  return value;
}
