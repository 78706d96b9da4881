// jsdom has no module Web Workers: the editor validates and lays out on the main thread.
export function createValidationWorker(): Worker | null {
  return null;
}

export function createLayoutWorker(): Worker | null {
  return null;
}
