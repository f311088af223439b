import type { AgentRun } from '../../../src/core/api/codegenClient';
import type { RunApi } from '../../../src/core/generation/runFollower';

/** A Codegen client for tests of OpenAI-compatible generation: each call fails, saying Codegen is not used here. */
export function unusedCodegen(): RunApi {
  const unused = (): Promise<AgentRun> => Promise.reject(new Error('Codegen is not used here'));
  return { signIn: () => Promise.reject(new Error('Codegen is not used here')), createRun: unused, getRun: unused, stopRun: unused, stopRunInBackground: unused };
}
