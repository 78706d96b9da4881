import { createHash } from 'node:crypto';
import { InterpreterHarness } from '../../test/interpreter/harness';
import { branchOf, eventsOfType, isoIn, outputOf, pathOf, saidTexts, startValid, validFlow } from '../../test/interpreter/spec-util';
import { pickVariant, stableUnit } from './hash';

const DAY = 24 * 60 * 60 * 1000;

const conditionFlow = validFlow(
  [
    ['start', 'start', { trigger: 'api' }],
    ['big', 'condition', { rule: { '>': [{ var: 'input.amount' }, 100] } }],
    ['yes', 'end', { outcome: 'big' }],
    ['no', 'end', { outcome: 'small' }],
  ],
  [
    ['start', 'next', 'big'],
    ['big', 'true', 'yes'],
    ['big', 'false', 'no'],
  ],
);

/** Ordered cases whose rules overlap on purpose: the first that holds wins. */
const switchFlow = validFlow(
  [
    ['start', 'start', { trigger: 'api' }],
    [
      'route',
      'switch',
      {
        cases: [
          { id: 'vip', rule: { '==': [{ var: 'input.tier' }, 'vip'] } },
          { id: 'big', rule: { '>=': [{ var: 'input.total' }, 100] } },
          { id: 'medium', rule: { '>=': [{ var: 'input.total' }, 50] } },
        ],
      },
    ],
    ['vip', 'end', { outcome: 'vip' }],
    ['big', 'end', { outcome: 'big' }],
    ['medium', 'end', { outcome: 'medium' }],
    ['other', 'end', { outcome: 'default' }],
  ],
  [
    ['start', 'next', 'route'],
    ['route', 'vip', 'vip'],
    ['route', 'big', 'big'],
    ['route', 'medium', 'medium'],
    ['route', 'default', 'other'],
  ],
);

const EXPERIMENT = 'checkout-copy';
const abFlow = validFlow(
  [
    ['start', 'start', { trigger: 'api' }],
    [
      'split',
      'abSplit',
      {
        experiment: EXPERIMENT,
        variants: [
          { id: 'A', weight: 50 },
          { id: 'B', weight: 50 },
        ],
      },
    ],
    ['copyA', 'message', { text: 'Copia A' }],
    ['copyB', 'message', { text: 'Copia B' }],
    ['goal', 'goal', { goal: 'checkout', value: 30 }],
    ['end', 'end', { outcome: 'converted' }],
  ],
  [
    ['start', 'next', 'split'],
    ['split', 'A', 'copyA'],
    ['split', 'B', 'copyB'],
    ['copyA', 'next', 'goal'],
    ['copyB', 'next', 'goal'],
    ['goal', 'next', 'end'],
  ],
);

const variantOf = (customerId: string) =>
  pickVariant(
    [
      { id: 'A', weight: 50 },
      { id: 'B', weight: 50 },
    ],
    stableUnit(EXPERIMENT, customerId),
  ).id;

