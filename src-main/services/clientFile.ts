import type { ClientBase } from '../data/clientBase.ts';
import type { ApiHandlers, ClientFile, Field, HistorySummary, Lang, Timeline } from '../api/contract.ts';
import { quoteIdent, tableSpec } from '../data/schema.ts';
import { catalogue } from '../features/catalogue.ts';
import { columnLabel, levelLabel } from './columnLabels.ts';
import { requireRow, type ServiceContext } from './context.ts';
import { segmentOf } from './segments.ts';
import { formatValue } from './valueFormat.ts';

/**
 * getClientFile: the application's fields, grouped by reason family and labelled (the catalogue for numbers,
 * the wording data for categorical levels), the summaries of the client's history tables and the rows the
 * UI's timelines draw. Read straight from the client base through its SK_ID_CURR indexes.
 */

/** Instalments shown on the timeline, most recent first: a long-standing client can have thousands. */
export const MAX_TIMELINE_INSTALMENTS = 300;

const applicationColumns = tableSpec('application').columns.filter(
  (c) => c.name !== 'SK_ID_CURR' && c.name !== 'TARGET',
);
const catalogueByName = new Map(catalogue.features.map((f) => [f.name, f]));
const familyOrder = catalogue.families.map((f) => f.id);

/** The catalogue entry describing a column: the feature of the same name, else the first computed from it. */
function describingEntry(column: string) {
  return (
    catalogueByName.get(column) ??
    catalogue.features.find((f) => f.block === 'application' && f.sources.includes(`application.${column}`))
  );
}

const fieldSpecs = applicationColumns.map((column) => {
  const entry = describingEntry(column.name);
  return { column, entry, family: entry?.family ?? 'personal_profile' };
});

function field(spec: (typeof fieldSpecs)[number], value: unknown, lang: Lang): Field {
  const { column, entry } = spec;
  if (column.type === 'category') {
    const level = typeof value === 'string' ? value : null;
    return {
      name: column.name,
      label: columnLabel('application', column.name, lang) ?? entry?.description[lang] ?? column.name,
      value: level,
      formattedValue:
        level === null
          ? formatValue(null, 'code', 'code', lang)
          : levelLabel('application', column.name, level, lang),
      unit: 'category',
      format: 'category',
    };
  }
  const number = typeof value === 'number' ? value : null;
  const format = entry?.format ?? 'decimal:2';
  const unit = entry?.unit ?? 'score';
  return {
    name: column.name,
    label: entry?.description[lang] ?? column.name,
    value: number,
    formattedValue: formatValue(number, format, unit, lang),
    unit,
    format,
  };
}

function history(db: ClientBase, clientId: number): HistorySummary {
  const bureau = db
    .prepare(
      `SELECT COUNT(*) AS credits,
              COALESCE(SUM(CREDIT_ACTIVE = 'Active'), 0) AS active,
              COALESCE(SUM(CREDIT_ACTIVE = 'Closed'), 0) AS closed,
              COALESCE(SUM(CREDIT_DAY_OVERDUE > 0), 0) AS overdue,
              COALESCE(SUM(AMT_CREDIT_SUM_OVERDUE), 0) AS overdueAmount,
              COALESCE(SUM(CASE WHEN CREDIT_ACTIVE = 'Active' THEN AMT_CREDIT_SUM_DEBT END), 0) AS totalDebt
       FROM bureau WHERE SK_ID_CURR = ?`,
    )
    .get(clientId) as HistorySummary['bureau'];
  const previous = db
    .prepare(
      `SELECT COUNT(*) AS applications,
              COALESCE(SUM(NAME_CONTRACT_STATUS = 'Approved'), 0) AS approved,
              COALESCE(SUM(NAME_CONTRACT_STATUS = 'Refused'), 0) AS refused,
              COALESCE(SUM(NAME_CONTRACT_STATUS = 'Canceled'), 0) AS canceled,
              COALESCE(SUM(NAME_CONTRACT_STATUS = 'Unused offer'), 0) AS unusedOffers
       FROM previous_application WHERE SK_ID_CURR = ?`,
    )
    .get(clientId) as HistorySummary['previous'];
  const instalments = db
    .prepare(
      `SELECT COUNT(*) AS instalments,
              COALESCE(SUM(DAYS_ENTRY_PAYMENT > DAYS_INSTALMENT), 0) AS late,
              COALESCE(MAX(MAX(DAYS_ENTRY_PAYMENT - DAYS_INSTALMENT, 0)), 0) AS maxDaysLate,
              COALESCE(SUM(AMT_PAYMENT < AMT_INSTALMENT), 0) AS underpaid
       FROM installments_payments WHERE SK_ID_CURR = ?`,
    )
    .get(clientId) as Omit<HistorySummary['instalments'], 'lateShare'>;
  const card = db
    .prepare(
      `SELECT COUNT(DISTINCT SK_ID_PREV) AS cards, COUNT(*) AS months,
              AVG(CASE WHEN AMT_CREDIT_LIMIT_ACTUAL > 0 THEN AMT_BALANCE / AMT_CREDIT_LIMIT_ACTUAL END) AS meanUtilisation,
              COALESCE(SUM(AMT_DRAWINGS_CURRENT > 0), 0) AS monthsWithDrawings,
              COALESCE(SUM(SK_DPD > 0), 0) AS monthsPastDue
       FROM credit_card_balance WHERE SK_ID_CURR = ?`,
    )
    .get(clientId) as HistorySummary['card'];
  return {
    bureau,
    previous,
    instalments: {
      ...instalments,
      maxDaysLate: Math.round(instalments.maxDaysLate),
      lateShare: instalments.instalments > 0 ? instalments.late / instalments.instalments : null,
    },
    card,
  };
}

