import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Roles } from '../auth/roles';
import { ApiCommonErrors } from '../common/errors.decorator';
import { ClassifyTryService } from './classify-try.service';
import { ClassifyTryDto, ClassifyTryResultDto } from './dto';

@ApiTags('ai')
@ApiBearerAuth()
@ApiCommonErrors()
@Controller('ai')
export class AiController {
  constructor(private readonly classifyTry: ClassifyTryService) {}

  @Post('classify/try')
  @HttpCode(200)
  @Roles('editor')
  @ApiOperation({
    summary: 'Try phrases against an ai.classify node’s intents, saved or not (editor): intent, confidence and runner-up per phrase, and warnings',
    description:
      'Classifies with the engine a run would use (the LLM when OPENAI_API_KEY is set, falling back to the offline classifier per phrase, ' +
      'else the offline classifier) and reviews the intents: fewer than 3 examples, one example in two intents, an example that reads like ' +
      'another intent. Stores nothing.',
  })
  @ApiOkResponse({ type: ClassifyTryResultDto })
  tryPhrases(@Body() body: ClassifyTryDto): Promise<ClassifyTryResultDto> {
    return this.classifyTry.tryPhrases(body);
  }
}
