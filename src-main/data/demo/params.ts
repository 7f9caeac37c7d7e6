import { z } from 'zod';
import rawParams from '../../../data/generator/home-credit-demo.json' with { type: 'json' };
import { columnSpec, type TableName } from '../schema.ts';
import { Choice } from './distributions.ts';

/**
 * The generator's parameters, read from `data/generator/home-credit-demo.json`: frequencies, distributions and
 * risk weights are data so they can be checked against the reference figures and tuned without touching code.
 * Level names used there are checked against the schema, which alone declares the levels.
 */

const share = z.number().min(0).max(1);
const knots = z.array(z.tuple([z.number(), z.number()])).min(2);
const weights = z.record(z.string(), z.number().nonnegative());
const grains = z.array(z.tuple([z.number().positive(), share])).min(1);
const withNulls = z.object({ nullRate: share, weights }).strict();
const amount = z.object({ quantiles: knots, grains, incomeLoading: share }).strict();
const loading = z.number().min(-1).max(1);
const sellerPlace = z.object({ minusOneShare: share, zeroShare: share }).strict();

const buildingColumn = z
  .object({
    nullRate: share,
    form: z.enum(['lognormal', 'reflected', 'normal']),
    zeroShare: share.optional(),
    median: z.number(),
    sigma: z.number().positive(),
    sizeLoading: share,
    step: z.number().positive().optional(),
    sameAcrossStats: z.boolean().optional(),
  })
  .strict();

const driver = z.object({ weight: z.number(), center: z.number(), scale: z.number().positive() }).strict();

