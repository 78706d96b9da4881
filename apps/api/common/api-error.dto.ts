import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

/** The API's one error shape (see DESIGN.md). */
export class ApiErrorDto {
  /** HTTP status code */
  @ApiProperty({ example: 404 })
  statusCode!: number;

  /** HTTP reason phrase */
  @ApiProperty({ example: 'Not Found' })
  error!: string;

  /** What went wrong, naming the field or resource concerned */
  @ApiProperty({ example: 'Flow 4b0f… not found' })
  message!: string;

  /** Structured details: the list of validation messages, the flow problems of a 422, or the run status of a 409 */
  @ApiPropertyOptional({
    oneOf: [
      { type: 'object', additionalProperties: true },
      { type: 'array', items: {} },
    ],
  })
  details?: unknown;
}
