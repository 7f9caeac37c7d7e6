import type { EChartsCoreOption } from 'echarts/core';
import { chartBase, chartColours } from './echarts.ts';

export interface WaterfallInput {
  /** The first bar: the average client's probability. */
  start: { label: string; value: number };
  /** Each reason family's contribution, on the probability scale (+0.02 = two points more risk). */
  steps: readonly { label: string; delta: number }[];
  /** The last bar: this client's probability; start + Σ deltas, as the explanation guarantees. */
  end: { label: string; value: number };
  formatValue: (probability: number) => string;
  formatDelta: (delta: number) => string;
  /** Legend names of the two kinds of step. */
  raisesLabel: string;
  lowersLabel: string;
}

export interface WaterfallBar {
  label: string;
  /** Where the visible part of the bar starts and ends, in probability. */
  low: number;
  high: number;
  kind: 'total' | 'raises' | 'lowers';
  text: string;
}

/** The bars of a waterfall, walking from the start value through each step to the end. */
export function waterfallBars(input: WaterfallInput): WaterfallBar[] {
  const bars: WaterfallBar[] = [
    {
      label: input.start.label,
      low: 0,
      high: input.start.value,
      kind: 'total',
      text: input.formatValue(input.start.value),
    },
  ];
  let level = input.start.value;
  for (const step of input.steps) {
    const next = level + step.delta;
    bars.push({
      label: step.label,
      low: Math.min(level, next),
      high: Math.max(level, next),
      kind: step.delta >= 0 ? 'raises' : 'lowers',
      text: input.formatDelta(step.delta),
    });
    level = next;
  }
  bars.push({
    label: input.end.label,
    low: 0,
    high: input.end.value,
    kind: 'total',
    text: input.formatValue(input.end.value),
  });
  return bars;
}

/**
 * A horizontal waterfall chart: an invisible base bar lifts each visible bar to where the previous one ended.
 * Steps that raise the risk and steps that lower it are separate series, so each gets its own colour, pattern
 * and legend entry.
 */
export function buildWaterfallOption(input: WaterfallInput): EChartsCoreOption {
  const bars = waterfallBars(input);
  const part = (kind: WaterfallBar['kind']) =>
    bars.map((bar) =>
      bar.kind === kind ? { value: bar.high - bar.low, label: { formatter: bar.text } } : '-',
    );
  const labelStyle = { show: true, position: 'right', color: chartColours.ink, fontWeight: 600 };
  return {
    ...chartBase,
    grid: { left: 8, right: 72, top: 32, bottom: 24, containLabel: true },
    legend: { top: 0, data: [input.raisesLabel, input.lowersLabel] },
    xAxis: { type: 'value', axisLabel: { formatter: input.formatValue } },
    yAxis: {
      type: 'category',
      inverse: true,
      data: bars.map((bar) => bar.label),
      axisLabel: { width: 220, overflow: 'break' },
    },
    series: [
      {
        type: 'bar',
        stack: 'waterfall',
        silent: true,
        itemStyle: { color: 'transparent', decal: { symbol: 'none' } },
        data: bars.map((bar) => bar.low),
      },
      {
        name: 'total',
        type: 'bar',
        stack: 'waterfall',
        itemStyle: { color: chartColours.grey },
        label: labelStyle,
        data: part('total'),
      },
      {
        name: input.raisesLabel,
        type: 'bar',
        stack: 'waterfall',
        itemStyle: { color: chartColours.vermillion },
        label: labelStyle,
        data: part('raises'),
      },
      {
        name: input.lowersLabel,
        type: 'bar',
        stack: 'waterfall',
        itemStyle: { color: chartColours.blue },
        label: labelStyle,
        data: part('lowers'),
      },
    ],
  };
}
