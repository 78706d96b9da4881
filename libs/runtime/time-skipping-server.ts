import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

/**
 * Temporal's time-skipping test server, for tests of long timers (hours, days). The SDK downloads
 * a native build from the internet; where only package registries are reachable, the same server
 * comes from Maven Central (`io.temporal:temporal-test-server`) and runs on the JVM. This resolves a
 * launcher script for it, fetching the jars once with Maven into the cache.
 */
export const TEST_SERVER_VERSION = '1.31.0';

export function testServerCacheDir(env: Record<string, string | undefined> = process.env): string {
  const base = env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache');
  return path.join(base, 'cauce', `temporal-test-server-${TEST_SERVER_VERSION}`);
}

function has(command: string): boolean {
  return spawnSync(command, ['-version'], { stdio: 'ignore' }).status === 0 || spawnSync(command, ['--version'], { stdio: 'ignore' }).status === 0;
}

/** The path of an executable that starts the test server as `<script> <port>`, or why there is none. */
export function resolveTimeSkippingServer(env: Record<string, string | undefined> = process.env): { path: string } | { unavailable: string } {
  if (env.TEMPORAL_TEST_SERVER) return { path: env.TEMPORAL_TEST_SERVER };
  const dir = testServerCacheDir(env);
  const script = path.join(dir, 'temporal-test-server');
  if (fs.existsSync(script)) return { path: script };
  if (!has('java')) return { unavailable: 'Java is not installed (the test server runs on the JVM)' };
  if (!has('mvn')) return { unavailable: 'Maven is not installed (it fetches the test server from Maven Central)' };
  fs.mkdirSync(dir, { recursive: true });
  const pom = `<project xmlns="http://maven.apache.org/POM/4.0.0"><modelVersion>4.0.0</modelVersion>
<groupId>cauce</groupId><artifactId>temporal-test-server-launcher</artifactId><version>1</version>
<dependencies><dependency><groupId>io.temporal</groupId><artifactId>temporal-test-server</artifactId><version>${TEST_SERVER_VERSION}</version></dependency></dependencies></project>`;
  fs.writeFileSync(path.join(dir, 'pom.xml'), pom);
  const result = spawnSync('mvn', ['-q', '-B', 'dependency:copy-dependencies', `-DoutputDirectory=${path.join(dir, 'lib')}`], {
    cwd: dir,
    encoding: 'utf8',
    timeout: 10 * 60_000,
  });
  if (result.status !== 0)
    return { unavailable: `mvn could not fetch io.temporal:temporal-test-server:${TEST_SERVER_VERSION}: ${(result.stdout + result.stderr).slice(-500)}` };
  const tmp = `${script}.tmp`;
  fs.writeFileSync(tmp, `#!/bin/sh\nexec java -Xss2m -cp "${path.join(dir, 'lib')}/*" io.temporal.testserver.TestServer "$@"\n`, { mode: 0o755 });
  fs.renameSync(tmp, script);
  return { path: script };
}
