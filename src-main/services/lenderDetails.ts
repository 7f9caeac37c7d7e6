import { readFileSync } from 'node:fs';
import defaultLender from '../../data/lender/lender.json' with { type: 'json' };
import { lenderSchema, type Lender } from '../api/contract.ts';

/** Environment variable naming the lender details file of an installation (default: data/lender/lender.json). */
export const lenderEnvVar = 'SCORING_DESK_LENDER';

export class LenderDetailsError extends Error {
  override name = 'LenderDetailsError';
}

/**
 * The lender's details printed on the client's sheet (name, address, contacts, data protection officer,
 * mediator): the repository's data/lender/lender.json, or the file an installation gives, checked field by field.
 */
export function loadLenderDetails(file?: string): Lender {
  if (file === undefined) return parseLender(defaultLender, 'data/lender/lender.json');
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new LenderDetailsError(`cannot read the lender details ${file}: ${(error as Error).message}`);
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new LenderDetailsError(`the lender details ${file} are not JSON: ${(error as Error).message}`);
  }
  return parseLender(value, file);
}

function parseLender(value: unknown, origin: string): Lender {
  const parsed = lenderSchema.safeParse(value);
  if (parsed.success) return parsed.data;
  const problems = parsed.error.issues.map(
    (issue) => `${issue.path.join('.') || '(file)'}: ${issue.message}`,
  );
  throw new LenderDetailsError(`the lender details ${origin} are not valid: ${problems.join('; ')}`);
}
