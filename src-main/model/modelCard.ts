import { z } from 'zod';
import type { BoosterParams } from './boosterParams.ts';

/**
 * The model card (`model-card.json` beside `model.onnx`): everything a data scientist, a compliance officer or the
 * app needs to know about a trained model, as plain JSON (no NaN: an undefined rate is null). The schema is the
 * single definition, shared by the trainer that writes the card, the methodology note rendered from it
 * (modelCardMarkdown.ts) and the services and screens that read it.
 *
 * Conventions: probabilities and rates are in [0, 1] (not percent); "positive" means a default (TARGET = 1);
 * thresholds apply as "refused when the probability of default is ≥ threshold"; texts meant for people come in
 * French and English.
 */

export const MODEL_CARD_FILE = 'model-card.json';
export const MODEL_CARD_SCHEMA_VERSION = 1;

/** A text for people, in both languages of the app. */
export const bilingualSchema = z.object({ fr: z.string().min(1), en: z.string().min(1) }).strict();
const share = z.number().min(0).max(1);
const count = z.number().int().nonnegative();
/** A rate that a group may not have (no defaulter, no good client): null then. */
const optionalRate = share.nullable();

export const confusionMatrixSchema = z
  .object({
    /** Defaulters refused. */
    truePositive: count,
    /** Good clients refused. */
    falsePositive: count,
    /** Good clients granted. */
    trueNegative: count,
    /** Defaulters granted. */
    falseNegative: count,
  })
  .strict();

export const costPointSchema = z
  .object({ threshold: share, falseNegative: count, falsePositive: count, cost: z.number().nonnegative() })
  .strict();

export const groupRatesSchema = z
  .object({
    group: z.string(),
    count,
    /** Share of the group refused at the threshold. */
    refusalRate: share,
    /** Observed default rate of the group. */
    defaultRate: share,
    meanPredicted: share,
    /** Share of the group's defaulters refused; null when it has none. */
    truePositiveRate: optionalRate,
    /** Share of the group's good clients refused; null when it has none. */
    falsePositiveRate: optionalRate,
  })
  .strict();

export const fairnessAttributeSchema = z
  .object({
    /** The attribute and how groups are formed from it. */
    attribute: z.string(),
    description: bilingualSchema,
    groups: z.array(groupRatesSchema),
    /** Lowest over highest refusal rate among groups of at least `minGroupSize` clients (1 = parity). */
    refusalRateRatio: share.nullable(),
  })
  .strict();

export const reliabilityBinSchema = z
  .object({
    count,
    /** Lowest and highest predicted probability in the decile. */
    from: share,
    to: share,
    meanPredicted: share,
    observedRate: share,
  })
  .strict();

const hyperparametersSchema = z
  .object({
    learningRate: z.number(),
    numRounds: z.number().int(),
    numLeaves: z.number().int(),
    maxDepth: z.number().int(),
    colsampleByTree: z.number(),
    subsample: z.number(),
    subsampleFreq: z.number().int(),
    regAlpha: z.number(),
    regLambda: z.number(),
    minSplitGain: z.number(),
    minChildWeight: z.number(),
    minDataInLeaf: z.number().int(),
    scalePosWeight: z.number(),
    earlyStoppingRounds: z.number().int(),
    seed: z.number().int(),
  } satisfies Record<keyof BoosterParams, z.ZodType<number>>)
  .strict();

