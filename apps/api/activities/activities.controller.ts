import { Controller, Get, Headers, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiHeader, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { catalogForPalette } from '../../../workflows/language';
import { Roles } from '../auth/roles';
import { ApiCommonErrors } from '../common/errors.decorator';
import { resolveLocale } from '../common/locale';
import { CustomActivitiesRegistry } from './custom-activities.registry';
import { LocaleQueryDto, PaletteDto } from './dto';

@ApiTags('activities')
@ApiBearerAuth()
@ApiCommonErrors()
@Controller('activities')
export class ActivitiesController {
  constructor(private readonly registry: CustomActivitiesRegistry) {}

  @Get()
  @Roles('editor')
  @ApiOperation({ summary: 'The editor’s palette: every node type and custom activity with its data JSON Schema and branches' })
  @ApiHeader({ name: 'accept-language', required: false, description: 'es or en when ?locale is not given' })
  @ApiOkResponse({ type: PaletteDto })
  palette(@Query() query: LocaleQueryDto, @Headers('accept-language') acceptLanguage?: string): PaletteDto {
    const locale = resolveLocale(query.locale, acceptLanguage);
    return { locale, items: catalogForPalette(locale, this.registry.all()) };
  }
}
