import { Body, Controller, Delete, Get, HttpCode, Post, Put, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiNoContentResponse, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Actor, CurrentActor } from '../auth/actor';
import { Roles } from '../auth/roles';
import { ApiErrorDto } from '../common/api-error.dto';
import { ApiCommonErrors } from '../common/errors.decorator';
import { UuidParam } from '../common/params';
import { AlertsService } from './alerts.service';
import { AlertDto, AlertPageDto, AlertRuleBodyDto, AlertRuleDto, AlertRuleListDto, ListAlertRulesQueryDto, ListAlertsQueryDto } from './dto/alerts.dto';

const RULE_NOT_FOUND = { description: 'No such rule (or it watches a flow outside the key’s scope)', type: ApiErrorDto };
const ALERT_NOT_FOUND = { description: 'No such alert (or it is about a flow outside the key’s scope)', type: ApiErrorDto };

@ApiTags('alerts')
@ApiBearerAuth()
@ApiCommonErrors()
@Controller('alert-rules')
@Roles('editor')
export class AlertRulesController {
  constructor(private readonly alerts: AlertsService) {}

  @Get()
  @ApiOperation({ summary: 'Alert rules, newest first (editor)' })
  @ApiOkResponse({ type: AlertRuleListDto })
  async list(@CurrentActor() actor: Actor, @Query() query: ListAlertRulesQueryDto): Promise<AlertRuleListDto> {
    return { items: await this.alerts.listRules(actor, query) };
  }

  @Post()
  @ApiOperation({ summary: 'Create an alert rule: a threshold on a KPI of a flow (or every flow) over a sliding window, checked every minute (editor)' })
  @ApiCreatedResponse({ type: AlertRuleDto })
  @ApiNotFoundResponse({ description: 'No such flow (or outside the key’s scope)', type: ApiErrorDto })
  create(@CurrentActor() actor: Actor, @Body() body: AlertRuleBodyDto): Promise<AlertRuleDto> {
    return this.alerts.createRule(actor, body);
  }

  @Get(':id')
  @ApiOperation({ summary: 'One alert rule, with its last check (editor)' })
  @ApiOkResponse({ type: AlertRuleDto })
  @ApiNotFoundResponse(RULE_NOT_FOUND)
  get(@CurrentActor() actor: Actor, @UuidParam('id', 'Alert rule id') id: string): Promise<AlertRuleDto> {
    return this.alerts.getRule(actor, id);
  }

  @Put(':id')
  @ApiOperation({ summary: 'Replace an alert rule (editor); its active alert stays until the next check resolves it' })
  @ApiOkResponse({ type: AlertRuleDto })
  @ApiNotFoundResponse(RULE_NOT_FOUND)
  update(@CurrentActor() actor: Actor, @UuidParam('id', 'Alert rule id') id: string, @Body() body: AlertRuleBodyDto): Promise<AlertRuleDto> {
    return this.alerts.updateRule(actor, id, body);
  }

  @Delete(':id')
  @HttpCode(204)
  @ApiOperation({ summary: 'Delete an alert rule (editor); its alerts stay listed until acknowledged' })
  @ApiNoContentResponse({ description: 'Deleted' })
  @ApiNotFoundResponse(RULE_NOT_FOUND)
  async remove(@CurrentActor() actor: Actor, @UuidParam('id', 'Alert rule id') id: string): Promise<void> {
    await this.alerts.deleteRule(actor, id);
  }
}

@ApiTags('alerts')
@ApiBearerAuth()
@ApiCommonErrors()
@Controller('alerts')
export class AlertsController {
  constructor(private readonly alerts: AlertsService) {}

  @Get()
  @Roles('operator', 'editor')
  @ApiOperation({ summary: 'Alerts, newest first (operator, editor): by default those nobody acknowledged yet' })
  @ApiOkResponse({ type: AlertPageDto })
  list(@CurrentActor() actor: Actor, @Query() query: ListAlertsQueryDto): Promise<AlertPageDto> {
    return this.alerts.listAlerts(actor, query);
  }

  @Get(':id')
  @Roles('operator', 'editor')
  @ApiOperation({ summary: 'One alert (operator, editor)' })
  @ApiOkResponse({ type: AlertDto })
  @ApiNotFoundResponse(ALERT_NOT_FOUND)
  get(@CurrentActor() actor: Actor, @UuidParam('id', 'Alert id') id: string): Promise<AlertDto> {
    return this.alerts.getAlert(actor, id);
  }

  @Post(':id/acknowledge')
  @HttpCode(200)
  @Roles('operator')
  @ApiOperation({ summary: 'Acknowledge an alert (operator): it leaves the default list; acknowledging again changes nothing' })
  @ApiOkResponse({ type: AlertDto })
  @ApiNotFoundResponse(ALERT_NOT_FOUND)
  acknowledge(@CurrentActor() actor: Actor, @UuidParam('id', 'Alert id') id: string): Promise<AlertDto> {
    return this.alerts.acknowledge(actor, id);
  }
}
