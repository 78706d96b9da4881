import { DEFAULT_KPI_SETTINGS, intervalMs, loadKpiSettings, resolveRates } from './config';
import { csvCell } from './csv';

describe('KPI settings from the environment', () => {
  it('has documented defaults', () => {
    expect(loadKpiSettings({})).toEqual(DEFAULT_KPI_SETTINGS);
    expect(DEFAULT_KPI_SETTINGS).toMatchObject({
      humanMinuteCost: 0.5,
      baselineCostPerContact: 5,
      fcrWindowHours: 72,
      promptTokenCost: null,
      experimentMinSample: 100,
      alertCheckInterval: '1m',
    });
  });

  it('reads every variable', () => {
    const s = loadKpiSettings({
      KPI_HUMAN_MINUTE_COST: '0.8',
      KPI_BASELINE_COST_PER_CONTACT: '6.5',
      KPI_FCR_WINDOW_HOURS: '24',
      KPI_PROMPT_TOKEN_COST: '0.00015',
      KPI_COMPLETION_TOKEN_COST: '0.0006',
      KPI_EXPERIMENT_MIN_SAMPLE: '250',
      KPI_EXPERIMENT_ALPHA: '0.01',
      KPI_ALERT_CHECK_INTERVAL: '30s',
      KPI_ALERT_NOTIFY: 'slack:#cx-alerts',
    });
    expect(s).toEqual({
      humanMinuteCost: 0.8,
      baselineCostPerContact: 6.5,
      fcrWindowHours: 24,
      promptTokenCost: 0.00015,
      completionTokenCost: 0.0006,
      experimentMinSample: 250,
      experimentAlpha: 0.01,
      alertCheckInterval: '30s',
      alertDefaultNotify: { channel: 'slack', to: '#cx-alerts' },
    });
    expect(loadKpiSettings({ KPI_ALERT_CHECK_INTERVAL: 'off' }).alertCheckInterval).toBeNull();
  });

  it('names the variable of a bad value', () => {
    expect(() => loadKpiSettings({ KPI_HUMAN_MINUTE_COST: 'cheap' })).toThrow(
      'Invalid configuration: KPI_HUMAN_MINUTE_COST must be a number at least 0, got "cheap"',
    );
    expect(() => loadKpiSettings({ KPI_FCR_WINDOW_HOURS: '0' })).toThrow(/KPI_FCR_WINDOW_HOURS must be a number above 0/);
    expect(() => loadKpiSettings({ KPI_ALERT_CHECK_INTERVAL: 'hourly' })).toThrow(/KPI_ALERT_CHECK_INTERVAL/);
    expect(() => loadKpiSettings({ KPI_ALERT_CHECK_INTERVAL: '500ms' })).toThrow(/at least 1 s/);
    expect(() => loadKpiSettings({ KPI_ALERT_NOTIFY: 'pigeon:roof' })).toThrow(/KPI_ALERT_NOTIFY must be channel:recipient/);
  });

  it('lets a request override the rates', () => {
    expect(resolveRates(DEFAULT_KPI_SETTINGS, { fcrWindowHours: 1, promptTokenCost: 0.1 })).toEqual({
      humanMinuteCost: 0.5,
      baselineCostPerContact: 5,
      fcrWindowHours: 1,
      promptTokenCost: 0.1,
      completionTokenCost: null,
    });
  });

  it('parses schedule intervals', () => {
    expect(intervalMs('1m')).toBe(60_000);
    expect(intervalMs('30s')).toBe(30_000);
    expect(intervalMs('2 minutes')).toBe(120_000);
    expect(intervalMs('1h')).toBe(3_600_000);
    expect(() => intervalMs('soon')).toThrow(RangeError);
  });
});

describe('CSV cells', () => {
  it('quotes what needs quoting and defuses formulas', () => {
    expect(csvCell(0.25)).toBe('0.25');
    expect(csvCell(-3)).toBe('-3');
    expect(csvCell(null)).toBe('');
    expect(csvCell(NaN)).toBe('');
    expect(csvCell('plain')).toBe('plain');
    expect(csvCell('a,b')).toBe('"a,b"');
    expect(csvCell('say "hi"')).toBe('"say ""hi"""');
    expect(csvCell('=HYPERLINK("x")')).toBe(`"'=HYPERLINK(""x"")"`);
    expect(csvCell('+1')).toBe("'+1");
  });
});
