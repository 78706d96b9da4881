import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { resolveTemporalCli, TemporalCliNotFoundError } from './temporal-cli';

function executable(file: string): string {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, '#!/bin/sh\necho temporal\n', { mode: 0o755 });
  return file;
}

describe('resolveTemporalCli', () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cli-resolver-'));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  const cacheDir = () => path.join(dir, 'cache', 'temporal-cli-v1.5.1');

  it('prefers TEMPORAL_CLI', async () => {
    const explicit = executable(path.join(dir, 'custom', 'temporal'));
    executable(path.join(dir, 'bin', 'temporal'));
    const found = await resolveTemporalCli({ env: { TEMPORAL_CLI: explicit, PATH: path.join(dir, 'bin') }, cacheDir: cacheDir() });
    expect(found).toEqual({ path: explicit, source: 'TEMPORAL_CLI' });
  });

  it('rejects a TEMPORAL_CLI that is not an executable, naming the variable', async () => {
    await expect(resolveTemporalCli({ env: { TEMPORAL_CLI: path.join(dir, 'nope') }, cacheDir: cacheDir() })).rejects.toThrow(/TEMPORAL_CLI/);
  });

  it('then looks on PATH, then in the cache', async () => {
    const cached = executable(path.join(cacheDir(), 'temporal'));
    const onPath = executable(path.join(dir, 'bin', 'temporal'));
    expect(await resolveTemporalCli({ env: { PATH: path.join(dir, 'bin') }, cacheDir: cacheDir() })).toEqual({ path: onPath, source: 'PATH' });
    expect(await resolveTemporalCli({ env: { PATH: path.join(dir, 'empty') }, cacheDir: cacheDir() })).toEqual({ path: cached, source: 'cache' });
  });

  it('builds with go install into the cache when Go is present', async () => {
    const goBin = executable(path.join(dir, 'go-bin', 'go'));
    const calls: string[] = [];
    const found = await resolveTemporalCli({
      env: { PATH: path.dirname(goBin) },
      cacheDir: cacheDir(),
      goInstall: async (binDir) => {
        calls.push(binDir);
        executable(path.join(binDir, 'temporal'));
      },
      sdkDownload: async () => {
        throw new Error('must not be called');
      },
    });
    expect(calls).toHaveLength(1);
    expect(found).toEqual({ path: path.join(cacheDir(), 'temporal'), source: 'go install' });
    // The next resolution finds the cached build without building again.
    expect((await resolveTemporalCli({ env: { PATH: '' }, cacheDir: cacheDir() })).source).toBe('cache');
  });

  it('falls back to the SDK download when Go is missing or fails', async () => {
    const found = await resolveTemporalCli({
      env: { PATH: path.join(dir, 'empty') },
      cacheDir: cacheDir(),
      sdkDownload: async (downloadDir) => executable(path.join(downloadDir, 'temporal-cli', 'temporal')),
    });
    expect(found).toEqual({ path: path.join(cacheDir(), 'temporal'), source: 'sdk download' });
  });

  it('explains how to install the CLI when nothing works', async () => {
    const goBin = executable(path.join(dir, 'go-bin', 'go'));
    const error = await resolveTemporalCli({
      env: { PATH: path.dirname(goBin) },
      cacheDir: cacheDir(),
      goInstall: async () => {
        throw new Error('proxy unreachable');
      },
      sdkDownload: async () => {
        throw new Error('getaddrinfo ENOTFOUND');
      },
    }).catch((e) => e);
    expect(error).toBeInstanceOf(TemporalCliNotFoundError);
    expect(error.message).toContain('go install failed: proxy unreachable');
    expect(error.message).toContain('the SDK download failed: getaddrinfo ENOTFOUND');
    expect(error.message).toContain('brew install temporal');
    expect(error.message).toContain('go install github.com/temporalio/cli/cmd/temporal@v1.5.1');
  });
});