function timeline(db: ClientBase, clientId: number, lang: Lang): Timeline {
  const label = (table: 'bureau' | 'previous_application', column: string, level: string | null) =>
    level === null ? null : levelLabel(table, column, level, lang);
  const bureau = (
    db
      .prepare(
        `SELECT SK_ID_BUREAU, CREDIT_TYPE, CREDIT_ACTIVE, DAYS_CREDIT, DAYS_CREDIT_ENDDATE, AMT_CREDIT_SUM,
                AMT_CREDIT_SUM_DEBT, CREDIT_DAY_OVERDUE
         FROM bureau WHERE SK_ID_CURR = ? ORDER BY DAYS_CREDIT, SK_ID_BUREAU`,
      )
      .raw(true)
      .all(clientId) as [number, string | null, string | null, ...(number | null)[]][]
  ).map(([bureauId, type, status, startDay, endDay, amount, debt, daysOverdue]) => ({
    bureauId,
    creditType: label('bureau', 'CREDIT_TYPE', type),
    status: label('bureau', 'CREDIT_ACTIVE', status),
    startDay: startDay ?? null,
    endDay: endDay ?? null,
    amount: amount ?? null,
    debt: debt ?? null,
    daysOverdue: daysOverdue ?? null,
  }));
  const previous = (
    db
      .prepare(
        `SELECT SK_ID_PREV, NAME_CONTRACT_TYPE, NAME_CONTRACT_STATUS, DAYS_DECISION, AMT_APPLICATION, AMT_CREDIT
         FROM previous_application WHERE SK_ID_CURR = ? ORDER BY DAYS_DECISION, SK_ID_PREV`,
      )
      .raw(true)
      .all(clientId) as [number, string | null, string | null, ...(number | null)[]][]
  ).map(([previousId, type, status, decisionDay, amountApplied, amountCredit]) => ({
    previousId,
    contractType: label('previous_application', 'NAME_CONTRACT_TYPE', type),
    status: label('previous_application', 'NAME_CONTRACT_STATUS', status),
    decisionDay: decisionDay ?? null,
    amountApplied: amountApplied ?? null,
    amountCredit: amountCredit ?? null,
  }));
  const instalmentRows = db
    .prepare(
      `SELECT SK_ID_PREV, NUM_INSTALMENT_NUMBER, DAYS_INSTALMENT, DAYS_ENTRY_PAYMENT, AMT_INSTALMENT, AMT_PAYMENT
       FROM installments_payments WHERE SK_ID_CURR = ?
       ORDER BY DAYS_INSTALMENT DESC, SK_ID_PREV, NUM_INSTALMENT_NUMBER LIMIT ?`,
    )
    .raw(true)
    .all(clientId, MAX_TIMELINE_INSTALMENTS + 1) as [number, ...(number | null)[]][];
  const instalments = instalmentRows
    .slice(0, MAX_TIMELINE_INSTALMENTS)
    .map(([previousId, number, dueDay, paidDay, amountDue, amountPaid]) => ({
      previousId,
      number: number ?? null,
      dueDay: dueDay ?? null,
      paidDay: paidDay ?? null,
      amountDue: amountDue ?? null,
      amountPaid: amountPaid ?? null,
      daysLate: paidDay == null || dueDay == null ? null : Math.max(0, paidDay - dueDay),
    }));
  return {
    bureau,
    previous,
    instalments,
    instalmentsTruncated: instalmentRows.length > MAX_TIMELINE_INSTALMENTS,
  };
}

export function createClientFileService(context: ServiceContext): Pick<ApiHandlers, 'getClientFile'> {
  const selectApplication = context.db.prepare(
    `SELECT ${applicationColumns.map((c) => quoteIdent(c.name)).join(', ')} FROM application WHERE SK_ID_CURR = ?`,
  );
  const selectIdentity = context.db.prepare(
    'SELECT FIRST_NAME, LAST_NAME, BRANCH, PHONE FROM client_identity WHERE SK_ID_CURR = ?',
  );
  return {
    async getClientFile({ clientId, lang }): Promise<ClientFile> {
      const { db, index } = context;
      const row = requireRow(context, clientId);
      const values = selectApplication.raw(true).get(clientId) as unknown[];
      const groups = familyOrder
        .map((family) => ({
          family,
          label: catalogue.families.find((f) => f.id === family)![lang],
          fields: fieldSpecs.flatMap((spec, k) =>
            spec.family === family ? [field(spec, values[k], lang)] : [],
          ),
        }))
        .filter((group) => group.fields.length > 0);
      const identity = selectIdentity.get(clientId) as
        { FIRST_NAME: string; LAST_NAME: string; BRANCH: string | null; PHONE: string | null } | undefined;
      return {
        clientId,
        identity: identity
          ? {
              firstName: identity.FIRST_NAME,
              lastName: identity.LAST_NAME,
              branch: identity.BRANCH,
              phone: identity.PHONE,
            }
          : null,
        status: index.status(row),
        outcome: index.target[row] === 1 ? 'defaulted' : index.target[row] === 0 ? 'repaid' : null,
        groups,
        history: history(db, clientId),
        timeline: timeline(db, clientId, lang),
        segment: segmentOf({
          contractType: index.contractType[row]!,
          ageBand: index.ageBand[row]!,
          incomeBand: index.incomeBand[row]!,
        }),
      };
    },
  };
}
