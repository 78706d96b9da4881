import { applyDecorators } from '@nestjs/common';
import { ApiBadRequestResponse, ApiForbiddenResponse, ApiTooManyRequestsResponse, ApiUnauthorizedResponse } from '@nestjs/swagger';
import { ApiErrorDto } from './api-error.dto';

/** The errors every guarded route can answer with, in the API's error shape. */
export function ApiCommonErrors(): MethodDecorator & ClassDecorator {
  return applyDecorators(
    ApiBadRequestResponse({ description: 'Malformed request: the message names the field', type: ApiErrorDto }),
    ApiUnauthorizedResponse({ description: 'Missing, unknown or revoked API key', type: ApiErrorDto }),
    ApiForbiddenResponse({ description: 'The key’s role may not use this route; the message names the role required', type: ApiErrorDto }),
    ApiTooManyRequestsResponse({ description: 'The key’s rate limit is exhausted; see Retry-After', type: ApiErrorDto }),
  );
}