export const modelCardSchema = z
  .object({
    schemaVersion: z.literal(MODEL_CARD_SCHEMA_VERSION),
    model: z
      .object({
        /** Content-derived: the same trees, threshold and inputs give the same version. */
        version: z.string().min(1),
        /** ISO 8601; SOURCE_DATE_EPOCH when set at training, for reproducible files. */
        createdAt: z.iso.datetime(),
        file: z.string(),
        /** SHA-256 of the model file, hex. */
        sha256: z.string().regex(/^[0-9a-f]{64}$/),
        format: z.string(),
        algorithm: bilingualSchema,
      })
      .strict(),
    data: z
      .object({
        /** File name of the client base trained on (no folder: the card may travel). */
        source: z.string(),
        /** SHA-256 of the training matrix and labels (also in the ONNX metadata). */
        trainingFingerprint: z.string(),
        labelledRows: count,
        positives: count,
        defaultRate: share,
      })
      .strict(),
    features: z
      .object({
        count,
        families: z.array(z.object({ id: z.string(), label: bilingualSchema, count }).strict()),
        excluded: z
          .object({
            /** Protected attributes (data/features/protected.json) and the features computed from them. */
            protectedAttributes: z.array(z.string()),
            features: z.array(z.string()),
          })
          .strict(),
      })
      .strict(),
    training: z
      .object({
        folds: z.number().int().min(2),
        /** Seed of the stratified folds and of the trainer's random draws. */
        seed: z.number().int(),
        hyperparameters: hyperparametersSchema,
        foldResults: z.array(
          z
            .object({
              fold: count,
              trainRows: count,
              validRows: count,
              /** Trees kept by early stopping on the fold's validation AUC. */
              rounds: count,
              auc: share,
            })
            .strict(),
        ),
        /** Trees of the final model (all labelled rows): the folds' mean. */
        finalRounds: count,
      })
      .strict(),
    imbalance: z
      .object({
        scalePosWeight: z.number().positive(),
        calibration: z
          .object({
            /** Platt scaling p = σ(a·margin + b), folded into the exported trees; none = identity. */
            method: z.enum(['platt', 'none']),
            a: z.number(),
            b: z.number(),
          })
          .strict(),
        /** Largest |mean predicted − observed| over deciles of the out-of-fold probabilities. */
        maxDecileGap: z.object({ raw: share, calibrated: share, tolerance: share }).strict(),
        withinTolerance: z.boolean(),
      })
      .strict(),
    costs: z
      .object({ falseNegative: z.number().nonnegative(), falsePositive: z.number().nonnegative() })
      .strict(),
    decision: z
      .object({
        /** Refused when the probability of default is ≥ threshold. */
        threshold: share,
        /** Step of the grid the threshold was searched on. */
        searchStep: z.number().positive(),
        /** Cost C_FN·FN + C_FP·FP of the out-of-fold predictions at the threshold, total and per client. */
        cost: z.number().nonnegative(),
        costPerClient: z.number().nonnegative(),
        refusalRate: share,
        confusion: confusionMatrixSchema,
      })
      .strict(),
    costCurve: z
      .object({
        /** Grid step; the points are the grid plus the chosen threshold, in increasing order. */
        step: z.number().positive(),
        points: z.array(costPointSchema),
      })
      .strict(),
    metrics: z
      .object({
        /** ROC AUC of all out-of-fold predictions together. */
        oofAuc: share,
        foldAuc: z.object({ mean: share, std: z.number().nonnegative(), values: z.array(share) }).strict(),
        /** On the calibrated out-of-fold probabilities. */
        logLoss: z.number().nonnegative(),
        brier: share,
      })
      .strict(),
    calibration: z.object({ deciles: z.array(reliabilityBinSchema) }).strict(),
    importance: z
      .object({
        measure: z.literal('gain'),
        /** The features of largest total split gain in the final model, share of the total gain. */
        top: z.array(
          z
            .object({ feature: z.string(), family: z.string(), gain: z.number(), share, splits: count })
            .strict(),
        ),
        byFamily: z.array(
          z.object({ family: z.string(), label: bilingualSchema, gain: z.number(), share }).strict(),
        ),
      })
      .strict(),
    fairness: z
      .object({
        /** What the rates are computed on. */
        basis: bilingualSchema,
        threshold: share,
        /** Groups smaller than this are shown but left out of refusalRateRatio. */
        minGroupSize: count,
        attributes: z.array(fairnessAttributeSchema),
      })
      .strict(),
    explanations: bilingualSchema,
    limits: z.array(bilingualSchema),
    monitoring: z.array(bilingualSchema),
  })
  .strict();

export type ModelCard = z.infer<typeof modelCardSchema>;
export type BilingualText = z.infer<typeof bilingualSchema>;
export type GroupRatesEntry = z.infer<typeof groupRatesSchema>;
export type FairnessAttributeEntry = z.infer<typeof fairnessAttributeSchema>;

export class ModelCardError extends Error {
  override name = 'ModelCardError';
}

/** Validates a parsed model-card.json; throws ModelCardError naming the first problem and where. */
export function parseModelCard(json: unknown, where = MODEL_CARD_FILE): ModelCard {
  const result = modelCardSchema.safeParse(json);
  if (!result.success) {
    const issue = result.error.issues[0]!;
    throw new ModelCardError(`${where}: ${issue.path.join('.') || '(root)'}: ${issue.message}`);
  }
  return result.data;
}
