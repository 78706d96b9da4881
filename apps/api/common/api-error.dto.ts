import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

/** The API's one error shape (see DESIGN.md). */
export class ApiErrorDto {
  @ApiProperty({ description: 'HTTP status code', example: 404 })
  statusCode!: number;

  @ApiProperty({ description: 'HTTP reason phrase', example: 'Not Found' })
  error!: string;

  @ApiProperty({ description: 'What went wrong, naming the field or resource concerned', example: 'Flow 4b0f… not found' })
  message!: string;

  @ApiPropertyOptional({
    description: 'Structured details: the list of validation messages, the flow problems of a 422, or the run status of a 409',
    oneOf: [{ type: 'object', additionalProperties: true }, { type: 'array', items: {} }],
  })
  details?: unknown;
}
