import { apiLogger, StartupQuietLogger } from './startup-logger';

describe('the API logger at start-up', () => {
  let written: string[];
  let spy: jest.SpyInstance;
  beforeEach(() => {
    written = [];
    spy = jest.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
      written.push(String(chunk));
      return true;
    });
  });
  afterEach(() => spy.mockRestore());

  it('drops Nest’s module and route lines, keeps the application’s own lines', () => {
    const logger = apiLogger(undefined);
    expect(logger).toBeInstanceOf(StartupQuietLogger);
    logger.log('Mapped {/api/flows, GET} route', 'RouterExplorer');
    logger.log('AppModule dependencies initialized', 'InstanceLoader');
    logger.log('flows: 3 published', 'FlowsService');
    expect(written.join('')).not.toContain('Mapped');
    expect(written.join('')).not.toContain('AppModule');
    expect(written.join('')).toContain('flows: 3 published');
  });

  it('keeps everything at LOG_LEVEL=debug, and only warnings and errors at warn', () => {
    apiLogger('debug').log('Mapped {/api/flows, GET} route', 'RouterExplorer');
    expect(written.join('')).toContain('Mapped');
    written = [];
    const quiet = apiLogger('warn');
    quiet.log('flows: 3 published', 'FlowsService');
    expect(written.join('')).toBe('');
  });
});