const paramsSchema = z
  .object({
    $comment: z.string(),
    population: z
      .object({
        trainShare: share,
        firstClientId: z.number().int(),
        firstBureauId: z.number().int(),
        firstPreviousId: z.number().int(),
      })
      .strict(),
    kaggleFloatColumns: z.record(z.string(), z.array(z.string())),
    traits: z
      .object({
        statusQualityLoading: loading,
        disciplineQualityLoading: loading,
        disciplineAgeLoading: loading,
      })
      .strict(),
    application: z
      .object({
        contractType: weights,
        gender: weights,
        ownCarShareByGender: z.record(z.string(), share),
        ownRealtyShare: share,
        children: z.array(z.number().nonnegative()),
        typeSuite: withNulls,
        incomeType: weights,
        notEmployed: z
          .object({
            incomeTypes: z.array(z.string()).min(1),
            retirementAgeYears: z.record(z.string(), z.number()),
            spreadYears: z.number().positive(),
            floorShare: share,
          })
          .strict(),
        education: z.object({ order: z.array(z.string()), weights, statusLoading: loading }).strict(),
        familyStatus: weights,
        couples: z.array(z.string()),
        famMembersNullRate: share,
        housingType: weights,
        occupation: z.object({ nullRateEmployed: share, weights }).strict(),
        organization: z.object({ notEmployedLevel: z.string(), weights }).strict(),
        weekday: weights,
        hour: z.array(z.number().nonnegative()).length(24),
        income: z.object({ quantiles: knots, grains, statusLoading: loading }).strict(),
        cashLoan: z
          .object({
            goodsPrice: amount,
            creditToGoods: z.object({ plainShare: share, quantiles: knots }).strict(),
            creditStep: z.number().positive(),
            termMonths: weights,
            termAmountLoading: loading,
            annualRate: knots,
            annuityStep: z.number().positive(),
            maxCredit: z.number().positive(),
          })
          .strict(),
        revolvingLoan: z
          .object({
            creditToIncome: knots,
            creditStep: z.number().positive(),
            minCredit: z.number().positive(),
            annuityShare: share,
            goodsNullRate: share,
            maxCredit: z.number().positive(),
          })
          .strict(),
        annuityNullRate: share,
        regions: z
          .object({
            cityDowngradeShare: share,
            list: z.array(
              z.tuple([z.number().positive(), z.number().int().min(1).max(3), z.number().positive()]),
            ),
          })
          .strict(),
        daysBirth: knots,
        daysEmployed: z
          .object({ quantiles: knots, ageLoading: loading, minWorkingAgeYears: z.number() })
          .strict(),
        daysRegistration: knots,
        daysIdPublish: z.object({ quantiles: knots, minAgeYears: z.number() }).strict(),
        daysLastPhoneChange: z.object({ nullRate: share, quantiles: knots }).strict(),
        ownCarAge: knots,
        extSources: z
          .array(
            z
              .object({
                column: z.string(),
                nullRate: share,
                ageLoading: loading,
                qualityLoading: loading,
                quantiles: knots,
              })
              .strict(),
          )
          .length(3),
        flags: z.record(z.string(), share),
        addressFlags: z.record(z.string(), share),
        workFlags: z.record(z.string(), share),
        flagImplications: z.array(z.tuple([z.string(), z.string()])),
        documents: z.record(z.string(), share),
        socialCircle: z
          .object({
            nullRate: share,
            observed30: z.array(z.number().nonnegative()),
            defaultShare: share,
            defaultShareRiskLoading: z.number(),
            observed60DropShare: share,
            default60KeepShare: share,
          })
          .strict(),
        creditBureauRequests: z.record(z.string(), z.array(z.number().nonnegative())),
      })
      .strict(),
    building: z
      .object({
        presentShare: share,
        missingTogetherLoading: loading,
        modeDeviation: z.object({ bias: z.number(), sd: z.number().nonnegative() }).strict(),
        mediDeviation: z.object({ bias: z.number(), sd: z.number().nonnegative() }).strict(),
        columns: z.record(z.string(), buildingColumn),
        totalArea: buildingColumn,
        categories: z.record(z.string(), withNulls),
      })
      .strict(),
    bureau: z
      .object({
        clientShare: share,
        creditsPerClient: z
          .object({ mean: z.number().min(1), shape: z.number().positive(), ageLoading: z.number() })
          .strict(),
        creditType: weights,
        currency: weights,
        daysCredit: knots,
        minAgeYears: z.number(),
        termMonths: z.record(z.string(), knots),
        cardWithoutEndDateShare: share,
        closedShare: z.object({ afterEndDate: share, beforeEndDate: share, repaidEarly: share }).strict(),
        amount: z
          .object({
            quantiles: knots,
            grains,
            typeFactor: z.record(z.string(), z.number().positive()),
            incomeLoading: share,
          })
          .strict(),
        overdue: z
          .object({
            intercept: z.number(),
            disciplineLoading: z.number(),
            currentShare: share,
            soldShare: share,
            badDebtShare: share,
          })
          .strict(),
        nullRates: z.record(z.string(), share),
        annuityZeroShare: share,
        prolongShare: share,
        updateLagDays: z.number().positive(),
        earlyClosureShape: z.number().positive(),
      })
      .strict(),
    bureauBalance: z
      .object({
        creditShare: share,
        reportLagMonths: z.number().nonnegative(),
        unknownCreditShare: share,
        unknownLeadShare: share,
        unknownLeadMonths: z.number().nonnegative(),
        overdueEpisodeMonths: z.number().nonnegative(),
        worseningShare: share,
      })
      .strict(),
    previous: z
      .object({
        clientShare: share,
        applicationsPerClient: z
          .object({ mean: z.number().min(1), shape: z.number().positive(), ageLoading: z.number() })
          .strict(),
        contractType: z.object({ first: weights, later: weights }).strict(),
        statusByType: z.record(z.string(), weights),
        refusalQualityLoading: z.number(),
        emptyCanceledShare: share,
        daysDecision: knots,
        minAgeYears: z.number(),
        weekday: weights,
        hour: z.array(z.number().nonnegative()).length(24),
        lastApplicationPerContractNoShare: share,
        notLastInDayShare: share,
        firstApplicationNewShare: share,
        clientTypeRefreshedShare: share,
        clientTypeXnaShare: share,
        typeSuite: withNulls,
        paymentType: weights,
        paymentTypeXnaShare: z.record(z.string(), share),
        rejectReason: weights,
        interestRateShare: share,
        interestRates: z.object({ primary: knots, privileged: knots }).strict(),
        annualRateByYield: z.record(z.string(), z.number().nonnegative()),
        annualRateJitter: share,
        cash: z
          .object({
            amount,
            insuredShare: share,
            insuranceFactor: knots,
            termMonths: weights,
            yield: weights,
            walkInShare: share,
            purposeShare: share,
            purpose: weights,
            channel: weights,
            sellerIndustry: weights,
            sellerPlace,
            combination: z.record(z.string(), z.record(z.string(), z.string())),
          })
          .strict(),
        consumer: z
          .object({
            amount,
            downPaymentShare: share,
            downPaymentRate: knots,
            insuredShare: share,
            insuranceFactor: knots,
            termMonths: weights,
            combination: z.record(
              z.string(),
              z
                .object({ weight: z.number().nonnegative(), family: z.string(), interest: z.boolean() })
                .strict(),
            ),
            yieldWithInterest: weights,
            yieldWithoutInterest: weights,
            goodsByFamily: z.record(z.string(), weights),
            sellerIndustryByGoods: z.record(z.string(), z.string()),
            sellerIndustryOther: z.string(),
            channel: weights,
            carsChannel: z.string(),
            sellerPlaceArea: knots,
          })
          .strict(),
        revolving: z
          .object({
            credit: knots,
            creditStep: z.number().positive(),
            incomeLoading: share,
            applicationZeroShare: share,
            annuityShare: share,
            walkInShare: share,
            channel: weights,
            drawnShare: share,
            sellerPlace,
            combination: z.record(z.string(), z.string()),
          })
          .strict(),
        schedule: z
          .object({
            missingShare: share,
            firstDueLagDays: knots,
            earlyRepaymentShare: share,
            terminationLagDays: knots,
            cardClosedShare: share,
          })
          .strict(),
      })
      .strict(),
    repayment: z
      .object({
        lateIntercept: z.number(),
        lateDisciplineLoading: z.number(),
        lateDays: knots,
        earlyDays: knots,
        splitPaymentShare: share,
        partialPaymentShare: share,
        unpaidRecentShare: share,
        versionChangeShare: share,
        pos: z
          .object({
            firstMonthStatus: weights,
            finalStatus: weights,
            returnedShare: share,
            demandDpdDays: z.number().positive(),
            dpdDefShare: share,
            instalmentNullRate: share,
          })
          .strict(),
        card: z
          .object({
            unusedShare: share,
            activeMonthShare: share,
            atmShare: share,
            drawing: knots,
            payFullShare: share,
            minPaymentRate: share,
            monthlyInterest: share,
            missedPaymentLoading: z.number(),
            missedPaymentIntercept: z.number(),
            quietMonthNullShare: share,
            regularityNullMonths: z.number().int().nonnegative(),
            limitRaiseShare: share,
            firstMonthStatus: weights,
            posDrawingShare: share,
            otherDrawingShare: share,
          })
          .strict(),
      })
      .strict(),
    risk: z
      .object({
        targetDefaultRate: share,
        calibrationClients: z.number().int().positive(),
        calibrationSeed: z.number().int(),
        noiseSd: z.number().nonnegative(),
        drivers: z.record(z.string(), driver),
        higherEducation: z.array(z.string()),
        manualOccupations: z.array(z.string()),
      })
      .strict(),
  })
  .strict();

export type DemoParams = z.infer<typeof paramsSchema>;
export type AmountParams = z.infer<typeof amount>;
export type BuildingColumnParams = z.infer<typeof buildingColumn>;
export type DriverParams = z.infer<typeof driver>;

let defaults: DemoParams | undefined;

/** The parameters of data/generator/home-credit-demo.json, validated once per process. */
export function loadDemoParams(): DemoParams {
  return (defaults ??= paramsSchema.parse(rawParams));
}

/** Throws unless `level` is one of the schema's levels for that column: a typo in the parameters must not pass. */
export function checkLevel(table: TableName, column: string, level: string): string {
  const levels = columnSpec(table, column).levels;
  if (!levels?.includes(level)) {
    throw new Error(`demo parameters: '${level}' is not a level of ${table}.${column} in the schema`);
  }
  return level;
}

/** A choice among a column's levels, weighted by Kaggle frequencies; every named level is checked against the schema. */
export function levelChoice(
  table: TableName,
  column: string,
  levelWeights: Record<string, number>,
): Choice<string> {
  return new Choice(
    Object.entries(levelWeights).map(([level, w]) => [checkLevel(table, column, level), w] as const),
  );
}
