// jsdom has no module Web Workers: the editor falls back to validating on the main thread.
export function createValidationWorker(): Worker | null {
  return null;
}
