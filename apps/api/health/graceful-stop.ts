import { INestApplication } from '@nestjs/common';
import type { Server } from 'node:http';
import { CHAT_TURN_TIMEOUT_MS } from '../runs/run-failures';
import { ShutdownState } from './shutdown-state';

/** In-flight requests get this long to finish: a chat turn's own limit plus a margin. */
export const DRAIN_TIMEOUT_MS = CHAT_TURN_TIMEOUT_MS + 5_000;

/** After the drain, how long keep-alive clients get to be told (503, Connection: close) before the sockets close. */
const CLOSE_GRACE_MS = 1_000;

function openConnections(server: Server): Promise<number> {
  return new Promise((resolve) => server.getConnections((err, count) => resolve(err ? 0 : count)));
}

/**
 * Under the launcher, a terminal's Ctrl-C must not kill the API before the launcher's ordered stop,
 * even while it is still starting (before stopGracefullyOnSignals is in place).
 */
export function leaveSigintToLauncher(): void {
  if (process.connected) process.on('SIGINT', () => undefined);
}

/**
 * Stops the API process in order: refuse new requests (health 503), let the ones in flight finish,
 * close the listener and the remaining keep-alive connections, then close Nest (database, Temporal).
 *
 * SIGTERM always stops it. SIGINT does only when no launcher supervises it: a Ctrl-C reaches every
 * process of the terminal's group, and the launcher (the IPC parent) then sends SIGTERM in its turn,
 * API first, so the worker and the servers are still there for the last chat turns.
 */
export function stopGracefullyOnSignals(app: INestApplication, log: (m: string) => void = (m) => console.log(`[api] ${m}`)): void {
  const state = app.get(ShutdownState);
  let stopping: Promise<void> | undefined;
  const stop = (why: string) => {
    stopping ??= (async () => {
      log(`${why}: refusing new requests, finishing ${state.inFlightCount} in flight...`);
      const started = Date.now();
      const server = app.getHttpServer() as Server;
      const cut = await state.drain(DRAIN_TIMEOUT_MS);
      // Clients holding idle keep-alive connections learn from a 503 (Connection: close) to go away;
      // closing those sockets under them instead could cut a request they are sending right then.
      const deadline = Date.now() + CLOSE_GRACE_MS;
      while (Date.now() < deadline && (await openConnections(server)) > 0) await new Promise((r) => setTimeout(r, 50));
      server.close();
      server.closeAllConnections?.();
      await app.close().catch((err) => log(`closing: ${(err as Error).message}`));
      log(`stopped in ${Date.now() - started} ms${cut ? ` (${cut} requests cut after ${DRAIN_TIMEOUT_MS} ms)` : ''}`);
      // The IPC channel to the launcher would keep the process alive.
      process.exit(0);
    })();
  };
  process.on('SIGTERM', () => stop('SIGTERM received'));
  process.on('SIGINT', () => {
    if (!process.connected) stop('SIGINT received');
  });
  // The launcher is gone (killed): nobody will send SIGTERM.
  process.on('disconnect', () => stop('the launcher is gone'));
}
