import * as z from 'zod';

/** One mocha test (or failed hook) of an in-host run, as the suite writes it and the driver reads it. */
export const InHostTestResultSchema = z.object({
  title: z.string(),
  fullTitle: z.string(),
  file: z.string().optional(),
  state: z.enum(['passed', 'failed', 'pending']),
  durationMs: z.number().optional(),
  error: z.string().optional(),
});
export type InHostTestResult = z.infer<typeof InHostTestResultSchema>;

export const InHostRunSchema = z.object({
  startedAt: z.string(),
  finishedAt: z.string(),
  tests: z.array(InHostTestResultSchema),
});
export type InHostRun = z.infer<typeof InHostRunSchema>;
