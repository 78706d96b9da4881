// Cancelling a run: `POST /runs/:runId/cancel`.
import { ApiProperty } from '@nestjs/swagger';

export class CancelAcceptedDto {
  /** Run id */
  runId!: string;

  /** Cancellation requested; the run records its outcome and closes */
  @ApiProperty({ enum: ['cancelling'] })
  status!: 'cancelling';
}
