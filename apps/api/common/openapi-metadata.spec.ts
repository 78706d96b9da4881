import * as fs from 'node:fs';
import 'reflect-metadata';
import { documentedProperty, loadDtoMetadata } from './dto-metadata';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { generate, OUTPUT } = require('../../../scripts/openapi-metadata.cjs') as { generate: () => string; OUTPUT: string };

describe('the Swagger plugin metadata (apps/api/openapi-metadata.ts)', () => {
  // The plugin type-checks every DTO file and what it imports: a few seconds, more on a loaded machine.
  it('is what the plugin infers from the DTO files now (else: npm run openapi:metadata)', () => {
    expect(fs.readFileSync(OUTPUT, 'utf8') === generate()).toBe(true);
  }, 60_000);

  it('documents a property from its JSDoc, type and `?` alone; an explicit decorator wins where it speaks', async () => {
    await loadDtoMetadata();
    const { RunErrorDto, ReplyDto } = await import('../runs/dto');
    // `/** What failed */ message!: string;` and `/** Node that failed */ nodeId?: string;`, no decorator.
    expect(documentedProperty(RunErrorDto, 'message')).toMatchObject({ type: String, required: true, description: 'What failed' });
    expect(documentedProperty(RunErrorDto, 'nodeId')).toMatchObject({ type: String, required: false, description: 'Node that failed' });
    // `@ApiProperty({ enum: [...] })` keeps the order it lists; the plugin would list the union's own.
    expect(documentedProperty(ReplyDto, 'from')).toMatchObject({ enum: ['bot', 'agent', 'system'], description: 'Who says it' });
    // Arrays of DTOs come out in the decorator's shape.
    expect(documentedProperty(ReplyDto, 'buttons')).toMatchObject({ isArray: true, required: false });
  });
});
