// The schema of a context query, for the error that names what is wrong with an invalid one. Loaded by
// contextEngine.ts only for a query its own checks do not accept (see isSurelyValid there): zod stays out of the
// engine thread's start.
import * as z from 'zod';
import { ValidationError } from '../errors';
import type { ContextQuery } from './model';

export interface QueryLimits {
  readonly maxQueryChars: number;
  readonly maxHintFiles: number;
  readonly maxBudget: number;
}

/** The ValidationError for a query the schema rejects, or undefined when it accepts it. */
export function invalidQueryError(q: ContextQuery, limits: QueryLimits): ValidationError | undefined {
  const schema = z.object({
    query: z.string().max(limits.maxQueryChars),
    activeFile: z.string().nullable().optional(),
    openFiles: z.array(z.string()).max(limits.maxHintFiles).optional(),
    recentFiles: z.array(z.string()).max(limits.maxHintFiles).optional(),
    budget: z.number().int().min(0).max(limits.maxBudget).optional(),
    relevanceThreshold: z.number().min(0).max(1).optional(),
  });
  const parsed = schema.safeParse(q);
  if (parsed.success) return undefined;
  const issues = parsed.error.issues.map((i) => ({ loc: i.path.map((p) => (typeof p === 'number' ? p : String(p))), msg: i.message, type: i.code }));
  return new ValidationError(`Invalid context query: ${issues.map((i) => `${i.loc.join('.') || 'query'}: ${i.msg}`).join('; ')}`, issues);
}
