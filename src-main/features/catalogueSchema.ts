import { z } from 'zod';

/** The shape of data/features/catalogue.json, shared by its builder and its reader. */

export const textSchema = z.object({ fr: z.string(), en: z.string() }).strict();
export const familySchema = z.object({ id: z.string(), fr: z.string(), en: z.string() }).strict();

export const catalogueEntrySchema = z
  .object({
    name: z.string(),
    block: z.string(),
    /** The table the feature is computed from (for a bureau_balance aggregate, bureau_balance). */
    table: z.string(),
    /** The stored columns it is computed from, as `table.column`. */
    sources: z.array(z.string()),
    aggregate: z.string().nullable(),
    description: textSchema,
    unit: z.string(),
    /** integer, decimal:N, percent:N (a share shown as a percentage), currency:N, flag (0/1) or code. */
    format: z.string(),
    /** Reason family id (see `families`). */
    family: z.string(),
    /** The client can change it in this application (amount, annuity, documents, contact details). */
    actionable: z.boolean(),
    /** Computed from a personal attribute that calls for care (age, gender, family). */
    sensitive: z.boolean(),
    /** Computed from an attribute of data/features/protected.json: not a model input. */
    protected: z.boolean(),
  })
  .strict();
export type CatalogueEntry = z.infer<typeof catalogueEntrySchema>;

export const catalogueSchema = z
  .object({ $comment: z.string(), families: z.array(familySchema), features: z.array(catalogueEntrySchema) })
  .strict();
export type Catalogue = z.infer<typeof catalogueSchema>;
