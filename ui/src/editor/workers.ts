/** The editor's Web Workers (bundled by Vite); null where workers are unavailable (jsdom, old browsers). */
export function createValidationWorker(): Worker | null {
  if (typeof Worker === 'undefined') return null;
  try {
    return new Worker(new URL('./validate.worker.ts', import.meta.url), { type: 'module', name: 'cauce-validator' });
  } catch {
    return null;
  }
}

export function createLayoutWorker(): Worker | null {
  if (typeof Worker === 'undefined') return null;
  try {
    return new Worker(new URL('./layout.worker.ts', import.meta.url), { type: 'module', name: 'cauce-layout' });
  } catch {
    return null;
  }
}
