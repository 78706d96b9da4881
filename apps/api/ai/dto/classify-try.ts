// `POST /ai/classify/try`: an ai.classify node's intents as the editor holds them (saved or not)
// and the phrases a CX lead wants to see classified. The bounds are the node schema's
// (workflows/language/nodes/ai-classify.ts), so whatever a node may hold can be tried.
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsOptional, IsString, Matches, MaxLength, MinLength, ValidateNested } from 'class-validator';
import { NumberField } from '../../common/number-fields';

export const MAX_INTENTS = 30;
export const MAX_EXAMPLES = 100;
export const MAX_PHRASES = 50;
export const MAX_TEXT = 500;
export const MAX_INTENT_ID = 64;
/** The node schema's branch name: no leading or trailing space (`BRANCH_ID` in workflows/language/nodes/fields.ts). */
const BRANCH_ID = /^\S(?:.*\S)?$/;

export class TryIntentDto {
  /** Intent id, as in the node: also the name of its branch */
  @ApiProperty({ example: 'billing', minLength: 1, maxLength: MAX_INTENT_ID, pattern: BRANCH_ID.source })
  @IsString({ message: 'id must be a string' })
  @MinLength(1, { message: 'id must not be empty' })
  @MaxLength(MAX_INTENT_ID, { message: `id must be at most ${MAX_INTENT_ID} characters` })
  @Matches(BRANCH_ID, { message: 'id must not start or end with a space' })
  id!: string;

  /** What the intent means, in the CX lead’s words; the LLM reads it, and so may the offline classifier */
  @ApiPropertyOptional({ example: 'Cobros incorrectos, duplicados o dudas con la factura', maxLength: MAX_TEXT })
  @IsOptional()
  @IsString({ message: 'description must be a string' })
  @MaxLength(MAX_TEXT, { message: `description must be at most ${MAX_TEXT} characters` })
  description?: string;

  @ApiProperty({
    description: `Example customer phrases (1-${MAX_EXAMPLES}, each 1-${MAX_TEXT} characters)`,
    type: [String],
    example: ['me cobraron dos veces', 'la factura está mal', 'I was charged twice'],
  })
  @IsArray({ message: 'examples must be an array of strings' })
  @ArrayMinSize(1, { message: 'examples must contain at least one example' })
  @ArrayMaxSize(MAX_EXAMPLES, { message: `examples must contain at most ${MAX_EXAMPLES} examples` })
  @IsString({ each: true, message: 'examples must be an array of strings' })
  @MinLength(1, { each: true, message: 'examples must not contain empty examples' })
  @MaxLength(MAX_TEXT, { each: true, message: `each example must be at most ${MAX_TEXT} characters` })
  examples!: string[];
}

export class ClassifyTryDto {
  @ApiProperty({ description: `The node’s intents (1-${MAX_INTENTS}), ids unique and not "fallback"`, type: [TryIntentDto] })
  @IsArray({ message: 'intents must be an array of { id, description?, examples }' })
  @ArrayMinSize(1, { message: 'intents must contain at least one intent' })
  @ArrayMaxSize(MAX_INTENTS, { message: `intents must contain at most ${MAX_INTENTS} intents` })
  @ValidateNested({ each: true })
  @Type(() => TryIntentDto)
  intents!: TryIntentDto[];

  @NumberField({
    name: 'threshold',
    description: 'The node’s minimum confidence, 0..1; below it the node takes "fallback". Omitted: the default of the engine',
    min: 0,
    max: 1,
    optional: true,
    example: 0.5,
  })
  threshold?: number;

  @ApiProperty({
    description: `Customer phrases to classify (0-${MAX_PHRASES}, each 1-${MAX_TEXT} characters); none: only the warnings, as the editor asks while the intents change`,
    type: [String],
    example: ['hola, me han cobrado dos veces el pedido', '¿qué tiempo hace mañana?'],
  })
  @IsArray({ message: 'phrases must be an array of strings' })
  @ArrayMaxSize(MAX_PHRASES, { message: `phrases must contain at most ${MAX_PHRASES} phrases` })
  @IsString({ each: true, message: 'phrases must be an array of strings' })
  @Matches(/\S/, { each: true, message: 'phrases must not contain empty phrases' })
  @MaxLength(MAX_TEXT, { each: true, message: `each phrase must be at most ${MAX_TEXT} characters` })
  phrases!: string[];
}

// ---- response -----------------------------------------------------------------------------------
const ENGINES = ['offline', 'llm'] as const;
const WARNING_CODES = ['few-examples', 'duplicate-example', 'overlap'] as const;

export class RunnerUpDto {
  /** The intent */
  intent!: string;

  /** Its score, 0..1 */
  score!: number;
}

export class ClassifiedPhraseDto {
  /** The phrase, as sent */
  text!: string;

  /** The intent whose branch the node would take; null: below the threshold, the node takes "fallback" */
  @ApiProperty({ type: String, nullable: true, example: 'billing' })
  intent!: string | null;

  /** Confidence of the best intent, 0..1 (also when it stayed below the threshold) */
  confidence!: number;

  /** The next best intent: after `intent`, or the closest one when no intent reached the threshold; null when no other intent scored */
  @ApiProperty({ type: RunnerUpDto, nullable: true })
  runnerUp!: RunnerUpDto | null;

  /** Which engine answered this phrase: "offline" when no LLM is configured or when the LLM failed */
  @ApiProperty({ enum: ENGINES })
  engine!: 'offline' | 'llm';

  /** Why the LLM did not answer this phrase (its error, without the key or the prompt); only when it failed and the offline classifier answered */
  llmError?: string;
}

export class IntentWarningMessageDto {
  /** In Spanish */
  es!: string;

  /** In English */
  en!: string;
}

export class IntentWarningDto {
  /** few-examples: fewer than 3 examples; duplicate-example: the same example in two intents; overlap: an example, left out of its intent, is classified as another one */
  @ApiProperty({ enum: WARNING_CODES })
  code!: 'few-examples' | 'duplicate-example' | 'overlap';

  /** The intent to change */
  intent!: string;

  /** The other intent involved (duplicate-example, overlap) */
  other?: string;

  /** The example involved (duplicate-example, overlap) */
  example?: string;

  /** What to do, for the CX lead */
  message!: IntentWarningMessageDto;
}

export class ClassifyTryResultDto {
  /** The engine a run of this node would use: "llm" when OPENAI_API_KEY is configured, else "offline" */
  @ApiProperty({ enum: ENGINES })
  engine!: 'offline' | 'llm';

  /** The threshold applied (the request’s, or the engine’s default) */
  threshold!: number;

  /** One per phrase, in the order sent */
  results!: ClassifiedPhraseDto[];

  /** What to fix in the intents, judged by the offline classifier (the fallback of every engine) */
  warnings!: IntentWarningDto[];
}
