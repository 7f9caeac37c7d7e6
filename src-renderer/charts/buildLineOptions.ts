import type { EChartsCoreOption } from 'echarts/core';
import { chartBase, chartColours } from './echarts.ts';

export interface CostCurveInput {
  points: readonly { threshold: number; cost: number }[];
  chosenThreshold: number;
  costLabel: string;
  thresholdLabel: string;
  formatThreshold: (threshold: number) => string;
}

/** The business cost of each decision limit, with the chosen limit marked. */
export function buildCostCurveOption(input: CostCurveInput): EChartsCoreOption {
  return {
    ...chartBase,
    grid: { left: 8, right: 24, top: 40, bottom: 8, containLabel: true },
    tooltip: { trigger: 'axis' },
    xAxis: {
      type: 'value',
      name: input.thresholdLabel,
      nameLocation: 'middle',
      nameGap: 28,
      axisLabel: { formatter: input.formatThreshold },
    },
    yAxis: { type: 'value', name: input.costLabel },
    series: [
      {
        name: input.costLabel,
        type: 'line',
        showSymbol: false,
        lineStyle: { width: 3, color: chartColours.blue },
        data: input.points.map((point) => [point.threshold, point.cost]),
        markLine: {
          symbol: 'none',
          lineStyle: { color: chartColours.ink, width: 2, type: 'dashed' },
          label: { formatter: `${input.thresholdLabel} ${input.formatThreshold(input.chosenThreshold)}` },
          data: [{ xAxis: input.chosenThreshold }],
        },
      },
    ],
  };
}

export interface CalibrationInput {
  bins: readonly { predicted: number; observed: number }[];
  predictedLabel: string;
  observedLabel: string;
  perfectLabel: string;
  formatProbability: (probability: number) => string;
}

/** Predicted against observed default rates per bin; the diagonal is perfect calibration. */
export function buildCalibrationOption(input: CalibrationInput): EChartsCoreOption {
  const top = Math.max(0.01, ...input.bins.flatMap((bin) => [bin.predicted, bin.observed]));
  const axis = (name: string) => ({
    type: 'value',
    min: 0,
    max: top,
    name,
    nameLocation: 'middle',
    nameGap: 32,
    axisLabel: { formatter: input.formatProbability },
  });
  return {
    ...chartBase,
    grid: { left: 16, right: 24, top: 40, bottom: 40, containLabel: true },
    legend: { top: 0 },
    xAxis: axis(input.predictedLabel),
    yAxis: axis(input.observedLabel),
    series: [
      {
        name: input.perfectLabel,
        type: 'line',
        showSymbol: false,
        lineStyle: { type: 'dashed', color: chartColours.grey },
        data: [
          [0, 0],
          [top, top],
        ],
      },
      {
        name: input.observedLabel,
        type: 'line',
        symbol: 'circle',
        symbolSize: 8,
        lineStyle: { width: 3, color: chartColours.blue },
        itemStyle: { color: chartColours.blue },
        data: input.bins.map((bin) => [bin.predicted, bin.observed]),
      },
    ],
  };
}

export interface BarListInput {
  items: readonly { label: string; value: number }[];
  formatValue: (value: number) => string;
}

/** Horizontal bars, largest first as given: global importance and similar rankings. */
export function buildBarListOption(input: BarListInput): EChartsCoreOption {
  return {
    ...chartBase,
    grid: { left: 8, right: 64, top: 8, bottom: 8, containLabel: true },
    xAxis: { type: 'value', axisLabel: { formatter: input.formatValue } },
    yAxis: {
      type: 'category',
      inverse: true,
      data: input.items.map((item) => item.label),
      axisLabel: { width: 240, overflow: 'truncate' },
    },
    series: [
      {
        type: 'bar',
        itemStyle: { color: chartColours.blue },
        label: {
          show: true,
          position: 'right',
          formatter: ({ value }: { value: number }) => input.formatValue(value),
        },
        data: input.items.map((item) => item.value),
      },
    ],
  };
}
