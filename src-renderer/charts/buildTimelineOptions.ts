import type { EChartsCoreOption } from 'echarts/core';
import type { Timeline } from '../../src-main/api/contract.ts';
import { chartBase, chartColours } from './echarts.ts';

/** Kaggle days before the application → months before it (negative), the scale a timeline reads in. */
export const daysToMonths = (days: number): number => days / 30.44;

interface TimelineLabels {
  monthsAxis: string;
}

/**
 * Bureau credits as spans from their start to their (expected) end, one row each: credits still running at the
 * application (no end date, or an end after it) as solid lines, ended ones dashed, so the two differ without
 * colour; credits overdue now are marked with a triangle. The API's status is a translated text, hence the
 * dates rather than the status tell the two apart.
 */
export function buildBureauTimelineOption(
  credits: Timeline['bureau'],
  labels: TimelineLabels & {
    active: string;
    closed: string;
    overdue: string;
    rowLabel: (index: number) => string;
  },
): EChartsCoreOption {
  const dated = credits.filter((credit) => credit.startDay !== null);
  const span = (active: boolean) =>
    dated.flatMap((credit, index) =>
      (credit.endDay === null || credit.endDay > 0) === active
        ? [[daysToMonths(credit.startDay ?? 0), index], [daysToMonths(credit.endDay ?? 0), index], '-']
        : [],
    );
  const overdue = dated.flatMap((credit, index) =>
    (credit.daysOverdue ?? 0) > 0 ? [[daysToMonths(credit.endDay ?? credit.startDay ?? 0), index]] : [],
  );
  return {
    ...chartBase,
    legend: { top: 0 },
    grid: { left: 8, right: 24, top: 36, bottom: 32, containLabel: true },
    xAxis: { type: 'value', name: labels.monthsAxis, nameLocation: 'middle', nameGap: 26 },
    yAxis: { type: 'category', data: dated.map((_credit, index) => labels.rowLabel(index)), inverse: true },
    series: [
      {
        name: labels.active,
        type: 'line',
        data: span(true),
        lineStyle: { width: 6, color: chartColours.blue },
        itemStyle: { color: chartColours.blue },
        symbol: 'circle',
        symbolSize: 6,
      },
      {
        name: labels.closed,
        type: 'line',
        data: span(false),
        lineStyle: { width: 4, type: 'dashed', color: chartColours.grey },
        itemStyle: { color: chartColours.grey },
        symbol: 'rect',
        symbolSize: 6,
      },
      {
        name: labels.overdue,
        type: 'scatter',
        data: overdue,
        symbol: 'triangle',
        symbolSize: 16,
        itemStyle: { color: chartColours.vermillion },
      },
    ],
  };
}

const outcomeSymbols = ['circle', 'triangle', 'rect', 'diamond', 'pin'] as const;

/**
 * Previous applications on a time axis, one row per outcome (the API's status text, already in the page's
 * language), each outcome with its own symbol.
 */
export function buildPreviousTimelineOption(
  previous: Timeline['previous'],
  labels: TimelineLabels & { unknown: string },
): EChartsCoreOption {
  const statusOf = (application: Timeline['previous'][number]) => application.status ?? labels.unknown;
  const statuses = [...new Set(previous.map(statusOf))];
  return {
    ...chartBase,
    legend: { top: 0 },
    grid: { left: 8, right: 24, top: 36, bottom: 32, containLabel: true },
    xAxis: { type: 'value', name: labels.monthsAxis, nameLocation: 'middle', nameGap: 26 },
    yAxis: { type: 'category', data: statuses },
    series: statuses.map((status, index) => ({
      name: status,
      type: 'scatter',
      symbol: outcomeSymbols[index % outcomeSymbols.length],
      symbolSize: 14,
      data: previous
        .filter((application) => statusOf(application) === status && application.decisionDay !== null)
        .map((application) => [daysToMonths(application.decisionDay ?? 0), index]),
    })),
  };
}

/**
 * Instalments by due date and days late: on-time payments as small circles, late ones as large triangles in a
 * contrasting colour, so lateness stands out in colour, shape and size.
 */
export function buildInstalmentsOption(
  instalments: Timeline['instalments'],
  labels: TimelineLabels & { onTime: string; late: string; daysLate: string },
): EChartsCoreOption {
  const paid = instalments.filter((instalment) => instalment.dueDay !== null && instalment.daysLate !== null);
  const points = (late: boolean) =>
    paid
      .filter((instalment) => (instalment.daysLate ?? 0) > 0 === late)
      .map((instalment) => [daysToMonths(instalment.dueDay ?? 0), instalment.daysLate ?? 0]);
  return {
    ...chartBase,
    legend: { top: 0 },
    grid: { left: 8, right: 24, top: 36, bottom: 32, containLabel: true },
    xAxis: { type: 'value', name: labels.monthsAxis, nameLocation: 'middle', nameGap: 26 },
    yAxis: { type: 'value', name: labels.daysLate, minInterval: 1 },
    series: [
      {
        name: labels.onTime,
        type: 'scatter',
        symbol: 'circle',
        symbolSize: 6,
        itemStyle: { color: chartColours.blue },
        data: points(false),
      },
      {
        name: labels.late,
        type: 'scatter',
        symbol: 'triangle',
        symbolSize: 14,
        itemStyle: { color: chartColours.vermillion },
        data: points(true),
      },
    ],
  };
}
