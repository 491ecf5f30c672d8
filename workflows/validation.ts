import { ApplicationFailure } from '@temporalio/workflow';
import type { z } from 'zod';

/**
 * Validates workflow input. Bad input is a non-retryable failure that names
 * each field, so a run started by hand from the CLI or Web UI fails clearly.
 */
export function parseInput<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const fields = result.error.issues.map((i) => ({ field: i.path.join('.'), message: i.message }));
  throw ApplicationFailure.create({
    type: 'ValidationError',
    message: `Invalid workflow input: ${fields.map((f) => `${f.field || '(root)'} ${f.message}`).join('; ')}`,
    nonRetryable: true,
    details: [fields],
  });
}