describe('interpreter: logic nodes', () => {
  const h = new InterpreterHarness();
  beforeAll(() => h.setup(), 60_000);
  afterAll(() => h.teardown());

  it.each([
    [150, 'true', 'big'],
    [100, 'false', 'small'],
  ])('condition: amount %d takes `%s`', async (amount, branch, outcome) => {
    const handle = await startValid(h, conditionFlow, { input: { amount } });
    expect(await handle.result()).toMatchObject({ outcome });
    const s = await h.state(handle);
    expect(branchOf(s, 'big')).toBe(branch);
    expect(outputOf(s, 'big')).toEqual({ result: branch === 'true' });
  });

  it.each([
    ['vip', { tier: 'vip', total: 500 }],
    ['big', { tier: 'basic', total: 150 }],
    ['medium', { total: 60 }],
    ['default', { total: 10 }],
  ])('switch: the first matching case wins (%s)', async (branch, input) => {
    const handle = await startValid(h, switchFlow, { input });
    expect(await handle.result()).toMatchObject({ outcome: branch });
    const s = await h.state(handle);
    expect(pathOf(s)).toEqual(['start:next', `route:${branch}`, `${branch === 'default' ? 'other' : branch}:null`]);
    expect(outputOf(s, 'route')).toEqual({ case: branch });
  });

  it('setVariables: value, rule and template, applied in order (each sees the ones before)', async () => {
    const def = validFlow(
      [
        ['start', 'start', { trigger: 'api' }],
        [
          'set',
          'setVariables',
          {
            assignments: [
              { variable: 'qty', value: 2 },
              { variable: 'tags', value: ['a', 'b'] },
              { variable: 'total', rule: { '*': [{ var: 'vars.qty' }, { var: 'input.price' }] } },
              { variable: 'summary', template: '{{ vars.qty }} x {{ input.price }} = {{ vars.total }} ({{ vars.tags | join: "," }})' },
              { variable: 'qty', rule: { '+': [{ var: 'vars.qty' }, 1] } },
            ],
          },
        ],
        ['end', 'end', { outcome: 'completed', message: '{{ vars.summary }}; ahora {{ vars.qty }}' }],
      ],
      [
        ['start', 'next', 'set'],
        ['set', 'next', 'end'],
      ],
    );
    const handle = await startValid(h, def, { input: { price: 7.5 } });
    const result = await handle.result();
    expect(result.vars).toEqual({ qty: 3, tags: ['a', 'b'], total: 15, summary: '2 x 7.5 = 15 (a,b)' });
    const s = await h.state(handle);
    expect(outputOf(s, 'set')).toEqual({ qty: 3, tags: ['a', 'b'], total: 15, summary: '2 x 7.5 = 15 (a,b)' });
    expect(saidTexts(s)).toEqual(['2 x 7.5 = 15 (a,b); ahora 3']);
  });

  describe('abSplit', () => {
    const weighted = [
      { id: 'control', weight: 80 },
      { id: 'treatment', weight: 20 },
      { id: 'off', weight: 0 },
    ];
    const countVariants = (ids: string[], experiment: string) => {
      const counts: Record<string, number> = { control: 0, treatment: 0, off: 0 };
      for (const id of ids) counts[pickVariant(weighted, stableUnit(experiment, id)).id]++;
      return counts;
    };
    /** 200 opaque, UUID-shaped customer ids (deterministic, so the test never flakes). */
    const opaqueIds = Array.from({ length: 200 }, (_, i) => {
      const hex = createHash('sha256').update(`customer-${i}`).digest('hex');
      return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
    });

    it('the variant is a pure function of experiment and customer, and follows the weights', () => {
      for (const experiment of ['pricing', 'welcome-copy', EXPERIMENT]) {
        const counts = countVariants(opaqueIds, experiment);
        // 200 draws at p = 0.8: mean 160, sd ≈ 5.7; ±20 is 3.5 sd.
        expect(counts.control).toBeGreaterThanOrEqual(140);
        expect(counts.control).toBeLessThanOrEqual(180);
        expect(counts.treatment).toBe(200 - counts.control);
        expect(counts.off).toBe(0);
      }
      // Stable: the same pair always gives the same point; another experiment reshuffles customers.
      for (const id of opaqueIds.slice(0, 20)) expect(stableUnit('pricing', id)).toBe(stableUnit('pricing', id));
      const moved = opaqueIds.filter((id) => pickVariant(weighted, stableUnit('pricing', id)).id !== pickVariant(weighted, stableUnit('other', id)).id);
      expect(moved.length).toBeGreaterThan(20);
      // Equal weights split roughly in half.
      const a = opaqueIds.filter((id) => variantOf(id) === 'A').length;
      expect(a).toBeGreaterThanOrEqual(80);
      expect(a).toBeLessThanOrEqual(120);
    });

    // Regression: without a final mix (fmix32), sequential ids clustered (80/20 split gave 137/63).
    it('sequential customer ids are spread like any others', () => {
      const sequential = Array.from({ length: 200 }, (_, i) => `customer-${i}`);
      const counts = countVariants(sequential, 'pricing');
      expect(counts.control).toBeGreaterThanOrEqual(140);
      expect(counts.control).toBeLessThanOrEqual(180);
      const neighbours = Array.from({ length: 10 }, (_, i) => stableUnit('pricing', `customer-1${i}`));
      expect(Math.max(...neighbours) - Math.min(...neighbours)).toBeGreaterThan(0.3);
    });

    it('the same customer gets the same variant in every run; the exposure and the goal are recorded', async () => {
      const customerId = 'ab-customer-1';
      const expected = variantOf(customerId);
      const handles = [await startValid(h, abFlow, { customerId }), await startValid(h, abFlow, { customerId })];
      for (const handle of handles) {
        expect(await handle.result()).toMatchObject({ outcome: 'converted' });
        const s = await h.state(handle);
        expect(branchOf(s, 'split')).toBe(expected);
        expect(outputOf(s, 'split')).toEqual({ variant: expected });
        expect(s.experiments).toEqual({ [EXPERIMENT]: expected });
        expect(saidTexts(s)).toEqual([`Copia ${expected}`]);
        const [exposure] = await eventsOfType(h, handle.workflowId, 'experiment.exposure');
        expect(exposure).toMatchObject({ node_id: 'split', data: { experiment: EXPERIMENT, variant: expected } });
        const [goal] = await eventsOfType(h, handle.workflowId, 'goal');
        expect(goal).toMatchObject({ node_id: 'goal', data: { goal: 'checkout', value: 30, experiments: { [EXPERIMENT]: expected } } });
        expect(outputOf(s, 'goal')).toEqual({ goal: 'checkout', value: 30, experiments: { [EXPERIMENT]: expected } });
      }
    });

    it('customers on both sides of the split take their own branch', async () => {
      const ids = Array.from({ length: 50 }, (_, i) => `ab-side-${i}`);
      const inA = ids.find((id) => variantOf(id) === 'A')!;
      const inB = ids.find((id) => variantOf(id) === 'B')!;
      for (const [customerId, variant] of [
        [inA, 'A'],
        [inB, 'B'],
      ]) {
        const handle = await startValid(h, abFlow, { customerId });
        await handle.result();
        expect(pathOf(await h.state(handle))).toEqual(['start:next', `split:${variant}`, `copy${variant}:next`, 'goal:next', 'end:null']);
      }
    });
  });

  it('goal without an experiment records an empty experiments map', async () => {
    const def = validFlow(
      [
        ['start', 'start', { trigger: 'api' }],
        ['goal', 'goal', { goal: 'signup' }],
        ['end', 'end', { outcome: 'converted' }],
      ],
      [
        ['start', 'next', 'goal'],
        ['goal', 'next', 'end'],
      ],
    );
    const handle = await startValid(h, def);
    await handle.result();
    const goals = await eventsOfType(h, handle.workflowId, 'goal');
    expect(goals.map((e) => e.data)).toEqual([{ goal: 'signup', experiments: {} }]);
  });

  describe('personalize', () => {
    /** Rules listed out of priority order; two of them are outside their active window. */
    const personalizeFlow = () =>
      validFlow(
        [
          ['start', 'start', { trigger: 'api' }],
          [
            'offer',
            'personalize',
            {
              rules: [
                { id: 'everyone', condition: { '==': [1, 1] }, action: { offer: 'HOLA5', content: 'un 5 %' }, priority: 0 },
                {
                  id: 'expired',
                  condition: { '>=': [{ var: 'input.total' }, 0] },
                  action: { offer: 'OLD50' },
                  priority: 100,
                  activeTo: isoIn(-DAY),
                },
                {
                  id: 'future',
                  condition: { '>=': [{ var: 'input.total' }, 0] },
                  action: { offer: 'NEXT40' },
                  priority: 90,
                  activeFrom: isoIn(DAY),
                },
                {
                  id: 'bigCart',
                  condition: { '>=': [{ var: 'input.total' }, 100] },
                  action: { offer: 'ENVIO', content: 'envío gratis para {{ input.total }} €', variables: { shipping: 'free', perks: ['envio'] } },
                  priority: 10,
                  activeFrom: isoIn(-DAY),
                  activeTo: isoIn(DAY),
                },
                { id: 'vip', condition: { '==': [{ var: 'input.tier' }, 'vip'] }, action: { offer: 'VIP20' }, priority: 20 },
              ],
            },
          ],
          ['show', 'message', { text: '{{ nodes.offer.output.offer }}: {{ nodes.offer.output.content | default: "-" }}' }],
          ['end', 'end', { outcome: 'completed' }],
          ['none', 'end', { outcome: 'no-offer' }],
        ],
        [
          ['start', 'next', 'offer'],
          ['offer', 'matched', 'show'],
          ['offer', 'noMatch', 'none'],
          ['show', 'next', 'end'],
        ],
      );

    it.each([
      ['the highest priority active rule that holds', { total: 150, tier: 'vip' }, { ruleId: 'vip', offer: 'VIP20' }, 'VIP20: -', {}],
      [
        'a lower priority rule when the higher one does not hold',
        { total: 150 },
        { ruleId: 'bigCart', offer: 'ENVIO', content: 'envío gratis para 150 €' },
        'ENVIO: envío gratis para 150 €',
        { shipping: 'free', perks: ['envio'] },
      ],
      ['the catch-all last', { total: 20 }, { ruleId: 'everyone', offer: 'HOLA5', content: 'un 5 %' }, 'HOLA5: un 5 %', {}],
    ])('matched: %s', async (_case, input, output, said, vars) => {
      const handle = await startValid(h, personalizeFlow(), { input });
      const result = await handle.result();
      expect(result.vars).toEqual(vars);
      const s = await h.state(handle);
      expect(branchOf(s, 'offer')).toBe('matched');
      expect(outputOf(s, 'offer')).toEqual(output);
      expect(saidTexts(s)).toEqual([said]);
      const [matched] = await eventsOfType(h, handle.workflowId, 'personalize.matched');
      expect(matched.data).toEqual({ ruleId: output.ruleId, offer: output.offer });
    });

    it('noMatch when no active rule holds (expired and future rules are skipped)', async () => {
      const def = validFlow(
        [
          ['start', 'start', { trigger: 'api' }],
          [
            'offer',
            'personalize',
            {
              rules: [
                { id: 'expired', condition: { '==': [1, 1] }, action: { offer: 'OLD' }, priority: 5, activeFrom: isoIn(-2 * DAY), activeTo: isoIn(-DAY) },
                { id: 'future', condition: { '==': [1, 1] }, action: { offer: 'NEW' }, priority: 5, activeFrom: isoIn(DAY) },
                { id: 'vip', condition: { '==': [{ var: 'input.tier' }, 'vip'] }, action: { offer: 'VIP' }, priority: 1 },
              ],
            },
          ],
          ['end', 'end', { outcome: 'offered' }],
          ['none', 'end', { outcome: 'no-offer' }],
        ],
        [
          ['start', 'next', 'offer'],
          ['offer', 'matched', 'end'],
          ['offer', 'noMatch', 'none'],
        ],
      );
      const handle = await startValid(h, def, { input: { tier: 'basic' } });
      expect(await handle.result()).toMatchObject({ outcome: 'no-offer' });
      const s = await h.state(handle);
      expect(branchOf(s, 'offer')).toBe('noMatch');
      expect(outputOf(s, 'offer')).toEqual({ ruleId: null });
      expect(await eventsOfType(h, handle.workflowId, 'personalize.matched')).toEqual([]);
    });
  });
});
