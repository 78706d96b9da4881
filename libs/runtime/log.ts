/** A tiny logger for the launcher and infrastructure, so every line says which part spoke. */
export interface Logger {
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

export function consoleLogger(prefix: string): Logger {
  const tag = `[${prefix}]`;
  return {
    info: (m) => console.log(`${tag} ${m}`),
    warn: (m) => console.warn(`${tag} ${m}`),
    error: (m) => console.error(`${tag} ${m}`),
  };
}

export const silentLogger: Logger = { info: () => undefined, warn: () => undefined, error: () => undefined };

/** For Temporal's workflow bundler (`bundleWorkflowCode({ logger })`): its errors shown, its progress lines dropped. */
export const quietBundlerLogger = {
  info: () => undefined,
  warn: () => undefined,
  debug: () => undefined,
  trace: () => undefined,
  log: () => undefined,
  error: console.error,
};
