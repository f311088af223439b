/**
 * Every secret value the e2e tests type, store or hand to a server. They are fake but distinctive, so
 * the secrets-leak check (the last e2e test) can grep every log and output of the run for them.
 * A test that uses a new secret adds it here: nothing else may invent a token.
 */
export const TEST_SECRETS = {
  /** Accepted by the local Codegen contract server. */
  codegenToken: 'cgx-e2e-token-7f3a9c1d5b2e4f60a8d7',
  /** A well-formed token the contract server rejects (401), for the wrong-token sign-in path. */
  wrongCodegenToken: 'cgx-e2e-wrong-0b1c2d3e4f5a6b7c8d9e',
  /** API key for the local OpenAI-compatible contract server. */
  openAiApiKey: 'sk-e2e-key-4d9e2f7a1b3c5d6e8f90',
} as const;

export type TestSecretName = keyof typeof TEST_SECRETS;

/** The values with their names; reports name a leaked secret, never print it. */
export const TEST_SECRET_ENTRIES: readonly (readonly [TestSecretName, string])[] = Object.entries(TEST_SECRETS) as [
  TestSecretName,
  string,
][];
