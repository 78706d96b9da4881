import { validateFlow } from '../validator';
import { EXAMPLE_FLOWS } from './index';

describe('example flows', () => {
  it.each(Object.entries(EXAMPLE_FLOWS))('%s validates with no errors and no warnings', (_name, flow) => {
    const result = validateFlow(flow);
    expect(result.errors).toEqual([]);
    expect(result.warnings).toEqual([]);
    expect(result.valid).toBe(true);
  });

  it('are plain JSON (round-trip safe)', () => {
    for (const flow of Object.values(EXAMPLE_FLOWS)) expect(JSON.parse(JSON.stringify(flow))).toEqual(flow);
  });
});
