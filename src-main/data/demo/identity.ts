import { z } from 'zod';
import rawIdentities from '../../../data/generator/french-identities.json' with { type: 'json' };
import type { Client } from './application.ts';
import type { CsvColumn, Row } from './csvWriter.ts';
import { Choice } from './distributions.ts';
import type { Rng } from './prng.ts';

/** client_identity.csv: demo only, so managers can look clients up by name; Kaggle has no such file. */
export const IDENTITY_FILE = 'client_identity.csv';
export const IDENTITY_COLUMNS: readonly CsvColumn[] = [
  { name: 'SK_ID_CURR', format: 'int' },
  { name: 'FIRST_NAME', format: 'text' },
  { name: 'LAST_NAME', format: 'text' },
  { name: 'BRANCH', format: 'text' },
  { name: 'PHONE', format: 'text' },
];

const identitiesSchema = z
  .object({
    $comment: z.string(),
    firstNames: z.record(z.string(), z.array(z.string()).min(1)),
    lastNames: z.array(z.string()).min(1),
    branches: z.record(z.string(), z.number().positive()),
    mobilePrefixes: z.array(z.string().regex(/^0[67]$/)).min(1),
  })
  .strict();

/** A multiplier prime to 10: multiplying by it modulo 10^8 is a bijection, so phone numbers never repeat. */
const PHONE_MULTIPLIER = 73_939_133;
const PHONE_SPACE = 100_000_000;

export class IdentityBuilder {
  private readonly p = identitiesSchema.parse(rawIdentities);
  private readonly branches = new Choice(Object.entries(this.p.branches));
  private readonly allFirstNames = Object.values(this.p.firstNames).flat();

  /** Unique per client and seed: the client id is scrambled into the eight digits after the prefix. */
  constructor(private readonly seed: number) {}

  build(rng: Rng, client: Client): Row {
    const firstNames = this.p.firstNames[client.gender] ?? this.allFirstNames;
    const digits = ((client.id * PHONE_MULTIPLIER + (this.seed >>> 0)) % PHONE_SPACE)
      .toString()
      .padStart(8, '0');
    const prefix = this.p.mobilePrefixes[client.id % this.p.mobilePrefixes.length]!;
    return {
      SK_ID_CURR: client.id,
      FIRST_NAME: firstNames[rng.int(firstNames.length)]!,
      LAST_NAME: this.p.lastNames[rng.int(this.p.lastNames.length)]!,
      BRANCH: this.branches.draw(rng),
      PHONE: `${prefix} ${digits.slice(0, 2)} ${digits.slice(2, 4)} ${digits.slice(4, 6)} ${digits.slice(6)}`,
    };
  }
}
