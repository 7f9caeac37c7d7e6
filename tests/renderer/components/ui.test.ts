// @vitest-environment happy-dom
import { mount } from '@vue/test-utils';
import { describe, expect, it } from 'vitest';
import { defineComponent, h, ref } from 'vue';
import UiBadge from '../../../src-renderer/components/ui/UiBadge.vue';
import UiField from '../../../src-renderer/components/ui/UiField.vue';
import UiGauge from '../../../src-renderer/components/ui/UiGauge.vue';
import UiTabs from '../../../src-renderer/components/ui/UiTabs.vue';

describe('UiTabs', () => {
  const tabs = [
    { id: 'a', label: 'First' },
    { id: 'b', label: 'Second' },
    { id: 'c', label: 'Third' },
  ] as const;

  function mountTabs() {
    const selected = ref<'a' | 'b' | 'c'>('a');
    const Host = defineComponent(
      () => () =>
        h(
          UiTabs<'a' | 'b' | 'c'>,
          {
            label: 'Tabs',
            tabs,
            modelValue: selected.value,
            'onUpdate:modelValue': (value: 'a' | 'b' | 'c') => (selected.value = value),
          },
          { default: ({ selected: id }: { selected: string }) => h('p', `panel ${id}`) },
        ),
    );
    return { wrapper: mount(Host, { attachTo: document.body }), selected };
  }

  it('has one tab stop and moves the selection with the arrow keys, Home and End', async () => {
    const { wrapper, selected } = mountTabs();
    const buttons = wrapper.findAll('[role="tab"]');
    expect(buttons.map((button) => button.attributes('tabindex'))).toEqual(['0', '-1', '-1']);
    await buttons[0]!.trigger('keydown', { key: 'ArrowRight' });
    expect(selected.value).toBe('b');
    await buttons[1]!.trigger('keydown', { key: 'End' });
    expect(selected.value).toBe('c');
    await buttons[2]!.trigger('keydown', { key: 'ArrowRight' });
    expect(selected.value).toBe('a');
    await buttons[0]!.trigger('keydown', { key: 'ArrowLeft' });
    expect(selected.value).toBe('c');
    expect(wrapper.find('[role="tabpanel"]').text()).toBe('panel c');
    wrapper.unmount();
  });
});

describe('UiBadge', () => {
  it('carries a symbol as well as a colour, so the tone reads without colour', () => {
    const symbols = (['granted', 'refused', 'pending', 'warning'] as const).map((tone) =>
      mount(UiBadge, { props: { tone }, slots: { default: 'x' } })
        .find('[aria-hidden="true"]')
        .text(),
    );
    expect(new Set(symbols).size).toBe(4);
  });
});

describe('UiField', () => {
  it('ties the label, the hint and the error to the input', () => {
    const wrapper = mount(UiField, {
      props: { label: 'Amount', modelValue: '', hint: 'in euros', error: 'too high' },
    });
    const input = wrapper.find('input');
    expect(wrapper.find('label').attributes('for')).toBe(input.attributes('id'));
    const describedBy = input.attributes('aria-describedby')!.split(' ');
    expect(describedBy.map((id) => wrapper.find(`#${id}`).text())).toEqual(['in euros', '⚠ too high']);
    expect(input.attributes('aria-invalid')).toBe('true');
  });
});

describe('UiGauge', () => {
  const bands = [
    { from: 0, to: 0.05, label: 'low' },
    { from: 0.05, to: 0.1, label: 'moderate' },
    { from: 0.1, to: 0.2, label: 'high' },
    { from: 0.2, to: 1, label: 'very high' },
  ];
  const props = {
    bands,
    scaleMax: 0.25,
    format: (p: number) => `${Math.round(p * 100)}%`,
    markerLabel: 'client',
    description: 'desc',
  };

  it('is one described image, each band patterned differently, and hides the limit when asked', () => {
    const withLimit = mount(UiGauge, {
      props: { ...props, value: 0.07, threshold: 0.1, thresholdLabel: 'limit' },
    });
    expect(withLimit.find('svg').attributes('role')).toBe('img');
    expect(withLimit.find('svg').attributes('aria-label')).toBe('desc');
    const fills = withLimit.findAll('rect[fill^="url("]').map((rect) => rect.attributes('fill'));
    expect(new Set(fills).size).toBe(3);
    expect(withLimit.text()).toContain('limit');
    const withoutLimit = mount(UiGauge, { props: { ...props, value: 0.07, threshold: null } });
    expect(withoutLimit.find('.ui-gauge__threshold').exists()).toBe(false);
  });

  it('keeps a value beyond the scale on the gauge', () => {
    const wrapper = mount(UiGauge, { props: { ...props, value: 0.9 } });
    const x = Number(wrapper.find('.ui-gauge__marker line').attributes('x1'));
    expect(x).toBeLessThanOrEqual(640);
  });
});
